/**
 * The ESC/POS driver through a real tty: the printer simulator on the far end of a socat pty
 * pair (real termios, real chunking), or, with TEST_PRINTER_PORT set, a real printer on that
 * port (TEST_PRINTER_BAUD, default 115200).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../controller/receipt/receipt';
import { EscPosPrinter } from '../../../drivers/printer/escpos/driver';
import { EscPosSim } from '../../../drivers/printer/escpos/sim';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { recordingLog } from '../../helpers/device-log';
import { PtyPair, realPort } from '../../helpers/pty-pair';

const receipt = buildReceipt({
  trackingCode: 'K7Q-4MX-92P',
  at: new Date('2025-03-14T02:41:00Z'),
  kioskId: 'KIOSK-045-01',
  fullName: 'Trần Đức Hưởng',
  idNumber: '045301012345',
  language: 'vi',
});

const real = realPort('TEST_PRINTER_PORT', 115200);

describe.runIf(real === undefined)('ESC/POS driver over a socat pty pair', () => {
  const pty = new PtyPair();
  const sim = new EscPosSim(80);
  let served: Served | undefined;
  let printer: EscPosPrinter | undefined;

  beforeAll(async () => {
    await pty.start();
    served = await serveOnTty(sim, { path: pty.device, baudRate: 115200 });
    if (served.kind === 'error') throw new Error(served.message);
    printer = new EscPosPrinter({ port: { path: pty.host, baudRate: 115200 }, log: recordingLog(), encode: { paper: 80, vietnamese: 'raster' }, statusTimeoutMs: 300 });
    await printer.open();
  });

  afterAll(async () => {
    await printer?.close();
    if (served?.kind === 'serving') await served.close();
    await pty.dispose();
  });

  const dev = () => {
    if (printer === undefined) throw new Error('printer not opened');
    return printer;
  };

  it('reads each status from the DLE EOT replies', async () => {
    const cases = [
      [{ paperOut: false, paperLow: false, coverOpen: false }, 'ready'],
      [{ paperOut: true }, 'paper-out'],
      [{ paperOut: false, paperLow: true }, 'paper-low'],
      [{ paperLow: false, coverOpen: true }, 'cover-open'],
    ] as const;
    for (const [knobs, kind] of cases) {
      sim.set(knobs);
      expect((await dev().readStatus()).kind).toBe(kind);
    }
    sim.set({ coverOpen: false });
  });

  it('prints a receipt', async () => {
    sim.reset();
    expect(await dev().print(receipt)).toEqual({ kind: 'printed' });
    expect(sim.transcript()).toContain('[cut partial]');
  });

  it('reports paper out mid-print', async () => {
    sim.reset();
    sim.set({ paperOutAfterBytes: 8000 });
    expect(await dev().print(receipt)).toEqual({ kind: 'not-printed', status: { kind: 'paper-out' } });
    expect(sim.transcript()).toContain('[paper out]');
    sim.set({ paperOut: false, paperOutAfterBytes: undefined });
    sim.reset();
  });

  it('calls a printer that does not answer offline', async () => {
    sim.set({ offline: true });
    expect(await dev().readStatus()).toEqual({ kind: 'offline' });
    sim.set({ offline: false });
  });
});

describe.runIf(real !== undefined)('ESC/POS driver on the real printer at $TEST_PRINTER_PORT', () => {
  it('opens, reads a status the kiosk can act on, and prints the kiosk receipt', async () => {
    if (real === undefined) return;
    const printer = new EscPosPrinter({ port: real, log: recordingLog(), encode: { paper: 80, vietnamese: 'raster' } });
    try {
      const opened = await printer.open();
      expect(opened.state, opened.detail).toBe('ready');
      expect(['ready', 'paper-low']).toContain((await printer.readStatus()).kind);
      expect(await printer.print(receipt)).toEqual({ kind: 'printed' });
    } finally {
      await printer.close();
    }
  });
});
