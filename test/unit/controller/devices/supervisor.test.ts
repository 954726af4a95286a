import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedR30x } from '../../../../drivers/fingerprint/r30x/simulated';
import { silentLog } from '../../../../drivers/log';
import { waitFor } from '../../../helpers/wait-for';
import { backoffMs, startSupervisor, supervisedState, type SupervisorRef } from '../../../../controller/devices/supervisor';

let ref: SupervisorRef | undefined;
afterEach(() => {
  ref?.send({ type: 'STOP' });
  ref = undefined;
});

describe('the device supervisor', () => {
  it('backs off exponentially between reconnects, up to a ceiling', () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffMs(n, 500, 4000))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('brings a fingerprint module that was unplugged mid-upload back to ready after it is plugged in again', async () => {
    const sim = createSimulatedR30x({ realisticTiming: false, log: silentLog });
    ref = startSupervisor(sim.sensor, { minBackoffMs: 50, maxBackoffMs: 200 });
    const r = ref;
    await waitFor(() => supervisedState(r) === 'ready', { what: 'the sensor to come up', timeoutMs: 10_000 });

    // The cable comes out while the image is on its way: the capture ends in a fault, not a hang.
    sim.sim.knobs.unplugAfterDataPackets = 5;
    const result = await sim.sensor.capture({ waitMs: 2000 });
    expect(result).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    await waitFor(() => supervisedState(r) !== 'ready', { what: 'the supervisor to see the fault' });

    // While it is out, the supervisor keeps trying (and failing) to reopen it.
    await waitFor(() => r.getSnapshot().context.failures >= 3, { what: 'repeated failed reopens while unplugged' });
    expect(supervisedState(r)).not.toBe('ready');

    sim.link.replug();
    await waitFor(() => supervisedState(r) === 'ready', { what: 'the sensor to come back after the replug', timeoutMs: 10_000 });
    expect(r.getSnapshot().context.failures).toBe(0);
    const again = await sim.sensor.capture({ waitMs: 2000 });
    expect(again.kind).toBe('image');
  });
});
