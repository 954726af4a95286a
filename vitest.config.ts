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
