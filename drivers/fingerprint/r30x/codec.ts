/**
 * Role (r30x codec): Pure framing for the R30x UART protocol: bytes ⇄ packets.
 *
 * The decoder is streaming: feed it whatever the port delivered and it returns every packet it
 * can complete, plus a `discarded` item for every run of bytes it could not use (noise on the
 * line, a packet with a bad checksum, a truncated packet). Nothing is dropped silently and
 * nothing throws: the driver decides what a discarded run means.
 *
 * Memory is bounded whatever the line does (issue #13): what it holds back between chunks is at
 * most one packet (LENGTH is capped at MAX_CONTENT_BYTES); a chunk is worked through in slices,
 * so its working buffer stays a few kilobytes however large the chunk; and a discarded run is
 * reported as its length and a short sample, consecutive runs of the same kind as one item, so
 * 10 MB of noise comes back as a count, not as a copy.
 */
import {
  DEFAULT_ADDER,
  HEADER_HI,
  HEADER_LO,
  MAX_CONTENT_BYTES,
  PACKET_OVERHEAD_BYTES,
  PACKET_PREFIX_BYTES,
  PID,
  type PidValue,
} from './protocol';

export interface R30xPacket {
  readonly kind: 'packet';
  readonly pid: PidValue;
  readonly address: number;
  /** Package content: instruction + parameters, confirmation code + parameters, or data. */
  readonly content: Uint8Array;
}

export type DiscardReason =
  /** Bytes that do not start a packet (line noise, a wrong-baud reply, the R503 power-up 0x55). */
  | 'junk'
  /** A well-formed packet whose checksum did not add up. */
  | 'bad-checksum'
  /** The start of a packet that never completed (only from `flush()`). */
  | 'truncated';

export interface Discarded {
  readonly kind: 'discarded';
  readonly reason: DiscardReason;
  /** The first bytes of the run (at most DISCARD_SAMPLE_BYTES): enough to recognise, never a whole image. */
  readonly bytes: Uint8Array;
  /** How many bytes were discarded. */
  readonly length: number;
}

/** The most of a discarded run kept to show what it was. */
export const DISCARD_SAMPLE_BYTES = 64;
/** A chunk is decoded this much at a time, so the working buffer stays small however large the chunk. */
const SLICE_BYTES = 4096;

export type DecodedItem = R30xPacket | Discarded;

function isPid(b: number): b is PidValue {
  return b === PID.Command || b === PID.Data || b === PID.Ack || b === PID.EndOfData;
}

/** Arithmetic sum of PID, LENGTH and content bytes; overflow bits dropped (manual §IV). */
export function checksum(pid: number, length: number, content: Uint8Array): number {
  let sum = pid + (length >> 8) + (length & 0xff);
  for (let i = 0; i < content.length; i++) sum += content[i] ?? 0;
  return sum & 0xffff;
}

export function encodePacket(pid: PidValue, content: Uint8Array, address: number = DEFAULT_ADDER): Uint8Array {
  const length = content.length + 2;
  const out = new Uint8Array(content.length + PACKET_OVERHEAD_BYTES);
  out[0] = HEADER_HI;
  out[1] = HEADER_LO;
  out[2] = (address >>> 24) & 0xff;
  out[3] = (address >>> 16) & 0xff;
  out[4] = (address >>> 8) & 0xff;
  out[5] = address & 0xff;
  out[6] = pid;
  out[7] = length >> 8;
  out[8] = length & 0xff;
  out.set(content, PACKET_PREFIX_BYTES);
  const sum = checksum(pid, length, content);
  out[out.length - 2] = sum >> 8;
  out[out.length - 1] = sum & 0xff;
  return out;
}

/** A command packet: instruction code followed by its parameters. */
export function encodeCommand(instruction: number, params: readonly number[] = [], address?: number): Uint8Array {
  return encodePacket(PID.Command, Uint8Array.from([instruction, ...params]), address);
}

/** An acknowledge packet: confirmation code followed by its return parameters. */
export function encodeAck(confirmation: number, params: Uint8Array = new Uint8Array(0), address?: number): Uint8Array {
  const content = new Uint8Array(params.length + 1);
  content[0] = confirmation;
  content.set(params, 1);
  return encodePacket(PID.Ack, content, address);
}

export interface DecoderOptions {
  /** Only packets for this address count; others are junk. Undefined accepts any address. */
  readonly address?: number;
}

type Candidate =
  | { readonly kind: 'packet'; readonly total: number }
  | { readonly kind: 'not-a-header' }
  | { readonly kind: 'need-more' };

export class R30xDecoder {
  private buf = new Uint8Array(1024);
  private start = 0;
  private end = 0;
  private readonly address: number | undefined;
  private peak = 1024;

  constructor(opts: DecoderOptions = {}) {
    this.address = opts.address;
  }

  /** Bytes held back waiting for the rest of a packet. */
  get pending(): number {
    return this.end - this.start;
  }

  /** The working buffer's size now. */
  get capacity(): number {
    return this.buf.length;
  }

  /** The largest the working buffer has been. */
  get peakCapacity(): number {
    return this.peak;
  }

  push(chunk: Uint8Array): DecodedItem[] {
    const out: DecodedItem[] = [];
    for (let at = 0; at < chunk.length; at += SLICE_BYTES) {
      this.append(chunk.subarray(at, at + SLICE_BYTES));
      this.drain(out, false);
    }
    return out;
  }

  /**
   * Give up on whatever is buffered: a packet that cannot complete (the sender went quiet, or a
   * corrupted LENGTH promised more bytes than will come) is discarded as `truncated`, and any
   * packet hidden inside it is still found.
   */
  flush(): DecodedItem[] {
    const out: DecodedItem[] = [];
    this.drain(out, true);
    return out;
  }

