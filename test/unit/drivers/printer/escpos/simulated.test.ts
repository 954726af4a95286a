import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { Receipt, ReceiptPrinter } from '../../../../../drivers/types';
import { recordingLog } from '../../../../helpers/device-log';
import { waitFor } from '../../../../helpers/wait-for';
import { createSimulatedPrinter, type SimulatedPrinter } from '../../../../../drivers/printer/escpos/simulated';
import { SIM_KEPT_RECEIPTS, SIM_KEPT_TRANSCRIPT_LINES } from '../../../../../drivers/printer/escpos/sim';

/** A receipt like the kiosk's: a large bold title, Vietnamese lines, rules, a QR code. */
const receipt: Receipt = {
  lines: [
    { text: 'GIẤY BIÊN NHẬN HỒ SƠ', align: 'center', bold: true, size: 'large' },
    { text: 'Application receipt', align: 'center' },
    { text: '------------------------', align: 'center' },
    { text: 'K7Q-4MX-92P', align: 'center', bold: true, size: 'large' },
    { text: 'Thời gian / Time: 14/03/2025 09:41' },
    { text: 'Họ tên / Name: Nguyễn Thị Ánh Tuyết' },
    { text: 'Số định danh / ID: ********2345' },
    { text: 'Tiếp theo: hồ sơ của bạn đã được gửi đến cơ quan Công an để xét duyệt.' },
    { text: 'Next: your application has been sent to the police for review.' },
  ],
  qr: 'K7Q-4MX-92P',
};

const opened: ReceiptPrinter[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.close();
});
async function setup(o: Omit<Parameters<typeof createSimulatedPrinter>[0], 'log'>): Promise<SimulatedPrinter> {
  const s = createSimulatedPrinter({ log: recordingLog(), ...o });
  opened.push(s.printer);
  await s.printer.open();
  return s;
}

/** The PNG's pixels, and which rows carry ink. */
async function page(png: Uint8Array): Promise<{ width: number; height: number; inkRows: boolean[]; inked: number }> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const inkRows: boolean[] = [];
  let inked = 0;
  for (let y = 0; y < info.height; y++) {
    let row = false;
    for (let x = 0; x < info.width; x++) {
      if ((data[y * info.width + x] ?? 255) < 128) {
        row = true;
        inked++;
      }
    }
    inkRows.push(row);
  }
  return { width: info.width, height: info.height, inkRows, inked };
}

/** Runs of inked rows separated by blank paper: one per printed line, one for the QR. */
const bands = (rows: readonly boolean[]): number => rows.filter((ink, y) => ink && !rows[y - 1]).length;

