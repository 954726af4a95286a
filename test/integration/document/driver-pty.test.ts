/**
 * The serial scanner driver through a real tty: the scanner simulator on the far end of a socat
 * pty pair (real termios, real chunking), or, with TEST_SCANNER_PORT set, a real serial scanner
 * on that port (TEST_SCANNER_BAUD, default 115200).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SerialDocumentScanner } from '../../../drivers/document/serial/driver';
import { ScannerSim } from '../../../drivers/document/serial/sim';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { MRZ_VALID, QR_VALID } from '../../fixtures/documents/samples';
import { recordingLog } from '../../helpers/device-log';
import { PtyPair, realPort } from '../../helpers/pty-pair';

const real = realPort('TEST_SCANNER_PORT', 115200);

describe.runIf(real === undefined)('serial scanner driver over a socat pty pair', () => {
  const pty = new PtyPair();
  const sim = new ScannerSim({ suffix: 'CR', chunkBytes: 32 });
  let served: Served | undefined;
  let scanner: SerialDocumentScanner | undefined;

  beforeAll(async () => {
    await pty.start();
    served = await serveOnTty(sim, { path: pty.device, baudRate: 115200 });
    if (served.kind === 'error') throw new Error(served.message);
    scanner = new SerialDocumentScanner({ port: { path: pty.host, baudRate: 115200 }, log: recordingLog(), suffix: 'CR', idleGapMs: 80 });
    expect((await scanner.open()).state).toBe('ready');
  });

  afterAll(async () => {
    await scanner?.close();
    if (served?.kind === 'serving') await served.close();
    await pty.dispose();
  });

  it('reads a Vietnamese QR through the tty', async () => {
    const reading = scanner?.read({ waitMs: 3000 });
    await sim.present(QR_VALID);
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reads an MRZ and then a second code sent mid-read', async () => {
    const first = scanner?.read({ waitMs: 3000 });
    await sim.sendTwo(MRZ_VALID, QR_VALID);
    expect(await first).toEqual({ kind: 'text', text: MRZ_VALID });
    expect(await scanner?.read({ waitMs: 3000 })).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reports a half-read code as a protocol fault', async () => {
    const reading = scanner?.read({ waitMs: 3000 });
    await sim.sendHalf(QR_VALID);
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'protocol' });
  });
});

describe.runIf(real !== undefined)('serial scanner driver on the real scanner at $TEST_SCANNER_PORT', () => {
  it('opens the port and waits for a scan without faulting', async () => {
    if (real === undefined) return;
    const scanner = new SerialDocumentScanner({ port: real, log: recordingLog(), suffix: 'CR', idleGapMs: 150 });
    try {
      const st = await scanner.open();
      expect(st.state, st.detail).toBe('ready');
      // Hold a card under it to see a text; with nobody there the read times out. Never a fault.
      expect(['text', 'timeout']).toContain((await scanner.read({ waitMs: 3000 })).kind);
    } finally {
      await scanner.close();
    }
  });
});