  /** Forget everything buffered without reporting it (after a reopen). */
  reset(): void {
    this.start = 0;
    this.end = 0;
  }

  private append(chunk: Uint8Array): void {
    const live = this.end - this.start;
    if (this.end + chunk.length > this.buf.length) {
      // At most one held-back packet plus one slice: the buffer never grows past a few kilobytes.
      const size = Math.max(this.buf.length, (live + chunk.length) * 2);
      const next = size === this.buf.length ? this.buf : new Uint8Array(size);
      next.set(this.buf.subarray(this.start, this.end), 0);
      this.buf = next;
      this.start = 0;
      this.end = live;
      this.peak = Math.max(this.peak, size);
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Report a discarded run, joined to the previous item when that is a run of the same kind. */
  private pushDiscard(out: DecodedItem[], reason: DiscardReason, from: number, to: number): void {
    const last = out[out.length - 1];
    if (last?.kind === 'discarded' && last.reason === reason) {
      out[out.length - 1] = { ...last, length: last.length + (to - from) };
      return;
    }
    out.push(this.discard(reason, from, to));
  }

  private drain(out: DecodedItem[], final: boolean): void {
    let junkFrom = -1;
    const emitJunk = (upTo: number): void => {
      if (junkFrom >= 0 && upTo > junkFrom) this.pushDiscard(out, 'junk', junkFrom, upTo);
      junkFrom = -1;
    };
    while (this.start < this.end) {
      const c = this.candidate(this.start);
      if (c.kind === 'not-a-header') {
        if (junkFrom < 0) junkFrom = this.start;
        this.start++;
        continue;
      }
      if (c.kind === 'need-more') {
        if (!final) break;
        emitJunk(this.start);
        const next = this.nextHeader(this.start + 1);
        const stop = next < 0 ? this.end : next;
        this.pushDiscard(out, 'truncated', this.start, stop);
        this.start = stop;
        continue;
      }
      emitJunk(this.start);
      const packet = this.readPacket(this.start, c.total);
      if (packet) {
        out.push(packet);
        this.start += c.total;
      } else {
        // A packet that starts inside the bad one is still a packet: resume at its header.
        const next = this.nextHeader(this.start + 1);
        const stop = next < 0 || next >= this.start + c.total ? this.start + c.total : next;
        this.pushDiscard(out, 'bad-checksum', this.start, stop);
        this.start = stop;
      }
    }
    emitJunk(this.start);
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      // A huge chunk grew the buffer; what is kept between chunks is at most one packet
      // (LENGTH is capped), so give the memory back.
      if (this.buf.length > 64 * 1024) this.buf = new Uint8Array(1024);
    }
  }

  private candidate(at: number): Candidate {
    const b = this.buf;
    const avail = this.end - at;
    if (b[at] !== HEADER_HI) return { kind: 'not-a-header' };
    if (avail < 2) return { kind: 'need-more' };
    if (b[at + 1] !== HEADER_LO) return { kind: 'not-a-header' };
    if (avail < PACKET_PREFIX_BYTES) {
      // Reject early what can already be seen to be wrong, so noise does not stall real packets.
      if (avail >= 6 && this.address !== undefined && this.readAddress(at) !== this.address) {
        return { kind: 'not-a-header' };
      }
      if (avail >= 7 && !isPid(b[at + 6] ?? 0)) return { kind: 'not-a-header' };
      return { kind: 'need-more' };
    }
    if (this.address !== undefined && this.readAddress(at) !== this.address) return { kind: 'not-a-header' };
    if (!isPid(b[at + 6] ?? 0)) return { kind: 'not-a-header' };
    const length = ((b[at + 7] ?? 0) << 8) | (b[at + 8] ?? 0);
    if (length < 3 || length > MAX_CONTENT_BYTES + 2) return { kind: 'not-a-header' };
    const total = PACKET_PREFIX_BYTES + length;
    return avail < total ? { kind: 'need-more' } : { kind: 'packet', total };
  }

  private readAddress(at: number): number {
    const b = this.buf;
    return (((b[at + 2] ?? 0) << 24) | ((b[at + 3] ?? 0) << 16) | ((b[at + 4] ?? 0) << 8) | (b[at + 5] ?? 0)) >>> 0;
  }

  private readPacket(at: number, total: number): R30xPacket | undefined {
    const b = this.buf;
    const pid = b[at + 6] ?? 0;
    if (!isPid(pid)) return undefined;
    const length = total - PACKET_PREFIX_BYTES;
    const content = b.slice(at + PACKET_PREFIX_BYTES, at + total - 2);
    const sum = ((b[at + total - 2] ?? 0) << 8) | (b[at + total - 1] ?? 0);
    if (checksum(pid, length, content) !== sum) return undefined;
    return { kind: 'packet', pid, address: this.readAddress(at), content };
  }

  private nextHeader(from: number): number {
    for (let i = from; i < this.end - 1; i++) {
      if (this.buf[i] === HEADER_HI && this.buf[i + 1] === HEADER_LO) return i;
    }
    // A lone trailing 0xEF may be the first half of a header still on its way.
    return this.end > from && this.buf[this.end - 1] === HEADER_HI ? this.end - 1 : -1;
  }

  private discard(reason: DiscardReason, from: number, to: number): Discarded {
    return { kind: 'discarded', reason, bytes: this.buf.slice(from, Math.min(to, from + DISCARD_SAMPLE_BYTES)), length: to - from };
  }
}
