import { describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_EMPTY_OLD_ID, QR_VALID } from '../../../../fixtures/documents/samples';
import { recordingLog } from '../../../../helpers/device-log';
import { FakeHidDevice, keyboardReports, posReports } from '../../../../helpers/fake-hid-device';
import { HidDocumentScanner, type HidScannerMode } from '../../../../../drivers/document/hid/driver';

async function start(mode: HidScannerMode) {
  const device = new FakeHidDevice();
  // The idle gap ends a code; 300 ms, so a loaded CI machine's pause between two reports of one
  // code is not taken for the end of it (a real scanner sends a code's reports within a few ms).
  const scanner = new HidDocumentScanner({ mode, idleGapMs: 300, log: recordingLog(), openDevice: async () => ({ kind: 'open', device }) });
  expect((await scanner.open()).state).toBe('ready');
  return { device, scanner };
}

describe('HID scanner driver against a fake device', () => {
  it('keyboard wedge: reads a Vietnamese QR typed with Alt codes', async () => {
    const { device, scanner } = await start({ kind: 'keyboard' });
    const reading = scanner.read({ waitMs: 2000 });
    await device.emitReports(keyboardReports(QR_VALID));
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
    await scanner.close();
  });

  it('HID-POS: reads a QR and then an MRZ', async () => {
    const { device, scanner } = await start({ kind: 'pos' });
    const first = scanner.read({ waitMs: 2000 });
    await device.emitReports(posReports(QR_EMPTY_OLD_ID), 1);
    expect(await first).toEqual({ kind: 'text', text: QR_EMPTY_OLD_ID });
    const second = scanner.read({ waitMs: 2000 });
    await device.emitReports(posReports(MRZ_VALID.replace(/\n/g, '\r')));
    // One HID-POS message with the scanner's CRs between the lines, as the scanner sent it.
    expect(await second).toEqual({ kind: 'text', text: MRZ_VALID.replace(/\n/g, '\r') });
    await scanner.close();
  });

  it('HID-POS: a code cut off mid-way is reported after the idle gap', async () => {
    const { device, scanner } = await start({ kind: 'pos' });
    const reading = scanner.read({ waitMs: 2000 });
    await device.emitReports(posReports(QR_VALID).slice(0, 1));
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'protocol' });
    await scanner.close();
  });

  it('an unplugged device fails the read and goes disconnected', async () => {
    const { device, scanner } = await start({ kind: 'pos' });
    const reading = scanner.read({ waitMs: 2000 });
    device.unplug();
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect(scanner.status().state).toBe('disconnected');
  });

  it('a device that cannot be opened puts the scanner in fault with the reason', async () => {
    const scanner = new HidDocumentScanner({
      mode: { kind: 'pos' },
      idleGapMs: 40,
      log: recordingLog(),
      openDevice: async () => ({ kind: 'error', unplugged: true, message: 'no such device 0c2e:0b61' }),
    });
    expect(await scanner.open()).toMatchObject({ state: 'fault', detail: 'no such device 0c2e:0b61' });
    expect(await scanner.read({ waitMs: 10 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
  });

  it('close releases the device', async () => {
    const { device, scanner } = await start({ kind: 'keyboard' });
    await scanner.close();
    expect(device.closed).toBe(true);
    expect(scanner.status().state).toBe('disconnected');
  });
});

