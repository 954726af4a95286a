import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildController } from '../../controller/build';
import { PACKAGE_ROOT } from '../../domain/package-root';
import { spawnKiosk, waitForScreenUrl } from '../helpers/kiosk-process';
import { median, type Row } from './stats';

/**
 * Cold start, both ways (issue #14): from spawning the kiosk program to its screen URL being
 * written (it serves then), under tsx from the TypeScript source and as the bundle
 * (`npm run build`, what the systemd unit runs). Simulated devices, a fresh data dir each time.
 */

const BUILD_DIR = path.join(PACKAGE_ROOT, 'test', 'artifacts', 'bench-build');
const RUNS = 5;

async function startOnce(args: readonly string[]): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-start-'));
  const urlFile = path.join(dir, 'screen-url');
  const t0 = performance.now();
  const kiosk = spawnKiosk({ args: [...args, '--dev', '--fast', '--port', '0', '--data-dir', dir], screenUrlFile: urlFile, stdio: 'ignore' });
  try {
    // Polled every 5 ms: the figure is a start time.
    const url = await waitForScreenUrl(urlFile, kiosk, { timeoutMs: 60_000, everyMs: 5 });
    if (url === undefined) throw new Error(`the kiosk did not serve within 60 s (exit code ${kiosk.child.exitCode ?? 'none: still running'})`);
    return performance.now() - t0;
  } finally {
    kiosk.child.kill('SIGTERM');
    await kiosk.exited;
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchStart(): Promise<Row[]> {
  const bundle = path.join(await buildController({ outDir: BUILD_DIR }), 'kiosk.mjs');
  const tsx: number[] = [];
  const built: number[] = [];
  // Alternate, so a busy moment of the machine falls on both.
  for (let i = 0; i < RUNS; i++) {
    tsx.push(await startOnce(['--import', 'tsx', 'controller/main.ts']));
    built.push(await startOnce([bundle]));
  }
  await rm(BUILD_DIR, { recursive: true, force: true });
  const a = median(tsx);
  const b = median(built);
  return [
    { name: `kiosk cold start to serving, under tsx (TypeScript source), median of ${RUNS}`, value: `${a.toFixed(0)} ms` },
    { name: `kiosk cold start to serving, the bundle (node dist/kiosk.mjs), median of ${RUNS}`, value: `${b.toFixed(0)} ms (${(a / b).toFixed(1)}× faster)` },
  ];
}
