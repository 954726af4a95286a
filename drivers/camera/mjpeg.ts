/**
 * Role (camera codec): an MJPEG byte stream (a camera program's stdout: JPEG after JPEG, no
 * container) → complete JPEG frames. Pure bytes in, frames out; junk comes out as a discarded
 * piece with a reason and a byte count, never thrown; the one buffer is bounded.
 *
 * A frame is found by walking the JPEG's own structure (ITU-T T.81 Annex B), not by searching
 * for the next FF D9: marker segments are skipped by their length (so an EXIF thumbnail, a whole
 * JPEG inside APP1, does not end the frame early), and in entropy-coded data FF is followed only
 * by 00 (stuffing), D0–D7 (restart markers) or a real marker, so FF D9 there is the end of the
 * image. A new FF D8 where a marker must be means the frame before it was cut short.
 *
 * Memory: at most `maxFrameBytes` are held. A frame that grows past that (a stream with no end
 * of image, a runaway encoder) is discarded as `too-large`, and what follows is skipped as
 * garbage until the next start of image.
 */

/** Marker codes after 0xFF (T.81 Table B.1). */
const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const TEM = 0x01;
const isRst = (c: number): boolean => c >= 0xd0 && c <= 0xd7;

export type DiscardReason =
  /** Bytes between frames that are not the start of one. */
  | 'garbage'
  /** A frame cut short: a new start of image, or the end of the stream, came before its end. */
  | 'truncated'
  /** A frame longer than `maxFrameBytes`. */
  | 'too-large'
  /** Not a JPEG's structure where one must be (no marker after a segment, a length under 2, an end with no image). */
  | 'corrupt';

export type MjpegPiece = { readonly kind: 'frame'; readonly jpeg: Uint8Array } | { readonly kind: 'discarded'; readonly reason: DiscardReason; readonly bytes: number };

export interface MjpegSplitterOptions {
  /** The largest frame kept; also the most memory the splitter holds. At least 1 KiB. */
  readonly maxFrameBytes: number;
}

/** 4 MiB: a 1280 × 960 frame from the camera programs is ~100–300 KB; a 12 MP one at quality 95 is under 4 MB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

type State =
  /** Between frames, looking for FF D8. */
  | 'hunt'
  /** In a frame, where a marker must come. */
  | 'marker'
  | 'length-high'
  | 'length-low'
  /** Skipping a marker segment's body. */
  | 'segment'
  /** In entropy-coded data after SOS. */
  | 'entropy';

export class MjpegSplitter {
  private readonly max: number;
  private state: State = 'hunt';
  /** The byte before was 0xFF (in hunt, marker and entropy states; the FF is already counted or buffered). */
  private ff = false;
  private garbage = 0;
  private lengthHigh = 0;
  private remaining = 0;
  private afterSegment: 'marker' | 'entropy' = 'marker';
  private sawScan = false;
  private buf = new Uint8Array(0);
  private len = 0;

  constructor(opts: MjpegSplitterOptions) {
    if (!Number.isInteger(opts.maxFrameBytes) || opts.maxFrameBytes < 1024) throw new RangeError(`maxFrameBytes must be a whole number ≥ 1024, not ${opts.maxFrameBytes}`);
    this.max = opts.maxFrameBytes;
  }

  /** Bytes of an unfinished frame held now (never more than maxFrameBytes). */
  bufferedBytes(): number {
    return this.len;
  }

