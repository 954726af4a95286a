import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildController } from '../../controller/build';
import { simulate } from '../../controller/cli/simulate';
import { PACKAGE_ROOT } from '../../domain/package-root';
import { spawnKiosk, waitForScreenUrl } from '../helpers/kiosk-process';
import { makeTestCentral } from '../helpers/test-central';
import type { Row } from './stats';

/**
 * The kiosk process's memory (issue #14, "a Pi that fits on one"): the bundle as the systemd
 * unit runs it (`node dist/kiosk.mjs`), on simulated devices, with 200 simulated citizens
 * driven through it one after another (controller/cli/simulate.ts, as `npm run kiosk --
 * simulate` does). RSS is read from /proc/<pid>/status (VmRSS now, VmHWM the peak) by this
 * harness, so nothing in the kiosk measures itself; the heap, external memory and the face
 * model's wasm heap come from the kiosk's own GET /metrics (loopback needs no token).
 *
 * Goal: ≤ 200 MB with the face model loaded, and flat from the 5th citizen to the 200th. The
 * kiosk gets the memory settings of systemd/cccd-kiosk.service (MALLOC_ARENA_MAX, NODE_OPTIONS).
 * `npm run bench -- memory` runs this section alone: about 20 minutes on a 2-core x86 (most of
 * it the simulator synthesising ten fingerprints a citizen).
 *
 * The simulators live in the kiosk process in sim mode (fingerprint image synthesis, the
 * camera's scene, the printer's rendering); a real kiosk does not carry them. The
 * `CCCD_BENCH_MEMORY_CITIZENS` environment variable shortens the run while investigating.
 */

const BUILD_DIR = path.join(PACKAGE_ROOT, 'test', 'artifacts', 'bench-build');
const UNIT = path.join(PACKAGE_ROOT, 'systemd', 'cccd-kiosk.service');
const CITIZENS = Number(process.env.CCCD_BENCH_MEMORY_CITIZENS ?? 200);
const MB = 1e6;

interface ProcStatus {
  readonly rss: number;
  readonly hwm: number;
}

async function procStatus(pid: number): Promise<ProcStatus> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!m?.[1]) throw new Error(`/proc/${pid}/status has no ${key}`);
    return Number(m[1]) * 1024;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** The Environment= lines of the controller's systemd unit that shape its memory, as systemd would set them. */
export async function unitMemoryEnvironment(unitFile = UNIT): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const m of (await readFile(unitFile, 'utf8')).matchAll(/^Environment=(MALLOC_\w+|NODE_OPTIONS)=(.*)$/gm)) {
    if (m[1] && m[2] !== undefined) env[m[1]] = m[2];
  }
  return env;
}

/** One sample from the kiosk's /metrics: name → value, for unlabelled series only. */
async function scrape(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(new URL('/metrics', base))).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*) (\S+)$/.exec(line);
    if (m?.[1] && m[2]) out.set(m[1], Number(m[2]));
  }
  return out;
}

export interface MemoryRun {
  readonly afterStart: ProcStatus;
  readonly afterFirst: ProcStatus;
  readonly afterFive: ProcStatus;
  readonly afterAll: ProcStatus;
  readonly samples: ReadonlyArray<{ readonly citizen: number; readonly rss: number }>;
  readonly metrics: Map<string, number>;
  readonly completed: number;
  readonly failures: readonly string[];
  readonly seconds: number;
}

/** Run the bundle with `citizens` simulated citizens; `env` adds to the kiosk's environment. */
export interface MeasureOptions {
  /** Added to the kiosk's environment (e.g. MALLOC_ARENA_MAX). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node options before the bundle (e.g. --max-semi-space-size). */
  readonly nodeArgs?: readonly string[];
  /** Called after start and after each sample, with the kiosk's pid (for investigation). */
  readonly onCheckpoint?: (pid: number, citizens: number) => Promise<void>;
}

