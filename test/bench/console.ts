import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import WebSocket from 'ws';
import { startFleet } from '../../controller/ops/fleet/fleet';
import type { ConsoleLink } from '../../controller/ops/console-link';
import { createOpsConsole } from '../../controller/ops-console/server';
import { createOpsChannel, type OpsChannel } from '../../controller/server/ops-channel';
import { hashSecret } from '../../controller/tech/pin';
import type { ConsoleServerMessage, OpsKioskStatus } from '../../domain/ops-channel/types';
import { PACKAGE_ROOT } from '../../domain/package-root';
import { median, pct, type Row } from './stats';

/**
 * The hall officers' console (issue #14). Two figures:
 *  - update latency: a kiosk's state changes (an officer's out-of-service switch on a simulated
 *    kiosk of the fleet) → the change arrives on a logged-in page's socket of the ops process;
 *    median and p95 over a run;
 *  - scale: the ops process alone (its own node process, as `npm run kiosk -- ops` runs) with
 *    1,000 kiosks at 10 s heartbeats and one page open: its CPU (share of one core) and RSS.
 *    The 1,000 kiosks are lightweight (one server in this process), but each is the real ops
 *    channel (server/ops-channel.ts) with its own token, sending real statuses.
 */

const PASSWORD = 'bench-password-123';
const SCALE_KIOSKS = 1000;
const HEARTBEAT_MS = 10_000;
const SAMPLE_MS = 30_000;

