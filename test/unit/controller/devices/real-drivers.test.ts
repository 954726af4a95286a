/**
 * The real scanner drivers as built from config (issue #13: HID-POS chosen from config), each
 * against the fake HID device (node-hid's seam; test/README.md): the real driver and codec read
 * the reports a scanner in that mode sends.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { configSchema } from '../../../../controller/config/schema';
import { realScanner } from '../../../../controller/devices/real-drivers';
import { FakeHidDevice, keyboardReports, posReports } from '../../../helpers/fake-hid-device';
import { MRZ_VALID, QR_VALID } from '../../../fixtures/documents/samples';

const log = pino({ level: 'silent' });

function scannerFrom(document: Record<string, unknown>) {
  const c = configSchema.parse({ devices: { document } }).devices.document;
  if (c.driver !== 'hid') throw new Error('not a HID scanner');
  const device = new FakeHidDevice();
  const opened: Array<[number, number]> = [];
  let plugged = true;
  const scanner = realScanner(c, log, {
    open: async (vid, pid) => {
      opened.push([vid, pid]);
      return plugged ? { kind: 'open', device } : { kind: 'error', unplugged: true, message: 'cannot open device' };
    },
    present: async () => plugged,
  });
  return { scanner, device, opened, unplug: () => (plugged = false) };
}

describe('a HID scanner built from config', () => {
  it('mode "pos": reads a Vietnamese QR sent as HID-POS reports, opening the configured ids', async () => {
    const { scanner, device, opened } = scannerFrom({ driver: 'hid', mode: 'pos', vendorId: '0c2e', productId: '0b61' });
    expect((await scanner.open()).state).toBe('ready');
    expect(opened).toEqual([[0x0c2e, 0x0b61]]);
    expect(scanner.status().driver).toBe('hid-pos:0c2e:0b61');
    const reading = scanner.read({ waitMs: 2000 });
    await device.emitReports(posReports(QR_VALID));
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
    const mrz = scanner.read({ waitMs: 2000 });
    await device.emitReports(posReports(MRZ_VALID));
    expect(await mrz).toEqual({ kind: 'text', text: MRZ_VALID });
    await scanner.close();
  });

  it('mode "pos" with another report layout: reads the reports laid out as configured', async () => {
    const { scanner, device } = scannerFrom({ driver: 'hid', mode: 'pos', vendorId: '05e0', productId: '1300', pos: { reportId: 4, lengthOffset: 2, dataOffset: 4, maxData: 56, moreFlagOffset: 63 } });
    await scanner.open();
    // The same message, moved: report ID 4, length at byte 2, data from byte 4.
    const moved = posReports(QR_VALID).map((r) => {
      const out = new Uint8Array(64);
      out[0] = 4;
      out[2] = r[1] ?? 0;
      out.set(r.subarray(2, 2 + (r[1] ?? 0)), 4);
      out[63] = r[63] ?? 0;
      return out;
    });
    const reading = scanner.read({ waitMs: 2000 });
    await device.emitReports(moved);
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
    await scanner.close();
  });

  it('no mode: a keyboard wedge, as before', async () => {
    const { scanner, device } = scannerFrom({ driver: 'hid', vendorId: 3118, productId: 2913 });
    await scanner.open();
    const reading = scanner.read({ waitMs: 2000 });
    await device.emitReports(keyboardReports(QR_VALID));
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
    await scanner.close();
  });

  it('says whether the scanner is on the bus, for hot-plug', async () => {
    const { scanner, unplug } = scannerFrom({ driver: 'hid', mode: 'pos', vendorId: '0c2e', productId: '0b61' });
    expect(await scanner.present?.()).toBe(true);
    unplug();
    expect(await scanner.present?.()).toBe(false);
    expect((await scanner.open()).state).toBe('fault');
  });
});
