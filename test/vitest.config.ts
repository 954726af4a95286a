import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two cores in CI: run files in forks so a native addon (sqlite3, serialport) or a pty
// that misbehaves takes down one worker, not the run.
export default defineConfig({
  // This file lives in test/ (the repo's top level holds only what docs/architecture.md lists);
  // paths below are relative to the repo root.
  root: fileURLToPath(new URL('..', import.meta.url)),
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    include: ['controller/**/*.test.ts', 'drivers/**/*.test.ts', 'ui/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
