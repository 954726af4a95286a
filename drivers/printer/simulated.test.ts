import { mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../controller/receipt/receipt';
import type { ReceiptPrinter } from '../types';
import { createSimulatedPrinter } from './simulated';

const receipt = buildReceipt({
  trackingCode: 'K7Q-4MX-92P',
  at: new Date('2025-03-14T02:41:00Z'),
  kioskId: 'KIOSK-045-01',
  fullName: 'Nguyễn Thị Ánh Tuyết',
  idNumber: '045301012345',
  language: 'vi',
});

const opened: ReceiptPrinter[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.close();
});
async function setup(o: Parameters<typeof createSimulatedPrinter>[0]): Promise<ReturnType<typeof createSimulatedPrinter>> {
  const s = createSimulatedPrinter(o);
  opened.push(s.printer);
  await s.printer.open();
  return s;
}

describe('ESC/POS driver against the simulator over MockBinding', () => {
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
  it('calls a silent printer offline within the timeout', async () => {
    const { printer, sim } = await setup({ statusTimeoutMs: 100 });
    sim.set({ offline: true });
    const t0 = performance.now();
    expect(await printer.readStatus()).toEqual({ kind: 'offline' });
    expect(performance.now() - t0).toBeLessThan(400);
    expect(await printer.print(receipt)).toEqual({ kind: 'not-printed', status: { kind: 'offline' } });
  });
  it('draws a Vietnamese receipt as a PNG (test/artifacts/receipt-vi.png)', async () => {
    const { printer, sim } = await setup({ paper: 58 });
    expect(await printer.print(receipt)).toEqual({ kind: 'printed' });
    const png = await sim.lastReceiptPng();
    expect(png).toBeDefined();
    mkdirSync('test/artifacts', { recursive: true });
    if (png !== undefined) writeFileSync('test/artifacts/receipt-vi.png', png);
    const { printer: p2, sim: s2 } = await setup({ paper: 80, vietnamese: 'codepage' });
    await p2.print(receipt);
    const png2 = await s2.lastReceiptPng();
    if (png2 !== undefined) writeFileSync('test/artifacts/receipt-vi-codepage.png', png2);
  });
});
