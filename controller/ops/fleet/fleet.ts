import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { configSchema, type FlowConfig } from '../../config/schema';
import { createKioskRuntime, type KioskRuntime } from '../../enrollment/runtime';
import { provideServices } from '../../enrollment/services';
import { createKioskServer, type KioskServer } from '../../server/http';
import { createOpsChannel } from '../../server/ops-channel';
import { createConsoleLink, type ConsoleLink } from '../console-link';
import { createKioskMetrics } from '../metrics';
import { createSessionTracker } from '../session-events';
import type { JsonValue } from '../../store/audit-chain';
import type { KiosksFile } from '../../ops-console/files';
import { driveCitizens, type CitizenPlan } from './citizens';
import { createSimServices, makeSimPictures, type SimPictures } from './sim-services';
import type { DeviceKind, DeviceState } from '../../../domain/devices';
import pkg from '../../../package.json';
import { rng } from '../../../drivers/prng';

/**
 * A fleet of simulated kiosks in one process (issue #14, `npm run kiosk -- simulate-fleet`):
 * each one the real enrollment statechart on simulated services, with the kiosk's own HTTP
 * server (the same code as a kiosk's: /healthz, /metrics, ws /ws/ops with its own token), its
 * console link and metrics, and simulated citizens flowing through it. It writes the kiosks
 * file `ops --kiosks` reads.
 */

export interface FleetOptions {
  readonly count: number;
  /** The first kiosk's port; the others follow (0: any free port each). */
  readonly basePort: number;
  readonly host: string;
  readonly heartbeatMs: number;
  /** Citizens: 'random' plans, or none (a test drives each kiosk's runtime itself). */
  readonly citizens: 'random' | 'none';
  /** Seconds of a real citizen per second of simulation: 1 real time, 10 ten times faster. */
  readonly speed: number;
  readonly flow?: Partial<FlowConfig>;
  readonly log: Logger;
  readonly seed?: number;
  readonly plan?: () => CitizenPlan;
  /** An id prefix ("SIM" → SIM-01, SIM-02…). */
  readonly prefix?: string;
}

export interface FleetKiosk {
  readonly kioskId: string;
  readonly token: string;
  /** http://host:port/ (its /healthz and /metrics) */
  readonly url: string;
  /** ws://host:port/ws/ops */
  readonly opsUrl: string;
  readonly runtime: KioskRuntime;
  readonly link: ConsoleLink;
  /** The kiosk's audit trail (in memory: a simulated kiosk has no store). */
  readonly audits: Array<{ readonly kind: string; readonly detail: JsonValue; readonly at: string }>;
  /** Stop this kiosk (its server and citizens), as a kiosk that loses power. */
  stop(): Promise<void>;
  readonly stopped: () => boolean;
}

export interface Fleet {
  readonly kiosks: readonly FleetKiosk[];
  kiosksFile(hall?: string): KiosksFile;
  stop(): Promise<void>;
}

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const pictures: SimPictures = await makeSimPictures();
  // The simulators' seeded PRNG, so a seeded fleet plays the same citizens.
  const random = o.seed === undefined ? Math.random : rng(o.seed);
  const kiosks: FleetKiosk[] = [];
  try {
    for (let i = 0; i < o.count; i++) kiosks.push(await startOne(i, o, pictures, random));
  } catch (err) {
    await Promise.all(kiosks.map((k) => k.stop()));
    throw err;
  }
  return {
    kiosks,
    kiosksFile: (hall = 'Sảnh mô phỏng / Simulated hall') => ({
      hall,
      kiosks: kiosks.map((k, i) => ({ id: k.kioskId, label: `Quầy ${i + 1}`, url: k.opsUrl, token: k.token })),
    }),
    async stop() {
      await Promise.all(kiosks.map((k) => k.stop()));
    },
  };
}

