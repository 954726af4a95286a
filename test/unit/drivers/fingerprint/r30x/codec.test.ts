import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { R30xDecoder, encodeAck, encodeCommand, encodePacket, type DecodedItem, type R30xPacket } from '../../../../../drivers/fingerprint/r30x/codec';
import { DEFAULT_ADDER, INSTRUCTION, PID, type PidValue } from '../../../../../drivers/fingerprint/r30x/protocol';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const packets = (items: DecodedItem[]): R30xPacket[] => items.flatMap((i) => (i.kind === 'packet' ? [i] : []));
/** Bytes the decoder could not use: each discarded item counts them (its `bytes` is only a sample). */
const discardedBytes = (items: DecodedItem[]): number =>
  items.reduce((n, i) => n + (i.kind === 'discarded' ? i.length : 0), 0);

describe('R30x codec: encoding', () => {
  it('encodes GenImg exactly as the manual shows it', () => {
    expect(Buffer.from(encodeCommand(INSTRUCTION.GenImg)).toString('hex')).toBe('ef01ffffffff010003010005');
  });

  it('encodes the manual example of a cyan breathing AuraLedConfig', () => {
    expect(Buffer.from(encodeCommand(INSTRUCTION.AuraLedConfig, [0x01, 0x50, 0x06, 0x00])).toString('hex')).toBe(
      'ef01ffffffff010007350150060000' + '94',
    );
  });

  it('encodes an OK acknowledgement as the manual shows it', () => {
    expect(Buffer.from(encodeAck(0x00)).toString('hex')).toBe('ef01ffffffff07000300000a');
  });
});

describe('R30x codec: decoding', () => {
  it('decodes a packet split across many chunks', () => {
    const d = new R30xDecoder();
    const bytes = encodeAck(0x00, Uint8Array.from([1, 2, 3]));
    const out: DecodedItem[] = [];
    for (const b of bytes) out.push(...d.push(Uint8Array.of(b)));
    expect(out).toEqual([{ kind: 'packet', pid: PID.Ack, address: DEFAULT_ADDER, content: Uint8Array.from([0, 1, 2, 3]) }]);
  });

  it('reports leading junk as one discarded run, then the packet', () => {
    const d = new R30xDecoder();
    const out = d.push(new Uint8Array([0x55, 0x00, 0xef, 0x13, ...encodeAck(0)]));
    expect(out[0]).toEqual({ kind: 'discarded', reason: 'junk', bytes: Uint8Array.from([0x55, 0x00, 0xef, 0x13]), length: 4 });
    expect(out[1]?.kind).toBe('packet');
  });

  it('reports a bad checksum and still finds the next packet', () => {
    const d = new R30xDecoder();
    const bad = encodeAck(0);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    const out = d.push(new Uint8Array([...bad, ...encodeAck(2)]));
    expect(out.map((i) => (i.kind === 'packet' ? 'packet' : i.reason))).toEqual(['bad-checksum', 'packet']);
  });

  it('finds a packet that starts inside a corrupted one', () => {
    const d = new R30xDecoder();
    const good = encodeAck(0x02);
    // A header whose LENGTH promises 40 bytes swallows the good packet; the checksum fails.
    const liar = hex('ef01ffffffff07002a');
    const out = [...d.push(new Uint8Array([...liar, ...good, ...new Uint8Array(40)])), ...d.flush()];
    expect(packets(out)).toHaveLength(1);
    expect(packets(out)[0]?.content).toEqual(Uint8Array.of(0x02));
  });

  it('ignores packets for another address when told its own', () => {
    const d = new R30xDecoder({ address: 0x12345678 });
    const out = d.push(new Uint8Array([...encodeAck(0), ...encodeAck(0, undefined, 0x12345678)]));
    expect(packets(out)).toHaveLength(1);
    expect(packets(out)[0]?.address).toBe(0x12345678);
  });

  it('holds back a lone trailing 0xEF until the next chunk', () => {
    const d = new R30xDecoder();
    const bytes = encodeAck(0);
    expect(d.push(bytes.subarray(0, 1))).toEqual([]);
    expect(packets(d.push(bytes.subarray(1)))).toHaveLength(1);
  });

  it('flush gives up on a truncated packet and reports it', () => {
    const d = new R30xDecoder();
    expect(d.push(encodeAck(0).subarray(0, 8))).toEqual([]);
    const out = d.flush();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'discarded', reason: 'truncated' });
    expect(d.pending).toBe(0);
  });
});

