import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../controller/receipt/receipt';
import { EscPosPrinter } from './driver';
import { serveSimOnPort } from './sim-serial';
import { openSerialTransport } from '../../serial/byte-transport';

// The driver and the simulator on two ends of a socat pty pair: real termios, real chunking.
const hasSocat = ['/usr/bin/socat', '/bin/socat'].some((p) => existsSync(p));
const receipt = buildReceipt({
  trackingCode: 'K7Q-4MX-92P',
  at: new Date('2025-03-14T02:41:00Z'),
  kioskId: 'KIOSK-045-01',
  fullName: 'Trần Đức Hưởng',
  idNumber: '045301012345',
  language: 'vi',
});

describe.runIf(hasSocat)('ESC/POS driver over a socat pty pair', () => {
  let dir = '';
  let socat: ChildProcess | undefined;
  let served: Awaited<ReturnType<typeof serveSimOnPort>> | undefined;
  let printer: EscPosPrinter | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'escpos-pty-'));
    const a = join(dir, 'A');
    const b = join(dir, 'B');
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++) await new Promise((r) => setTimeout(r, 20));
    served = await serveSimOnPort({ path: b, baudRate: 115200 });
    printer = new EscPosPrinter({
      where: `${a} at 115200 baud`,
      connect: () => openSerialTransport({ path: a, baudRate: 115200 }),
      encode: { paper: 80, vietnamese: 'raster' },
      statusTimeoutMs: 300,
    });
    await printer.open();
  });

  afterAll(async () => {
    await printer?.close();
    await served?.close();
    if (socat?.pid !== undefined) socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const sim = () => {
    if (served === undefined) throw new Error('simulator not started');
    return served.sim;
  };
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
      sim().set(knobs);
      expect((await dev().readStatus()).kind).toBe(kind);
    }
    sim().set({ coverOpen: false });
  });

  it('prints a receipt', async () => {
    sim().reset();
    expect(await dev().print(receipt)).toEqual({ kind: 'printed' });
    expect(sim().transcript()).toContain('[cut partial]');
  });

  it('reports paper out mid-print', async () => {
    sim().reset();
    sim().set({ paperOutAfterBytes: 8000 });
    expect(await dev().print(receipt)).toEqual({ kind: 'not-printed', status: { kind: 'paper-out' } });
    expect(sim().transcript()).toContain('[paper out]');
    sim().set({ paperOut: false, paperOutAfterBytes: undefined });
    sim().reset();
  });

  it('calls a printer that does not answer offline within the timeout', async () => {
    sim().set({ offline: true });
    const t0 = performance.now();
    expect(await dev().readStatus()).toEqual({ kind: 'offline' });
    expect(performance.now() - t0).toBeLessThan(1000);
    sim().set({ offline: false });
  });
});
