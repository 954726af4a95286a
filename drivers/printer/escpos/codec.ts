/**
 * Role (ESC/POS codec): bytes ⇄ messages, pure. The host's side: DLE EOT status queries out,
 * their one-byte replies in (`interpretStatus`). The printer's side: the ESC/POS byte stream →
 * commands (`EscPosParser`, for the simulator and for tests that read a job back), and the
 * replies a printer in a given condition sends. Unknown bytes come out as `discarded`, never
 * silently dropped, and a command that claims more bytes than any receipt needs is discarded
 * rather than waited for, so the buffer stays bounded.
 */
import type { PrinterStatus } from '../../types';
import {
  CR,
  DLE,
  DLE_EOT_ERROR_CAUSE,
  DLE_EOT_OFFLINE_CAUSE,
  DLE_EOT_PRINTER_STATUS,
  DLE_EOT_ROLL_PAPER_SENSOR,
  EC_AUTOCUTTER,
  EC_RECOVERABLE,
  EC_UNRECOVERABLE,
  EOT,
  ESC,
  FS,
  GS,
  LF,
  OC_COVER_OPEN,
  OC_ERROR,
  OC_PAPER_END_STOP,
  PS_OFFLINE,
  RP_NEAR_END,
  RP_PAPER_END,
  STATUS_FIXED_BITS,
  STATUS_FIXED_MASK,
  type DleEotN,
} from './protocol';

// ───────────────────────────── host side: status ─────────────────────────────

export function dleEot(n: DleEotN): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/**
 * DLE EOT replies are one byte each. Bits 1 and 4 are always 1, bits 0 and 7 always 0, so a
 * reply is recognisable in a stream that may also carry other bytes (ASB, garbage).
 */
export function isStatusByte(b: number): boolean {
  return (b & STATUS_FIXED_MASK) === STATUS_FIXED_BITS;
}

/** The four replies, in the order the driver asks for them. */
export interface StatusReplies {
  readonly printer: number;
  readonly offlineCause: number;
  readonly errorCause: number;
  readonly paperSensor: number;
}

export const STATUS_QUERY_ORDER = [
  DLE_EOT_PRINTER_STATUS,
  DLE_EOT_OFFLINE_CAUSE,
  DLE_EOT_ERROR_CAUSE,
  DLE_EOT_ROLL_PAPER_SENSOR,
] as const;

/**
 * One status for the kiosk, most actionable first: paper out and cover open are things staff
 * can fix, so they win over the generic "offline" the printer also reports in those cases.
 */
export function interpretStatus(r: StatusReplies): PrinterStatus {
  for (const b of [r.printer, r.offlineCause, r.errorCause, r.paperSensor]) {
    if (!isStatusByte(b)) {
      return { kind: 'fault', reason: 'protocol', message: `not a DLE EOT status byte: 0x${b.toString(16).padStart(2, '0')}` };
    }
  }
  if ((r.paperSensor & RP_PAPER_END) !== 0 || (r.offlineCause & OC_PAPER_END_STOP) !== 0) return { kind: 'paper-out' };
  if ((r.offlineCause & OC_COVER_OPEN) !== 0) return { kind: 'cover-open' };
  if ((r.errorCause & (EC_UNRECOVERABLE | EC_AUTOCUTTER | EC_RECOVERABLE)) !== 0 || (r.offlineCause & OC_ERROR) !== 0) {
    return { kind: 'fault', reason: 'device-error', message: `printer error: error cause 0x${r.errorCause.toString(16)}, offline cause 0x${r.offlineCause.toString(16)}` };
  }
  if ((r.printer & PS_OFFLINE) !== 0) return { kind: 'offline' };
  if ((r.paperSensor & RP_NEAR_END) !== 0) return { kind: 'paper-low' };
  return { kind: 'ready' };
}

/** The replies a printer in a given condition sends; the simulator answers with these. */
export function statusRepliesFor(c: {
  readonly paperOut: boolean;
  readonly paperLow: boolean;
  readonly coverOpen: boolean;
  readonly error?: boolean;
}): StatusReplies {
  const offline = c.paperOut || c.coverOpen || c.error === true;
  return {
    printer: STATUS_FIXED_BITS | (offline ? PS_OFFLINE : 0),
    offlineCause:
      STATUS_FIXED_BITS | (c.coverOpen ? OC_COVER_OPEN : 0) | (c.paperOut ? OC_PAPER_END_STOP : 0) | (c.error === true ? OC_ERROR : 0),
    errorCause: STATUS_FIXED_BITS | (c.error === true ? EC_UNRECOVERABLE : 0),
    paperSensor: STATUS_FIXED_BITS | (c.paperOut ? RP_PAPER_END | RP_NEAR_END : 0) | (c.paperLow ? RP_NEAR_END : 0),
  };
}

// ───────────────────────────── printer side: the job stream ─────────────────────────────

