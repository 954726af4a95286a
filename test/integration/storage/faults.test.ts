import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { createFaceDetector, type FaceDetector } from '../../../controller/capture/face-detector';
import { simulate } from '../../../controller/cli/simulate';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { loadOrCreateKioskKeys } from '../../../controller/packet/keys';
import { openStore } from '../../../controller/store/store';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';
import { failFast } from '../../helpers/fail-fast';
import { connectAsScreen } from '../../helpers/screen-client';
import { mountSmallDisk, type SmallDisk } from '../../helpers/small-disk';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor } from '../../helpers/wait-for';

/**
 * Issue #12, faults: "disk full or read-only → out of service before any biometric is taken,
 * never an acknowledgement of what was not committed". The whole kiosk with its data directory on
 * a real small filesystem (a tmpfs) that the test fills or remounts read-only.
 */

const MiB = 2 ** 20;
let central: TestCentral;
let detector: FaceDetector;
let disk: SmallDisk | undefined;
let kiosk: RunningKiosk | undefined;
let logged = '';

beforeAll(async () => {
  central = await makeTestCentral();
  detector = await createFaceDetector();
}, 120_000);
afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await disk?.writable().catch(() => undefined);
  await disk?.dispose();
  disk = undefined;
  logged = '';
});
afterAll(async () => {
  await central?.dispose();
});

async function startOn(dir: string, checkIntervalMs: number): Promise<RunningKiosk> {
  const config = configSchema.parse({
    dataDir: dir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    storage: { minFreeMiB: 4, checkIntervalMs },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 2, doneTimeoutMs: 60_000 },
  });
  const journal = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged += chunk.toString('utf8');
      done();
    },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'info' }, journal), faceDetector: detector, onFatal: failFast });
  return kiosk;
}

/** A data directory that has been used before: keys and database made while there was room. */
async function usedDisk(sizeMiB = 48, kind: 'tmpfs' | 'ext4' = 'tmpfs'): Promise<SmallDisk> {
  disk = await mountSmallDisk(sizeMiB, kind);
  await loadOrCreateKioskKeys(disk.dir);
  await (await openStore(`${disk.dir}/kiosk.db`)).close();
  return disk;
}

const healthSchema = z.object({
  status: z.string(),
  devices: z.record(z.string(), z.object({ state: z.string() })),
  alerts: z.array(z.object({ device: z.string(), status: z.string() })),
  storage: z.object({ state: z.string(), problem: z.string().optional(), freeMiB: z.number().nullable(), minFreeMiB: z.number() }),
});
const health = async (k: RunningKiosk) => healthSchema.parse(await (await fetch(new URL('/healthz', k.url))).json());
const devicesUp = async (k: RunningKiosk) => Object.entries((await health(k)).devices).every(([name, d]) => name === 'gpio' || d.state === 'ready');

