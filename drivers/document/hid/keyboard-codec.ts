import type { ScanFrame } from '../frames';
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
  USAGE_CHARS,
} from './usage-table';

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

export class KeyboardWedgeCodec {
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
    let text = '';
    // Alt released: the digits typed under it are one character.
    if (!alt && this.altDigits !== '') text += this.altCharacter();
    for (const key of keys) {
      if (this.previous.has(key)) continue;
      const digit = alt ? keypadDigit(key) : undefined;
      if (digit !== undefined) {
        // Bounded: no code point has more than 7 decimal digits.
        if (this.altDigits.length < 8) this.altDigits += digit;
        continue;
      }
      if (key === KEY_ENTER || key === KEYPAD_ENTER) text += '\r';
      else text += USAGE_CHARS.get(key)?.[shift ? 1 : 0] ?? '';
    }
    this.previous = new Set(keys);
    return text === '' ? [] : this.framing.push(utf8.encode(text), nowMs);
  }

  idle(nowMs: number): ScanFrame[] {
    return this.framing.idle(nowMs);
  }

  deadline(): number | undefined {
    return this.framing.deadline();
  }

  private altCharacter(): string {
    const code = Number(this.altDigits);
    this.altDigits = '';
    const valid = code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff);
    return valid ? String.fromCodePoint(code) : '\uFFFD';
  }
}
