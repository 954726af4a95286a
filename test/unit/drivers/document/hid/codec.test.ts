import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_VALID } from '../../../../fixtures/documents/samples';
import { keyboardReports, posReports } from '../../../../helpers/fake-hid-device';
import { MAX_SCAN_BYTES, type ScanFrame } from '../../../../../drivers/document/codec';
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

/** Issue #13: HID report reassembly is bounded, and an over-long message is dropped whole. */
describe('HID codecs: bounded memory', () => {
  it('HID-POS: a message longer than any code is discarded once, and no scan is made of its tail', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const long = 'A'.repeat(10_000);
    const frames = feed(codec, posReports(long));
    expect(texts(frames)).toEqual(['<too-long>']);
    expect(codec.held).toBe(0);
    expect(texts(feed(codec, posReports(QR_VALID)))).toEqual([QR_VALID]);
  });

  it('HID-POS: 1 MB of reports that all say "more follows" hold at most one code’s bytes, then the next message reads', () => {
    const codec = new HidPosCodec({ idleGapMs: 50 });
    const report = new Uint8Array(64);
    report[0] = 0x02;
    report[1] = 56;
    report.fill(0x41, 2, 58);
    report[63] = 0x01;
    let most = 0;
    let frames = 0;
    for (let i = 0; i < 2 ** 20 / 64; i++) {
      frames += codec.push(report, 0).length;
      most = Math.max(most, codec.held);
    }
    expect(most).toBeLessThanOrEqual(MAX_SCAN_BYTES);
    expect(frames).toBe(1);
    const end = new Uint8Array(64);
    end[0] = 0x02;
    end[1] = 1;
    end[2] = 0x41;
    expect(texts(codec.push(end, 0))).toEqual([]);
    expect(texts(feed(codec, posReports(QR_VALID)))).toEqual([QR_VALID]);
  });

  it('fuzz: neither codec throws or holds more than one code’s bytes, whatever the reports', () => {
    const report = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc.tuple(fc.nat({ max: 80 }), fc.boolean(), fc.uint8Array({ minLength: 62, maxLength: 62 })).map(([len, more, body]) => Uint8Array.from([2, len, ...body.subarray(0, 61), more ? 1 : 0])),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(report, fc.nat({ max: 80 })), { maxLength: 300 }), (reports) => {
        const pos = new HidPosCodec({ idleGapMs: 50 });
        const keys = new KeyboardWedgeCodec({ idleGapMs: 50 });
        let t = 0;
        for (const [r, gap] of reports) {
          t += gap;
          pos.push(r, t);
          keys.push(r, t);
          expect(pos.held).toBeLessThanOrEqual(MAX_SCAN_BYTES);
          expect(keys.held).toBeLessThanOrEqual(MAX_SCAN_BYTES + 8);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('keyboard-wedge codec: Alt codes that name no character', () => {
  it('discards the code as unreadable instead of passing on a replacement character', () => {
    const codec = new KeyboardWedgeCodec({ idleGapMs: 50 });
    const altNine = (n: number) => [Uint8Array.of(0x04, 0, 0, 0, 0, 0, 0, 0), ...Array.from({ length: n }, () => [Uint8Array.of(0x04, 0, 0x61, 0, 0, 0, 0, 0), Uint8Array.of(0x04, 0, 0, 0, 0, 0, 0, 0)]).flat(), new Uint8Array(8)];
    const frames = feed(codec, [...keyboardReports('AB', { enter: false }), ...altNine(8), ...keyboardReports('')]);
    expect(texts(frames)).toEqual(['<invalid-utf8>']);
    expect(texts(feed(codec, keyboardReports('Lê Văn')))).toEqual(['Lê Văn']);
  });
});
