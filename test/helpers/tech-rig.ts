import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { createFaceDetector } from '../../controller/capture/face-detector';
import { configSchema, type FlowConfig, type TechConfig } from '../../controller/config/schema';
import { buildDevices } from '../../controller/devices/factory';
import type { SimControls } from '../../controller/devices/sim-controls';
import { startSupervisor, supervisedState, type SupervisorRef } from '../../controller/devices/supervisor';
import { createKioskRuntime, type KioskRuntime } from '../../controller/enrollment/runtime';
import { syncHealth } from '../../controller/ops/sync-health';
import { createKioskServer, type KioskServer } from '../../controller/server/http';
import { openStore, type AuditEntry, type Store } from '../../controller/store/store';
import { hashPin } from '../../controller/tech/pin';
import { startTech, type RunningTech } from '../../controller/tech/start';
import { readTechTokenFile } from '../../controller/tech/token-file';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import { isTechServerMessage, type TechServerMessage } from '../../domain/tech-channel/messages';
import { TEST_FLOW, createFakeMachine, emptyScript } from './enrollment-harness';
import { failFast } from './fail-fast';
import { waitForValue } from './wait-for';

/**
 * The technician's side of the kiosk on simulated devices, without the rest of the kiosk: the
 * real drivers against their simulators under their supervisors, the real statechart (its
 * citizen-side actors scripted, enrollment-harness.ts), a real store in a temp dir, the tech
 * channel on the kiosk's loopback server and on a network listener (bound to loopback here).
 * The face detector is loaded only if a test runs the camera's self-test.
 */

export const RIG_PIN = '482913';

export interface TechClient {
  readonly messages: TechServerMessage[];
  send(message: unknown): void;
  /**
   * The next message that matches, in the order they came: each call looks only past the
   * message the call before it took (already received, or still to come).
   */
  next<T extends TechServerMessage>(pred: (m: TechServerMessage) => m is T, what: string, timeoutMs?: number): Promise<T>;
  close(): void;
}

export type Opened = { readonly kind: 'open'; readonly client: TechClient } | { readonly kind: 'refused'; readonly status: number; readonly body: string };

export interface TechRig {
  /** `http://127.0.0.1:<port>`: the kiosk's loopback server. */
  readonly origin: string;
  readonly screenUrl: string;
  /** The network listener (`tech.listen`), bound to loopback in tests. */
  readonly networkOrigin: string;
  readonly runtime: KioskRuntime;
  readonly store: Store;
  readonly sim: SimControls;
  readonly tech: RunningTech;
  readonly dataDir: string;
  token(): Promise<string>;
  audit(kind: string): Promise<AuditEntry[]>;
  /** Opens ws /ws/tech on the kiosk server (or `at` another origin) with exactly these headers. */
  open(headers?: Readonly<Record<string, string>>, at?: string): Promise<Opened>;
  /** Opens and unlocks with the PIN; fails the test if that does not work. */
  unlocked(at?: string): Promise<TechClient>;
  close(): Promise<void>;
}

export interface RigOptions {
  readonly tech?: Partial<TechConfig>;
  /** null: no PIN in the config. */
  readonly pin?: string | null;
  readonly flow?: Partial<FlowConfig>;
}

export function openTech(origin: string, headers: Readonly<Record<string, string>> = {}): Promise<Opened> {
  const url = new URL('/ws/tech', origin);
  url.protocol = 'ws:';
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { ...headers } });
    const messages: TechServerMessage[] = [];
    const waiters = new Set<(m: TechServerMessage) => void>();
    /** Messages before this index were passed over or taken by an earlier `next`. */
    let cursor = 0;
    ws.on('message', (d, isBinary) => {
      if (isBinary) return;
      const m: unknown = JSON.parse(d.toString());
      if (!isTechServerMessage(m)) throw new Error(`the kiosk sent something that is not a tech message: ${d.toString().slice(0, 200)}`);
      messages.push(m);
      for (const w of [...waiters]) w(m);
    });
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy();
        resolve({ kind: 'refused', status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      resolve({
        kind: 'open',
        client: {
          messages,
          send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
          next: <T extends TechServerMessage>(pred: (m: TechServerMessage) => m is T, what: string, timeoutMs = 10_000) =>
            new Promise<T>((res, rej) => {
              for (; cursor < messages.length; cursor++) {
                const m = messages[cursor];
                if (m && pred(m)) {
                  cursor += 1;
                  return res(m);
                }
              }
              const timer = setTimeout(() => {
                waiters.delete(waiter);
                rej(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
              }, timeoutMs);
              const waiter = (m: TechServerMessage): void => {
                // Every message that came is looked at once, by the one waiting.
                cursor = messages.length;
                if (!pred(m)) return;
                clearTimeout(timer);
                waiters.delete(waiter);
                res(m);
              };
              waiters.add(waiter);
            }),
          close: () => ws.close(),
        },
      });
    });
  });
}