async function startOne(i: number, o: FleetOptions, pictures: SimPictures, random: () => number): Promise<FleetKiosk> {
  const kioskId = `${o.prefix ?? 'SIM'}-${String(i + 1).padStart(2, '0')}`;
  const token = randomBytes(24).toString('base64url');
  const log = o.log.child({ kiosk: kioskId });
  const scale = (ms: number): number => Math.max(1, Math.round(ms / o.speed));
  const flow: FlowConfig = { ...configSchema.parse({}).flow, faceCountdownSeconds: o.speed > 5 ? 0 : 3, ...o.flow };
  let outbox: number[] = [];
  const machine = provideServices(createSimServices({ pictures, deviceMs: scale(1500), random, onCommitted: () => outbox.push(Date.now()) }));
  const runtime = createKioskRuntime(machine, flow, {
    onFatal: (err) => log.fatal({ err }, 'the simulated kiosk\'s statechart failed'),
  });
  const devices: Partial<Record<DeviceKind, DeviceState>> = { fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready', gpio: 'ready', storage: 'ready' };
  runtime.setDevices(devices);
  // The outbox drains as a sync loop would: one packet every 20 simulated seconds.
  const drain = setInterval(() => {
    outbox = outbox.slice(1);
  }, scale(20_000));
  drain.unref();
  const outboxNow = async () => ({ pending: outbox.length, oldestPendingAgeS: outbox[0] === undefined ? null : (Date.now() - outbox[0]) / 1000 });
  const audits: FleetKiosk['audits'] = [];
  const audit = (kind: string, detail: JsonValue): void => {
    audits.push({ kind, detail, at: new Date().toISOString() });
    if (audits.length > 1000) audits.shift();
    log.info({ audit: kind, detail }, 'audit');
  };
  const tracker = createSessionTracker();
  const metrics = createKioskMetrics(
    {
      devices: () => devices,
      outbox: outboxNow,
      sync: () => null,
      diskFreeBytes: () => undefined,
      canServe: () => runtime.view().screen.name !== 'out-of-service',
      helpWaitingSeconds: () => {
        const since = tracker.helpWaitingSince();
        return since === undefined ? 0 : (Date.now() - since) / 1000;
      },
    },
    { kioskId, version: pkg.version },
  );
  const offMetrics = runtime.onView((v) => {
    for (const e of tracker.observe(v, Date.now())) metrics.session(e);
  });
  const offHelp = runtime.onNotice((n) => metrics.helpRequested(n.source));
  const link = createConsoleLink({ kioskId, version: pkg.version, runtime, heartbeatMs: o.heartbeatMs, devices: () => devices, outbox: outboxNow, helpWaitMs: flow.helpWaitMs, audit, log });
  const channel = createOpsChannel({ link, token, kioskId, version: pkg.version, audit, log });
  const server: KioskServer = createKioskServer({
    runtime,
    uiRoot: '/nonexistent',
    log,
    health: async () => ({ kioskId, serving: runtime.view().screen.name !== 'out-of-service', screen: runtime.view().screen.name, simulated: true }),
    metrics: { render: () => metrics.render(), contentType: metrics.contentType },
    ops: channel,
  });
  const { port } = await server.listen(o.basePort === 0 ? 0 : o.basePort + i, o.host);
  const shown = o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  const citizens = o.citizens === 'random' ? driveCitizens(runtime, { thinkMs: scale(2500), gapMs: scale(8000), random, ...(o.plan ? { plan: o.plan } : {}) }) : undefined;
  let stopped = false;
  return {
    kioskId,
    token,
    url: `http://${shown}:${port}/`,
    opsUrl: `ws://${shown}:${port}/ws/ops`,
    runtime,
    link,
    audits,
    stopped: () => stopped,
    async stop() {
      if (stopped) return;
      stopped = true;
      citizens?.stop();
      clearInterval(drain);
      channel.close();
      link.stop();
      offMetrics();
      offHelp();
      await server.close();
      runtime.stop();
    },
  };
}
