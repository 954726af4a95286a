import { describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../../helpers/wait-for';
import { createSimulatedScanner } from '../../../../drivers/document/serial/simulated';
import { silentLog } from '../../../../drivers/log';
import { parseScan } from '../../../../controller/documents/parse';
import { MRZ_VALID, QR_EMPTY_OLD_ID, QR_VALID, cccdMrz } from '../../../fixtures/documents/samples';
import { combineSides, createDocumentService, toOutcome } from '../../../../controller/services/document';

const parsed = (text: string) => {
  const r = parseScan(text);
  if (!r.ok) throw new Error(`sample did not parse: ${r.error.code}`);
  return r.document;
};

describe('reading both sides of a chip CCCD', () => {
  it('merges the front QR and the back MRZ of the same card, keeping the QR’s diacritics and adding the expiry', () => {
    const out = combineSides(parsed(QR_VALID), parsed(MRZ_VALID));
    expect(out.kind).toBe('parsed');
    if (out.kind !== 'parsed') return;
    expect(out.document.fullName).toBe('Trần Thị Bích Ngọc');
    expect(out.fields.expiryDate).toBe('2030-08-12');
    expect(out.document.flags).toContain('front-and-back-read');
    expect(out.checks.filter((c) => c.name.startsWith('cross-')).every((c) => c.ok)).toBe(true);
  });

  it('is order-independent: back first, then front', () => {
    const out = combineSides(parsed(MRZ_VALID), parsed(QR_VALID));
    expect(out.kind === 'parsed' && out.document.fullName).toBe('Trần Thị Bích Ngọc');
  });

  it('flags a back side that belongs to another card', () => {
    const other = cccdMrz({ id: '036190009999', birth: '900812', sex: 'F', expiry: '300812', surname: 'TRAN', given: 'THI BICH NGOC' });
    const out = combineSides(parsed(QR_VALID), parsed(other));
    expect(out.kind === 'parsed' && out.checks.find((c) => c.name === 'cross-idNumber')).toMatchObject({ ok: false, message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('treats a second scan of the same side as a fresh reading, not a cross-check', () => {
    const out = combineSides(parsed(QR_VALID), parsed(QR_EMPTY_OLD_ID));
    expect(out).toEqual(toOutcome({ ok: true, document: parsed(QR_EMPTY_OLD_ID) }));
  });
});

describe('reading a document from the scanner', () => {
  it('passes an unplugged scanner on at once, as a typed "unplugged" reason (issue #13: the citizen is told within a second)', async () => {
    const { scanner, link } = createSimulatedScanner({ log: silentLog });
    await scanner.open();
    const reading = createDocumentService(scanner).readDocument({ waitMs: 5000 }, new AbortController().signal);
    let outcome: unknown;
    void reading.then((o) => (outcome = o));
    link.unplug();
    // The outcome is there as soon as the driver has heard of the unplug, not after a pause.
    await waitFor(() => scanner.status().state === 'disconnected', { what: 'the driver to hear of the unplug' });
    await new Promise((r) => setImmediate(r));
    expect(outcome).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    await scanner.close();
  });

  it('while the scanner is down, the next read waits for it to come back instead of spinning, then reads', async () => {
    const s = createSimulatedScanner({ log: silentLog });
    s.link.unplug();
    expect((await s.scanner.open()).state).toBe('fault');
    const reads: string[] = [];
    const original = s.scanner.read.bind(s.scanner);
    s.scanner.read = (opts) => {
      reads.push('read');
      return original(opts);
    };
    const service = createDocumentService(s.scanner);
    let settled = false;
    vi.useFakeTimers();
    let reading: ReturnType<typeof service.readDocument>;
    try {
      reading = service.readDocument({ waitMs: 5000 }, new AbortController().signal);
      void reading.then(() => (settled = true));
      // Four seconds of (simulated) waiting with the cable out: no read, no outcome, no spinning.
      await vi.advanceTimersByTimeAsync(4000);
      expect(settled).toBe(false);
      expect(reads).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
    s.link.replug();
    expect((await s.scanner.open()).state).toBe('ready');
    await waitFor(() => reads.length === 1, { what: 'the read to start once the scanner is back' });
    await s.sim.present(QR_VALID);
    expect(await reading).toMatchObject({ kind: 'parsed' });
    await s.scanner.close();
  });

  it('a read waiting for the scanner to come back ends when the step is left, and at its deadline', async () => {
    const s = createSimulatedScanner({ log: silentLog });
    s.link.unplug();
    await s.scanner.open();
    const ac = new AbortController();
    const reading = createDocumentService(s.scanner).readDocument({ waitMs: 60_000 }, ac.signal);
    ac.abort();
    expect(await reading).toEqual({ kind: 'timeout' });
    vi.useFakeTimers();
    try {
      const waiting = createDocumentService(s.scanner).readDocument({ waitMs: 2000 }, new AbortController().signal);
      await vi.advanceTimersByTimeAsync(2000);
      expect(await waiting).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    } finally {
      vi.useRealTimers();
      await s.scanner.close();
    }
  });
});

describe('a scan the scanner could not read whole', () => {
  async function readAfter(act: (s: ReturnType<typeof createSimulatedScanner>['sim']) => Promise<void>) {
    const s = createSimulatedScanner({ log: silentLog });
    await s.scanner.open();
    const service = createDocumentService(s.scanner);
    const ac = new AbortController();
    const reading = service.readDocument({ waitMs: 3000 }, ac.signal);
    await act(s.sim);
    const out = await reading;
    await s.scanner.close();
    return out;
  }

  for (const [what, act] of [
    ['garbage on the wire', (sim: ReturnType<typeof createSimulatedScanner>['sim']) => sim.sendGarbage()],
    ['half a QR code', (sim: ReturnType<typeof createSimulatedScanner>['sim']) => sim.sendHalf(QR_VALID)],
    ['half of the back lines', (sim: ReturnType<typeof createSimulatedScanner>['sim']) => sim.sendHalf(MRZ_VALID)],
  ] as const) {
    it(`tells the citizen what to do after ${what}, and does not blame the scanner`, async () => {
      const out = await readAfter(act);
      expect(out.kind).toBe('invalid');
      if (out.kind !== 'invalid') return;
      expect(out.error.vi).not.toMatch(/sự cố|hỏng/);
      expect(out.error.en).not.toMatch(/scanner has a problem|broken|fault/i);
      expect(out.error.vi).toMatch(/giữ|quét lại|quét mã QR|mặt/);
      expect(out.error.en).toMatch(/hold|scan again|scan the QR|side/i);
    });
  }
});