const pidArb = fc.constantFrom<PidValue>(PID.Command, PID.Data, PID.Ack, PID.EndOfData);
const packetArb = fc.record({
  pid: pidArb,
  content: fc.uint8Array({ minLength: 1, maxLength: 256 }),
});
/** Garbage that cannot contain a header, so the frames found are exactly the ones planted. */
const noHeaderJunk = fc.uint8Array({ maxLength: 64 }).map((a) => a.map((b) => (b === 0xef ? 0xee : b)));

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('R30x codec: properties', () => {
  it('never throws on random bytes, and accounts for every byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
        const d = new R30xDecoder();
        const out: DecodedItem[] = [];
        for (const c of chunked(bytes, cuts)) out.push(...d.push(c));
        out.push(...d.flush());
        const packetBytes = packets(out).reduce((n, p) => n + p.content.length + 11, 0);
        expect(packetBytes + discardedBytes(out)).toBe(bytes.length);
      }),
      { numRuns: 300 },
    );
  });

  it('finds every valid packet embedded in header-free garbage, in order, however it is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noHeaderJunk, packetArb), { maxLength: 8 }),
        noHeaderJunk,
        fc.array(fc.nat(), { maxLength: 30 }),
        (parts, tail, cuts) => {
          const stream = Buffer.concat([
            ...parts.flatMap(([junk, p]) => [junk, encodePacket(p.pid, p.content)]),
            tail,
          ]);
          const d = new R30xDecoder();
          const out: DecodedItem[] = [];
          for (const c of chunked(stream, cuts)) out.push(...d.push(c));
          out.push(...d.flush());
          expect(packets(out).map((p) => [p.pid, Buffer.from(p.content).toString('hex')])).toEqual(
            parts.map(([, p]) => [p.pid, Buffer.from(p.content).toString('hex')]),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives mutated packet streams: never throws, and every untouched packet is still found', () => {
    fc.assert(
      fc.property(
        fc.array(packetArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'drop', 'insert')), { maxLength: 6 }),
        (ps, mutations) => {
          const encoded = ps.map((p) => encodePacket(p.pid, p.content));
          const touched = new Set<number>();
          const bytes = encoded.map((e) => Array.from(e));
          for (const [where, value, how] of mutations) {
            const which = where % bytes.length;
            const target = bytes[which];
            if (!target) continue;
            const at = Math.floor(where / bytes.length) % target.length;
            if (how === 'flip') target[at] = (target[at] ?? 0) ^ (value | 1);
            else if (how === 'drop') target.splice(at, 1);
            else target.splice(at, 0, value);
            touched.add(which);
          }
          const d = new R30xDecoder();
          const out = [...d.push(Uint8Array.from(bytes.flat())), ...d.flush()];
          const found = new Set(packets(out).map((p) => `${p.pid}:${Buffer.from(p.content).toString('hex')}`));
          ps.forEach((p, i) => {
            if (!touched.has(i)) expect(found.has(`${p.pid}:${Buffer.from(p.content).toString('hex')}`)).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

/**
 * Issue #13: nothing from the wire grows memory without limit. Whatever it is fed, the decoder
 * keeps at most one packet's bytes between chunks and a small working buffer, and what it hands
 * back about bytes it could not use is a count and a short sample, not a copy of them.
 */
const MAX_PACKET_BYTES = 11 + 256;
/** A bound on the decoder's working buffer, whatever the chunk size: a few kilobytes. */
const WORKING_BUFFER_BOUND = 16 * 1024;
const sampleBytes = (items: DecodedItem[]): number => items.reduce((n, i) => n + (i.kind === 'discarded' ? i.bytes.length : 0), 0);
const countedBytes = (items: DecodedItem[]): number => items.reduce((n, i) => n + (i.kind === 'discarded' ? i.length : 0), 0);

function garbage(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe('R30x codec: bounded memory (issue #13)', () => {
  it('takes 2 MB of garbage in one chunk, keeps little of it, and still decodes the packet after it', () => {
    const d = new R30xDecoder({ address: DEFAULT_ADDER });
    const junk = garbage(2 * 2 ** 20, 7);
    const out = d.push(junk);
    expect(countedBytes(out)).toBeGreaterThan(junk.length - MAX_PACKET_BYTES);
    expect(sampleBytes(out)).toBeLessThanOrEqual(64 * out.length);
    expect(out.length).toBeLessThan(100);
    expect(d.pending).toBeLessThanOrEqual(MAX_PACKET_BYTES);
    expect(d.capacity).toBeLessThanOrEqual(WORKING_BUFFER_BOUND);
    const after = [...d.push(encodeAck(0x00)), ...d.flush()];
    expect(packets(after)).toHaveLength(1);
  });

  it('a run of damaged packets comes back as one discarded item with their total length', () => {
    const bad = encodeAck(0);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    const many = Buffer.concat(Array.from({ length: 10_000 }, () => bad));
    const d = new R30xDecoder();
    const out = d.push(many);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'discarded', reason: 'bad-checksum', length: many.length });
    expect(packets(d.push(encodeAck(2)))).toHaveLength(1);
  });

  it('fuzz: after every chunk, at most one packet is held back and the working buffer stays small; every byte is accounted for', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 40_000 }),
      packetArb.map((p) => encodePacket(p.pid, p.content)),
      // A header whose LENGTH promises the most a packet may hold, then something else.
      fc.uint8Array({ maxLength: 300 }).map((tail) => Uint8Array.from([...hex('ef01ffffffff070102'), ...tail])),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const d = new R30xDecoder();
        const out: DecodedItem[] = [];
        let total = 0;
        for (const p of pieces) {
          total += p.length;
          out.push(...d.push(p));
          expect(d.pending).toBeLessThanOrEqual(MAX_PACKET_BYTES);
          expect(d.capacity).toBeLessThanOrEqual(WORKING_BUFFER_BOUND);
        }
        out.push(...d.flush());
        expect(packets(out).reduce((n, p) => n + p.content.length + 11, 0) + countedBytes(out)).toBe(total);
        expect(sampleBytes(out)).toBeLessThanOrEqual(64 * out.length);
      }),
      { numRuns: 200 },
    );
  });
});
