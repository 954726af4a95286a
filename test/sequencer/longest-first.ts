import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the longest test files first, by the durations a whole run recorded (test/durations.json).
 *
 * Why: CI starts from a fresh clone, so vitest has no cache of its own and orders files by size.
 * The crash soak (then 50 kills, about two minutes) then started near the end and ran alone on one of
 * the two workers while the other sat idle. Longest first lets the short files fill in around
 * the long ones. The table only orders files: a stale or missing entry costs time, never a result.
 * `npm run test:durations` rewrites it from the last run's JSON report.
 */

export const DURATIONS_FILE = fileURLToPath(new URL('../durations.json', import.meta.url));

/** A file the table does not know yet: most new files are integration tests of a few seconds. */
const UNKNOWN_SECONDS = 5;

export function readDurations(file = DURATIONS_FILE): ReadonlyMap<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return new Map();
  }
  const out = new Map<string, number>();
  if (typeof parsed !== 'object' || parsed === null) return out;
  for (const [name, seconds] of Object.entries(parsed)) if (typeof seconds === 'number' && Number.isFinite(seconds)) out.set(name, seconds);
  return out;
}

/** Longest first; ties (and unknown files among themselves) keep a stable order by path. */
export function longestFirst<T>(files: readonly T[], pathOf: (f: T) => string, durations: ReadonlyMap<string, number>): T[] {
  const seconds = (f: T): number => durations.get(pathOf(f)) ?? UNKNOWN_SECONDS;
  return [...files].sort((a, b) => seconds(b) - seconds(a) || pathOf(a).localeCompare(pathOf(b)));
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const durations = readDurations();
    return longestFirst(files, (f) => path.relative(root, f.moduleId).split(path.sep).join('/'), durations);
  }
}
