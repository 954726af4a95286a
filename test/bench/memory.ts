import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildController } from '../../controller/build';
import { simulate } from '../../controller/cli/simulate';
import { PACKAGE_ROOT } from '../../domain/package-root';
import { spawnKiosk, waitForScreenUrl } from '../helpers/kiosk-process';
import { makeTestCentral } from '../helpers/test-central';
import { startWiredDevices } from '../helpers/wired-devices';
import { median, type Row } from './stats';

/**
 * The kiosk process's memory (issue #14, "a Pi that fits on one"): the bundle as the systemd
 * unit runs it (`node dist/kiosk.mjs`), with 200 simulated citizens driven through it one after
 * another (controller/cli/simulate.ts, as `npm run kiosk -- simulate` does). RSS is read from
 * /proc/<pid>/status (VmRSS, VmHWM the peak) by this harness, every half second while the
 * citizens go through and after each batch, so nothing in the kiosk measures itself; the heap,
 * external memory and the face model's wasm heap come from the kiosk's own GET /metrics
 * (loopback needs no token).
 *
 * The kiosk is measured alone, as on a Pi: its devices are on the far end of wires
 * (test/helpers/wired-devices.ts), each simulator a program of its own behind a socat pty (the
 * fingerprint module, the scanner, the printer, the panel board) and the camera a camera program
 * streaming the simulator's scene at the real camera's 1280 × 960. The kiosk runs its real
 * drivers and no simulator. `CCCD_BENCH_MEMORY_DEVICES=in-process` measures the old way
 * instead (`npm start`'s simulated devices inside the kiosk), for comparison.
 *
 * Goal: ≤ 200 MB with the face model loaded, and steady over 200 citizens. The kiosk gets the
 * memory settings of systemd/cccd-kiosk.service (MALLOC_*, NODE_OPTIONS). `npm run bench --
 * memory` runs this section alone: about 5 minutes on a 2-core x86.
 * While investigating: `CCCD_BENCH_MEMORY_CITIZENS=60` shortens the run,
 * `CCCD_BENCH_MEMORY_VERBOSE=1` prints each batch's reading, `CCCD_BENCH_MEMORY_TIMELINE=<file>`
 * writes every reading with the heap and external memory beside it, and
 * `CCCD_BENCH_MEMORY_ENV="NODE_OPTIONS=…"` tries a setting in place of the unit's line.
 * test/bench/memory-trace.ts pins a rise to the screen the citizen was on.
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
  // Environment="NAME=value with spaces" is quoted in the unit (systemd splits unquoted ones at spaces).
  for (const m of (await readFile(unitFile, 'utf8')).matchAll(/^Environment=("?)(MALLOC_\w+|NODE_OPTIONS)=(.*)\1$/gm)) {
    if (m[2] && m[3] !== undefined) env[m[2]] = m[3];
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

export interface Sample {
  /** Citizens completed or given up on before this reading. */
  readonly citizen: number;
  readonly rss: number;
}

export interface MemoryRun {
  readonly devices: 'wired' | 'in-process';
  readonly afterStart: ProcStatus;
  /** /metrics after start: the face model is loaded (its wasm heap and weights' tensors). */
  readonly startMetrics: Map<string, number>;
  readonly afterFirst: ProcStatus;
  readonly afterFive: ProcStatus;
  readonly afterAll: ProcStatus;
  /** Every reading: every half second while citizens go through, and after each batch. */
  readonly samples: readonly Sample[];
  readonly metrics: Map<string, number>;
  /** The simulator programs' RSS at the end (wired only): what a real kiosk does not carry. */
  readonly simulatorsRss?: number;
  readonly completed: number;
  readonly failures: readonly string[];
  readonly seconds: number;
}

export interface MeasureOptions {
  /** Added to the kiosk's environment (e.g. MALLOC_ARENA_MAX). */
  readonly env?: Readonly<Record<string, string>>;
  /** Node options before the bundle (e.g. --max-semi-space-size). */
  readonly nodeArgs?: readonly string[];
  /** The simulators on wires (the default: the kiosk alone), or inside the kiosk as `npm start` has them. */
  readonly devices?: 'wired' | 'in-process';
  /** Called after start and after each batch, with the kiosk's pid (for investigation). */
  readonly onCheckpoint?: (pid: number, citizens: number) => Promise<void>;
}

/** Run the bundle with `citizens` simulated citizens, one after another. */
/**
 * The config a measured kiosk runs with: the shipped one, sealing to the test centre, without the
 * pauses a person needs, and on the given devices (else the shipped simulators in-process).
 */