/** Predicates for `next`. */
export const is = {
  access: (m: TechServerMessage): m is Extract<TechServerMessage, { type: 'access' }> => m.type === 'access',
  unlocked: (m: TechServerMessage): m is Extract<TechServerMessage, { type: 'access' }> => m.type === 'access' && m.access.unlocked,
  refused: (m: TechServerMessage): m is Extract<TechServerMessage, { type: 'unlock-refused' }> => m.type === 'unlock-refused',
  status: (m: TechServerMessage): m is Extract<TechServerMessage, { type: 'status' }> => m.type === 'status',
  result: (m: TechServerMessage): m is Extract<TechServerMessage, { type: 'self-test' }> => m.type === 'self-test',
  error: (m: TechServerMessage): m is Extract<TechServerMessage, { type: 'error' }> => m.type === 'error',
};

const KINDS = ['fingerprint', 'document', 'camera', 'printer', 'gpio'] as const satisfies readonly DeviceKind[];

export async function startTechRig(opts: RigOptions = {}): Promise<TechRig> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-tech-'));
  const pinHash = opts.pin === null ? undefined : await hashPin(opts.pin ?? RIG_PIN, { ln: 4 });
  const parsed = configSchema.parse({ dataDir, simulation: { realisticTiming: false }, ...(pinHash ? { tech: { pinHash } } : {}) });
  const config = { ...parsed, tech: { ...parsed.tech, listen: { host: '127.0.0.1', port: 0 }, ...opts.tech } };
  const log = pino({ level: 'silent' });
  const store = await openStore(path.join(dataDir, 'kiosk.db'));
  const { devices, sim } = await buildDevices(config, log);
  if (!sim) throw new Error('the rig runs on the simulators');
  const runtime = createKioskRuntime(createFakeMachine(emptyScript()), { ...TEST_FLOW, ...opts.flow }, { onFatal: failFast });
  const refs: Array<[DeviceKind, SupervisorRef]> = [];
  const tech = startTech({
    config,
    version: '0.0.0-test',
    startedAt: Date.now(),
    runtime,
    devices,
    printer: devices.printer,
    detector: () => createFaceDetector(),
    sim,
    deviceReports: () => Object.fromEntries(refs.map(([k, ref]) => [k, { state: supervisedState(ref), driver: ref.getSnapshot().context.device.status().driver }])),
    storage: () => ({ ok: true, freeBytes: 1024 * 2 ** 20, checkedAt: new Date().toISOString() }),
    sync: async () => syncHealth({ summary: await store.outbox.summary(), status: null, configured: null, now: Date.now() }),
    audit: (kind, detail) => void store.appendAudit(kind, detail).catch(failFast),
    log,
  });
  for (const kind of KINDS) {
    const device = devices[kind];
    // Quick reconnects: a test that unplugs a device waits for it to come back.
    const ref = startSupervisor(device, { minBackoffMs: 20, maxBackoffMs: 200 });
    refs.push([kind, ref]);
    let last: DeviceState | undefined;
    ref.subscribe(() => {
      const state = supervisedState(ref);
      if (state === last) return;
      last = state;
      tech.ledger.noteState(kind, state, ref.getSnapshot().context.detail);
      runtime.setDevices({ [kind]: state });
    });
  }
  const server: KioskServer = createKioskServer({ runtime, uiRoot: '/nonexistent', health: async () => ({ status: 'ok' }), log, tech: { channel: tech.channel, uiRoot: '/nonexistent' } });
  const { origin, screenUrl } = await server.listen(0, '127.0.0.1');
  await tech.listen(origin, dataDir, '/nonexistent');
  const networkUrl = tech.networkUrl();
  if (!networkUrl) throw new Error('the network listener did not start');
  await waitForValue(() => (refs.length === KINDS.length && refs.every(([, ref]) => supervisedState(ref) === 'ready') ? true : undefined), {
    what: 'every simulated device to be ready',
    timeoutMs: 20_000,
  });

  const rig: TechRig = {
    origin,
    screenUrl,
    networkOrigin: networkUrl.replace(/\/$/, ''),
    runtime,
    store,
    sim,
    tech,
    dataDir,
    async token() {
      const read = await readTechTokenFile(tech.tokenFile());
      if (read.kind !== 'ok') throw new Error(`no token file: ${read.kind}`);
      return read.content.token;
    },
    audit: (kind) => store.recentAudit({ kind, limit: 1000 }),
    open: (headers = {}, at = origin) => openTech(at, headers),
    async unlocked(at = origin) {
      const o = await openTech(at);
      if (o.kind !== 'open') throw new Error(`the tech channel was refused: ${o.status} ${o.body}`);
      o.client.send({ type: 'unlock', pin: RIG_PIN });
      await o.client.next(is.unlocked, 'the channel to unlock');
      return o.client;
    },
    async close() {
      await tech.stop();
      await server.close();
      for (const [, ref] of refs) ref.send({ type: 'STOP' });
      await Promise.all(KINDS.map((k) => devices[k].close().catch(() => undefined)));
      runtime.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return rig;
}
