import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_VALID } from '../../../test/fixtures/documents/samples';
import { SerialDocumentScanner } from './driver';
import { ScannerSim } from './sim';

/** The same driver over a real tty: a socat pty pair, the simulator on the far end. */
const hasSocat = spawnSync('socat', ['-V']).status === 0;

describe.skipIf(!hasSocat)('serial scanner driver over a socat pty pair', () => {
  let dir = '';
  let socat: ChildProcess | undefined;
  let far: SerialPort | undefined;
  let scanner: SerialDocumentScanner | undefined;
  let sim: ScannerSim | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cccd-scan-'));
    const near = join(dir, 'kiosk');
    const farPath = join(dir, 'scanner');
    socat = spawn('socat', [`pty,raw,echo=0,link=${near}`, `pty,raw,echo=0,link=${farPath}`], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(existsSync(near) && existsSync(farPath)); i++) await new Promise((r) => setTimeout(r, 20));
    const port = new SerialPort({ path: farPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    far = port;
    sim = new ScannerSim({
      suffix: 'CR',
      chunkBytes: 32,
      wire: (bytes) => new Promise<void>((resolve) => port.write(Buffer.from(bytes), () => port.drain(() => resolve()))),
    });
    scanner = new SerialDocumentScanner({ path: near, baudRate: 115200, suffix: 'CR', idleGapMs: 80 });
    expect((await scanner.open()).state).toBe('ready');
  });

  afterAll(async () => {
    await scanner?.close();
    if (far?.isOpen) await new Promise<void>((resolve) => far?.close(() => resolve()));
    if (socat?.pid !== undefined) socat.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a Vietnamese QR through the tty', async () => {
    const reading = scanner?.read({ waitMs: 3000 });
    await sim?.present(QR_VALID);
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reads an MRZ and then a second code sent mid-read', async () => {
    const first = scanner?.read({ waitMs: 3000 });
    await sim?.sendTwo(MRZ_VALID, QR_VALID);
    expect(await first).toEqual({ kind: 'text', text: MRZ_VALID });
    expect(await scanner?.read({ waitMs: 3000 })).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reports a half-read code as a protocol fault', async () => {
    const reading = scanner?.read({ waitMs: 3000 });
    await sim?.sendHalf(QR_VALID);
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'protocol' });
  });
});
