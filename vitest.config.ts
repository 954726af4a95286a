import { defineConfig } from 'vitest/config';

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
    testTimeout: 30_000,
    hookTimeout: 60_000,
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
        test: { name: 'integration', include: INTEGRATION, exclude: ['**/node_modules/**'] },
      },
    ],
  },
});
