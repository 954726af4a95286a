import { CR, DLE, EOT, ESC, FS, GS, LF } from './commands';

/**
 * ESC/POS byte stream → commands, for the simulator (and for tests that read a job back).
 * Unknown bytes come out as `discarded`, never silently dropped, so a test sees them.
 */
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
      if (buf.length < end) return 'incomplete';
      return { cmd: { kind: 'raster', mode: arg(3) ?? 0, widthBytes, height, data: slice(buf, at + 8, end) }, next: end };
    }
    if (c === 0x28) {
      // GS ( x pL pH … : a length-prefixed function group.
      if (need(5)) return 'incomplete';
      const len = (arg(3) ?? 0) + 256 * (arg(4) ?? 0);
      const end = at + 5 + len;
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
