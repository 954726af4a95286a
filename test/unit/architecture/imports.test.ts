import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Who may import whom (docs/architecture.md, "who imports whom"), checked on every file git
 * knows, so a wrong-way import fails the unit tests instead of waiting for a reviewer.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts', '*.tsx'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f !== '' && !f.startsWith('ui/dist/'));

const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every repo-relative module each file imports (package imports are left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) out.push(relative(ROOT, normalize(join(ROOT, dirname(file), spec))));
  }
  return out;
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));
const under = (dir: string) => (path: string) => path === dir || path.startsWith(`${dir}/`);

function violations(from: (f: string) => boolean, to: (m: string) => boolean): string[] {
  const found: string[] = [];
  for (const [file, mods] of graph) if (from(file)) for (const m of mods) if (to(m)) found.push(`${file} → ${m}`);
  return found;
}

describe('who imports whom', () => {
  it('finds the files and their imports (the check itself works)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get('controller/kiosk.ts')).toContain('controller/enrollment/runtime');
  });

  it('domain/ imports nothing of ours outside itself', () => {
    expect(violations(under('domain'), (m) => !under('domain')(m))).toEqual([]);
  });

  it('ui/, controller/enrollment/ and controller/capture/ do not import from drivers/', () => {
    const from = (f: string) => under('ui')(f) || under('controller/enrollment')(f) || under('controller/capture')(f);
    expect(violations(from, under('drivers'))).toEqual([]);
  });

  it('drivers/ does not import from controller/ or ui/', () => {
    expect(violations(under('drivers'), (m) => under('controller')(m) || under('ui')(m))).toEqual([]);
  });

  it('the page (ui/) imports only domain/ and itself', () => {
    expect(violations(under('ui'), (m) => !under('ui')(m) && !under('domain')(m))).toEqual([]);
  });

  it('the statechart (controller/enrollment/) does not reach out to the server, devices or storage', () => {
    const outward = (m: string) => ['controller/server', 'controller/devices', 'controller/store', 'controller/services'].some((d) => under(d)(m));
    expect(violations(under('controller/enrollment'), outward)).toEqual([]);
  });

  it('nothing outside test/ imports from test/ (but the test runner’s own config)', () => {
    // vitest.config.ts is the suite's, at the top level only so that plain `npx vitest` finds it;
    // it takes the test order from test/sequencer/.
    const production = (f: string) => !under('test')(f) && f !== 'vitest.config.ts';
    expect(violations(production, under('test'))).toEqual([]);
  });

  it('every test lives under test/: the production folders hold production code only', () => {
    expect(files.filter((f) => f.endsWith('.test.ts') && !under('test')(f))).toEqual([]);
  });
});
