/**
 * Investigation aid for docs/memory.md (not a bench section): the kiosk bundle on wired
 * simulators, as the memory bench runs it, with its RSS read every 100 ms beside the screen the
 * citizen is on, so a rise can be pinned to a step. Prints one line per reading:
 * `<ms> <citizen> <screen> <RSS MB> <anon MB> <file MB>`, then the RSS peak by screen.
 *
 *   npx tsx test/bench/memory-trace.ts [citizens=10] [--node-arg=…] [--env=KEY=VALUE]
 *
 * TRACE_METRICS=1 adds the heap used, heap total and external memory (MB, from /metrics) to each
 * line; TRACE_EVERY_MS changes the 100 ms; TRACE_SMAPS=<file> keeps /proc/<pid>/smaps at the end
 * (which mapping holds the RSS); TRACE_SNAPSHOT=1 with --node-arg=--heapsnapshot-signal=SIGUSR2
 * writes a heap snapshot into the working directory at the end.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildController } from '../../controller/build';
import { connectScreen, nextView, runCitizen } from '../../controller/cli/simulate';
import { makePerson, qrPayload } from '../../controller/cli/sim-people';
import { screenCredentials } from '../../controller/server/screen-link';
import { rng } from '../../drivers/prng';
import { PACKAGE_ROOT } from '../../domain/package-root';
import type { ServerMessage } from '../../domain/kiosk-channel/messages';
import { spawnKiosk, waitForScreenUrl } from '../helpers/kiosk-process';
import { makeTestCentral } from '../helpers/test-central';
import { startWiredDevices } from '../helpers/wired-devices';
import { unitMemoryEnvironment, writeBenchConfig } from './memory';

const MB = 1e6;

async function status(pid: number): Promise<{ rss: number; anon: number; file: number }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
}

async function main(): Promise<void> {
  const citizens = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10);
  const nodeArgs = process.argv.slice(2).flatMap((a) => (a.startsWith('--node-arg=') ? [a.slice('--node-arg='.length)] : []));
  const extraEnv = Object.fromEntries(process.argv.slice(2).flatMap((a) => (a.startsWith('--env=') ? [a.slice('--env='.length).split(/=(.*)/s).slice(0, 2)] : [])));
  const buildDir = path.join(PACKAGE_ROOT, 'test', 'artifacts', 'trace-build');
  const bundle = path.join(await buildController({ outDir: buildDir }), 'kiosk.mjs');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'memory-trace-'));
  const central = await makeTestCentral();
  const wired = await startWiredDevices();
  const configFile = await writeBenchConfig(dir, central.publicKeyPath, wired.devices);
  const urlFile = path.join(dir, 'screen-url');
  const kiosk = spawnKiosk({
    args: [...nodeArgs, bundle, '--fast', '--config', configFile, '--port', '0', '--data-dir', path.join(dir, 'data')],
    screenUrlFile: urlFile,
    env: { ...(await unitMemoryEnvironment()), ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = kiosk.child.pid ?? 0;
  let screenName = 'start';
  let citizen = 0;
  const t0 = performance.now();
  const peaks = new Map<string, number>();
  let kioskUrl: string | undefined;
  /** heap used, heap total, external (MB) from /metrics, when TRACE_METRICS is set. */
  const v8 = async (): Promise<string> => {
    if (!process.env.TRACE_METRICS || !kioskUrl) return '';
    const text = await (await fetch(new URL("/metrics", kioskUrl))).text().catch(() => '');
    const get = (name: string): string => ((Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]) || 0) / MB).toFixed(0);
    return ` ${get('nodejs_heap_size_used_bytes')} ${get('nodejs_heap_size_total_bytes')} ${get('nodejs_external_memory_bytes')}`;
  };
  const timer = setInterval(() => {
    void Promise.all([status(pid), v8()]).then(
      ([s, m]) => {
        peaks.set(screenName, Math.max(peaks.get(screenName) ?? 0, s.rss));
        process.stdout.write(`${(performance.now() - t0).toFixed(0)} ${citizen} ${screenName} ${(s.rss / MB).toFixed(0)} ${(s.anon / MB).toFixed(0)} ${(s.file / MB).toFixed(0)}${m}\n`);
      },
      () => undefined,
    );
  }, Number(process.env.TRACE_EVERY_MS ?? 100));
  try {
    const url = await waitForScreenUrl(urlFile, kiosk, { timeoutMs: 120_000 });
    const screen = url ? screenCredentials(url) : undefined;
    if (!url || !screen) throw new Error('the kiosk did not serve');
    kioskUrl = url;
    await new Promise((r) => setTimeout(r, 3000));
    const ws = await connectScreen(screen);
    ws.on('message', (data: WebSocket.RawData) => {
      const msg: ServerMessage = JSON.parse(data.toString());
      if (msg.type === 'view') screenName = msg.view.screen.name;
    });
    await wired.act('timing', { realistic: false });
    const rand = rng(1);
    for (citizen = 1; citizen <= citizens; citizen++) {
      ws.send(JSON.stringify({ type: 'hello' }));
      const first = await nextView(ws, (v) => v.screen.name === 'attract', 60_000);
      const r = await runCitizen(ws, url, screen, qrPayload(makePerson(rand)), first, 120, undefined, wired.act);
      if (r.outcome !== 'completed') process.stderr.write(`citizen ${citizen}: ${r.outcome} ${r.reason}\n`);
    }
    ws.close();
    if (process.env.TRACE_SMAPS) await writeFile(process.env.TRACE_SMAPS, await readFile(`/proc/${pid}/smaps`, 'utf8'));
    // With --node-arg=--heapsnapshot-signal=SIGUSR2: a heap snapshot into the kiosk's working directory.
    if (process.env.TRACE_SNAPSHOT) {
      kiosk.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 20_000));
    }
  } finally {
    clearInterval(timer);
    process.stderr.write(`peak RSS by screen: ${[...peaks].map(([k, v]) => `${k} ${(v / MB).toFixed(0)}`).join(', ')}\n`);
    kiosk.child.kill('SIGTERM');
    await kiosk.exited;
    await wired.dispose();
    await central.dispose();
    await rm(dir, { recursive: true, force: true });
    await rm(buildDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
