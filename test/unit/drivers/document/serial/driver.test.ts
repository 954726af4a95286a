import { afterEach, describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_VALID } from '../../../../fixtures/documents/samples';
import { recordingLog } from '../../../../helpers/device-log';
import { waitFor } from '../../../../helpers/wait-for';
import type { DocumentScanner } from '../../../../../drivers/types';
import { createSimulatedScanner, type SimulatedScannerOptions } from '../../../../../drivers/document/serial/simulated';

const open: DocumentScanner[] = [];
async function start(opts: Omit<SimulatedScannerOptions, 'log'> = {}) {
  const log = recordingLog();
  const made = createSimulatedScanner({ idleGapMs: 40, log, ...opts });
  open.push(made.scanner);
  expect((await made.scanner.open()).state).toBe('ready');
  return { ...made, log };
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('serial scanner driver against the simulator over the simulated wire', () => {
  it('reads a QR with Vietnamese text across several 64-byte reads', async () => {
    const { scanner, sim } = await start();
    const reading = scanner.read({ waitMs: 2000 });
    await sim.present(QR_VALID);
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reads an MRZ whose lines the scanner separates with CR as one text', async () => {
    const { scanner, sim } = await start();
    const reading = scanner.read({ waitMs: 2000 });
    await sim.present(MRZ_VALID);
    expect(await reading).toEqual({ kind: 'text', text: MRZ_VALID });
  });

  it('works with CRLF and with no suffix at all', async () => {
    for (const suffix of ['CRLF', 'none'] as const) {
      const { scanner, sim } = await start({ suffix });
      const reading = scanner.read({ waitMs: 2000 });
      await sim.present(QR_VALID);
      expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
    }
  });

  it('reports garbage as a protocol fault, logs it without its bytes, then reads the next scan', async () => {
    const { scanner, sim, log } = await start();
    const first = scanner.read({ waitMs: 2000 });
    await sim.sendGarbage();
    expect(await first).toMatchObject({ kind: 'fault', reason: 'protocol' });
    expect(log.entries).toContainEqual({ level: 'debug', fields: { reason: 'invalid-utf8', bytes: 7 }, message: 'scan discarded' });
    const second = scanner.read({ waitMs: 2000 });
    await sim.present(QR_VALID);
    expect(await second).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reports a half-read code after the idle gap', async () => {
    const { scanner, sim } = await start();
    const reading = scanner.read({ waitMs: 2000 });
    await sim.sendHalf(QR_VALID);
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'protocol', message: expect.stringContaining('incomplete') });
  });

  it('delivers both codes when a second arrives mid-read: one now, one to the next read', async () => {
    const { scanner, sim } = await start();
    const first = scanner.read({ waitMs: 2000 });
    await sim.sendTwo(QR_VALID, MRZ_VALID);
    expect(await first).toEqual({ kind: 'text', text: QR_VALID });
    expect(await scanner.read({ waitMs: 2000 })).toEqual({ kind: 'text', text: MRZ_VALID });
  });

  it('times out when nobody scans', async () => {
    const { scanner } = await start();
    expect(await scanner.read({ waitMs: 30 })).toEqual({ kind: 'timeout' });
    expect(scanner.status().state).toBe('ready');
  });

  it('stops waiting when the step is cancelled', async () => {
    const { scanner } = await start();
    const ac = new AbortController();
    const reading = scanner.read({ waitMs: 5000, signal: ac.signal });
    expect(scanner.status().state).toBe('busy');
    ac.abort();
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'aborted' });
  });

  it('an idle listen (the start screen’s) leaves the scanner ready, reads a scan, and gives way to a step’s read', async () => {
    const { scanner, sim } = await start();
    const states: string[] = [];
    scanner.onStatus((st) => states.push(st.state));
    const listening = scanner.read({ waitMs: 5000, idle: true });
    expect(scanner.status().state).toBe('ready');
    await sim.present(QR_VALID);
    expect(await listening).toEqual({ kind: 'text', text: QR_VALID });
    const again = scanner.read({ waitMs: 5000, idle: true });
    // The session starts: its read supersedes the idle one, and the scanner is busy for it.
    const step = scanner.read({ waitMs: 5000 });
    expect(await again).toMatchObject({ kind: 'fault', reason: 'aborted' });
    expect(scanner.status().state).toBe('busy');
    await sim.present(MRZ_VALID);
    expect(await step).toEqual({ kind: 'text', text: MRZ_VALID });
    expect(states).toEqual(['busy', 'ready']);
  });

  it('turns a pulled cable into an unplugged fault and a disconnected status, which lasts until the cable is back', async () => {
    const { scanner, sim } = await start();
    const states: string[] = [];
    scanner.onStatus((s) => states.push(s.state));
    const reading = scanner.read({ waitMs: 5000 });
    await sim.unplug();
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect(scanner.status().state).toBe('disconnected');
    expect(states).toContain('disconnected');
    expect((await scanner.open()).state).toBe('fault');
    await sim.replug();
    expect((await scanner.open()).state).toBe('ready');
  });

  it('while the cable stays out, reads say unplugged and the port cannot be opened', async () => {
    const { scanner, link } = await start();
    link.unplug();
    expect(await scanner.read({ waitMs: 5000 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect((await scanner.open()).state).toBe('fault');
    expect(await scanner.read({ waitMs: 10 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    link.replug();
    expect((await scanner.open()).state).toBe('ready');
  });

  it('drops a scan made long before anyone asked (the previous citizen)', async () => {
    let now = 0;
    const { scanner, sim, log } = await start({ keepEarlyScanMs: 20, now: () => now });
    await sim.present('OLD|SCAN');
    await waitFor(() => log.entries.some((e) => e.message.startsWith('scan arrived before a read')), { what: 'the early scan to arrive' });
    now += 80;
    expect(await scanner.read({ waitMs: 30 })).toEqual({ kind: 'timeout' });
  });

  it('hands a scan made just before the read to that read (a quick citizen)', async () => {
    let now = 0;
    const { scanner, sim, log } = await start({ keepEarlyScanMs: 20, now: () => now });
    await sim.present('NEW|SCAN');
    await waitFor(() => log.entries.some((e) => e.message.startsWith('scan arrived before a read')), { what: 'the early scan to arrive' });
    now += 10;
    expect(await scanner.read({ waitMs: 30 })).toEqual({ kind: 'text', text: 'NEW|SCAN' });
  });
});