export type EscPosCommand =
  | { readonly kind: 'init' }
  | { readonly kind: 'text'; readonly bytes: Uint8Array }
  | { readonly kind: 'newline' }
  | { readonly kind: 'carriage-return' }
  | { readonly kind: 'codepage'; readonly n: number }
  | { readonly kind: 'align'; readonly n: number }
  | { readonly kind: 'bold'; readonly on: boolean }
  | { readonly kind: 'underline'; readonly n: number }
  | { readonly kind: 'font'; readonly n: number }
  | { readonly kind: 'print-mode'; readonly n: number }
  | { readonly kind: 'size'; readonly width: number; readonly height: number }
  | { readonly kind: 'feed-lines'; readonly n: number }
  | { readonly kind: 'feed-dots'; readonly n: number }
  | { readonly kind: 'line-spacing'; readonly dots: number | 'default' }
  | { readonly kind: 'cut'; readonly partial: boolean }
  | { readonly kind: 'qr'; readonly fn: number; readonly params: Uint8Array }
  | { readonly kind: 'raster'; readonly mode: number; readonly widthBytes: number; readonly height: number; readonly data: Uint8Array }
  | { readonly kind: 'realtime-status'; readonly n: number }
  | { readonly kind: 'transmit-status'; readonly n: number }
  | { readonly kind: 'other'; readonly name: string; readonly bytes: Uint8Array }
  | { readonly kind: 'discarded'; readonly byte: number };

export type ParseStep = { readonly cmd: EscPosCommand; readonly next: number } | 'incomplete';

/**
 * The longest command we wait for. The biggest in a receipt is one GS v 0 band (576 dots wide,
 * a text row high: a few KB) or a QR's data; 64 KiB is far above both and keeps the buffer small.
 */
export const MAX_COMMAND_BYTES = 64 * 1024;

/** ESC commands with a fixed number of argument bytes that we only need to skip. */
const ESC_FIXED: Readonly<Record<number, number>> = {
  0x20: 1, // ESC SP n, right-side character spacing
  0x24: 2, // ESC $ nL nH, absolute position
  0x25: 1, // ESC % n, user-defined characters
  0x47: 1, // ESC G n, double-strike
  0x52: 1, // ESC R n, international character set
  0x56: 1, // ESC V n, 90° rotation
  0x5c: 2, // ESC \ nL nH, relative position
  0x63: 2, // ESC c n m (panel buttons, paper sensors)
  0x70: 3, // ESC p m t1 t2, drawer kick pulse
  0x72: 1, // ESC r n, colour
  0x7b: 1, // ESC { n, upside-down
};

/** GS commands with a fixed number of argument bytes that we only need to skip. */
const GS_FIXED: Readonly<Record<number, number>> = {
  0x42: 1, // GS B n, reverse
  0x48: 1, // GS H n, HRI position
  0x4c: 2, // GS L nL nH, left margin
  0x50: 2, // GS P x y, motion units
  0x57: 2, // GS W nL nH, print area width
  0x61: 1, // GS a n, Automatic Status Back
  0x66: 1, // GS f n, HRI font
  0x68: 1, // GS h n, barcode height
  0x77: 1, // GS w n, barcode width
};

function slice(buf: Uint8Array, from: number, to: number): Uint8Array {
  return buf.slice(from, to);
}

