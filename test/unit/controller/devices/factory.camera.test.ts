import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../../controller/config/schema';
import { buildDevices, type BuiltDevices } from '../../../../controller/devices/factory';
import { simRequests } from '../../../../controller/devices/sim-controls';
import { simApiHandler } from '../../../../controller/server/sim-api';
import { waitFor } from '../../../helpers/wait-for';

/** The simulated camera's cable, through the simulator controls and POST /api/sim/camera. */

let built: BuiltDevices | undefined;
let server: Server | undefined;
afterEach(async () => {
  await built?.devices.camera.close();
  built = undefined;
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function simulated(): Promise<BuiltDevices> {
  built = await buildDevices(configSchema.parse({ simulation: { realisticTiming: false } }), pino({ level: 'silent' }));
  return built;
}

async function serve(b: BuiltDevices): Promise<string> {
  const handler = simApiHandler(b.sim ?? {});
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const addr: AddressInfo | string | null | undefined = server?.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

const post = (base: string, body: unknown) => fetch(`${base}/api/sim/camera`, { method: 'POST', body: JSON.stringify(body) });

describe('the simulated camera’s controls', () => {
  it('accept a scene, a pull and a plug-back, one at a time', () => {
    expect(simRequests.camera.safeParse({ scenario: 'dark' }).success).toBe(true);
    expect(simRequests.camera.safeParse({ unplug: true }).success).toBe(true);
    expect(simRequests.camera.safeParse({ replug: true }).success).toBe(true);
    for (const bad of [{}, { unplug: false }, { unplug: true, replug: true }, { scenario: 'dark', unplug: true }, { scenario: 'upside-down' }]) {
      expect({ bad, ok: simRequests.camera.safeParse(bad).success }).toEqual({ bad, ok: false });
    }
  });

  it('pull the camera’s cable: the camera is in fault at once, and stays out until plugged back', async () => {
    const b = await simulated();
    const base = await serve(b);
    const cam = b.devices.camera;
    expect((await cam.open()).state).toBe('ready');
    expect((await post(base, { unplug: true })).status).toBe(200);
    expect(cam.status()).toMatchObject({ state: 'fault', detail: expect.stringMatching(/unplugged/) });
    await cam.close();
    expect((await cam.open()).state).toBe('fault');
    expect((await post(base, { replug: true })).status).toBe(200);
    await cam.close();
    expect((await cam.open()).state).toBe('ready');
  });

  it('still change the scene as before', async () => {
    const b = await simulated();
    const base = await serve(b);
    const cam = b.devices.camera;
    await cam.open();
    expect((await post(base, { scenario: 'stopped' })).status).toBe(200);
    await waitFor(() => cam.status().state === 'fault', { what: 'the stopped stream to be noticed', timeoutMs: 10_000 });
  });

  it('refuse a request that is neither, saying what it may be', async () => {
    const b = await simulated();
    const base = await serve(b);
    const res = await post(base, { unplug: 'yes' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/unplug/);
  });
});
