/**
 * Role (serial scanner codec): serial 2D scanner framing (USB-CDC or UART). The scanner sends
 * each decoded code as raw bytes (UTF-8 for Vietnamese QR text) followed by a configurable
 * suffix. With suffix `none`, a pause longer than `idleGapMs` ends the code. Pure: bytes and the
 * time they arrived in, frames out; junk comes out as `discarded`; the buffer is bounded.
 */
import { addFrame, decodeScan, MAX_SCAN_BYTES, MrzLineJoiner, type ScanFrame, type StreamCodec } from '../codec';
import { CR, LF, type Suffix } from './protocol';

export { suffixBytes, type Suffix } from './protocol';

export interface SerialCodecOptions {
  readonly suffix: Suffix;
  /** Silence that ends a code (suffix none) or abandons a half-read one (with a suffix). */
  readonly idleGapMs: number;
  /** Rejoin MRZ lines sent as separate CR-terminated codes (default true). */
  readonly joinMrzLines?: boolean;
}

export class SerialScanCodec implements StreamCodec {
  private buffer: number[] = [];
  private lastByteAt = Number.NEGATIVE_INFINITY;
  /** After an over-long code, drop bytes until the next terminator. */
  private skipping = false;
  private readonly joiner: MrzLineJoiner | undefined;

  constructor(private readonly options: SerialCodecOptions) {
    this.joiner = options.joinMrzLines === false ? undefined : new MrzLineJoiner();
  }

  get held(): number {
    return this.buffer.length;
  }

  /** Feed one read from the port. A read may hold part of a code, or the end of one and the next. */
  push(chunk: Uint8Array, nowMs: number): ScanFrame[] {
    const out: ScanFrame[] = [];
    if (chunk.length === 0) return out;
    const add = (frames: ScanFrame[]): void => {
      for (const f of frames) addFrame(out, f);
    };
    // A long silence before these bytes means whatever was buffered belongs to an earlier code.
    if (nowMs - this.lastByteAt > this.options.idleGapMs) add(this.expire());
    this.lastByteAt = nowMs;
    for (const byte of chunk) {
      if (this.isTerminator(byte)) {
        add(this.endCode());
        continue;
      }
      if (this.skipping) continue;
      // Bounded: one byte more than any code holds, and the code is dropped (the rest skipped to its end).
      if (this.buffer.length >= MAX_SCAN_BYTES) {
        add(this.emit({ kind: 'discarded', reason: 'too-long', bytes: Uint8Array.from(this.buffer.slice(0, 64)), length: this.buffer.length + 1 }));
        this.buffer = [];
        this.skipping = true;
        continue;
      }
      this.buffer.push(byte);
    }
    return out;
  }

  /** Call when `idleGapMs` has passed since the last byte (see `deadline`). */
  idle(nowMs: number): ScanFrame[] {
    if (nowMs - this.lastByteAt < this.options.idleGapMs) return [];
    return this.expire();
  }

  /** When the driver should call `idle`, or undefined if nothing is waiting on the clock. */
  deadline(): number | undefined {
    const waiting = this.buffer.length > 0 || this.skipping || (this.joiner?.hasPending() ?? false);
    return waiting ? this.lastByteAt + this.options.idleGapMs : undefined;
  }

  private isTerminator(byte: number): boolean {
    switch (this.options.suffix) {
      case 'CR':
        return byte === CR;
      case 'LF':
      case 'CRLF':
        // For CRLF we end on LF and strip the CR (decodeScan trims it): a lone CR inside a
        // code is kept, and an LF-only sender still works.
        return byte === LF;
      case 'none':
        return false;
    }
  }

  private endCode(): ScanFrame[] {
    if (this.skipping) {
      this.skipping = false;
      return [];
    }
    const bytes = Uint8Array.from(this.buffer);
    this.buffer = [];
    // CR then LF from a CRLF-sending scanner set to CR: the LF starts an empty "code"; skip it.
    const frame = decodeScan(bytes);
    if (frame.kind === 'scan' && frame.text === '') return [];
    return this.emit(frame);
  }

  private expire(): ScanFrame[] {
    const out: ScanFrame[] = [];
    if (this.buffer.length > 0) {
      const bytes = Uint8Array.from(this.buffer);
      this.buffer = [];
      if (this.options.suffix === 'none') out.push(...this.emit(decodeScan(bytes)));
      else out.push(...this.emit({ kind: 'discarded', reason: 'incomplete', bytes }));
    }
    this.skipping = false;
    if (this.joiner) out.push(...this.joiner.flush());
    return out;
  }

  private emit(frame: ScanFrame): ScanFrame[] {
    if (frame.kind === 'scan' && frame.text === '') return [];
    return this.joiner ? this.joiner.push(frame) : [frame];
  }
}
