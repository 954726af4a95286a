import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../controller/cli/commands';
import { simulate } from '../../../controller/cli/simulate';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { loadKioskKeys } from '../../../controller/packet/keys';
import { failFast } from '../../helpers/fail-fast';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy';
import { startTestReceiver, type TestReceiver } from '../../helpers/test-receiver';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * The whole kiosk on simulated devices with sync configured, simulated citizens enrolling,
 * and the reference receiver behind a proxy that takes the network down and brings it back.
 */

let receiver: TestReceiver;
let impostor: TestReceiver;
let proxy: FaultProxy;
let kiosk: RunningKiosk;
let dataDir: string;
const io = { readStdin: async () => '', out: () => undefined, err: () => undefined };

beforeAll(async () => {
  receiver = await startTestReceiver();
  impostor = await startTestReceiver();
  proxy = await startFaultProxy({ kind: 'refuse' }); // the network is down when the kiosk starts
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-sync-'));
  const config = configSchema.parse({
    kioskId: 'KIOSK-045-0007',
    dataDir,
    sealing: { centralPublicKey: receiver.centralPublicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 2, doneTimeoutMs: 60_000 },
    sync: {
      url: `https://127.0.0.1:${proxy.port}`,
      pinnedCert: receiver.certPath,
      receiverAckPublicKey: receiver.ackPublicKeyPath,
      backoffInitialMs: 100,
      backoffMaxMs: 400,
      // Long: a new enrollment goes at once only because the kiosk wakes sync when it commits.
      pollMs: 600_000,
      requestTimeoutMs: 5_000,
    },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast });
  const keys = await loadKioskKeys(dataDir);
  if (!keys) throw new Error('the kiosk made no key');
  await receiver.register({ kioskId: 'KIOSK-045-0007', keys, dataDir });
  await impostor.register({ kioskId: 'KIOSK-045-0007', keys, dataDir });
}, 120_000);

afterAll(async () => {
  await kiosk?.stop();
  await proxy?.close();
  await receiver?.dispose();
  await impostor?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

interface SyncHealthBody {
  readonly outboxDepth: number;
  readonly sync: {
    readonly enabled: boolean;
    readonly state: string;
    readonly pending: number;
    readonly awaitingAck: number;
    readonly acked: number;
    readonly oldestPendingAgeS: number | null;
    readonly lastSuccessAt: string | null;
    readonly lastError: { readonly at: string; readonly message: string } | null;
  };
}

async function health(): Promise<SyncHealthBody> {
  return (await fetch(new URL('/healthz', kiosk.url))).json();
}

async function enrollOne(seed: number): Promise<void> {
  const summary = await simulate({ citizens: 1, url: kiosk.screenUrl, json: true, seed, timeoutS: 90, realistic: false }, io);
  expect(summary).toMatchObject({ completed: 1, failed: 0 });
}

describe('a kiosk with sync', () => {
  it('keeps enrolling with the network down; the enrollment waits, and health says since when and why', async () => {
    await enrollOne(1);
    const h = await waitForValue(async () => {
      const body = await health();
      return body.sync.lastError ? body : undefined;
    }, { what: 'a sync error in /healthz', timeoutMs: 20_000 });
    expect(h.outboxDepth).toBe(1);
    expect(h.sync).toMatchObject({ enabled: true, pending: 1, awaitingAck: 0, acked: 0, lastSuccessAt: null });
    expect(h.sync.lastError?.message).toMatch(/cannot reach 127\.0\.0\.1:\d+/);
    expect(h.sync.oldestPendingAgeS).toBeGreaterThanOrEqual(0);
    await enrollOne(2);
    expect((await health()).outboxDepth).toBe(2);
  }, 180_000);

  it('delivers both once the network is back: stored once at the receiver, acked, and health says so', async () => {
    proxy.set({ kind: 'forward', port: receiver.port });
    const h = await waitForValue(async () => {
      const body = await health();
      return body.sync.acked === 2 ? body : undefined;
    }, { what: 'two acks in /healthz', timeoutMs: 30_000 });
    expect(h.outboxDepth).toBe(0);
    expect(h.sync).toMatchObject({ pending: 0, awaitingAck: 0, acked: 2, oldestPendingAgeS: null });
    expect(h.sync.lastSuccessAt).not.toBeNull();
    const stored: string[] = [];
    for await (const m of receiver.store.list()) stored.push(m.recordId);
    expect(stored.sort()).toEqual((await kiosk.store.outbox.list()).map((p) => p.id).sort());
  }, 60_000);

  it('sends a new enrollment as soon as it is committed', async () => {
    await enrollOne(3);
    await waitFor(async () => (await health()).sync.acked === 3, { what: 'the third enrollment acked without waiting for the poll', timeoutMs: 20_000 });
  }, 180_000);

  it('says what has been sent in "packets list", metadata only', async () => {
    let out = '';
    expect(await runCli(['packets', 'list', '--data-dir', dataDir, '--json'], { ...io, out: (t) => (out += t) })).toBe(0);
    const listed: unknown = JSON.parse(out);
    expect(listed).toMatchObject({ summary: { pending: 0, sent: 0, acked: 3 } });
  });

  it('refuses a receiver that is not the pinned one, and the reason is in health', async () => {
    proxy.set({ kind: 'forward', port: impostor.port });
    await enrollOne(4);
    const h = await waitForValue(async () => {
      const body = await health();
      return /not the pinned one/.test(body.sync.lastError?.message ?? '') ? body : undefined;
    }, { what: 'the pin refusal in /healthz', timeoutMs: 20_000 });
    expect(h.sync.pending).toBe(1);
    expect(await impostor.store.has((await kiosk.store.outbox.list()).at(-1)?.id ?? '')).toBe(false);
  }, 180_000);
});
