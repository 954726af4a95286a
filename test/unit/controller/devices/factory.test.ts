/**
 * The simulated devices as the kiosk builds them from config, played through the controls that
 * /api/sim exposes (issue #13): every simulator's cable can be pulled and stays out until it is
 * plugged back in, and the scanner can be simulated as a serial, keyboard-wedge or HID-POS one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { configSchema } from '../../../../controller/config/schema';
import { buildDevices, type BuiltDevices } from '../../../../controller/devices/factory';
import { simRequests } from '../../../../controller/devices/sim-controls';
import { QR_VALID } from '../../../fixtures/documents/samples';

const built: BuiltDevices[] = [];
afterEach(async () => {
  for (const b of built.splice(0)) await Promise.all(Object.values(b.devices).map((d) => d.close()));
});

async function build(devices: Record<string, unknown> = {}): Promise<BuiltDevices> {
  const config = configSchema.parse({ devices, simulation: { realisticTiming: false } });
  const b = await buildDevices(config, pino({ level: 'silent' }));
  built.push(b);
  return b;
}

const controls = (b: BuiltDevices) => {
  if (!b.sim) throw new Error('no simulators were built');
  return b.sim;
};

describe('the simulators behind /api/sim', () => {
  it('accept an unplug and a replug for the fingerprint module and the scanner', () => {
    expect(simRequests.fingerprint.parse({ unplug: true })).toEqual({ unplug: true });
    expect(simRequests.fingerprint.parse({ replug: true })).toEqual({ replug: true });
    expect(simRequests.document.parse({ unplug: true })).toEqual({ unplug: true });
    expect(simRequests.document.parse({ replug: true })).toEqual({ replug: true });
    // The old requests still mean what they meant.
    expect(simRequests.fingerprint.parse({ unplugMidUpload: true })).toEqual({ unplugMidUpload: true });
    expect(simRequests.document.parse({ present: 'x' })).toEqual({ present: 'x' });
  });

  it('the fingerprint module: an unplug lasts until the replug', async () => {
    const b = await build();
    const sensor = b.devices.fingerprint;
    expect((await sensor.open()).state).toBe('ready');
    await controls(b).fingerprint?.({ unplug: true });
    expect(await sensor.capture({ waitMs: 500 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect((await sensor.open()).state).toBe('fault');
    expect((await sensor.open()).state).toBe('fault');
    await controls(b).fingerprint?.({ replug: true });
    expect((await sensor.open()).state).toBe('ready');
    expect((await sensor.capture({ waitMs: 2000 })).kind).toBe('image');
  });

  it('the fingerprint module pulled mid-upload can be plugged back in', async () => {
    const b = await build();
    const sensor = b.devices.fingerprint;
    await sensor.open();
    await controls(b).fingerprint?.({ unplugMidUpload: true });
    expect(await sensor.capture({ waitMs: 2000 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect((await sensor.open()).state).toBe('fault');
    await controls(b).fingerprint?.({ replug: true });
    expect((await sensor.open()).state).toBe('ready');
  });

  it.each(['serial', 'hid-keyboard', 'hid-pos'] as const)('the %s scanner: an unplug lasts until the replug', async (kind) => {
    const b = await build({ document: { driver: 'sim', interface: kind } });
    const scanner = b.devices.document;
    expect((await scanner.open()).state).toBe('ready');
    const reading = scanner.read({ waitMs: 3000 });
    await controls(b).document?.({ present: QR_VALID });
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });

    const waiting = scanner.read({ waitMs: 3000 });
    await controls(b).document?.({ unplug: true });
    expect(await waiting).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect((await scanner.open()).state).toBe('fault');
    expect(await scanner.read({ waitMs: 10 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    await controls(b).document?.({ replug: true });
    expect((await scanner.open()).state).toBe('ready');
    const again = scanner.read({ waitMs: 3000 });
    await controls(b).document?.({ present: QR_VALID });
    expect(await again).toEqual({ kind: 'text', text: QR_VALID });
  });

  it.each(['hid-keyboard', 'hid-pos'] as const)('the %s scanner reports garbage and a half-read code as unreadable scans', async (kind) => {
    const b = await build({ document: { driver: 'sim', interface: kind } });
    const scanner = b.devices.document;
    await scanner.open();
    const garbage = scanner.read({ waitMs: 3000 });
    await controls(b).document?.({ garbage: true });
    expect(await garbage).toMatchObject({ kind: 'fault', reason: 'protocol' });
    const half = scanner.read({ waitMs: 3000 });
    await controls(b).document?.({ half: QR_VALID });
    expect(await half).toMatchObject({ kind: 'fault', reason: 'protocol' });
  });
});
