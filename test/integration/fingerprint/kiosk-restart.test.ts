/**
 * Issue #13, as a technician meets it: the kiosk, configured as shipped (`port.baud` 57600,
 * `raiseBaud` on), moves the module to 115,200 on its first start; the module keeps that rate in
 * flash; the kiosk is restarted, and must find the module again. The module is the simulator on
 * the far end of a socat pty pair, hearing the kiosk at the rate the kiosk's end is set to.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { Writable } from 'node:stream';
import path from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { R30xSim } from '../../../drivers/fingerprint/r30x/sim';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { failFast } from '../../helpers/fail-fast';
import { PtyPair } from '../../helpers/pty-pair';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitForValue } from '../../helpers/wait-for';

let pty: PtyPair;
let served: Served | undefined;
let central: TestCentral;
let dataDir: string;
const sim = new R30xSim({ model: 'R307' });

beforeAll(async () => {
  pty = new PtyPair();
  await pty.start();
  const p = pty;
  served = await serveOnTty(sim, { path: p.device, baudRate: sim.baud, hostBaud: () => p.hostBaud() });
  if (served.kind === 'error') throw new Error(served.message);
  central = await makeTestCentral();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-restart-'));
});

afterAll(async () => {
  if (served?.kind === 'serving') await served.close();
  await pty?.dispose();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const fingerprintHealth = z.object({ devices: z.object({ fingerprint: z.object({ state: z.string(), detail: z.string().optional() }) }) });

async function startOnce(): Promise<{ kiosk: RunningKiosk; logs: Array<Record<string, unknown>> }> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(z.record(z.string(), z.unknown()).parse(JSON.parse(line)));
      done();
    },
  });
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    devices: { fingerprint: { driver: 'r30x', port: { path: pty.host, baud: 57_600 }, raiseBaud: true } },
  });
  const kiosk = await startKiosk({ config, log: pino({ level: 'info' }, sink), onFatal: failFast });
  await waitForValue(
    async () => {
      const h = fingerprintHealth.parse(await (await fetch(new URL('/healthz', kiosk.url))).json());
      return h.devices.fingerprint.state === 'ready' ? h.devices.fingerprint : undefined;
    },
    { what: 'the fingerprint module ready in /healthz', timeoutMs: 20_000 },
  );
  return { kiosk, logs };
}

describe('a kiosk restarted after raiseBaud moved its fingerprint module to 115200', () => {
  it('finds the module at 115200 after the restart, and says where it found it', async () => {
    const first = await startOnce();
    expect(sim.baud).toBe(115_200);
    await first.kiosk.stop();

    const second = await startOnce();
    try {
      const found = second.logs.find((l) => l['device'] === 'fingerprint' && l['foundAt'] === 115_200);
      expect(found).toMatchObject({ configured: 57_600, msg: expect.stringMatching(/found at 115200 baud/) });
      const ready = second.logs.find((l) => l['device'] === 'fingerprint' && l['state'] === 'ready');
      expect(ready?.['detail']).toMatch(/at 115200 baud.*found at 115200 baud; configured 57600/);
    } finally {
      await second.kiosk.stop();
    }
  }, 180_000);
});
