/**
 * Role (HID scanner sim): a USB scanner's side of its HID link, in keyboard-wedge or HID-POS
 * mode: the reports it sends when a code is held under it, the ways real ones misbehave (a
 * runaway or undecodable code, a code cut short), and its USB cable. node-hid's device is the
 * seam (transport.ts `HidDeviceLike`): the real driver opens this simulator as it opens a
 * scanner, reads its reports and hears its unplug as node-hid reports one (an error on the
 * read loop); while the cable is out it cannot be opened, as node-hid cannot open ids that are
 * not on the bus, until `replug()`.
 *
 * The reports are built from the scanner's side (text → key presses or HID-POS messages), from
 * the layouts in protocol.ts, not from the driver's decoders.
 */
import { EventEmitter } from 'node:events';
import type { HidDeviceLike, HidOpenResult } from './transport';
import {
  KEY_ENTER,
  KEYPAD_0,
  KEYPAD_1,
  MOD_LEFT_ALT,
  MOD_LEFT_SHIFT,
  POS_DATA_OFFSET,
  POS_LENGTH_OFFSET,
  POS_MAX_DATA,
  POS_MORE_FLAG_OFFSET,
  POS_REPORT_SIZE,
  POS_SCANNED_DATA_REPORT_ID,
  POS_SYMBOLOGY_OFFSET,
  USAGE_CHARS,
} from './protocol';

export type HidSimMode = 'keyboard' | 'pos';

export interface HidScannerSimOptions {
  readonly mode: HidSimMode;
  /** For node-hid's words when it cannot open the ids (default a Honeywell 0c2e:0b61). */
  readonly vendorId?: number;
  readonly productId?: number;
  /** Pause between reports, as USB interrupt transfers arrive (default none: one turn of the event loop). */
  readonly reportGapMs?: number;
}

/** The open device node-hid would hand the driver. */
class SimHidDevice extends EventEmitter implements HidDeviceLike {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

const utf8 = new TextEncoder();
const turn = (ms: number): Promise<void> => new Promise((r) => (ms > 0 ? setTimeout(r, ms) : setImmediate(r)));

export class HidScannerSim {
  private plugged = true;
  private device: SimHidDevice | undefined;
  private readonly vendorId: number;
  private readonly productId: number;

