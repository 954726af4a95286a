import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MjpegSplitter, type MjpegPiece } from '../../../../drivers/camera/mjpeg';

const seg = (marker: number, body: Uint8Array | readonly number[]): number[] => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];

/** Entropy-coded bytes as an encoder writes them: every FF stuffed with 00, restart markers now and then. */
function entropy(raw: readonly number[], restarts: readonly number[]): number[] {
  const out: number[] = [];
  raw.forEach((b, k) => {
    out.push(b);
    if (b === 0xff) out.push(0x00);
    if (restarts.includes(k)) out.push(0xff, 0xd0 + (k % 8));
  });
  return out;
}

const bytes = (max: number) => fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: max });

/** A JPEG's structure with random contents: APP segments (one holding a whole thumbnail JPEG), tables, one or two scans. */
const jpegArb = fc
  .record({
    app0: fc.option(bytes(40), { nil: undefined }),
    thumbnail: fc.option(bytes(60), { nil: undefined }),
    comment: fc.option(bytes(30), { nil: undefined }),
    fill: fc.boolean(),
    tables: bytes(80),
    scans: fc.array(fc.record({ header: bytes(12), data: bytes(300), restarts: fc.array(fc.nat(300), { maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ app0, thumbnail, comment, fill, tables, scans }) => {
    const out: number[] = [0xff, 0xd8];
    if (app0) out.push(...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, ...app0]));
    // An EXIF thumbnail is a complete JPEG, FF D8 … FF D9, inside the APP1 segment.
    if (thumbnail) out.push(...seg(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, 0xff, 0xd8, ...thumbnail, 0xff, 0xd9]));
    if (comment) out.push(...seg(0xfe, comment));
    if (fill) out.push(0xff, 0xff);
    out.push(...seg(0xdb, tables), ...seg(0xc0, [8, 0, 16, 0, 16, 1, 1, 0x11, 0]));
    for (const s of scans) out.push(...seg(0xc4, s.header), ...seg(0xda, s.header), ...entropy(s.data, s.restarts));
    out.push(0xff, 0xd9);
    return Uint8Array.from(out);
  });

/** Junk between frames: anything but a start of image. */
const garbageArb = bytes(50).map((g) => Uint8Array.from(g.map((b, k) => (b === 0xd8 && g[k - 1] === 0xff ? 0xd7 : b))));

const streamArb = fc.array(fc.tuple(garbageArb, jpegArb), { minLength: 1, maxLength: 6 }).map((parts) => ({
  frames: parts.map(([, f]) => f),
  garbage: parts.reduce((sum, [g]) => sum + g.length, 0),
  stream: Uint8Array.from(parts.flatMap(([g, f]) => [...g, ...f])),
}));

/** Cut points for a stream of length n. */
const cutsArb = fc.array(fc.nat(), { maxLength: 40 });

function chunked(stream: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const c of [...at, stream.length]) {
    out.push(stream.slice(from, c));
    from = c;
  }
  return out;
}

function run(chunks: readonly Uint8Array[], max = 1 << 20): { pieces: MjpegPiece[]; maxBuffered: number } {
  const s = new MjpegSplitter({ maxFrameBytes: max });
  const pieces: MjpegPiece[] = [];
  let maxBuffered = 0;
  for (const c of chunks) {
    pieces.push(...s.push(c));
    maxBuffered = Math.max(maxBuffered, s.bufferedBytes());
  }
  pieces.push(...s.end());
  return { pieces, maxBuffered };
}

const framesOf = (pieces: readonly MjpegPiece[]): Uint8Array[] => pieces.flatMap((p) => (p.kind === 'frame' ? [p.jpeg] : []));
const discarded = (pieces: readonly MjpegPiece[], reason?: string): number =>
  pieces.reduce((sum, p) => sum + (p.kind === 'discarded' && (reason === undefined || p.reason === reason) ? p.bytes : 0), 0);
const total = (pieces: readonly MjpegPiece[]): number => pieces.reduce((sum, p) => sum + (p.kind === 'frame' ? p.jpeg.length : p.bytes), 0);