describe('ESC/POS driver against the simulator over the simulated wire', () => {
  it('opens ready and reads ready', async () => {
    const { printer } = await setup({});
    expect(printer.status().state).toBe('ready');
    expect(await printer.readStatus()).toEqual({ kind: 'ready' });
  });

  it.each([
    [{ paperOut: true }, 'paper-out'],
    [{ paperLow: true }, 'paper-low'],
    [{ coverOpen: true }, 'cover-open'],
  ] as const)('reads %o as %s', async (knobs, kind) => {
    const { printer } = await setup({ knobs });
    expect((await printer.readStatus()).kind).toBe(kind);
  });

  it('prints a receipt and the simulator sees it cut', async () => {
    const { printer, sim } = await setup({ vietnamese: 'codepage' });
    expect(await printer.print(receipt)).toEqual({ kind: 'printed' });
    expect(sim.transcript()).toContain('Họ tên / Name: Nguyễn Thị Ánh Tuyết');
    expect(sim.receipts()).toHaveLength(1);
    expect(sim.receipts()[0]?.complete).toBe(true);
  });

  it('tells a listener of each receipt it cuts, with the text of its QR code (what its program prints as an event)', async () => {
    const { printer, sim } = await setup({});
    const heard: Array<{ complete: boolean; qr: readonly string[] | undefined }> = [];
    const stop = sim.onReceipt((r) => heard.push({ complete: r.complete, qr: r.qr }));
    expect(await printer.print(receipt)).toEqual({ kind: 'printed' });
    expect(await printer.print({ ...receipt, qr: 'ABC-DEF-123' })).toEqual({ kind: 'printed' });
    stop();
    expect(await printer.print(receipt)).toEqual({ kind: 'printed' });
    expect(heard).toEqual([
      { complete: true, qr: ['K7Q-4MX-92P'] },
      { complete: true, qr: ['ABC-DEF-123'] },
    ]);
  });

  it('keeps only the last few receipts and transcript lines, so a day of printing does not grow the kiosk (issue #14: RSS)', async () => {
    const { printer, sim } = await setup({ vietnamese: 'codepage' });
    for (let i = 0; i < SIM_KEPT_RECEIPTS + 3; i++) {
      // A marker first, then enough lines that the transcript outgrows its bound.
      const filler = Array.from({ length: 40 }, (_, n) => ({ text: `line ${n}` }));
      expect(await printer.print({ ...receipt, lines: [{ text: `#${i}` }, ...receipt.lines, ...filler] })).toEqual({ kind: 'printed' });
    }
    expect(sim.receipts()).toHaveLength(SIM_KEPT_RECEIPTS);
    expect(sim.transcript()).toContain(`#${SIM_KEPT_RECEIPTS + 2}`);
    expect(sim.transcript()).not.toContain('#0\n');
    expect(sim.transcript().split('\n').length).toBeLessThanOrEqual(SIM_KEPT_TRANSCRIPT_LINES);
  });

  it('does not print when the paper is out before the job', async () => {
    const { printer, sim } = await setup({ knobs: { paperOut: true } });
    expect(await printer.print(receipt)).toEqual({ kind: 'not-printed', status: { kind: 'paper-out' } });
    expect(sim.transcript()).not.toContain('[init]');
  });

  it('reports not-printed when the paper runs out mid-print', async () => {
    const { printer, sim } = await setup({ knobs: { paperOutAfterBytes: 5000 } });
    expect(await printer.print(receipt)).toEqual({ kind: 'not-printed', status: { kind: 'paper-out' } });
    expect(sim.transcript()).toContain('[paper out]');
    expect(sim.receipts()[0]?.complete).toBe(false);
    expect(printer.status().state).toBe('fault');
  });

  it('calls a silent printer offline', async () => {
    const { printer, sim } = await setup({ statusTimeoutMs: 100 });
    sim.set({ offline: true });
    expect(await printer.readStatus()).toEqual({ kind: 'offline' });
    expect(await printer.print(receipt)).toEqual({ kind: 'not-printed', status: { kind: 'offline' } });
  });

  it('reports an unplugged printer, and opens again once it is plugged back in', async () => {
    const { printer, link } = await setup({});
    // The supervisor asks whether it is there, to tell a pulled cable (disconnected) from a fault.
    await expect(printer.present?.()).resolves.toBe(true);
    link.unplug();
    await waitFor(() => printer.status().state === 'disconnected', { what: 'the printer to notice the pulled cable' });
    expect(printer.status().detail).toMatch(/disappeared/);
    await expect(printer.present?.()).resolves.toBe(false);
    expect((await printer.open()).state).toBe('disconnected');
    link.replug();
    await expect(printer.present?.()).resolves.toBe(true);
    expect((await printer.open()).state).toBe('ready');
  });

  it('draws what it printed as a PNG: paper-wide, every line and the QR code in ink', async () => {
    for (const vietnamese of ['raster', 'codepage'] as const) {
      const { printer, sim } = await setup({ paper: 58, vietnamese });
      expect(await printer.print(receipt)).toEqual({ kind: 'printed' });
      const png = await sim.lastReceiptPng();
      if (png === undefined) throw new Error(`${vietnamese}: no PNG`);
      const p = await page(png);
      expect(p.width, vietnamese).toBe(384); // 58 mm paper, 8 dots a mm
      // Every line is a band of ink on its own (long lines wrap into more), and the QR is one more.
      expect(bands(p.inkRows), vietnamese).toBeGreaterThanOrEqual(receipt.lines.length + 1);
      // Ink, but not a black page: text and a QR cover a few percent of the paper.
      const coverage = p.inked / (p.width * p.height);
      expect(coverage, vietnamese).toBeGreaterThan(0.02);
      expect(coverage, vietnamese).toBeLessThan(0.5);
    }
  });
});
