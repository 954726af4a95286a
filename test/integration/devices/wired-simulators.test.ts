/**
 * The kiosk with every simulator outside it, on the far end of a wire (test/helpers/wired-devices.ts):
 * the memory bench measures the kiosk this way (docs/memory.md), so this checks the setup
 * itself still takes a citizen to a receipt: the fingerprint module, the scanner, the printer and
 * the panel board as their sim-cli programs behind socat ptys, the camera as a camera program.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../controller/cli/simulate';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { failFast } from '../../helpers/fail-fast';
import { screenFetch } from '../../helpers/screen-client';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitForValue } from '../../helpers/wait-for';
import { startWiredDevices, type WiredDevices } from '../../helpers/wired-devices';

let wired: WiredDevices | undefined;
let kiosk: RunningKiosk | undefined;
let central: TestCentral | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  wired = await startWiredDevices();
  central = await makeTestCentral();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'wired-kiosk-'));
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 1, faceCountdownSeconds: 0, faceLivenessFrames: 3, idleTimeoutMs: 600_000 },
    devices: wired.devices,
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'silent' }), onFatal: failFast });
}, 120_000);

afterAll(async () => {
  await kiosk?.stop();
  await wired?.dispose();
  await central?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const health = z.object({ devices: z.record(z.string(), z.object({ state: z.string(), driver: z.string() })) });

describe('a kiosk whose simulators run outside it, on wires', () => {
  it('runs its real drivers, every device ready, and carries no simulator', async () => {
    const k = kiosk;
    if (!k) throw new Error('the kiosk did not start');
    const devices = await waitForValue(
      async () => {
        const h = health.parse(await (await fetch(new URL('/healthz', k.url))).json());
        return ['fingerprint', 'document', 'camera', 'printer', 'gpio'].every((d) => h.devices[d]?.state === 'ready') ? h.devices : undefined;
      },
      { what: 'every device ready in /healthz', timeoutMs: 30_000 },
    );
    for (const d of Object.values(devices)) expect(d.driver).not.toMatch(/sim/);
    // No simulator in the kiosk: no /api/sim to play the citizen through.
    const res = await screenFetch(k.screenUrl, '/api/sim/document', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"present":"x"}' });
    expect(res.status).toBe(404);
  });

  it('takes a simulated citizen to a receipt the printer program printed with the tracking code', async () => {
    const k = kiosk;
    const w = wired;
    if (!k || !w) throw new Error('the kiosk did not start');
    const io = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    const summary = await simulate({ citizens: 1, url: k.screenUrl, json: true, seed: 3, timeoutS: 120, realistic: false, atDevices: w.act }, io);
    expect(summary.failures).toEqual([]);
    expect(summary.completed).toBe(1);
    const code = summary.trackingCodes[0];
    await waitForValue(() => (w.receipts().length > 0 ? true : undefined), { what: 'the printer program to report a receipt', timeoutMs: 10_000 });
    expect(w.receipts()).toEqual([{ complete: true, qr: [code] }]);
  }, 180_000);
});