async function loginCookie(base: string): Promise<string> {
  const res = await fetch(new URL('/api/login', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'bench', password: PASSWORD }) });
  if (!res.ok) throw new Error(`login refused: ${res.status}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

function openPage(base: string, cookie: string, onMessage: (m: ConsoleServerMessage) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(new URL('/ws/console', base).href.replace('http', 'ws'), { headers: { cookie, origin: base.replace(/\/$/, '') } });
    ws.on('message', (d) => onMessage(JSON.parse(String(d))));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function latency(): Promise<Row[]> {
  const log = pino({ level: 'silent' });
  const fleet = await startFleet({ count: 3, basePort: 0, host: '127.0.0.1', heartbeatMs: HEARTBEAT_MS, citizens: 'none', speed: 1, log });
  const hash = await hashSecret(PASSWORD, { ln: 10 });
  const ops = createOpsConsole({ hall: fleet.kiosksFile(), officers: [{ login: 'bench', name: 'Bench Officer', hash }], uiRoot: '/nonexistent', log, auth: { minGapMs: 0 } });
  const base = (await ops.listen(0, '127.0.0.1')).url;
  const waiters: Array<(m: ConsoleServerMessage) => void> = [];
  const page = await openPage(base, await loginCookie(base), (m) => {
    for (const w of waiters.splice(0)) w(m);
  });
  const target = fleet.kiosks[0];
  if (!target) throw new Error('no kiosk');
  // Until the hall is up on the page.
  for (let i = 0; i < 200 && ops.hall().some((k) => k.link !== 'up'); i++) await new Promise((r) => setTimeout(r, 20));
  const ms: number[] = [];
  for (let i = 0; i < 60; i++) {
    const on = i % 2 === 0;
    const seen = new Promise<number>((resolve) => {
      const check = (m: ConsoleServerMessage): void => {
        if (m.type === 'kiosks' && m.kiosks.some((k) => k.kioskId === target.kioskId && k.status?.service.inService === !on)) resolve(performance.now());
        else waiters.push(check);
      };
      waiters.push(check);
    });
    const t0 = performance.now();
    target.runtime.officer({ type: 'OPS_SERVICE', on, officer: 'Bench Officer' });
    ms.push((await seen) - t0);
  }
  page.close();
  await ops.close();
  await fleet.stop();
  ms.sort((a, b) => a - b);
  return [
    { name: 'update latency, kiosk change → page socket, median', value: `${median(ms).toFixed(1)} ms` },
    { name: 'update latency, kiosk change → page socket, p95', value: `${pct(ms, 95).toFixed(1)} ms (${ms.length} changes; the kiosk's 25 ms and the console's 50 ms batching included)` },
  ];
}

/** A kiosk's status, as a real one sends it. */
function statusOf(i: number, at: number): OpsKioskStatus {
  const inSession = i % 3 === 0;
  return {
    kioskId: `K-${String(i).padStart(4, '0')}`,
    version: 'bench',
    at: new Date(at).toISOString(),
    screen: inSession ? 'fingerprints' : 'attract',
    ...(inSession ? { phase: 'place', step: 'fingerprints' } : {}),
    stepSince: new Date(at - 30_000).toISOString(),
    inSession,
    devices: { fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready', gpio: 'ready', storage: 'ready' },
    today: { date: '2026-11-30', completed: i % 40, abandoned: i % 5 },
    outbox: { pending: i % 4, oldestPendingAgeS: i % 4 ? 120 : null },
    service: { inService: true },
    ...(i % 50 === 0 ? { help: { id: `help-${i}`, since: new Date(at - 60_000).toISOString(), source: 'screen' as const, inSession: true, screen: 'fingerprints' } } : {}),
    heartbeatS: HEARTBEAT_MS / 1000,
  };
}

/** 1,000 kiosks' ops channels on one server: /k/<i>/ws/ops, each with its own token. */
async function fakeHall(n: number): Promise<{ url: string; kiosks: Array<{ id: string; url: string; token: string }>; close(): Promise<void> }> {
  const log = pino({ level: 'silent' });
  const channels: OpsChannel[] = [];
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) {
    const token = `bench-token-${i}-${'x'.repeat(32)}`;
    tokens.push(token);
    const link: ConsoleLink = {
      heartbeatMs: HEARTBEAT_MS,
      status: async () => statusOf(i, Date.now()),
      onChange: () => () => undefined,
      command: () => ({ ok: true }),
      consoles: () => undefined,
      stop: () => undefined,
    };
    channels.push(createOpsChannel({ link, token, kioskId: `K-${String(i).padStart(4, '0')}`, version: 'bench', audit: () => undefined, log }));
    // Kiosks started at different times: their heartbeats spread over the interval, not one burst.
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS / n));
  }
  const http = createServer((_q, res) => res.writeHead(404).end());
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const i = Number(/^\/k\/(\d+)\/ws\/ops$/.exec(req.url ?? '')?.[1] ?? -1);
    const ch = channels[i];
    if (!ch || ch.refusal(req)) return socket.destroy();
    ch.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const a = http.address();
  const port = typeof a === 'object' && a !== null ? a.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    kiosks: tokens.map((token, i) => ({ id: `K-${String(i).padStart(4, '0')}`, url: `ws://127.0.0.1:${port}/k/${i}/ws/ops`, token })),
    async close() {
      for (const c of channels) c.close();
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

/** utime + stime of a process, in seconds (Linux /proc). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 'NaN') / 1024;
}

async function scale(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-ops-'));
  const hall = await fakeHall(SCALE_KIOSKS);
  let child: ChildProcess | undefined;
  try {
    await writeFile(path.join(dir, 'kiosks.json'), JSON.stringify({ hall: 'Bench hall', kiosks: hall.kiosks }));
    await writeFile(path.join(dir, 'officers.json'), JSON.stringify({ officers: [{ login: 'bench', name: 'Bench Officer', hash: await hashSecret(PASSWORD, { ln: 10 }) }] }));
    const t0 = performance.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'controller', 'cli', 'main.ts'), 'ops', '--kiosks', path.join(dir, 'kiosks.json'), '--officers', path.join(dir, 'officers.json'), '--port', '0'], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = proc;
    const pid = proc.pid;
    if (pid === undefined) throw new Error('the ops process did not start');
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.once('exit', (code) => reject(new Error(`the ops process exited (${code})`)));
    });
    let upAt = 0;
    for (let i = 0; i < 600; i++) {
      const h: unknown = await (await fetch(new URL('/healthz', base))).json();
      if (typeof h === 'object' && h !== null && 'up' in h && h.up === SCALE_KIOSKS) {
        upAt = performance.now();
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (upAt === 0) throw new Error('the 1,000 kiosks never all came up on the ops process');
    let received = 0;
    let updates = 0;
    const page = await openPage(base, await loginCookie(base), (m) => {
      received += 1;
      if (m.type === 'kiosks') updates += m.kiosks.length;
    });
    // Settle a heartbeat, then measure over the window.
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS));
    const c0 = await cpuSeconds(pid);
    const w0 = performance.now();
    const r0 = received;
    const u0 = updates;
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
    const cpu = (await cpuSeconds(pid)) - c0;
    const wall = (performance.now() - w0) / 1000;
    const rss = await rssMiB(pid);
    page.close();
    return [
      { name: `ops process: ${SCALE_KIOSKS} kiosks connected and up`, value: `${((upAt - t0) / 1000).toFixed(1)} s from its start` },
      { name: `ops process CPU, ${SCALE_KIOSKS} kiosks at ${HEARTBEAT_MS / 1000} s heartbeats, one page open`, value: `${((cpu / wall) * 100).toFixed(1)} % of one core (goal: one core holds it)` },
      { name: 'ops process RSS, the same', value: `${rss.toFixed(0)} MiB` },
      { name: 'ops process → page over the window', value: `${((updates - u0) / wall).toFixed(0)} kiosk updates/s in ${((received - r0) / wall).toFixed(1)} messages/s` },
    ];
  } finally {
    child?.kill('SIGTERM');
    await hall.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchConsole(): Promise<Row[]> {
  return [...(await latency()), ...(await scale())];
}
