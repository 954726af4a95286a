import { defineConfig } from 'vitest/config';

/**
 * Two projects (test/README.md says which test belongs where):
 *  - unit: one process, in memory; no ptys, child processes or browsers. `*.test.ts` next to
 *    the code, and test/ui's pure tests. Fast: `npx vitest run --project unit`.
 *  - integration: ptys (socat), child processes, the whole kiosk, Chromium. Files named
 *    `*.integration.test.ts` anywhere, and everything under test/integration and test/e2e.
 * The README's test command runs both. This file sits at the top level (not in test/) so that
 * plain `npx vitest run --project unit` finds it.
 */
const INTEGRATION = ['**/*.integration.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'];

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
          include: ['domain/**/*.test.ts', 'controller/**/*.test.ts', 'drivers/**/*.test.ts', 'ui/**/*.test.ts', 'test/ui/**/*.test.ts', 'test/helpers/**/*.test.ts', 'test/architecture/**/*.test.ts'],
          exclude: [...INTEGRATION, '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION, exclude: ['**/node_modules/**'] },
      },
    ],
  },
});
