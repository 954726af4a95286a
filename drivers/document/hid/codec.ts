/**
 * Role (HID scanner codec): HID reports ⇄ scans, for both ways a USB scanner speaks HID. Pure:
 * reports and the time they arrived in, frames out; junk comes out as `discarded`; every buffer
 * is bounded.
 */
import { decodeScan, MAX_SCAN_BYTES, MrzLineJoiner, type ScanFrame, type StreamCodec } from '../codec';
import { SerialScanCodec } from '../serial/codec';
import {
  ERROR_ROLLOVER,
  KEY_ENTER,
  KEYPAD_ENTER,
  keypadDigit,
  MOD_LEFT_ALT,
  MOD_LEFT_SHIFT,
  MOD_RIGHT_ALT,
  MOD_RIGHT_SHIFT,
  POS_DATA_OFFSET,
  POS_LENGTH_OFFSET,
  POS_MAX_DATA,
  POS_MORE_FLAG_OFFSET,
  POS_SCANNED_DATA_REPORT_ID,
  USAGE_CHARS,
} from './protocol';

/**
 * Keyboard-wedge scanner: the scanner pretends to be a keyboard and "types" the code, one
 * boot-protocol report per key state: [modifiers, reserved, key1 … key6]. A key is typed when
 * it appears in a report and was not in the previous one. Characters a US keyboard cannot type
 * (Vietnamese letters) come as Alt + keypad digits, the decimal Unicode code point, released
 * with Alt (the scanners' "Unicode Alt mode"). Enter ends a code.
 *
 * The decoded characters go through the serial codec's framing (Enter = CR) so that idle-gap,
 * half-read and MRZ-line handling are the same for every scanner.
 */
export interface KeyboardCodecOptions {
  readonly idleGapMs: number;
  /** `enter`: the scanner types Enter after each code (default); `idle`: it types nothing. */
  readonly terminator?: 'enter' | 'idle';
  /** Numbered reports (a report ID byte before the modifiers). */
  readonly reportId?: boolean;
}

const utf8 = new TextEncoder();

export class KeyboardWedgeCodec implements StreamCodec {
  private previous = new Set<number>();
  private altDigits = '';
  private readonly framing: SerialScanCodec;

  constructor(private readonly options: KeyboardCodecOptions) {
    this.framing = new SerialScanCodec({ suffix: options.terminator === 'idle' ? 'none' : 'CR', idleGapMs: options.idleGapMs });
  }

  push(raw: Uint8Array, nowMs: number): ScanFrame[] {
    const report = this.options.reportId ? raw.subarray(1) : raw;
    if (report.length < 3) return [];
    const mods = report[0] ?? 0;
    const keys = [...report.subarray(2, 8)].filter((k) => k !== 0);
    if (keys.length > 0 && keys.every((k) => k === ERROR_ROLLOVER)) return [];
    const shift = (mods & (MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT)) !== 0;
    const alt = (mods & (MOD_LEFT_ALT | MOD_RIGHT_ALT)) !== 0;
    const bytes: number[] = [];
    const type = (text: string): void => {
      bytes.push(...utf8.encode(text));
    };
    // Alt released: the digits typed under it are one character.
    if (!alt && this.altDigits !== '') {
      const ch = this.altCharacter();
      // No such character: line noise, or a scanner on another code page. A byte that is never
      // UTF-8 makes the framing discard the whole code as unreadable, rather than pass on a guess.
      if (ch === undefined) bytes.push(0xff);
      else type(ch);
    }
    for (const key of keys) {
      if (this.previous.has(key)) continue;
      const digit = alt ? keypadDigit(key) : undefined;
      if (digit !== undefined) {
        // Bounded: no code point has more than 7 decimal digits.
        if (this.altDigits.length < 8) this.altDigits += digit;
        continue;
      }
      if (key === KEY_ENTER || key === KEYPAD_ENTER) type('\r');
      else type(USAGE_CHARS.get(key)?.[shift ? 1 : 0] ?? '');
    }
    this.previous = new Set(keys);
    return bytes.length === 0 ? [] : this.framing.push(Uint8Array.from(bytes), nowMs);
  }

