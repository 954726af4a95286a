import { decodeScan, MAX_SCAN_BYTES, MrzLineJoiner, type ScanFrame } from '../frames';

/**
 * HID-POS barcode scanner (USB HID Point of Sale Usage Tables 1.02, usage page 0x8C, "Scanned
 * Data Report"), as Honeywell and Zebra scanners lay it out in their "HID POS" mode:
 *
 *   byte 0        report ID (0x02)
 *   byte 1        number of data bytes in this report (0–56)
 *   bytes 2–57    decoded data: the code's raw bytes, so UTF-8 survives untouched
 *   bytes 58–60   symbology identifier (AIM), unused here
 *   bytes 61–62   reserved
 *   byte 63       bit 0 set: more data follows in the next report
 *
 * A code longer than 56 bytes (every CCCD QR) spans several reports. Offsets are options so a
 * scanner with another layout is a config change, not a code change.
 */
export interface PosCodecOptions {
  readonly idleGapMs: number;
  readonly reportId?: number;
  readonly lengthOffset?: number;
  readonly dataOffset?: number;
  readonly maxData?: number;
  readonly moreFlagOffset?: number;
}

export const POS_REPORT_SIZE = 64;

export class HidPosCodec {
  private data: number[] = [];
  private lastAt = Number.NEGATIVE_INFINITY;
  private readonly joiner = new MrzLineJoiner();
  private readonly o: Required<PosCodecOptions>;

  constructor(options: PosCodecOptions) {
    this.o = { reportId: 0x02, lengthOffset: 1, dataOffset: 2, maxData: 56, moreFlagOffset: 63, ...options };
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
      out.push({ kind: 'discarded', reason: 'malformed', bytes: report.slice(0, 8) });
      return out;
    }
    this.data.push(...report.subarray(this.o.dataOffset, this.o.dataOffset + length));
    if (this.data.length > MAX_SCAN_BYTES) {
      out.push({ kind: 'discarded', reason: 'too-long', bytes: Uint8Array.from(this.data.slice(0, 64)) });
      this.data = [];
      return out;
    }
    const more = ((report[this.o.moreFlagOffset] ?? 0) & 0x01) !== 0;
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
    return this.data.length > 0 || this.joiner.hasPending() ? this.lastAt + this.o.idleGapMs : undefined;
  }

  private expire(): ScanFrame[] {
    const out: ScanFrame[] = [];
    if (this.data.length > 0) out.push({ kind: 'discarded', reason: 'incomplete', bytes: Uint8Array.from(this.data) });
    this.data = [];
    out.push(...this.joiner.flush());
    return out;
  }
}
