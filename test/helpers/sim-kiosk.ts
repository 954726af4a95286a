/**
 * Test helper: the whole kiosk on its simulated devices, played from outside as the e2e tests,
 * the integration tests and the bench do (issue #13, devices pulled and plugged back in
 * mid-session): the screen's channel, the simulators' /api/sim, and /healthz.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino, type LevelWithSilent } from 'pino';
import { z } from 'zod';
import { configSchema } from '../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../controller/kiosk';
import type { ServerMessage } from '../../domain/kiosk-channel/messages';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import { failFast } from './fail-fast';
import { healthzAlerts } from './kiosk-walk';
import { connectAsScreen, screenFetch, type ChannelClient } from './screen-client';
import { makeTestCentral, type TestCentral } from './test-central';
import { waitFor, waitForValue } from './wait-for';

export interface SimKiosk {
  readonly kiosk: RunningKiosk;
  /** The kiosk's data dir (its keys, its store), removed by dispose(). */
  readonly dataDir: string;
  /** The central receiver whose public key the kiosk seals to: its private key opens the packets. */
  readonly central: TestCentral;
  /** POST /api/sim/<device> as the kiosk's screen; throws on a refusal. */
  sim(device: string, body: unknown): Promise<void>;
  /** /healthz devices.<kind>.state */
  deviceState(kind: string): Promise<string | undefined>;
  /** /healthz alerts: what staff were told, newest last. */
  alerts(): Promise<ReadonlyArray<{ readonly device: string; readonly status: string }>>;
  dispose(): Promise<void>;
}

const healthSchema = z.object({
  devices: z.record(z.string(), z.object({ state: z.string() })),
});

export interface SimKioskOptions {
  /** Flow settings, over the `timings`. */
  readonly flow?: Record<string, unknown>;
  /**
   * The flow timings under `flow`: 'fast' (the default) takes out the pauses between fingers and
   * puts the idle timeout far off; 'shipped' keeps the shipped ones (a person's pace at the page).
   */
  readonly timings?: 'fast' | 'shipped';
  readonly devices?: Record<string, unknown>;
  /** Further sections of the kiosk's config, as its config file gives them (`tech`, `invitations`, …). */
  readonly config?: Record<string, unknown>;
  /** The kiosk's log level: 'silent' unless said. */
  readonly log?: LevelWithSilent;
}

const FAST_FLOW = { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, idleTimeoutMs: 600_000 };

export async function startSimKiosk(o: SimKioskOptions = {}): Promise<SimKiosk> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-sim-'));
  const central: TestCentral = await makeTestCentral();
  const config = configSchema.parse({
    ...o.config,
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { ...(o.timings === 'shipped' ? {} : FAST_FLOW), ...o.flow },
    ...(o.devices ? { devices: o.devices } : {}),
  });
  const kiosk = await startKiosk({ config, log: pino({ level: o.log ?? 'silent' }), onFatal: failFast });
  return {
    kiosk,
    dataDir,
    central,
    async sim(device, body) {
      const res = await screenFetch(kiosk.screenUrl, `/api/sim/${device}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`POST /api/sim/${device} ${JSON.stringify(body)}: ${res.status} ${await res.text()}`);
    },
    async deviceState(kind) {
      const h = healthSchema.parse(await (await fetch(new URL('/healthz', kiosk.url))).json());
      return h.devices[kind]?.state;
    },
    async alerts() {
      return healthzAlerts(kiosk);
    },
    async dispose() {
      await kiosk.stop();
      await central.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The kiosk's screen, as its channel shows it: intents in, the latest view out. */
export interface Screen {
  readonly client: ChannelClient;
  send(intent: Record<string, unknown>): void;
  /** The latest view model received. */
  view(): ViewModel | undefined;
  /** Waits for a view model that matches, received from now on or already the latest. */
  until(pred: (v: ViewModel) => boolean, what: string, timeoutMs?: number): Promise<ViewModel>;
}

export async function openScreen(kiosk: RunningKiosk): Promise<Screen> {
  const client = await connectAsScreen(kiosk.screenUrl);
  const views = (): ViewModel[] => client.messages.flatMap((m: ServerMessage) => (m.type === 'view' ? [m.view] : []));
  const latest = (): ViewModel | undefined => views().at(-1);
  return {
    client,
    send: (intent) => client.send({ type: 'intent', intent }),
    view: latest,
    until: (pred, what, timeoutMs = 10_000) =>
      waitForValue(
        () => {
          const v = latest();
          return v && pred(v) ? v : undefined;
        },
        { what, timeoutMs, everyMs: 2 },
      ),
  };
}

/** Until every device the kiosk needs reports ready. */
export async function allReady(k: SimKiosk): Promise<void> {
  await waitFor(async () => (await Promise.all(['fingerprint', 'document', 'camera', 'printer'].map((d) => k.deviceState(d)))).every((s) => s === 'ready'), {
    what: 'every device ready',
    timeoutMs: 30_000,
  });
}
