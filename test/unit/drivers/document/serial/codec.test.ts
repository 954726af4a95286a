import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_VALID } from '../../../../fixtures/documents/samples';
import { MAX_SCAN_BYTES, type ScanFrame } from '../../../../../drivers/document/codec';
import { SerialScanCodec, suffixBytes, type Suffix } from '../../../../../drivers/document/serial/codec';

const enc = (s: string) => new TextEncoder().encode(s);
const texts = (frames: ScanFrame[]) => frames.map((f) => (f.kind === 'scan' ? f.text : `<${f.reason}>`));

describe('serial scanner codec', () => {
  for (const suffix of ['CR', 'LF', 'CRLF'] as const) {
    it(`ends a code on its ${suffix} suffix and keeps Vietnamese UTF-8 intact`, () => {
      const codec = new SerialScanCodec({ suffix, idleGapMs: 50 });
      const bytes = new Uint8Array([...enc(QR_VALID), ...suffixBytes(suffix)]);
      expect(texts(codec.push(bytes, 0))).toEqual([QR_VALID]);
    });
  }

  it('joins a code split across reads, even inside a multi-byte character', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    const bytes = enc(`${QR_VALID}\r`);
    const cut = enc('036190001234|163012345|Tr').length + 1; // inside "ầ"
    expect(codec.push(bytes.slice(0, cut), 0)).toEqual([]);
    expect(texts(codec.push(bytes.slice(cut), 5))).toEqual([QR_VALID]);
  });

  it('emits both codes when the second arrives in the same read as the end of the first', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    expect(codec.push(enc('036190001234|1630'), 0)).toEqual([]);
    expect(texts(codec.push(enc('12345|A|B|C|D|E\rSECOND|CODE\r'), 3))).toEqual(['036190001234|163012345|A|B|C|D|E', 'SECOND|CODE']);
  });

  it('discards a half-read code once the idle gap passes, and says so', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    codec.push(enc('036190001234|16'), 0);
    expect(codec.deadline()).toBe(50);
    expect(codec.idle(20)).toEqual([]);
    expect(texts(codec.idle(60))).toEqual(['<incomplete>']);
  });

  it('discards a stale half-code when the next code starts after a pause', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    codec.push(enc('HALF'), 0);
    expect(texts(codec.push(enc('WHOLE|CODE\r'), 500))).toEqual(['<incomplete>', 'WHOLE|CODE']);
  });

  it('with no suffix, the idle gap ends the code', () => {
    const codec = new SerialScanCodec({ suffix: 'none', idleGapMs: 50 });
    expect(codec.push(enc(QR_VALID), 0)).toEqual([]);
    expect(texts(codec.idle(51))).toEqual([QR_VALID]);
  });

  it('rejoins an MRZ sent as three CR-terminated lines', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    expect(texts(codec.push(enc(`${MRZ_VALID.replace(/\n/g, '\r')}\r`), 0))).toEqual([MRZ_VALID]);
  });

  it('releases a partial MRZ on the idle gap so the parser can say a line is missing', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    const twoLines = MRZ_VALID.split('\n').slice(0, 2);
    expect(codec.push(enc(`${twoLines.join('\r')}\r`), 0)).toEqual([]);
    expect(texts(codec.idle(100))).toEqual([twoLines.join('\n')]);
  });

  it('discards bytes that are not UTF-8', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    expect(texts(codec.push(Uint8Array.of(0xff, 0xc3, 0x28, 0x0d), 0))).toEqual(['<invalid-utf8>']);
  });

  it('discards an endless code once and recovers at the next terminator', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    const frames = codec.push(new Uint8Array(10_000).fill(0x41), 0);
    expect(texts(frames)).toEqual(['<too-long>']);
    expect(texts(codec.push(enc('X|Y\rOK|CODE\r'), 1))).toEqual(['OK|CODE']);
  });

  it('never throws on random bytes, random chunking and random timing', () => {
    const suffixes: Suffix[] = ['CR', 'LF', 'CRLF', 'none'];
    fc.assert(
      fc.property(
        fc.constantFrom(...suffixes),
        fc.array(fc.record({ bytes: fc.uint8Array({ maxLength: 300 }), gap: fc.nat({ max: 200 }) }), { maxLength: 20 }),
        (suffix, reads) => {
          const codec = new SerialScanCodec({ suffix, idleGapMs: 50 });
          let now = 0;
          for (const r of reads) {
            now += r.gap;
            for (const f of [...codec.idle(now), ...codec.push(r.bytes, now)]) {
              if (f.kind === 'scan' && typeof f.text !== 'string') return false;
            }
          }
          codec.idle(now + 1000);
          return codec.deadline() === undefined;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('recovers every code from any chunking of a valid stream', () => {
    const stream = enc(`${QR_VALID}\r${MRZ_VALID.replace(/\n/g, '\r')}\rA|B\r`);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...[...cuts].sort((a, b) => a - b), stream.length];
        const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
        const out: ScanFrame[] = [];
        points.slice(1).forEach((end, i) => out.push(...codec.push(stream.slice(points[i], end), i)));
        return JSON.stringify(texts(out)) === JSON.stringify([QR_VALID, MRZ_VALID, 'A|B']);
      }),
      { numRuns: 200 },
    );
  });
});

/** Issue #13: bounded whatever the wire sends, and a flood of junk comes back as a count, not as a frame per code. */
describe('serial scanner codec: bounded memory', () => {
  it('holds at most one code’s bytes, whatever it is fed and however it is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 9000 }), fc.nat({ max: 300 })), { maxLength: 12 }),
        fc.constantFrom<Suffix>('CR', 'LF', 'CRLF', 'none'),
        (reads, suffix) => {
          const codec = new SerialScanCodec({ suffix, idleGapMs: 50 });
          let t = 0;
          for (const [bytes, gap] of reads) {
            t += gap;
            codec.push(bytes, t);
            expect(codec.held).toBeLessThanOrEqual(MAX_SCAN_BYTES);
            codec.idle(t + 60);
            expect(codec.held).toBeLessThanOrEqual(MAX_SCAN_BYTES);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a flood of undecodable codes in one read comes back as one discarded frame that counts them', () => {
    const codec = new SerialScanCodec({ suffix: 'CR', idleGapMs: 50 });
    const one = Uint8Array.of(0xff, 0xfe, 0x80, 0x0d);
    const flood = new Uint8Array(one.length * 100_000);
    for (let i = 0; i < 100_000; i++) flood.set(one, i * one.length);
    const frames = codec.push(flood, 0);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'discarded', reason: 'invalid-utf8', count: 100_000, length: 300_000 });
    expect(frames[0]?.kind === 'discarded' && frames[0].bytes.length).toBeLessThanOrEqual(64);
    expect(texts(codec.push(enc(`${QR_VALID}\r`), 1))).toEqual([QR_VALID]);
  });
});