  /** Feed the next bytes of the stream; returns the frames they completed and what was thrown away. */
  push(chunk: Uint8Array): MjpegPiece[] {
    const out: MjpegPiece[] = [];
    const n = chunk.length;
    let i = 0;
    /** Where the current frame's bytes in this chunk begin (meaningful outside hunt). */
    let start = 0;
    while (i < n) {
      const c = chunk[i] ?? 0;
      switch (this.state) {
        case 'hunt': {
          if (this.ff) {
            this.ff = false;
            if (c === SOI) {
              this.beginFrame(out);
              start = ++i;
              continue;
            }
            this.garbage += 1; // the FF before was not a start of image
            if (c === 0xff) this.ff = true;
            else this.garbage += 1;
            i++;
            continue;
          }
          const j = chunk.indexOf(0xff, i);
          if (j < 0) {
            this.garbage += n - i;
            i = n;
          } else {
            this.garbage += j - i;
            this.ff = true;
            i = j + 1;
          }
          continue;
        }
        case 'marker': {
          if (!this.ff) {
            if (c === 0xff) {
              this.ff = true;
              i++;
            } else {
              // A segment ended and no marker follows: not a JPEG. The byte is looked at again as garbage.
              this.discardFrame(out, 'corrupt', i - start);
            }
            continue;
          }
          i++;
          if (c === 0xff) continue; // fill bytes before a marker
          this.ff = false;
          if (c === SOI) {
            start = this.restartFrame(out, start, i);
          } else if (c === EOI) {
            if (this.sawScan) this.completeFrame(out, chunk, start, i);
            else this.discardFrame(out, 'corrupt', i - start);
          } else if (isRst(c) || c === TEM) {
            // Stand-alone markers: no length, nothing to skip.
          } else if (c === 0x00) {
            this.discardFrame(out, 'corrupt', i - start);
          } else {
            this.afterSegment = c === SOS ? 'entropy' : 'marker';
            this.state = 'length-high';
          }
          continue;
        }
        case 'length-high':
          this.lengthHigh = c;
          this.state = 'length-low';
          i++;
          continue;
        case 'length-low': {
          i++;
          const length = (this.lengthHigh << 8) | c;
          if (length < 2) {
            this.discardFrame(out, 'corrupt', i - start);
            continue;
          }
          this.remaining = length - 2;
          this.state = 'segment';
          if (this.remaining === 0) this.endSegment();
          continue;
        }
        case 'segment': {
          const take = Math.min(this.remaining, n - i);
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.endSegment();
          continue;
        }
        case 'entropy': {
          if (!this.ff) {
            const j = chunk.indexOf(0xff, i);
            if (j < 0) i = n;
            else {
              this.ff = true;
              i = j + 1;
            }
            continue;
          }
          i++;
          if (c === 0x00 || isRst(c)) {
            this.ff = false; // stuffed FF, or a restart marker: still in the scan
          } else if (c === 0xff) {
            // fill byte: the marker is still to come
          } else {
            this.ff = false;
            if (c === EOI) this.completeFrame(out, chunk, start, i);
            else if (c === SOI) start = this.restartFrame(out, start, i);
            else if (c === TEM) this.state = 'marker';
            else {
              // The scan ended at a marker segment (DHT, SOS, DRI, … between a progressive JPEG's scans).
              this.afterSegment = c === SOS ? 'entropy' : 'marker';
              this.state = 'length-high';
            }
          }
          continue;
        }
      }
    }
    if (this.state !== 'hunt') this.keep(out, chunk, start, n);
    if (this.garbage > 0) this.reportGarbage(out);
    return out;
  }

  /** The stream ended: a frame still open was cut short. */
  end(): MjpegPiece[] {
    const out: MjpegPiece[] = [];
    if (this.state === 'hunt') {
      if (this.ff) this.garbage += 1;
      this.ff = false;
      this.reportGarbage(out);
    } else {
      this.discardFrame(out, 'truncated', 0);
    }
    return out;
  }

  private endSegment(): void {
    this.state = this.afterSegment;
    if (this.afterSegment === 'entropy') this.sawScan = true;
  }

  private reportGarbage(out: MjpegPiece[]): void {
    if (this.garbage > 0) out.push({ kind: 'discarded', reason: 'garbage', bytes: this.garbage });
    this.garbage = 0;
  }

  /** FF D8 seen between frames: a frame starts with those two bytes. */
  private beginFrame(out: MjpegPiece[]): void {
    this.reportGarbage(out);
    this.reserve(2);
    this.buf[0] = 0xff;
    this.buf[1] = SOI;
    this.len = 2;
    this.state = 'marker';
    this.ff = false;
    this.sawScan = false;
  }

  /**
   * FF D8 inside a frame (the D8 just before `i`): the frame so far was cut short and a new one
   * starts. Returns where the new frame's bytes in this chunk begin.
   */
  private restartFrame(out: MjpegPiece[], start: number, i: number): number {
    // The old frame's bytes, less the FF D8 that now begin the new one.
    out.push({ kind: 'discarded', reason: 'truncated', bytes: this.len + (i - start) - 2 });
    this.len = 0;
    this.beginFrame(out);
    return i;
  }

  /** The frame's last byte is just before `end`. */
  private completeFrame(out: MjpegPiece[], chunk: Uint8Array, start: number, end: number): void {
    if (this.append(chunk, start, end)) out.push({ kind: 'frame', jpeg: this.buf.slice(0, this.len) });
    else out.push({ kind: 'discarded', reason: 'too-large', bytes: this.len + (end - start) });
    this.len = 0;
    this.state = 'hunt';
    this.ff = false;
  }

  /** Throw the open frame away: what is buffered plus `more` bytes of this chunk. */
  private discardFrame(out: MjpegPiece[], reason: DiscardReason, more: number): void {
    out.push({ kind: 'discarded', reason, bytes: this.len + more });
    this.len = 0;
    this.state = 'hunt';
    this.ff = false;
  }

  /** The chunk ended inside a frame: keep its bytes, within the bound. */
  private keep(out: MjpegPiece[], chunk: Uint8Array, start: number, end: number): void {
    if (!this.append(chunk, start, end)) this.discardFrame(out, 'too-large', end - start);
  }

  private append(chunk: Uint8Array, start: number, end: number): boolean {
    const need = this.len + (end - start);
    if (need > this.max) return false;
    this.reserve(need);
    this.buf.set(chunk.subarray(start, end), this.len);
    this.len = need;
    return true;
  }

  private reserve(need: number): void {
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.min(this.max, Math.max(need, this.buf.length * 2, 64 * 1024)));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}
