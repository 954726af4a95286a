/**
 * From the scanner to the document parser: what the real scanner drivers deliver (serial over
 * the simulated wire, HID from the scanner's reports) is what controller/documents parses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseScan } from '../../../controller/documents/parse';
import { HidDocumentScanner } from '../../../drivers/document/hid/driver';
import { createSimulatedScanner } from '../../../drivers/document/serial/simulated';
import type { DocumentScanner } from '../../../drivers/types';
import { MRZ_VALID, QR_VALID } from '../../fixtures/documents/samples';
import { recordingLog } from '../../helpers/device-log';
import { FakeHidDevice, keyboardReports } from '../../helpers/fake-hid-device';

const open: DocumentScanner[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('a scan, parsed', () => {
  it('an MRZ read by a serial scanner (lines separated by CR) parses as a CCCD MRZ', async () => {
    const { scanner, sim } = createSimulatedScanner({ log: recordingLog(), idleGapMs: 40 });
    open.push(scanner);
    await scanner.open();
    const reading = scanner.read({ waitMs: 2000 });
    await sim.present(MRZ_VALID);
    const result = await reading;
    if (result.kind !== 'text') throw new Error(`no scan: ${result.kind}`);
    expect(parseScan(result.text)).toMatchObject({ ok: true, document: { kind: 'cccd-mrz' } });
  });

  it('a QR typed by a keyboard-wedge scanner with Alt codes parses with its Vietnamese name', async () => {
    const device = new FakeHidDevice();
    const scanner = new HidDocumentScanner({ mode: { kind: 'keyboard' }, idleGapMs: 40, log: recordingLog(), openDevice: async () => ({ kind: 'open', device }) });
    open.push(scanner);
    await scanner.open();
    const reading = scanner.read({ waitMs: 2000 });
    await device.emitReports(keyboardReports(QR_VALID));
    const result = await reading;
    if (result.kind !== 'text') throw new Error(`no scan: ${result.kind}`);
    expect(parseScan(result.text)).toMatchObject({ ok: true, document: { fullName: 'Trần Thị Bích Ngọc' } });
  });
});