/** Run the bundle with `citizens` simulated citizens, one after another. */
export async function measureKioskMemory(citizens: number, opts: MeasureOptions = {}): Promise<MemoryRun> {
  const { env = {}, nodeArgs = [] } = opts;
  const bundle = path.join(await buildController({ outDir: BUILD_DIR }), 'kiosk.mjs');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-memory-'));
  const central = await makeTestCentral();
  const configFile = path.join(dir, 'config.json');
  const base = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'config', 'default.json'), 'utf8'));
  await writeFile(
    configFile,
    JSON.stringify({
      ...base,
      sealing: { ...base.sealing, centralPublicKey: central.publicKeyPath },
      flow: { ...base.flow, fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 1, faceCountdownSeconds: 0, faceLivenessFrames: 3 },
    }),
  );
  const urlFile = path.join(dir, 'screen-url');
  const t0 = performance.now();
  const kiosk = spawnKiosk({
    args: [...nodeArgs, bundle, '--fast', '--config', configFile, '--port', '0', '--data-dir', path.join(dir, 'data')],
    screenUrlFile: urlFile,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const { child } = kiosk;
  const pid = child.pid;
  if (pid === undefined) throw new Error('the kiosk did not start');
  try {
    const url = await waitForScreenUrl(urlFile, kiosk, { timeoutMs: 120_000 });
    if (url === undefined) throw new Error(`the kiosk did not serve within 120 s (exit code ${child.exitCode ?? 'none: still running'})`);
    // Let start-up settle (devices connecting) before the first reading.
    await new Promise((r) => setTimeout(r, 2000));
    const afterStart = await procStatus(pid);
    await opts.onCheckpoint?.(pid, 0);
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    const samples: Array<{ citizen: number; rss: number }> = [];
    let completed = 0;
    const failures: string[] = [];
    let afterFirst = afterStart;
    let afterFive = afterStart;
    for (let i = 1; i <= citizens; ) {
      // One citizen at a time up to 5, then in batches of 5 (one screen connection per batch).
      const n = i <= 5 ? 1 : Math.min(5, citizens - i + 1);
      const s = await simulate({ citizens: n, url, json: true, seed: i, timeoutS: 120, realistic: false }, quiet);
      completed += s.completed;
      failures.push(...s.failures);
      i += n;
      const st = await procStatus(pid);
      samples.push({ citizen: i - 1, rss: st.rss });
      await opts.onCheckpoint?.(pid, i - 1);
      if (i - 1 === 1) afterFirst = st;
      if (i - 1 === 5) afterFive = st;
      if (process.env.CCCD_BENCH_MEMORY_VERBOSE) process.stderr.write(`  after ${i - 1}: RSS ${(st.rss / MB).toFixed(0)} MB, peak ${(st.hwm / MB).toFixed(0)} MB\n`);
    }
    const afterAll = await procStatus(pid);
    const metrics = await scrape(url);
    return { afterStart, afterFirst, afterFive, afterAll, samples, metrics, completed, failures, seconds: (performance.now() - t0) / 1000 };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
    await central.dispose();
  }
}

export async function benchMemory(): Promise<Row[]> {
  const unitEnv = await unitMemoryEnvironment();
  const r = await measureKioskMemory(CITIZENS, { env: unitEnv });
  await rm(BUILD_DIR, { recursive: true, force: true });
  const mb = (b: number | undefined) => (b === undefined || Number.isNaN(b) ? '–' : `${(b / MB).toFixed(0)} MB`);
  const steady = r.samples.filter((s) => s.citizen >= 5).map((s) => s.rss);
  const range = steady.length > 0 ? `${mb(Math.min(...steady))}–${mb(Math.max(...steady))}` : '–';
  return [
    { name: `environment from systemd/cccd-kiosk.service`, value: Object.entries(unitEnv).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)' },
    { name: `kiosk RSS after start (bundle, simulated devices, face model loaded at start)`, value: mb(r.afterStart.rss) },
    { name: 'kiosk RSS after the 1st citizen (face model has run)', value: mb(r.afterFirst.rss) },
    { name: 'kiosk RSS after 5 citizens', value: mb(r.afterFive.rss) },
    { name: `kiosk RSS after ${CITIZENS} citizens (${r.completed} completed)`, value: mb(r.afterAll.rss) },
    { name: `kiosk RSS from the 5th citizen to the ${CITIZENS}th (min–max of samples)`, value: range },
    { name: 'kiosk RSS peak over the run (VmHWM; goal ≤ 200 MB)', value: mb(r.afterAll.hwm) },
    { name: 'at the end: V8 heap used / total', value: `${mb(r.metrics.get('nodejs_heap_size_used_bytes'))} / ${mb(r.metrics.get('nodejs_heap_size_total_bytes'))}` },
    { name: 'at the end: external (Buffers, ArrayBuffers, wasm)', value: mb(r.metrics.get('nodejs_external_memory_bytes')) },
    { name: 'at the end: face model wasm heap / tensors alive', value: `${mb(r.metrics.get('cccd_face_wasm_heap_bytes'))} / ${r.metrics.get('cccd_face_tensors') ?? '–'}` },
    { name: `wall time for ${CITIZENS} citizens`, value: `${r.seconds.toFixed(0)} s${r.failures.length > 0 ? `; ${r.failures.length} failed: ${r.failures[0] ?? ''}` : ''}` },
  ];
}
