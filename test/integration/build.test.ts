import { execFile } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildController, ENTRY_POINTS } from '../../controller/build';
import { PACKAGE_ROOT } from '../../domain/package-root';

/**
 * `npm run build`: the three programs as plain JavaScript that run with `node`, no tsx, from
 * wherever they are started (the systemd unit runs `node dist/kiosk.mjs`). The crash soak runs
 * the kiosk bundle itself (test/soak/crash-soak.ts).
 */

const run = promisify(execFile);
const OUT = path.join(PACKAGE_ROOT, 'test', 'artifacts', 'build-test');

beforeAll(async () => {
  await buildController({ outDir: OUT });
}, 60_000);
afterAll(() => rm(OUT, { recursive: true, force: true }));

it('writes one .mjs per program, without TypeScript or source maps', async () => {
  const files = await readdir(OUT);
  for (const name of Object.keys(ENTRY_POINTS)) expect(files).toContain(`${name}.mjs`);
  expect(files.filter((f) => !f.endsWith('.mjs'))).toEqual([]);
  const kiosk = await readFile(path.join(OUT, 'kiosk.mjs'), 'utf8');
  expect(kiosk).not.toMatch(/sourceMappingURL/);
});

it('each program runs under plain node, from another working directory', async () => {
  const opts = { cwd: '/', env: { ...process.env, NODE_OPTIONS: '' } };
  const kiosk = await run(process.execPath, [path.join(OUT, 'kiosk.mjs'), '--help'], opts);
  expect(kiosk.stdout).toMatch(/Usage: npm start/);
  const central = await run(process.execPath, [path.join(OUT, 'central.mjs'), '--help'], opts);
  expect(central.stdout).toMatch(/Usage/);
  // A CLI command loaded on demand (a chunk), reading the statechart.
  const cli = await run(process.execPath, [path.join(OUT, 'cli.mjs'), 'statechart', '--outline'], opts);
  expect(cli.stdout).toMatch(/attract/);
  // A bad option still says what to do, with the config found from the bundle's own place.
  await expect(run(process.execPath, [path.join(OUT, 'kiosk.mjs'), '--bogus'], opts)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown option "--bogus"/) });
});
