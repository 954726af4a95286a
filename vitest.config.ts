import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/sequencer/longest-first';

/**
 * Two projects (test/README.md says which test belongs where). Every test lives under test/:
 *  - unit: test/unit/<the path of the code under test>: one process, in memory; no ptys, child
 *    processes or browsers. Fast: `npx vitest run --project unit`.
 *  - integration: test/integration/ (ptys from socat, child processes, the whole kiosk, the page
 *    in Chromium) and test/e2e/.
 * The README's test command runs both. This file sits at the top level (not in test/) so that
 * plain `npx vitest run --project unit` finds it.
 */
const INTEGRATION = ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'];

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    // Two cores in CI: run files in forks so a native addon (sqlite3, serialport) or a pty that
    // misbehaves takes down one worker, not the run.
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one worker on CI's two, with the second
    // core idle while a test waits on a kiosk process, a pty or Chromium. Two workers use it.
    // Tests that time a device or a process must therefore hold on a loaded machine (test/README.md).
    maxWorkers: 2,
    minWorkers: 1,
    // The unit files (below) run in one worker thread that keeps its modules from file to file:
    // loading tfjs, sharp, xstate and the kiosk's graph again for each of ~150 files was most of
    // the unit project's time (86 s → 55 s alone on this machine; every unit file passes in any
    // order this way). vitest reads isolation for a pool only here, at the root; the forks pool
    // (integration: kiosks, ptys, Chromium) stays isolated. One thread, so at most three workers
    // share the two cores.
    poolOptions: { threads: { isolate: false, maxThreads: 1, minThreads: 1 } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The longest files first (test/durations.json), so the two-minute crash soak overlaps the rest.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'threads',
        },
      },
      {
        extends: true,
        // A bound on waits (pages, processes, ptys), not a timing: generous, because two files run
        // at once on two cores and a loaded machine is slow.
        test: { name: 'integration', include: INTEGRATION, exclude: ['**/node_modules/**'], testTimeout: 60_000 },
      },
    ],
  },
});
