import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { watchPrinter, type PrinterWatch } from '../../../../controller/devices/printer-watch';
import { createSimulatedPrinter, type SimulatedPrinter } from '../../../../drivers/printer/escpos/simulated';
import type { PrinterProblem } from '../../../../domain/kiosk-channel/view-model';
import { recordingLog } from '../../../helpers/device-log';
import { waitFor } from '../../../helpers/wait-for';

/** The watch on the real ESC/POS driver, against the printer simulator over the simulated wire. */

const log = pino({ level: 'silent' });
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function start(knobs: Parameters<typeof createSimulatedPrinter>[0]['knobs'] = {}): Promise<SimulatedPrinter & { watch: PrinterWatch; changes: Array<PrinterProblem | undefined> }> {
  const s = createSimulatedPrinter({ log: recordingLog(), knobs });
  cleanup.push(() => s.printer.close());
  await s.printer.open();
  const changes: Array<PrinterProblem | undefined> = [];
  const watch = watchPrinter(s.printer, { checkEveryMs: 20, log, onChange: (p) => changes.push(p) });
  cleanup.push(() => watch.stop());
  return { ...s, watch, changes };
}

const RECEIPT = { lines: [{ text: 'K7Q-4MX-92P' }] };

describe('the printer watch', () => {
  it('finds the paper out while the printer is idle, before anyone prints, and says so once', async () => {
    const p = await start();
    expect(p.watch.problem()).toBeUndefined();
    p.sim.set({ paperOut: true });
    await waitFor(() => p.changes.length > 0, { what: 'the watch to report the printer' });
    expect(p.changes).toEqual(['paper-out']);
    expect(p.watch.problem()).toBe('paper-out');
  });

  it('finds an open cover the same way', async () => {
    const p = await start();
    p.sim.set({ coverOpen: true });
    await waitFor(() => p.watch.problem() === 'cover-open', { what: 'the open cover' });
  });

  it('reports the printer fine again once it is back (reopened, as its supervisor does)', async () => {
    const p = await start();
    p.sim.set({ paperOut: true });
    await waitFor(() => p.watch.problem() === 'paper-out', { what: 'paper out' });
    p.sim.set({ paperOut: false });
    await p.printer.open();
    await waitFor(() => p.changes.at(-1) === undefined && p.changes.length === 2, { what: 'the printer back' });
    expect(p.watch.problem()).toBeUndefined();
  });

  it('learns why from a print that fails, through the printer it hands out', async () => {
    const p = await start();
    // A watch that checks rarely: only the print can tell it.
    p.watch.stop();
    const changes: Array<PrinterProblem | undefined> = [];
    const watch = watchPrinter(p.printer, { checkEveryMs: 60_000, log, onChange: (x) => changes.push(x) });
    cleanup.push(() => watch.stop());
    p.sim.set({ coverOpen: true });
    const r = await watch.printer.print(RECEIPT);
    expect(r).toMatchObject({ kind: 'not-printed', status: { kind: 'cover-open' } });
    await waitFor(() => changes.length > 0, { what: 'the report' });
    expect(changes).toEqual(['cover-open']);
  });

  it('a print while the printer is closed after running out of paper says out of paper, not "not responding"', async () => {
    const p = await start();
    p.sim.set({ paperOut: true });
    await waitFor(() => p.watch.problem() === 'paper-out', { what: 'paper out' });
    // Its supervisor closes it, to reopen it later.
    await p.printer.close();
    const r = await p.watch.printer.print(RECEIPT);
    expect(r).toEqual({ kind: 'not-printed', status: { kind: 'paper-out' } });
    expect(p.watch.problem()).toBe('paper-out');
    expect(p.changes).toEqual(['paper-out']);
  });

  it('calls a printer that went away without saying why not ready', async () => {
    const p = await start();
    p.link.unplug();
    await waitFor(() => p.watch.problem() === 'not-ready', { what: 'the unplugged printer' });
    expect(p.changes).toEqual(['not-ready']);
  });

  it('calls a printer that was down from the start not ready', async () => {
    const s = createSimulatedPrinter({ log: recordingLog(), knobs: { offline: true } });
    cleanup.push(() => s.printer.close());
    await s.printer.open();
    const changes: Array<PrinterProblem | undefined> = [];
    const watch = watchPrinter(s.printer, { checkEveryMs: 20, log, onChange: (x) => changes.push(x) });
    cleanup.push(() => watch.stop());
    await waitFor(() => changes.length > 0, { what: 'the report' });
    expect(changes).toEqual(['not-ready']);
  });
});
