import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_VALID } from '../../../../fixtures/documents/samples';
import { keyboardReports, posReports } from '../../../../helpers/fake-hid-device';
import type { ScanFrame } from '../../../../../drivers/document/codec';
import { HidPosCodec, KeyboardWedgeCodec } from '../../../../../drivers/document/hid/codec';

const texts = (frames: ScanFrame[]) => frames.map((f) => (f.kind === 'scan' ? f.text : `<${f.reason}>`));
function feed(codec: { push(r: Uint8Array, t: number): ScanFrame[] }, reports: readonly Uint8Array[]): ScanFrame[] {
  return reports.flatMap((r, i) => codec.push(r, i));
}

describe('keyboard-wedge codec', () => {
  it('types ASCII with shift: upper case and symbols', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50 });
    expect(texts(feed(codec, keyboardReports('IDVNM<<12|a-b:C?')))).toEqual(['IDVNM<<12|a-b:C?']);
  });

  it('decodes Vietnamese letters sent as Alt + keypad code points', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50 });
    expect(texts(feed(codec, keyboardReports(QR_VALID)))).toEqual([QR_VALID]);
  });

  it('counts a held key once and a repeated letter twice', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50 });
    const a = Uint8Array.of(0, 0, 0x04, 0, 0, 0, 0, 0);
    const none = new Uint8Array(8);
    const enter = Uint8Array.of(0, 0, 0x28, 0, 0, 0, 0, 0);
    expect(texts(feed(codec, [a, a, none, a, none, enter, none]))).toEqual(['aa']);
  });

  it('rejoins an MRZ typed line by line with Enter', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50 });
    expect(texts(feed(codec, keyboardReports(MRZ_VALID)))).toEqual([MRZ_VALID]);
  });

  it('ignores rollover-error reports', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50 });
    expect(codec.push(Uint8Array.of(0, 0, 1, 1, 1, 1, 1, 1), 0)).toEqual([]);
  });

  it('with no Enter, the idle gap ends the code', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50, terminator: 'idle' });
    expect(feed(codec, keyboardReports('ABC|DEF', { enter: false }))).toEqual([]);
    expect(texts(codec.idle(1000))).toEqual(['ABC|DEF']);
  });

  it('never throws on random reports', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 200 }), fc.boolean(), (reports, reportId) => {
        const codec = new KeyboardWedgeCodec({ idleGapMs: 5, reportId });
        feed(codec, reports);
        codec.idle(1e9);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe('HID-POS codec', () => {
  it('reassembles a QR spanning several 56-byte reports, UTF-8 intact', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const reports = posReports(QR_VALID);
    expect(reports.length).toBeGreaterThan(1);
    expect(texts(feed(codec, reports))).toEqual([QR_VALID]);
  });

  it('keeps a multi-byte character split between two reports', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const text = `${'x'.repeat(55)}ữ|tail`; // "ữ" is 3 bytes: it straddles byte 56
    expect(texts(feed(codec, posReports(text)))).toEqual([text]);
  });

  it('ignores reports with another report ID', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const other = new Uint8Array(64);
    other[0] = 0x04;
    expect(codec.push(other, 0)).toEqual([]);
  });

  it('discards a code whose last report never comes', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const [first] = posReports(QR_VALID);
    expect(codec.push(first ?? new Uint8Array(), 0)).toEqual([]);
    expect(texts(codec.idle(100))).toEqual(['<incomplete>']);
  });

  it('discards a report whose length byte runs past its end', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const bad = new Uint8Array(64);
    bad[0] = 0x02;
    bad[1] = 200;
    expect(texts(codec.push(bad, 0))).toEqual(['<malformed>']);
  });

  it('never throws on random reports', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 70 }).map((r) => (r.length > 0 ? (r[0] = 2, r) : r)), { maxLength: 100 }), (reports) => {
        const codec = new HidPosCodec({ idleGapMs: 5 });
        feed(codec, reports);
        codec.idle(1e9);
        return codec.deadline() === undefined;
      }),
      { numRuns: 300 },
    );
  });
});
