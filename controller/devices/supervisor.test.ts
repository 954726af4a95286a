import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedR30x } from '../../drivers/fingerprint/r30x/simulated';
import { backoffMs, startSupervisor, supervisedState, type SupervisorRef } from './supervisor';

let ref: SupervisorRef | undefined;
afterEach(() => {
  ref?.send({ type: 'STOP' });
  ref = undefined;
});

const until = async (pred: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the device supervisor', () => {
  it('backs off exponentially between reconnects, up to a ceiling', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, 500, 4000))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('brings a fingerprint module that was unplugged mid-upload back to ready after it is plugged in again', async () => {
    const sim = createSimulatedR30x({ realisticTiming: false });
    ref = startSupervisor(sim.sensor, { minBackoffMs: 50, maxBackoffMs: 200 });
    const r = ref;
    await until(() => supervisedState(r) === 'ready');

    // The cable comes out while the image is on its way: the capture ends in a fault, not a hang.
    sim.sim.knobs.unplugAfterDataPackets = 5;
    const result = await sim.sensor.capture({ waitMs: 2000 });
    expect(result).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    await until(() => supervisedState(r) !== 'ready');

    // While it is out, the supervisor keeps trying (and failing) to reopen it.
    await new Promise((res) => setTimeout(res, 300));
    expect(supervisedState(r)).not.toBe('ready');
    expect(r.getSnapshot().context.failures).toBeGreaterThanOrEqual(2);

    sim.link.replug();
    await until(() => supervisedState(r) === 'ready');
    expect(r.getSnapshot().context.failures).toBe(0);
    const again = await sim.sensor.capture({ waitMs: 2000 });
    expect(again.kind).toBe('image');
  });
});
