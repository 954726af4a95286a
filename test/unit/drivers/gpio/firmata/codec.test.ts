import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCARD_PREVIEW_BYTES, encode, FirmataParser, MAX_SYSEX_BYTES, type FirmataMessage, type Sender } from '../../../../../drivers/gpio/firmata/codec';

type Sendable = Exclude<FirmataMessage, { type: 'discarded' }>;
const parse = (from: Sender, ...chunks: number[][]): FirmataMessage[] => {
  const p = new FirmataParser(from);
  return chunks.flatMap((c) => p.push(Uint8Array.from(c)));
};

describe('Firmata codec', () => {
  it('reads REPORT_VERSION as a query from the host and as a version from the board', () => {
    expect(parse('host', [0xf9])).toEqual([{ type: 'version-query' }]);
    expect(parse('board', [0xf9, 0x02, 0x05])).toEqual([{ type: 'version', major: 2, minor: 5 }]);
  });

  it('decodes the firmware name from 7-bit pairs', () => {
    const bytes = encode({ type: 'firmware', major: 2, minor: 5, name: 'StandardFirmata.ino' });
    expect(bytes[0]).toBe(0xf0);
    expect(bytes[1]).toBe(0x79);
    expect(parse('board', [...bytes])).toEqual([{ type: 'firmware', major: 2, minor: 5, name: 'StandardFirmata.ino' }]);
  });

  it('reassembles a message split across reads', () => {
    expect(parse('board', [0x90], [0x7f], [0x01])).toEqual([{ type: 'digital', port: 0, levels: 0xff }]);
  });

  it('reports junk before a message as discarded, then reads the message', () => {
    expect(parse('board', [0x12, 0x34, 0xf9, 2, 5])).toEqual([
      { type: 'discarded', bytes: [0x12, 0x34], length: 2, why: 'bytes outside any message' },
      { type: 'version', major: 2, minor: 5 },
    ]);
  });

  it('discards a sysex cut short by a new status byte', () => {
    expect(parse('board', [0xf0, 0x6c, 0x00, 0xf9, 2, 5])).toEqual([
      { type: 'discarded', bytes: [0xf0, 0x6c, 0x00], length: 3, why: 'sysex cut short by a status byte' },
      { type: 'version', major: 2, minor: 5 },
    ]);
  });

  const pin = fc.integer({ min: 0, max: 127 });
  const hostMessage: fc.Arbitrary<Sendable> = fc.oneof(
    fc.constant<Sendable>({ type: 'version-query' }),
    fc.constant<Sendable>({ type: 'firmware-query' }),
    fc.constant<Sendable>({ type: 'capability-query' }),
    fc.constant<Sendable>({ type: 'analog-mapping-query' }),
    fc.record({ type: fc.constant('set-pin-mode' as const), pin, mode: pin }),
    fc.record({ type: fc.constant('set-digital-pin-value' as const), pin, value: fc.constantFrom(0 as const, 1 as const) }),
    fc.record({ type: fc.constant('digital' as const), port: fc.integer({ min: 0, max: 15 }), levels: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ type: fc.constant('report-digital' as const), port: fc.integer({ min: 0, max: 15 }), enable: fc.boolean() }),
  );
  const boardMessage: fc.Arbitrary<Sendable> = fc.oneof(
    fc.record({ type: fc.constant('version' as const), major: pin, minor: pin }),
    fc.record({ type: fc.constant('digital' as const), port: fc.integer({ min: 0, max: 15 }), levels: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ type: fc.constant('analog' as const), channel: fc.integer({ min: 0, max: 15 }), value: fc.integer({ min: 0, max: 0x3fff }) }),
    fc.record({
      type: fc.constant('capabilities' as const),
      pins: fc.array(fc.array(fc.record({ mode: fc.integer({ min: 0, max: 0x7e }), resolution: pin }), { maxLength: 4 }), { maxLength: 20 }),
    }),
    fc.record({ type: fc.constant('analog-mapping' as const), channels: fc.array(fc.option(fc.integer({ min: 0, max: 0x7e }), { nil: undefined }), { maxLength: 20 }) }),
  );

  for (const [from, arb] of [
    ['host', hostMessage],
    ['board', boardMessage],
  ] as const) {
    it(`reads back whatever it writes, in any chunking (${from} side)`, () => {
      fc.assert(
        fc.property(fc.array(arb, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), (messages, cuts) => {
          const bytes = messages.flatMap((m) => [...encode(m)]);
          const chunks: number[][] = [];
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const n = cuts[k % cuts.length] ?? 1;
            chunks.push(bytes.slice(i, i + n));
            i += n;
          }
          expect(parse(from, ...chunks)).toEqual(messages);
        }),
      );
    });
  }

  // ── a faulty board (issue #13): whatever arrives, bounded memory, no throw, and it recovers ──

  const MB = 1024 * 1024;
  /** `total` bytes of `fill`, after `head`, in chunks of `chunk` bytes (one chunk: all at once). */
  const stream = (head: number[], fill: number, total: number, chunk: number): Uint8Array[] => {
    const chunks: Uint8Array[] = [];
    let left = total;
    let first = true;
    while (left > 0) {
      const n = Math.min(chunk, left);
      const c = new Uint8Array(n).fill(fill);
      if (first) c.set(head.slice(0, n));
      first = false;
      chunks.push(c);
      left -= n;
    }
    return chunks;
  };
  /** Every byte the parser's output keeps hold of: what a caller ends up holding. */
  const heldBytes = (ms: readonly FirmataMessage[]): number =>
    ms.reduce((n, m) => n + (m.type === 'discarded' ? m.bytes.length : m.type === 'sysex' ? m.data.length : m.type === 'firmware' ? m.name.length : 1), 0);

  for (const chunk of [64 * 1024, 10 * MB]) {
    it(`skips a 10 MB sysex that never ends, keeping a few bytes of it, and reads the next report (${chunk === 10 * MB ? 'one chunk' : '64 KB chunks'})`, () => {
      const p = new FirmataParser('board');
      const out: FirmataMessage[] = [];
      for (const c of stream([0xf0, 0x79, 0x02, 0x05], 0x41, 10 * MB, chunk)) out.push(...p.push(c));
      // One report of the over-long sysex, not thousands: what the caller holds is a preview.
      expect(out.length).toBeLessThanOrEqual(2);
      expect(heldBytes(out)).toBeLessThanOrEqual(2 * DISCARD_PREVIEW_BYTES);
      expect(out[0]).toMatchObject({ type: 'discarded', why: expect.stringContaining('longer than') });
      // The board comes back to its senses: the next whole report is read.
      const after = p.push(Uint8Array.from([0xf7, 0xf9, 0x02, 0x05]));
      expect(after.at(-1)).toEqual({ type: 'version', major: 2, minor: 5 });
      const skipped = [...out, ...after].filter((m) => m.type === 'discarded').reduce((n, m) => n + (m.type === 'discarded' ? m.length : 0), 0);
      expect(skipped).toBe(10 * MB + 1); // every byte of it accounted for, END_SYSEX included
    });
  }

  it('reports 10 MB of bytes outside any message as one discarded run per chunk, keeping only a preview', () => {
    const p = new FirmataParser('board');
    const out = p.push(new Uint8Array(10 * MB).fill(0x33));
    expect(out.length).toBe(1);
    expect(out).toEqual([{ type: 'discarded', bytes: new Array(DISCARD_PREVIEW_BYTES).fill(0x33), length: 10 * MB, why: 'bytes outside any message' }]);
  });

  it('reads a firmware report of ~400 KB as discarded, without throwing, and the next report after it', () => {
    const p = new FirmataParser('board');
    const huge = encode({ type: 'firmware', major: 2, minor: 5, name: 'x'.repeat(200_000) });
    expect(huge.length).toBeGreaterThan(400_000);
    const out = p.push(Uint8Array.from([...huge, 0xf9, 0x02, 0x05]));
    expect(out.some((m) => m.type === 'firmware')).toBe(false);
    expect(heldBytes(out)).toBeLessThanOrEqual(2 * DISCARD_PREVIEW_BYTES + 1);
    expect(out.at(-1)).toEqual({ type: 'version', major: 2, minor: 5 });
  });

  it('reads the longest sysex it accepts whole, and one byte more as discarded', () => {
    const at = (n: number) => [0xf0, 0x71, ...new Array<number>(n - 1).fill(0x41), 0xf7];
    expect(parse('board', at(MAX_SYSEX_BYTES))).toEqual([{ type: 'sysex', command: 0x71, data: new Array(MAX_SYSEX_BYTES - 1).fill(0x41) }]);
    expect(parse('board', at(MAX_SYSEX_BYTES + 1))[0]).toMatchObject({ type: 'discarded', why: expect.stringContaining('longer than') });
  });

  for (const from of ['board', 'host'] as const) {
    it(`never throws on any bytes in any chunking, keeps every discard short, and reads a good message after them (${from} side)`, () => {
      const good = from === 'board' ? boardMessage : hostMessage;
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
          fc.boolean(),
          good,
          (garbage, endlessSysex, message) => {
            const p = new FirmataParser(from);
            const out: FirmataMessage[] = [];
            if (endlessSysex) out.push(...p.push(Uint8Array.from([0xf0, ...new Array<number>(MAX_SYSEX_BYTES + 10).fill(0x10)])));
            for (const g of garbage) out.push(...p.push(g));
            for (const m of out) if (m.type === 'discarded') expect(m.bytes.length).toBeLessThanOrEqual(16);
            const after = p.push(encode(message));
            expect(after.at(-1)).toEqual(message);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
