import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FILE_SECONDS } from './file-seconds-reporter';
import { DURATIONS_FILE } from './longest-first';

/**
 * `npm run test:durations`: rewrites test/durations.json (seconds per test file, for the
 * longest-first order) from the JSON report a whole run wrote (test/run-all.sh writes
 * test/artifacts/vitest.json). Run it after adding slow tests, on a quiet machine.
 * Where the same run also wrote test/artifacts/vitest-files.json (file-seconds-reporter.ts, which
 * test/run-all.sh adds), a file's seconds come from there: they include its import, collection
 * and hooks, which the JSON report leaves out.
 */

interface Report {
  readonly testResults: ReadonlyArray<{ readonly name: string; readonly startTime: number; readonly endTime: number }>;
}

function isReport(v: unknown): v is Report {
  return typeof v === 'object' && v !== null && 'testResults' in v && Array.isArray(v.testResults);
}

const reportFile = path.resolve(process.argv[2] ?? 'test/artifacts/vitest.json');
const report: unknown = JSON.parse(readFileSync(reportFile, 'utf8'));
if (!isReport(report)) throw new Error(`${reportFile} is not a vitest JSON report: run the whole suite with test/run-all.sh first`);
// The report names files by absolute path on the machine that ran it (CI's clone, not this one):
// they are made relative to that run's root, two levels above test/artifacts/.
const root = path.resolve(path.dirname(reportFile), '../..');
const whole = wholeFileSeconds(path.join(path.dirname(reportFile), FILE_SECONDS), reportFile);
const rows = report.testResults
  .map((t) => {
    const name = path.relative(root, t.name).split(path.sep).join('/');
    return [name, whole?.get(name) ?? Math.round((t.endTime - t.startTime) / 100) / 10] as const;
  })
  .filter(([name]) => !name.startsWith('..'))
  .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
writeFileSync(DURATIONS_FILE, `${JSON.stringify(Object.fromEntries(rows), null, 2)}\n`);
console.log(`wrote ${rows.length} files' durations to ${path.relative(process.cwd(), DURATIONS_FILE)} (longest: ${rows[0]?.[0] ?? 'none'}, ${rows[0]?.[1] ?? 0} s)`);

/** The reporter's seconds per file, when it wrote them for the same run (not before the report). */
function wholeFileSeconds(file: string, report: string): ReadonlyMap<string, number> | undefined {
  if (!existsSync(file) || statSync(file).mtimeMs < statSync(report).mtimeMs - 60_000) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const files: unknown = typeof parsed === 'object' && parsed !== null && 'files' in parsed ? parsed.files : undefined;
  if (typeof files !== 'object' || files === null) return undefined;
  const out = new Map<string, number>();
  for (const [name, seconds] of Object.entries(files)) if (typeof seconds === 'number' && Number.isFinite(seconds)) out.set(name, seconds);
  return out;
}
