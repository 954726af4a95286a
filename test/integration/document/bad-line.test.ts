/**
 * Issue #13: 10 MB of garbage from the document scanner, serial (over the simulated wire and over
 * a socat pty) and HID-POS (reports that never end a message): the driver stays ready, holds at
 * most one code's bytes, reports the junk in a few log lines, and reads the next scan.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SCAN_BYTES } from '../../../drivers/document/codec';
import { HidDocumentScanner } from '../../../drivers/document/hid/driver';
import { SerialDocumentScanner } from '../../../drivers/document/serial/driver';
import { ScannerSim } from '../../../drivers/document/serial/sim';
import { createSimulatedScanner } from '../../../drivers/document/serial/simulated';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import type { DocumentScanner } from '../../../drivers/types';
import { QR_VALID } from '../../fixtures/documents/samples';
import { recordingLog, type RecordingLog } from '../../helpers/device-log';
import { FakeHidDevice, posReports } from '../../helpers/fake-hid-device';
import { noise, TEN_MB } from '../../helpers/noise';
import { PtyPair } from '../../helpers/pty-pair';
import { waitFor } from '../../helpers/wait-for';

let scanners: DocumentScanner[] = [];
let pty: PtyPair | undefined;
let served: Served | undefined;
afterEach(async () => {
  await Promise.all(scanners.map((s) => s.close()));
  scanners = [];
  if (served?.kind === 'serving') await served.close();
  served = undefined;
  await pty?.dispose();
  pty = undefined;
});

/**
 * Garbage with a line ending every 251 bytes, so it comes as ~41,000 unreadable "codes", not one;
 * the bytes between are 0xF8–0xFF, which UTF-8 never uses, so no code is read as text.
 */
const CODES = Math.floor(TEN_MB / 251);
function junkWithLineEnds(): Uint8Array {
  const bytes = noise(TEN_MB, 99).map((b) => b | 0xf8);
  for (let i = 250; i < bytes.length; i += 251) bytes[i] = 0x0d;
  bytes[bytes.length - 1] = 0x0d;
  return bytes;
}

async function serialSurvives(scanner: SerialDocumentScanner, sim: ScannerSim, log: RecordingLog): Promise<void> {
  await sim.sendRaw(junkWithLineEnds());
  await waitFor(() => scanner.lineStats().bytesIn >= TEN_MB, { what: 'the 10 MB to reach the driver', timeoutMs: 60_000 });
  expect(scanner.status().state).toBe('ready');
  const stats = scanner.lineStats();
  expect(stats.peakHeldBytes).toBeLessThanOrEqual(MAX_SCAN_BYTES);
  expect(stats.codecErrors).toBe(0);
  // About a log line per read of junk (the port hands over a kilobyte or more at a time), not one per unreadable code.
  const lines = log.entries.filter((e) => e.message === 'scan discarded').length;
  expect(lines).toBeLessThan(CODES / 2);
  const reading = scanner.read({ waitMs: 3000 });
  await sim.present(QR_VALID);
  expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
}

describe('the document scanner drivers and 10 MB of garbage', () => {
  it('serial, over the simulated wire', async () => {
    const log = recordingLog();
    const s = createSimulatedScanner({ log, chunkBytes: 65_536 });
    scanners.push(s.scanner);
    await s.scanner.open();
    await serialSurvives(s.scanner, s.device, log);
  }, 120_000);

  it('serial, over a socat pty', async () => {
    pty = new PtyPair();
    await pty.start();
    const sim = new ScannerSim({ suffix: 'CR', chunkBytes: 65_536 });
    const s = await serveOnTty(sim, { path: pty.device, baudRate: 115200 });
    if (s.kind === 'error') throw new Error(s.message);
    served = s;
    const log = recordingLog();
    const scanner = new SerialDocumentScanner({ port: { path: pty.host, baudRate: 115200 }, log, suffix: 'CR', idleGapMs: 100 });
    scanners.push(scanner);
    expect((await scanner.open()).state).toBe('ready');
    await serialSurvives(scanner, sim, log);
  }, 120_000);

  it('HID-POS: reports that never end their message', async () => {
    const device = new FakeHidDevice();
    const scanner = new HidDocumentScanner({ mode: { kind: 'pos' }, idleGapMs: 100, log: recordingLog(), openDevice: async () => ({ kind: 'open', device }) });
    scanners.push(scanner);
    await scanner.open();
    const endless = new Uint8Array(64);
    endless[0] = 0x02;
    endless[1] = 56;
    endless.set(noise(56, 3), 2);
    endless[63] = 0x01;
    await device.emitReports(Array.from({ length: TEN_MB / 64 }, () => endless));
    expect(scanner.status().state).toBe('ready');
    expect(scanner.lineStats().peakHeldBytes).toBeLessThanOrEqual(MAX_SCAN_BYTES);
    const last = new Uint8Array(64);
    last[0] = 0x02;
    await device.emitReports([last]);
    const reading = scanner.read({ waitMs: 3000 });
    await device.emitReports(posReports(QR_VALID));
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
  }, 120_000);
});
