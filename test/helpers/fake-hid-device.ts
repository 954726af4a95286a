/**
 * Test helper: a HID scanner standing in for node-hid's device (node-hid needs real hardware to
 * construct; this is the "fake only at its own seam" that test/README.md allows). It emits the
 * reports a real scanner sends. The report builders are written from the scanner's side
 * (text → reports), independently of the decoders, so a test checks one against the other.
 */
import { EventEmitter } from 'node:events';
import type { HidDeviceLike } from '../../drivers/document/hid/transport';
import { KEY_ENTER, KEYPAD_0, KEYPAD_1, MOD_LEFT_ALT, MOD_LEFT_SHIFT, POS_REPORT_SIZE, USAGE_CHARS } from '../../drivers/document/hid/protocol';

export class FakeHidDevice extends EventEmitter implements HidDeviceLike {
  closed = false;

  close(): void {
    this.closed = true;
  }

  /** Emit reports with a small gap, as USB interrupt transfers arrive. */
  async emitReports(reports: readonly Uint8Array[], gapMs = 0): Promise<void> {
    for (const report of reports) {
      if (this.closed) return;
      this.emit('data', Buffer.from(report));
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
    await new Promise((r) => setImmediate(r));
  }

  unplug(): void {
    this.emit('error', new Error('could not read from HID device'));
  }
}

const TYPABLE: ReadonlyMap<string, { usage: number; shift: boolean }> = (() => {
  const map = new Map<string, { usage: number; shift: boolean }>();
  for (const [usage, [plain, shifted]] of USAGE_CHARS) {
    // Prefer the main block over the keypad for digits and symbols, as scanners do.
    if (!map.has(plain)) map.set(plain, { usage, shift: false });
    if (!map.has(shifted)) map.set(shifted, { usage, shift: true });
  }
  return map;
})();

const keyReport = (mods: number, key: number) => Uint8Array.of(mods, 0, key, 0, 0, 0, 0, 0);
const RELEASE = keyReport(0, 0);

/** Keyboard-wedge reports that type `text` (+ Enter): non-US characters as Alt + keypad code point. */
export function keyboardReports(text: string, opts: { enter?: boolean } = {}): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (const ch of text.replace(/\r\n|\n/g, '\r')) {
    if (ch === '\r') {
      reports.push(keyReport(0, KEY_ENTER), RELEASE);
      continue;
    }
    const key = TYPABLE.get(ch);
    if (key) {
      const mods = key.shift ? MOD_LEFT_SHIFT : 0;
      reports.push(keyReport(mods, key.usage), keyReport(mods, 0));
      continue;
    }
    reports.push(keyReport(MOD_LEFT_ALT, 0));
    for (const digit of String(ch.codePointAt(0) ?? 63)) {
      const usage = digit === '0' ? KEYPAD_0 : KEYPAD_1 + Number(digit) - 1;
      reports.push(keyReport(MOD_LEFT_ALT, usage), keyReport(MOD_LEFT_ALT, 0));
    }
    reports.push(RELEASE);
  }
  if (opts.enter ?? true) reports.push(keyReport(0, KEY_ENTER), RELEASE);
  return reports;
}

/** HID-POS scanned-data reports carrying `text` as UTF-8, 56 bytes a report (see pos-codec.ts). */
export function posReports(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const reports: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || at === 0; at += 56) {
    const chunk = bytes.subarray(at, at + 56);
    const report = new Uint8Array(POS_REPORT_SIZE);
    report[0] = 0x02;
    report[1] = chunk.length;
    report.set(chunk, 2);
    report.set([0x5d, 0x51, 0x31], 58); // "]Q1": AIM identifier for QR Code
    report[63] = at + 56 < bytes.length ? 0x01 : 0x00;
    reports.push(report);
    if (bytes.length === 0) break;
  }
  return reports;
}
