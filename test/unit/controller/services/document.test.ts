import { describe, expect, it, vi } from 'vitest';
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
  it('passes an unplugged scanner on as a typed "unplugged" reason, after a pause so the step does not spin', async () => {
    const { scanner, link } = createSimulatedScanner({ log: silentLog });
    link.unplug();
    expect((await scanner.open()).state).toBe('fault');
    vi.useFakeTimers();
    try {
      const outcome = createDocumentService(scanner).readDocument({ waitMs: 5000 }, new AbortController().signal);
      await vi.advanceTimersByTimeAsync(1000);
      expect(await outcome).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    } finally {
      vi.useRealTimers();
      await scanner.close();
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
