import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedHidScanner } from '../../../../drivers/document/hid/simulated';
import { createSimulatedScanner } from '../../../../drivers/document/serial/simulated';
import { createSimulatedR30x } from '../../../../drivers/fingerprint/r30x/simulated';
import type { Device } from '../../../../drivers/types';
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

/**
 * Hot-plug (issue #13): a cable that stays out for a while has grown the backoff to many
 * seconds; plugging it back in must not wait for that. The supervisor watches for the port (the
 * device's `present()`) while the device is down, and tries again the moment it is back.
 */
type Cable = { readonly device: Device; readonly unplug: () => void; readonly replug: () => void };
const cables: Record<string, () => Cable> = {
  'fingerprint module': () => {
    const s = createSimulatedR30x({ realisticTiming: false, log: silentLog });
    return { device: s.sensor, unplug: () => s.link.unplug(), replug: () => s.link.replug() };
  },
  'serial scanner': () => {
    const s = createSimulatedScanner({ log: silentLog });
    return { device: s.scanner, unplug: () => s.link.unplug(), replug: () => s.link.replug() };
  },
  'HID-POS scanner': () => {
    const s = createSimulatedHidScanner({ mode: 'pos', log: silentLog });
    return { device: s.scanner, unplug: () => s.device.unplug(), replug: () => s.device.replug() };
  },
  'keyboard-wedge scanner': () => {
    const s = createSimulatedHidScanner({ mode: 'keyboard', log: silentLog });
    return { device: s.scanner, unplug: () => s.device.unplug(), replug: () => s.device.replug() };
  },
};

describe.each(Object.keys(cables))('the device supervisor and a %s whose cable is pulled', (name) => {
  const make = (): Cable => {
    const f = cables[name];
    if (!f) throw new Error(name);
    return f();
  };

  it('says disconnected while the cable is out, however many reopens fail', async () => {
    const cable = make();
    ref = startSupervisor(cable.device, { minBackoffMs: 20, maxBackoffMs: 40 });
    const r = ref;
    await waitFor(() => supervisedState(r) === 'ready', { what: `the ${name} to come up` });
    cable.unplug();
    await waitFor(() => r.getSnapshot().context.failures >= 3, { what: 'repeated failed reopens while unplugged' });
    await waitFor(() => supervisedState(r) === 'disconnected', { what: `the ${name} to be reported disconnected` });
    cable.replug();
    await waitFor(() => supervisedState(r) === 'ready', { what: `the ${name} to come back` });
  });

  it('goes ready again soon after the replug, without waiting out a long backoff', async () => {
    const cable = make();
    // The first failed reopen already waits 60 s: only noticing the port come back helps here.
    ref = startSupervisor(cable.device, { minBackoffMs: 60_000, maxBackoffMs: 60_000 });
    const r = ref;
    await waitFor(() => supervisedState(r) === 'ready', { what: `the ${name} to come up` });
    cable.unplug();
    await waitFor(() => supervisedState(r) !== 'ready', { what: 'the supervisor to see the unplug' });
    cable.replug();
    await waitFor(() => supervisedState(r) === 'ready', { what: `the ${name} to come back after the replug`, timeoutMs: 10_000 });
  });
});