export async function writeBenchConfig(dir: string, centralPublicKey: string, devices?: unknown): Promise<string> {
  const configFile = path.join(dir, 'config.json');
  const base = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'config', 'default.json'), 'utf8'));
  await writeFile(
    configFile,
    JSON.stringify({
      ...base,
      sealing: { ...base.sealing, centralPublicKey },
      flow: { ...base.flow, fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 1, faceCountdownSeconds: 0, faceLivenessFrames: 3 },
      ...(devices === undefined ? {} : { devices }),
    }),
  );
  return configFile;
}

export async function measureKioskMemory(citizens: number, opts: MeasureOptions = {}): Promise<MemoryRun> {
  const { env = {}, nodeArgs = [], devices = 'wired' } = opts;
  const bundle = path.join(await buildController({ outDir: BUILD_DIR }), 'kiosk.mjs');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-memory-'));
  const central = await makeTestCentral();
  const wired = devices === 'wired' ? await startWiredDevices() : undefined;
  const configFile = await writeBenchConfig(dir, central.publicKeyPath, wired?.devices);
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
  let sampler: NodeJS.Timeout | undefined;
  try {
    if (pid === undefined) throw new Error('the kiosk did not start');
    const url = await waitForScreenUrl(urlFile, kiosk, { timeoutMs: 120_000 });
    if (url === undefined) throw new Error(`the kiosk did not serve within 120 s (exit code ${child.exitCode ?? 'none: still running'})`);
    // Let start-up settle (devices connecting, the camera streaming) before the first reading.
    await new Promise((r) => setTimeout(r, 3000));
    const afterStart = await procStatus(pid);
    const startMetrics = await scrape(url);
    await opts.onCheckpoint?.(pid, 0);
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    const samples: Sample[] = [];
    let done = 0;
    // Readings during the sessions too, not only between them. With CCCD_BENCH_MEMORY_TIMELINE=<file>,
    // each reading also goes to that file with the kiosk's heap and external memory beside it.
    const timeline = process.env.CCCD_BENCH_MEMORY_TIMELINE;
    if (timeline) await writeFile(timeline, 'seconds citizens rssMB heapUsedMB heapTotalMB externalMB\n');
    sampler = setInterval(() => {
      void procStatus(pid).then(
        async (st) => {
          samples.push({ citizen: done, rss: st.rss });
          if (!timeline) return;
          const m = await scrape(url);
          const f = (k: string) => ((m.get(k) ?? Number.NaN) / MB).toFixed(0);
          await appendFile(timeline, `${((performance.now() - t0) / 1000).toFixed(1)} ${done} ${(st.rss / MB).toFixed(0)} ${f('nodejs_heap_size_used_bytes')} ${f('nodejs_heap_size_total_bytes')} ${f('nodejs_external_memory_bytes')}\n`);
        },
        () => undefined,
      );
    }, 500);
    let completed = 0;
    const failures: string[] = [];
    let afterFirst = afterStart;
    let afterFive = afterStart;
    while (done < citizens) {
      // One citizen at a time up to 5, then in batches of 5 (one screen connection per batch).
      const n = done < 5 ? 1 : Math.min(5, citizens - done);
      const s = await simulate({ citizens: n, url, json: true, seed: done + 1, timeoutS: 120, realistic: false, ...(wired ? { atDevices: wired.act } : {}) }, quiet);
      completed += s.completed;
      failures.push(...s.failures);
      done += n;
      const st = await procStatus(pid);
      samples.push({ citizen: done, rss: st.rss });
      await opts.onCheckpoint?.(pid, done);
      if (done === 1) afterFirst = st;
      if (done === 5) afterFive = st;
      if (process.env.CCCD_BENCH_MEMORY_VERBOSE) process.stderr.write(`  after ${done}: RSS ${(st.rss / MB).toFixed(0)} MB, peak ${(st.hwm / MB).toFixed(0)} MB\n`);
    }
    clearInterval(sampler);
    const afterAll = await procStatus(pid);
    const metrics = await scrape(url);
    let simulatorsRss: number | undefined;
    if (wired) {
      simulatorsRss = 0;
      for (const p of wired.pids()) simulatorsRss += await procStatus(p).then((st) => st.rss, () => 0);
    }
    return {
      devices,
      afterStart,
      startMetrics,
      afterFirst,
      afterFive,
      afterAll,
      samples,
      metrics,
      ...(simulatorsRss === undefined ? {} : { simulatorsRss }),
      completed,
      failures,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await kiosk.exited;
    await wired?.dispose();
    await rm(dir, { recursive: true, force: true });
    await central.dispose();
  }
}

/** The goal of issue #14: the kiosk process at or under 200 MB beside Chromium on a 2 GB Pi 4. */
export const GOAL_BYTES = 200 * MB;

export async function benchMemory(): Promise<Row[]> {
  // CCCD_BENCH_MEMORY_ENV="KEY=VALUE …" replaces lines of the unit's environment, to try a setting before putting it in the unit.
  const unitEnv = { ...(await unitMemoryEnvironment()), ...Object.fromEntries((process.env.CCCD_BENCH_MEMORY_ENV ?? '').split(/ (?=[A-Z_]+=)/).filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) };
  const devices = process.env.CCCD_BENCH_MEMORY_DEVICES === 'in-process' ? 'in-process' : 'wired';
  const r = await measureKioskMemory(CITIZENS, { env: unitEnv, devices });
  await rm(BUILD_DIR, { recursive: true, force: true });
  const mb = (b: number | undefined) => (b === undefined || Number.isNaN(b) ? '–' : `${(b / MB).toFixed(0)} MB`);
  // Steady: every reading over the run's second half (during sessions and between them).
  const half = r.samples.filter((s) => s.citizen >= CITIZENS / 2).map((s) => s.rss).sort((a, b) => a - b);
  const lo = half[0], hi = half[half.length - 1], mid = half.length > 0 ? median(half) : undefined;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const startOk = r.afterStart.rss <= GOAL_BYTES;
  const steadyOk = hi !== undefined && hi <= GOAL_BYTES && r.afterAll.rss <= GOAL_BYTES;
  const where = r.devices === 'wired' ? 'the kiosk alone: simulators on wires, camera program at 1280 × 960' : 'simulators inside the kiosk';
  return [
    { name: 'environment from systemd/cccd-kiosk.service', value: Object.entries(unitEnv).map(([k, v]) => `${k}=${v}`).join(' ') || '(none)' },
    { name: 'devices', value: where },
    {
      name: 'kiosk RSS after start, face model loaded (wasm heap / tensors)',
      value: `${mb(r.afterStart.rss)} (${mb(r.startMetrics.get('cccd_face_wasm_heap_bytes'))} / ${r.startMetrics.get('cccd_face_tensors') ?? '–'})`,
    },
    { name: 'kiosk RSS after the 1st citizen (face model has run)', value: mb(r.afterFirst.rss) },
    { name: 'kiosk RSS after 5 citizens', value: mb(r.afterFive.rss) },
    { name: `kiosk RSS over citizens ${Math.ceil(CITIZENS / 2)}–${CITIZENS}: min / median / max of ${half.length} readings`, value: `${mb(lo)} / ${mb(mid)} / ${mb(hi)}` },
    { name: `kiosk RSS at the end, after ${CITIZENS} citizens (${r.completed} completed)`, value: mb(r.afterAll.rss) },
    { name: 'kiosk RSS peak over the run (VmHWM)', value: mb(r.afterAll.hwm) },
    { name: 'goal ≤ 200 MB with the face model loaded (after start)', value: verdict(startOk) },
    { name: `goal ≤ 200 MB steady over ${CITIZENS} citizens (second half's max, and the end)`, value: verdict(steadyOk) },
    { name: 'at the end: V8 heap used / total', value: `${mb(r.metrics.get('nodejs_heap_size_used_bytes'))} / ${mb(r.metrics.get('nodejs_heap_size_total_bytes'))}` },
    { name: 'at the end: external (Buffers, ArrayBuffers, wasm)', value: mb(r.metrics.get('nodejs_external_memory_bytes')) },
    { name: 'at the end: face model wasm heap / tensors alive', value: `${mb(r.metrics.get('cccd_face_wasm_heap_bytes'))} / ${r.metrics.get('cccd_face_tensors') ?? '–'}` },
    ...(r.simulatorsRss === undefined ? [] : [{ name: 'the simulator programs and the camera program (not the kiosk; RSS at the end)', value: mb(r.simulatorsRss) }]),
    { name: `wall time for ${CITIZENS} citizens`, value: `${r.seconds.toFixed(0)} s${r.failures.length > 0 ? `; ${r.failures.length} failed: ${r.failures[0] ?? ''}` : ''}` },
  ];
}