  constructor(private readonly options: HidScannerSimOptions) {
    this.vendorId = options.vendorId ?? 0x0c2e;
    this.productId = options.productId ?? 0x0b61;
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** Is a host holding the device open right now? */
  get isOpen(): boolean {
    return this.device !== undefined && !this.device.closed;
  }

  /** What node-hid's `new HID(vid, pid)` gives the driver. */
  async open(): Promise<HidOpenResult> {
    if (!this.plugged) {
      const ids = `${this.vendorId.toString(16)}:${this.productId.toString(16)}`;
      return { kind: 'error', unplugged: true, message: `cannot open HID ${ids}: cannot open device with vendor id 0x${this.vendorId.toString(16)} and product id 0x${this.productId.toString(16)}` };
    }
    const device = new SimHidDevice();
    this.device = device;
    return { kind: 'open', device };
  }

  /** Is it on the bus (node-hid's `devices(vid, pid)` not empty)? */
  async present(): Promise<boolean> {
    return this.plugged;
  }

  /** A citizen holds a code under the scanner: its reports, ending the code as the mode does. */
  async scan(text: string): Promise<void> {
    await this.send(this.options.mode === 'keyboard' ? keyboardReports(text) : posReports(utf8.encode(text)));
  }

  /**
   * Line noise, the HID way. HID-POS: a message whose bytes are not UTF-8 (a scanner left on a
   * legacy code page). Keyboard wedge: a code with an Alt + keypad sequence that names no
   * character (99999999), then Enter.
   */
  async sendGarbage(): Promise<void> {
    if (this.options.mode === 'pos') {
      await this.send(posReports(Uint8Array.of(0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x80)));
      return;
    }
    const alt = [keyReport(MOD_LEFT_ALT, 0)];
    for (let i = 0; i < 8; i++) alt.push(keyReport(MOD_LEFT_ALT, KEYPAD_1 + 8), keyReport(MOD_LEFT_ALT, 0));
    await this.send([...keyboardReports('AB', { enter: false }), ...alt, keyReport(0, 0), ...keyboardReports('')]);
  }

  /** The scanner gives up mid-code: the first half, and no end (no Enter; "more follows" set). */
  async sendHalf(text: string): Promise<void> {
    if (this.options.mode === 'keyboard') {
      const chars = [...text];
      await this.send(keyboardReports(chars.slice(0, Math.max(1, Math.floor(chars.length / 2))).join(''), { enter: false }));
      return;
    }
    const reports = posReports(utf8.encode(text.length > POS_MAX_DATA ? text : text.padEnd(POS_MAX_DATA + 1, ' ')));
    await this.send(reports.slice(0, Math.max(1, Math.floor(reports.length / 2))));
  }

  /** Raw reports, for tests of the link itself. */
  async sendRaw(reports: readonly Uint8Array[]): Promise<void> {
    await this.send(reports);
  }

  /** Pull the USB cable: the open device's read loop fails, and the ids are gone until `replug()`. */
  unplug(): void {
    if (!this.plugged) return;
    this.plugged = false;
    const device = this.device;
    this.device = undefined;
    if (device && !device.closed && device.listenerCount('error') > 0) device.emit('error', new Error('could not read from HID device'));
  }

  /** Plug it back in: the ids are on the bus again, for the supervisor to reopen. */
  replug(): void {
    this.plugged = true;
  }

  private async send(reports: readonly Uint8Array[]): Promise<void> {
    for (const report of reports) {
      const device = this.device;
      if (!device || device.closed || !this.plugged) return;
      device.emit('data', Buffer.from(report));
      await turn(this.options.reportGapMs ?? 0);
    }
  }
}

// ───────────── the scanner's encoders ─────────────

/** Characters a US keyboard types, and how: usage id and shift. */
const TYPABLE: ReadonlyMap<string, { readonly usage: number; readonly shift: boolean }> = (() => {
  const map = new Map<string, { usage: number; shift: boolean }>();
  for (const [usage, [plain, shifted]] of USAGE_CHARS) {
    // The main block rather than the keypad for digits and symbols, as scanners type them.
    if (!map.has(plain)) map.set(plain, { usage, shift: false });
    if (!map.has(shifted)) map.set(shifted, { usage, shift: true });
  }
  return map;
})();

const keyReport = (mods: number, key: number): Uint8Array => Uint8Array.of(mods, 0, key, 0, 0, 0, 0, 0);

/**
 * Boot keyboard reports that type `text` and, by default, Enter: a press and a release per key,
 * line breaks as Enter, and what a US keyboard cannot type (Vietnamese letters) as Alt + the
 * decimal code point on the keypad, the scanners' "Unicode Alt mode".
 */
export function keyboardReports(text: string, opts: { readonly enter?: boolean } = {}): Uint8Array[] {
  const out: Uint8Array[] = [];
  const release = keyReport(0, 0);
  for (const ch of text.replace(/\r\n|\n/g, '\r')) {
    if (ch === '\r') {
      out.push(keyReport(0, KEY_ENTER), release);
      continue;
    }
    const key = TYPABLE.get(ch);
    if (key) {
      const mods = key.shift ? MOD_LEFT_SHIFT : 0;
      out.push(keyReport(mods, key.usage), keyReport(mods, 0));
      continue;
    }
    out.push(keyReport(MOD_LEFT_ALT, 0));
    for (const digit of String(ch.codePointAt(0) ?? 63)) {
      const usage = digit === '0' ? KEYPAD_0 : KEYPAD_1 + Number(digit) - 1;
      out.push(keyReport(MOD_LEFT_ALT, usage), keyReport(MOD_LEFT_ALT, 0));
    }
    out.push(release);
  }
  if (opts.enter ?? true) out.push(keyReport(0, KEY_ENTER), release);
  return out;
}

/** HID-POS scanned-data reports carrying `bytes`, POS_MAX_DATA a report, "more follows" on all but the last. */
export function posReports(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < bytes.length; at += POS_MAX_DATA) {
    const chunk = bytes.subarray(at, at + POS_MAX_DATA);
    const report = new Uint8Array(POS_REPORT_SIZE);
    report[0] = POS_SCANNED_DATA_REPORT_ID;
    report[POS_LENGTH_OFFSET] = chunk.length;
    report.set(chunk, POS_DATA_OFFSET);
    report.set([0x5d, 0x51, 0x31], POS_SYMBOLOGY_OFFSET); // "]Q1": the AIM identifier of a QR Code
    report[POS_MORE_FLAG_OFFSET] = at + POS_MAX_DATA < bytes.length ? 0x01 : 0x00;
    out.push(report);
  }
  return out;
}
