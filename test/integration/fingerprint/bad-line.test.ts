/**
 * Issue #13: 10 MB of garbage down the fingerprint module's line, over the simulated wire and
 * over a socat pty: the driver stays ready, the line holds a bounded amount (the decoder's
 * working buffer, the replies nobody read), and the next capture reads a good image.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { R30xDriver } from '../../../drivers/fingerprint/r30x/driver';
import { MAX_QUEUED_READS } from '../../../drivers/fingerprint/r30x/link';
import { R30xSim } from '../../../drivers/fingerprint/r30x/sim';
import { createSimulatedR30x, type SimulatedR30x } from '../../../drivers/fingerprint/r30x/simulated';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { recordingLog } from '../../helpers/device-log';
import { noise, TEN_MB } from '../../helpers/noise';
import { PtyPair } from '../../helpers/pty-pair';
import { waitFor } from '../../helpers/wait-for';

/** The decoder's working buffer and the unread replies may not grow past these, whatever comes. */
const MOST_DECODER_BUFFER = 16 * 1024;
const MOST_QUEUED_REPLIES = MAX_QUEUED_READS;

let sims: SimulatedR30x[] = [];
let pty: PtyPair | undefined;
let served: Served | undefined;
let driver: R30xDriver | undefined;
afterEach(async () => {
  for (const s of sims) await s.sensor.close();
  sims = [];
  await driver?.close();
  driver = undefined;
  if (served?.kind === 'serving') await served.close();
  served = undefined;
  await pty?.dispose();
  pty = undefined;
});

async function survives(d: R30xDriver, sim: R30xSim): Promise<void> {
  const before = d.lineStats().bytesIn;
  await sim.sendRaw(noise(TEN_MB), 65_536);
  await waitFor(() => d.lineStats().bytesIn - before >= TEN_MB, { what: 'the 10 MB to reach the driver', timeoutMs: 60_000 });
  expect(d.status().state).toBe('ready');
  const stats = d.lineStats();
  expect(stats.peakDecoderBuffer).toBeLessThanOrEqual(MOST_DECODER_BUFFER);
  expect(stats.peakQueuedReplies).toBeLessThanOrEqual(MOST_QUEUED_REPLIES);
  expect((await d.capture({ waitMs: 3000 })).kind).toBe('image');
}

describe('the R30x driver and 10 MB of garbage on its line', () => {
  it('over the simulated wire: stays ready, holds a bounded amount, and captures afterwards', async () => {
    const s = createSimulatedR30x({ model: 'R503', log: recordingLog() });
    sims.push(s);
    await s.sensor.open();
    await survives(s.driver, s.sim);
  }, 120_000);

  it('over a socat pty: stays ready, holds a bounded amount, and captures afterwards', async () => {
    pty = new PtyPair();
    await pty.start();
    const p = pty;
    const sim = new R30xSim({ model: 'R307' });
    const s = await serveOnTty(sim, { path: p.device, baudRate: sim.baud, hostBaud: () => p.hostBaud() });
    if (s.kind === 'error') throw new Error(s.message);
    served = s;
    driver = new R30xDriver({ port: { path: p.host, baudRate: sim.baud }, log: recordingLog(), pollIntervalMs: 0 });
    expect((await driver.open()).state).toBe('ready');
    await survives(driver, sim);
  }, 120_000);
});