  idle(nowMs: number): ScanFrame[] {
    return this.framing.idle(nowMs);
  }

  deadline(): number | undefined {
    return this.framing.deadline();
  }

  get held(): number {
    return this.framing.held + this.altDigits.length;
  }

  /** The character the Alt digits name, or undefined when they name none. */
  private altCharacter(): string | undefined {
    const code = Number(this.altDigits);
    this.altDigits = '';
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : undefined;
  }
}

export interface PosCodecOptions {
  readonly idleGapMs: number;
  readonly reportId?: number;
  readonly lengthOffset?: number;
  readonly dataOffset?: number;
  readonly maxData?: number;
  readonly moreFlagOffset?: number;
}

/** HID-POS "Scanned Data Report" (layout in protocol.ts): a code longer than 56 bytes (every CCCD QR) spans several reports. */
export class HidPosCodec implements StreamCodec {
  private data: number[] = [];
  /** After a message longer than any code, its remaining reports are dropped until its last one. */
  private skipping = false;
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly joiner = new MrzLineJoiner();
  private readonly o: Required<PosCodecOptions>;

  constructor(options: PosCodecOptions) {
    this.o = {
      reportId: POS_SCANNED_DATA_REPORT_ID,
      lengthOffset: POS_LENGTH_OFFSET,
      dataOffset: POS_DATA_OFFSET,
      maxData: POS_MAX_DATA,
      moreFlagOffset: POS_MORE_FLAG_OFFSET,
      ...options,
    };
  }

  push(report: Uint8Array, nowMs: number): ScanFrame[] {
    const out: ScanFrame[] = [];
    if (nowMs - this.lastAt > this.o.idleGapMs) out.push(...this.expire());
    this.lastAt = nowMs;
    // Other reports on the same interface (status, trigger) are not ours.
    if (report[0] !== this.o.reportId) return out;
    const length = report[this.o.lengthOffset] ?? 0;
    if (length > this.o.maxData || this.o.dataOffset + length > report.length) {
      this.data = [];
      this.skipping = false;
      out.push({ kind: 'discarded', reason: 'malformed', bytes: report.slice(0, 8) });
      return out;
    }
    const more = ((report[this.o.moreFlagOffset] ?? 0) & 0x01) !== 0;
    if (this.skipping) {
      if (!more) this.skipping = false;
      return out;
    }
    // Bounded: a message that would hold more than any code is dropped whole, once, and the rest
    // of its reports skipped to its last (no scan is made of its tail).
    if (this.data.length + length > MAX_SCAN_BYTES) {
      out.push({ kind: 'discarded', reason: 'too-long', bytes: Uint8Array.from(this.data.slice(0, 64)), length: this.data.length + length });
      this.data = [];
      this.skipping = more;
      return out;
    }
    this.data.push(...report.subarray(this.o.dataOffset, this.o.dataOffset + length));
    if (more) return out;
    const bytes = Uint8Array.from(this.data);
    this.data = [];
    const frame = decodeScan(bytes);
    if (frame.kind === 'scan' && frame.text === '') return out;
    // A scanner may send each MRZ line as its own message.
    out.push(...this.joiner.push(frame));
    return out;
  }

  idle(nowMs: number): ScanFrame[] {
    return nowMs - this.lastAt < this.o.idleGapMs ? [] : this.expire();
  }

  deadline(): number | undefined {
    return this.data.length > 0 || this.skipping || this.joiner.hasPending() ? this.lastAt + this.o.idleGapMs : undefined;
  }

  get held(): number {
    return this.data.length;
  }

  private expire(): ScanFrame[] {
    const out: ScanFrame[] = [];
    if (this.data.length > 0) out.push({ kind: 'discarded', reason: 'incomplete', bytes: Uint8Array.from(this.data) });
    this.data = [];
    this.skipping = false;
    out.push(...this.joiner.flush());
    return out;
  }
}