describe('the MJPEG splitter', () => {
  it('finds every frame of a stream, whatever junk lies between them, and counts the junk as garbage', () => {
    fc.assert(
      fc.property(streamArb, ({ frames, garbage, stream }) => {
        const { pieces } = run([stream]);
        expect(framesOf(pieces)).toEqual(frames);
        expect(discarded(pieces)).toBe(garbage);
        expect(discarded(pieces, 'garbage')).toBe(garbage);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same frames however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(streamArb, cutsArb, ({ frames, stream }, cuts) => {
        const { pieces } = run(chunked(stream, cuts));
        expect(framesOf(pieces)).toEqual(frames);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes, accounts for every byte, and never holds more than its bound', () => {
    const max = 1024;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6000 }), cutsArb, (stream, cuts) => {
        const { pieces, maxBuffered } = run(chunked(stream, cuts), max);
        expect(total(pieces)).toBe(stream.length);
        expect(maxBuffered).toBeLessThanOrEqual(max);
        for (const f of framesOf(pieces)) expect(f.length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps its bound on junk made of JPEG markers (starts of image, segments with huge lengths, stuffing)', () => {
    const max = 2048;
    const markerSoup = fc.array(
      fc.oneof(
        fc.constant([0xff, 0xd8]),
        fc.constant([0xff, 0xd9]),
        fc.constant([0xff, 0xda, 0x00, 0x02]),
        fc.constant([0xff, 0xe1, 0xff, 0xff]),
        fc.constant([0xff, 0x00]),
        fc.constant([0xff, 0xff]),
        bytes(20),
      ),
      { maxLength: 400 },
    );
    fc.assert(
      fc.property(markerSoup, cutsArb, (parts, cuts) => {
        const stream = Uint8Array.from(parts.flat());
        const { pieces, maxBuffered } = run(chunked(stream, cuts), max);
        expect(total(pieces)).toBe(stream.length);
        expect(maxBuffered).toBeLessThanOrEqual(max);
      }),
      { numRuns: 300 },
    );
  });

  it('holds no more than its bound on a frame that never ends, and finds the next good frame after it', async () => {
    const max = 64 * 1024;
    const s = new MjpegSplitter({ maxFrameBytes: max });
    const head = Uint8Array.from([0xff, 0xd8, ...seg(0xdb, new Array(64).fill(1)), ...seg(0xda, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]);
    const pieces: MjpegPiece[] = [...s.push(head)];
    const filler = new Uint8Array(16 * 1024).fill(0x5a);
    for (let k = 0; k < 200; k++) {
      pieces.push(...s.push(filler));
      expect(s.bufferedBytes()).toBeLessThanOrEqual(max);
    }
    expect(discarded(pieces, 'too-large')).toBeGreaterThan(max);
    const good = new Uint8Array(await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 9, g: 99, b: 199 } } }).jpeg().toBuffer());
    pieces.push(...s.push(good));
    expect(framesOf(pieces)).toEqual([good]);
    expect(total(pieces)).toBe(head.length + 200 * filler.length + good.length);
  });

  it('throws a frame cut short in its picture data away as truncated when the next one starts, and keeps the next one', async () => {
    const noisy = (mean: number) => sharp({ create: { width: 40, height: 30, channels: 3, background: '#000000', noise: { type: 'gaussian', mean, sigma: 50 } } }).jpeg().toBuffer();
    const a = new Uint8Array(await noisy(100));
    const b = new Uint8Array(await noisy(150));
    const { pieces } = run([a.subarray(0, a.length - 40), b]);
    expect(framesOf(pieces)).toEqual([b]);
    expect(discarded(pieces, 'truncated')).toBe(a.length - 40);
  });

  it('counts what is left open at the end of the stream as truncated', async () => {
    const a = new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } }).jpeg().toBuffer());
    const { pieces } = run([a, a.subarray(0, 100)]);
    expect(framesOf(pieces)).toEqual([a]);
    expect(pieces.at(-1)).toEqual({ kind: 'discarded', reason: 'truncated', bytes: 100 });
  });

  it('splits real encoder output: baseline, progressive (several scans) and with restart markers', async () => {
    const img = sharp({ create: { width: 64, height: 48, channels: 3, background: '#000000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } });
    const raw = await img.raw().toBuffer({ resolveWithObject: true });
    const from = () => sharp(raw.data, { raw: { width: raw.info.width, height: raw.info.height, channels: 3 } });
    const baseline = new Uint8Array(await from().jpeg({ quality: 90 }).toBuffer());
    const progressive = new Uint8Array(await from().jpeg({ quality: 90, progressive: true }).toBuffer());
    const rst = new Uint8Array(await from().jpeg({ quality: 90, mozjpeg: true }).toBuffer());
    const stream = Uint8Array.from([...baseline, 0x0a, ...progressive, ...rst, ...baseline]);
    const { pieces } = run(chunked(stream, [1, 2, 3, 500, 501, 1999, 2000, 4096]));
    expect(framesOf(pieces)).toEqual([baseline, progressive, rst, baseline]);
    expect(discarded(pieces)).toBe(1);
  });

  it('refuses a bound too small to hold a frame', () => {
    expect(() => new MjpegSplitter({ maxFrameBytes: 10 })).toThrow(/maxFrameBytes/);
  });
});
