import { afterEach, describe, expect, it } from 'vitest';
import { parseScan } from '../../../controller/documents/parse';
import { MRZ_VALID, QR_VALID } from '../../../test/fixtures/documents/samples';
import type { DocumentScanner } from '../../types';
import { createSimulatedScanner } from '../simulated';

const open: DocumentScanner[] = [];
async function start(opts: Parameters<typeof createSimulatedScanner>[0] = {}) {
  const made = createSimulatedScanner({ idleGapMs: 40, ...opts });
  open.push(made.scanner);
  expect((await made.scanner.open()).state).toBe('ready');
  return made;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe('serial scanner driver against the simulator (MockBinding)', () => {
  it('reads a QR with Vietnamese text across several 64-byte reads', async () => {
    const { scanner, sim } = await start();
    const reading = scanner.read({ waitMs: 2000 });
    await sim.present(QR_VALID);
    expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
  });

  it('reads an MRZ whose lines the scanner separates with CR, and it parses', async () => {
    const { scanner, sim } = await start();
    const reading = scanner.read({ waitMs: 2000 });
    await sim.present(MRZ_VALID);
    const result = await reading;
    expect(result).toEqual({ kind: 'text', text: MRZ_VALID });
    if (result.kind === 'text') expect(parseScan(result.text)).toMatchObject({ ok: true, document: { kind: 'cccd-mrz' } });
  });

  it('works with CRLF and with no suffix at all', async () => {
    for (const suffix of ['CRLF', 'none'] as const) {
      const { scanner, sim } = await start({ suffix });
      const reading = scanner.read({ waitMs: 2000 });
      await sim.present(QR_VALID);
      expect(await reading).toEqual({ kind: 'text', text: QR_VALID });
    }
  });

  it('reports garbage as a protocol fault, then reads the next scan', async () => {
    const { scanner, sim } = await start();
    const first = scanner.read({ waitMs: 2000 });
    await sim.sendGarbage();
    expect(await first).toMatchObject({ kind: 'fault', reason: 'protocol' });
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

  it('turns a pulled cable into an unplugged fault and a disconnected status', async () => {
    const { scanner, sim } = await start();
    const states: string[] = [];
    scanner.onStatus((s) => states.push(s.state));
    const reading = scanner.read({ waitMs: 5000 });
    await sim.unplug();
    expect(await reading).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect(scanner.status().state).toBe('disconnected');
    expect(states).toContain('disconnected');
    expect((await scanner.open()).state).toBe('ready');
  });

  it('drops a scan made long before anyone asked (the previous citizen)', async () => {
    const { scanner, sim } = await start({ keepEarlyScanMs: 20 });
    await sim.present('OLD|SCAN');
    await new Promise((r) => setTimeout(r, 80));
    expect(await scanner.read({ waitMs: 30 })).toEqual({ kind: 'timeout' });
  });
});
