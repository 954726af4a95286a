import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { MRZ_VALID, QR_VALID } from '../../fixtures/documents/samples';
import { failFast } from '../../helpers/fail-fast';
import { backToAttract, healthzAlerts, healthzCamera, simPost, viewWhere, walkTo } from '../../helpers/kiosk-walk';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor } from '../../helpers/wait-for';

/**
 * The camera's cable pulled and plugged back on a whole kiosk (simulated devices, the real
 * supervisors and statechart): the citizen is told at once, with a way out, and the camera is
 * back in service after the replug. How fast is measured by `npm run bench -- camera`.
 */

let kiosk: RunningKiosk;
let dataDir: string;
let central: TestCentral;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-camera-unplug-'));
  central = await makeTestCentral();
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, abandonedScreenMs: 200, faceCountdownSeconds: 0 },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast });
}, 180_000);

afterAll(async () => {
  await kiosk?.stop();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const isPhoto = (phase: string) => (v: { screen: { name: string } & Record<string, unknown> }) => v.screen.name === 'face' && v.screen['phase'] === phase;

async function plugBackAndWaitReady(): Promise<void> {
  await simPost(kiosk, 'camera', { replug: true });
  await waitFor(async () => (await healthzCamera(kiosk)).state === 'ready', { what: 'the camera to be ready again after the replug', timeoutMs: 30_000 });
}

describe('the camera unplugged and plugged back', () => {
  it('during the photo: the camera-fault screen with its way out, then after the replug "Take again" gives a photo', async () => {
    await walkTo(kiosk, { lang: 'vi', card: QR_VALID, until: isPhoto('live') });
    await simPost(kiosk, 'camera', { unplug: true });
    const fault = await viewWhere(kiosk, isPhoto('fault'), 'the camera-fault screen', 30_000);
    expect(fault.lang).toBe('vi');
    expect((await healthzCamera(kiosk)).detail).toMatch(/unplugged/);
    // The fault screen says staff have been told: they have, in /healthz (and the ops console).
    await waitFor(async () => (await healthzAlerts(kiosk)).some((a) => a.device === 'camera' && ['fault', 'disconnected'].includes(a.status)), { what: 'a staff alert: the camera disconnected' });

    await plugBackAndWaitReady();
    kiosk.runtime.send({ type: 'FACE_RETAKE' });
    await viewWhere(kiosk, isPhoto('captured'), 'a photo after the replug', 60_000);
    // The fault did not use up one of the citizen's photos.
    const s = kiosk.runtime.view().screen;
    expect(s.name === 'face' ? s.attempt : undefined).toBe(1);
  }, 240_000);

  it('"Take again" pressed while the camera is still out shows the fault again at once, not a silent preview', async () => {
    await walkTo(kiosk, { lang: 'en', card: MRZ_VALID, until: isPhoto('live') });
    await simPost(kiosk, 'camera', { unplug: true });
    await viewWhere(kiosk, isPhoto('fault'), 'the camera-fault screen', 30_000);
    await waitFor(async () => (await healthzCamera(kiosk)).state !== 'ready', { what: 'the kiosk to know the camera is out' });
    kiosk.runtime.send({ type: 'FACE_RETAKE' });
    await viewWhere(kiosk, isPhoto('fault'), 'the fault again', 30_000);
    await plugBackAndWaitReady();
    kiosk.runtime.send({ type: 'FACE_RETAKE' });
    await viewWhere(kiosk, isPhoto('captured'), 'a photo after the replug', 60_000);
  }, 240_000);

  it('before the photo step (during the fingers): the photo step opens on the camera fault, and works after the replug', async () => {
    await walkTo(kiosk, { lang: 'en', card: QR_VALID, until: (v) => v.screen.name === 'fingerprints' });
    await simPost(kiosk, 'camera', { unplug: true });
    const first = await walkTo(kiosk, { lang: 'en', card: QR_VALID, until: (v) => v.screen.name === 'face', goOn: true });
    expect(first.screen).toMatchObject({ name: 'face', phase: 'fault' });
    await plugBackAndWaitReady();
    kiosk.runtime.send({ type: 'FACE_RETAKE' });
    await viewWhere(kiosk, isPhoto('captured'), 'a photo after the replug', 60_000);
  }, 240_000);

  it('with no one at the kiosk: out of service while the camera is out, the start screen again after the replug', async () => {
    await backToAttract(kiosk);
    await simPost(kiosk, 'camera', { unplug: true });
    const out = await viewWhere(kiosk, (v) => v.screen.name === 'out-of-service', 'the out-of-service screen', 30_000);
    expect(out.screen.name === 'out-of-service' && out.screen.devices.some((d) => d.kind === 'camera')).toBe(true);
    await plugBackAndWaitReady();
    await viewWhere(kiosk, (v) => v.screen.name === 'attract', 'the start screen again', 30_000);
  }, 120_000);
});