describe('a data directory that cannot take the next enrollment', () => {
  it('short of space at start: the kiosk starts out of service, says why in /healthz, takes no citizen, and comes back once there is room', async () => {
    const d = await usedDisk();
    await d.fill(1 * MiB); // below storage.minFreeMiB (4)
    const k = await startOn(d.dir, 200);
    await waitFor(() => devicesUp(k), { what: 'the simulated devices to connect', timeoutMs: 20_000 });
    const h = await health(k);
    expect(h.status).toBe('degraded');
    // It cannot serve a citizen: 503, so a load balancer or Prometheus's probe sees it (issue #14).
    expect((await fetch(new URL('/healthz', k.url))).status).toBe(503);
    expect(h.storage).toMatchObject({ state: 'fault', problem: 'low-space', minFreeMiB: 4 });
    expect(h.alerts).toContainEqual(expect.objectContaining({ device: 'storage', status: 'low-space' }));
    const screen = k.runtime.view().screen;
    if (screen.name !== 'out-of-service') throw new Error(`expected out of service, got ${screen.name}`);
    expect(screen.devices).toContainEqual({ kind: 'storage', state: 'fault' });
    expect(logged).toMatch(/below storage\.minFreeMiB/);

    const tab = await connectAsScreen(k.screenUrl);
    tab.send({ type: 'intent', intent: { type: 'START' } });
    await tab.next((m) => m.type === 'error' && m.code === 'not-allowed-now', 'START refused');
    expect(k.runtime.view().screen.name).toBe('out-of-service');
    tab.ws.close();

    await d.unfill();
    await waitFor(() => k.runtime.view().screen.name === 'attract', { what: 'the kiosk back in service once there is room', timeoutMs: 10_000 });
    expect((await health(k)).storage.state).toBe('ready');
    expect((await fetch(new URL('/healthz', k.url))).status).toBe(200);
  }, 120_000);

  it.each([
    ['fills up (below the free-space threshold)', 'tmpfs', 'low-space', (d: SmallDisk) => d.fill(1 * MiB)],
    ['fills up to the last byte', 'tmpfs', 'full', (d: SmallDisk) => d.fill(0)],
    ['goes read-only after an error (ext4, errors=remount-ro, as an SD card)', 'ext4', 'read-only', (d: SmallDisk) => d.readOnly()],
  ] as const)('that %s while the kiosk waits: the next START finds it, before the first screen of a session', async (_what, fs, problem, fault) => {
    const d = await usedDisk(48, fs);
    // Only the check before a session can find it: the periodic one is an hour away.
    const k = await startOn(d.dir, 3_600_000);
    await waitFor(() => k.runtime.view().screen.name === 'attract', { what: 'the start screen', timeoutMs: 20_000 });
    await fault(d);

    const seen: ViewModel[] = [];
    const off = k.runtime.onView((v) => seen.push(v));
    const tab = await connectAsScreen(k.screenUrl);
    tab.send({ type: 'intent', intent: { type: 'START' } });
    await waitFor(() => k.runtime.view().screen.name === 'out-of-service', { what: 'out of service', timeoutMs: 10_000 });
    off();
    tab.ws.close();
    // No session began: not one screen of the citizen's path was shown.
    expect(seen.map((v) => v.screen.name)).toEqual(['out-of-service']);
    expect((await health(k)).storage).toMatchObject({ state: 'fault', problem });
  }, 120_000);

  it('a commit that fails on a full disk: the submit-failed screen, no receipt, nothing stored; the citizen retries once there is room', async () => {
    const d = await usedDisk();
    const k = await startOn(d.dir, 3_600_000);
    await waitFor(() => k.runtime.view().screen.name === 'attract', { what: 'the start screen', timeoutMs: 20_000 });
    // The disk fills while the citizen reviews (after the check at START passed).
    const screens: string[] = [];
    let filled = false;
    const off = k.runtime.onView((v) => {
      screens.push(v.screen.name);
      if (v.screen.name === 'review' && !filled) {
        filled = true;
        d.fillSync(64 * 1024);
      }
    });
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    const run = await simulate({ citizens: 1, url: k.screenUrl, json: true, seed: 9, timeoutS: 90, realistic: false }, quiet);
    expect(filled).toBe(true);
    expect(run).toMatchObject({ completed: 0, failed: 1 });
    expect(run.failures[0]).toMatch(/submit failed/);
    // Never shown as done; nothing of the enrollment in the database.
    expect(screens).toContain('submit-failed');
    expect(screens).not.toContain('done');
    expect(await k.store.countEnrollments()).toBe(0);
    expect(await k.store.outboxDepth()).toBe(0);
    expect(logged).toMatch(/enrollment not committed/);
    expect(logged).toMatch(/SQLITE_FULL/);
    // The failed commit made the kiosk look at its disk: out of service for the next citizen.
    await waitFor(async () => (await health(k)).storage.state === 'fault', { what: 'the storage fault in /healthz' });

    // Room again: the citizen, still on the submit-failed screen with their data, retries.
    await d.unfill();
    const tab = await connectAsScreen(k.screenUrl);
    tab.send({ type: 'hello' });
    await tab.next((m) => m.type === 'view' && m.view.screen.name === 'submit-failed', 'the submit-failed screen');
    tab.send({ type: 'intent', intent: { type: 'SUBMIT_RETRY' } });
    await tab.next((m) => m.type === 'view' && m.view.screen.name === 'done', 'the receipt after the retry', 30_000);
    tab.ws.close();
    off();
    expect(await k.store.countEnrollments()).toBe(1);
    expect((await k.store.verifyAuditChain()).ok).toBe(true);
  }, 180_000);
});