export function parseCommand(buf: Uint8Array, at: number): ParseStep {
  const b0 = buf[at];
  if (b0 === undefined) return 'incomplete';
  const arg = (i: number): number | undefined => buf[at + i];
  const need = (n: number): boolean => buf.length < at + n;

  if (b0 === LF) return { cmd: { kind: 'newline' }, next: at + 1 };
  if (b0 === CR) return { cmd: { kind: 'carriage-return' }, next: at + 1 };
  if (b0 >= 0x20 && b0 !== 0x7f) {
    let end = at;
    while (end < buf.length && (buf[end] ?? 0) >= 0x20 && buf[end] !== 0x7f) end++;
    return { cmd: { kind: 'text', bytes: slice(buf, at, end) }, next: end };
  }
  if (b0 === DLE) {
    if (need(3)) return 'incomplete';
    if (arg(1) === EOT) return { cmd: { kind: 'realtime-status', n: arg(2) ?? 0 }, next: at + 3 };
    return { cmd: { kind: 'other', name: `DLE 0x${(arg(1) ?? 0).toString(16)}`, bytes: slice(buf, at, at + 3) }, next: at + 3 };
  }
  if (b0 === FS) {
    if (need(2)) return 'incomplete';
    return { cmd: { kind: 'other', name: `FS ${String.fromCharCode(arg(1) ?? 0)}`, bytes: slice(buf, at, at + 2) }, next: at + 2 };
  }
  if (b0 === ESC) {
    if (need(2)) return 'incomplete';
    const c = arg(1) ?? 0;
    if (c === 0x40) return { cmd: { kind: 'init' }, next: at + 2 };
    if (c === 0x32) return { cmd: { kind: 'line-spacing', dots: 'default' }, next: at + 2 };
    const one: Readonly<Record<number, (n: number) => EscPosCommand>> = {
      0x74: (n) => ({ kind: 'codepage', n }),
      0x61: (n) => ({ kind: 'align', n: n >= 0x30 ? n - 0x30 : n }),
      0x45: (n) => ({ kind: 'bold', on: (n & 1) === 1 }),
      0x2d: (n) => ({ kind: 'underline', n: n >= 0x30 ? n - 0x30 : n }),
      0x4d: (n) => ({ kind: 'font', n: n >= 0x30 ? n - 0x30 : n }),
      0x21: (n) => ({ kind: 'print-mode', n }),
      0x64: (n) => ({ kind: 'feed-lines', n }),
      0x4a: (n) => ({ kind: 'feed-dots', n }),
      0x33: (n) => ({ kind: 'line-spacing', dots: n }),
    };
    const make = one[c];
    if (make !== undefined) {
      if (need(3)) return 'incomplete';
      return { cmd: make(arg(2) ?? 0), next: at + 3 };
    }
    const skip = ESC_FIXED[c];
    if (skip !== undefined) {
      if (need(2 + skip)) return 'incomplete';
      return { cmd: { kind: 'other', name: `ESC ${String.fromCharCode(c)}`, bytes: slice(buf, at, at + 2 + skip) }, next: at + 2 + skip };
    }
    return { cmd: { kind: 'discarded', byte: b0 }, next: at + 1 };
  }
  if (b0 === GS) {
    if (need(2)) return 'incomplete';
    const c = arg(1) ?? 0;
    if (c === 0x21) {
      if (need(3)) return 'incomplete';
      const n = arg(2) ?? 0;
      return { cmd: { kind: 'size', width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 }, next: at + 3 };
    }
    if (c === 0x72) {
      if (need(3)) return 'incomplete';
      const n = arg(2) ?? 0;
      return { cmd: { kind: 'transmit-status', n: n >= 0x30 ? n - 0x30 : n }, next: at + 3 };
    }
    if (c === 0x56) {
      // GS V m: function A (m = 0, 1, 48, 49) has no n; function B (65, 66) and later take n.
      if (need(3)) return 'incomplete';
      const m = arg(2) ?? 0;
      const len = m === 0 || m === 1 || m === 48 || m === 49 ? 3 : 4;
      if (need(len)) return 'incomplete';
      return { cmd: { kind: 'cut', partial: (m & 1) === 1 }, next: at + len };
    }
    if (c === 0x76) {
      // GS v 0 m xL xH yL yH d1…dk, k = (xL + xH·256)·(yL + yH·256)
      if (need(8)) return 'incomplete';
      const widthBytes = (arg(4) ?? 0) + 256 * (arg(5) ?? 0);
      const height = (arg(6) ?? 0) + 256 * (arg(7) ?? 0);
      const end = at + 8 + widthBytes * height;
      // A header promising more than a whole receipt is line noise: do not wait for it.
      if (end - at > MAX_COMMAND_BYTES) return { cmd: { kind: 'discarded', byte: b0 }, next: at + 1 };
      if (buf.length < end) return 'incomplete';
      return { cmd: { kind: 'raster', mode: arg(3) ?? 0, widthBytes, height, data: slice(buf, at + 8, end) }, next: end };
    }
    if (c === 0x28) {
      // GS ( x pL pH … : a length-prefixed function group.
      if (need(5)) return 'incomplete';
      const len = (arg(3) ?? 0) + 256 * (arg(4) ?? 0);
      const end = at + 5 + len;
      if (end - at > MAX_COMMAND_BYTES) return { cmd: { kind: 'discarded', byte: b0 }, next: at + 1 };
      if (buf.length < end) return 'incomplete';
      if (arg(2) === 0x6b && len >= 2 && arg(5) === 49) {
        return { cmd: { kind: 'qr', fn: arg(6) ?? 0, params: slice(buf, at + 7, end) }, next: end };
      }
      return { cmd: { kind: 'other', name: `GS ( ${String.fromCharCode(arg(2) ?? 0)}`, bytes: slice(buf, at, end) }, next: end };
    }
    const skip = GS_FIXED[c];
    if (skip !== undefined) {
      if (need(2 + skip)) return 'incomplete';
      return { cmd: { kind: 'other', name: `GS ${String.fromCharCode(c)}`, bytes: slice(buf, at, at + 2 + skip) }, next: at + 2 + skip };
    }
    return { cmd: { kind: 'discarded', byte: b0 }, next: at + 1 };
  }
  return { cmd: { kind: 'discarded', byte: b0 }, next: at + 1 };
}

/** A command and how many bytes of the stream it took. */
export interface ParsedCommand {
  readonly cmd: EscPosCommand;
  readonly size: number;
}

/** Streaming: feed chunks as they arrive, get whole commands back. Holds at most one command's bytes. */
export class EscPosParser {
  private pending = new Uint8Array(0);

  push(bytes: Uint8Array): ParsedCommand[] {
    const buf = new Uint8Array(this.pending.length + bytes.length);
    buf.set(this.pending);
    buf.set(bytes, this.pending.length);
    const out: ParsedCommand[] = [];
    let at = 0;
    for (;;) {
      const step = parseCommand(buf, at);
      if (step === 'incomplete') break;
      out.push({ cmd: step.cmd, size: step.next - at });
      at = step.next;
    }
    this.pending = buf.slice(at);
    return out;
  }

  reset(): void {
    this.pending = new Uint8Array(0);
  }
}
