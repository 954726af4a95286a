import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, FirmataParser, type FirmataMessage, type Sender } from '../../../../../drivers/gpio/firmata/codec';

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
      { type: 'discarded', bytes: [0x12, 0x34], why: 'bytes outside any message' },
      { type: 'version', major: 2, minor: 5 },
    ]);
  });

  it('discards a sysex cut short by a new status byte', () => {
    expect(parse('board', [0xf0, 0x6c, 0x00, 0xf9, 2, 5])).toEqual([
      { type: 'discarded', bytes: [0xf0, 0x6c, 0x00], why: 'sysex cut short by a status byte' },
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
});
