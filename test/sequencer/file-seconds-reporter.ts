import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * A vitest reporter that writes, per test file, the seconds its worker spent on it: importing
 * and collecting it, its hooks and its tests (test/artifacts/vitest-files.json, beside the JSON
 * report; `npm run test:durations` prefers it).
 *
 * Why: the JSON report times a file from its first test's start to its last test's end. That
 * leaves out the import of the file's modules and the collection (machine.paths.test.ts builds
 * its whole state graph there, about forty seconds, and was recorded as three), and every
 * beforeAll (an e2e file's kiosk start and Chromium launch), so such files were ordered as short
 * ones and ran last, alone on one worker.
 */

export const FILE_SECONDS = 'vitest-files.json';

export interface FileSeconds {
  readonly files: Readonly<Record<string, number>>;
}

export function fileSeconds(modules: ReadonlyArray<TestModule>, root: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of modules) {
    const d = m.diagnostic();
    const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
    out[path.relative(root, m.moduleId).split(path.sep).join('/')] = Math.round(ms / 100) / 10;
  }
  return out;
}

export default class FileSecondsReporter implements Reporter {
  private root = process.cwd();

  onInit(ctx: { readonly config: { readonly root: string } }): void {
    this.root = ctx.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const dir = path.join(this.root, 'test', 'artifacts');
    mkdirSync(dir, { recursive: true });
    const report: FileSeconds = { files: fileSeconds(modules, this.root) };
    writeFileSync(path.join(dir, FILE_SECONDS), `${JSON.stringify(report, null, 1)}\n`);
  }
}
