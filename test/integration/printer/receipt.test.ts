/**
 * The kiosk's own receipt (controller/receipt) through the real ESC/POS driver to the printer
 * simulator, drawn as the PNG a technician looks at: test/artifacts/receipt-vi*.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../controller/receipt/receipt';
import { createSimulatedPrinter, type SimulatedPrinter } from '../../../drivers/printer/escpos/simulated';
import { recordingLog } from '../../helpers/device-log';

const receipt = buildReceipt({
  trackingCode: 'K7Q-4MX-92P',
  at: new Date('2025-03-14T02:41:00Z'),
  kioskId: 'KIOSK-045-01',
  fullName: 'Nguyễn Thị Ánh Tuyết',
  idNumber: '045301012345',
  language: 'vi',
});

const made: SimulatedPrinter[] = [];
afterEach(async () => {
  for (const m of made.splice(0)) await m.printer.close();
});

describe('the kiosk receipt on the simulated printer', () => {
  it.each([
    [58, 'raster', 'receipt-vi.png'],
    [80, 'codepage', 'receipt-vi-codepage.png'],
  ] as const)('prints on %i mm paper in %s mode and is drawn as %s', async (paper, vietnamese, file) => {
    const s = createSimulatedPrinter({ paper, vietnamese, log: recordingLog() });
    made.push(s);
    await s.printer.open();
    expect(await s.printer.print(receipt)).toEqual({ kind: 'printed' });
    const png = await s.sim.lastReceiptPng();
    if (png === undefined) throw new Error('the simulator drew nothing');
    const meta = await sharp(png).metadata();
    expect(meta.width).toBe(paper === 58 ? 384 : 576);
    mkdirSync('test/artifacts', { recursive: true });
    writeFileSync(`test/artifacts/${file}`, png);
  });
});
