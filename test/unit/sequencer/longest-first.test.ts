import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { longestFirst, readDurations } from '../../sequencer/longest-first';

describe('the longest-first test order', () => {
  it('puts the longest recorded files first, unknown files at the few-seconds mark, ties by path', () => {
    const durations = new Map([
      ['test/integration/soak/crash-soak.test.ts', 120],
      ['test/unit/a.test.ts', 0.1],
      ['test/e2e/session.e2e.test.ts', 55],
      ['test/unit/b.test.ts', 0.1],
    ]);
    const files = ['test/unit/b.test.ts', 'test/unit/a.test.ts', 'test/integration/new.test.ts', 'test/e2e/session.e2e.test.ts', 'test/integration/soak/crash-soak.test.ts'];
    expect(longestFirst(files, (f) => f, durations)).toEqual([
      'test/integration/soak/crash-soak.test.ts',
      'test/e2e/session.e2e.test.ts',
      'test/integration/new.test.ts',
      'test/unit/a.test.ts',
      'test/unit/b.test.ts',
    ]);
  });

  it('reads the table, keeps only numbers, and takes a missing or broken table as empty (the order only)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'durations-'));
    try {
      const good = path.join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ 'a.test.ts': 3.5, 'b.test.ts': 'slow', 'c.test.ts': null }));
      expect([...readDurations(good)]).toEqual([['a.test.ts', 3.5]]);
      const broken = path.join(dir, 'broken.json');
      await writeFile(broken, '{ not json');
      expect(readDurations(broken).size).toBe(0);
      expect(readDurations(path.join(dir, 'missing.json')).size).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('knows the files of this repository (the table is not stale by a whole directory)', async () => {
    const durations = readDurations();
    expect(durations.get('test/integration/soak/crash-soak.test.ts')).toBeGreaterThan(30);
  });
});
