/**
 * Role (document codec, shared by the serial and HID scanners): what every scanner codec
 * produces, a complete scan as text or bytes it had to throw away and why, and the pieces both
 * codecs share (UTF-8 decoding, rejoining MRZ lines). Pure. Junk is never dropped silently
 * (docs/architecture.md, after zwave-js's `Discarded` frames): the driver logs it and tells a
 * waiting reader that the scan failed, so the citizen can rescan.
 */
export type ScanFrame =
  | { readonly kind: 'scan'; readonly text: string }
  | {
      readonly kind: 'discarded';
      readonly reason: DiscardReason;
      /** The bytes, or (when `count` > 1) the first DISCARD_SAMPLE_BYTES of the first of them. */
      readonly bytes: Uint8Array;
      /** Codes discarded back to back in one read, for the same reason, reported as one (absent: one). */
      readonly count?: number;
      /** Their bytes in all (absent: `bytes.length`). */
      readonly length?: number;
    };

/** The most of a run of discarded codes kept to show what it was. */
export const DISCARD_SAMPLE_BYTES = 64;

/**
 * Add a frame to a read's output, joining a discarded frame to the one before it when that is a
 * discard for the same reason: a flood of junk (issue #13) comes back as one frame that counts
 * it, not a frame (and a log line) per code. Scans are never joined.
 */
export function addFrame(out: ScanFrame[], frame: ScanFrame): void {
  const last = out[out.length - 1];
  if (frame.kind === 'discarded' && last?.kind === 'discarded' && last.reason === frame.reason) {
    out[out.length - 1] = {
      kind: 'discarded',
      reason: last.reason,
      bytes: last.bytes.length > DISCARD_SAMPLE_BYTES ? last.bytes.slice(0, DISCARD_SAMPLE_BYTES) : last.bytes,
      count: (last.count ?? 1) + (frame.count ?? 1),
      length: (last.length ?? last.bytes.length) + (frame.length ?? frame.bytes.length),
    };
    return;
  }
  out.push(frame);
}

export type DiscardReason =
  | 'invalid-utf8' // not UTF-8: wrong scanner code page setting or line noise
  | 'incomplete' // the code stopped mid-way (half-read, cable pulled) and the idle gap passed
  | 'too-long' // more bytes than any document code holds: a stuck scanner or noise
  | 'malformed'; // a report that breaks its own format (HID-POS length past the report)

/** No document code we read comes near this; more means the scanner is stuck or it is noise. */
export const MAX_SCAN_BYTES = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** STX/ETX framing some scanners add, and stray line endings around the code. */
const FRAMING = /^[\u0002\r\n]+|[\u0003\r\n]+$/g;

/** Bytes of one complete code → a scan, or a discard if they are not UTF-8. */
export function decodeScan(bytes: Uint8Array): ScanFrame {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'discarded', reason: 'invalid-utf8', bytes };
  }
  return { kind: 'scan', text: text.replace(FRAMING, '') };
}

const MRZ_LINE = /^[A-Z0-9<]{30}$/;

/**
 * Scanners that read the MRZ (OCR-B) send its three lines separated by the same CR/Enter that
 * ends a scan. This joins up to three consecutive MRZ-shaped scans back into one, so the
 * parser sees the whole zone. Anything else passes through; a partial zone is released as it
 * is (the parser then says which line is missing) when a non-MRZ scan or the idle gap comes.
 */
export class MrzLineJoiner {
  private pending: string[] = [];

  push(frame: ScanFrame): ScanFrame[] {
    if (frame.kind !== 'scan' || !MRZ_LINE.test(frame.text)) return [...this.flush(), frame];
    this.pending.push(frame.text);
    if (this.pending.length < 3) return [];
    return this.flush();
  }

  hasPending(): boolean {
    return this.pending.length > 0;
  }

  flush(): ScanFrame[] {
    if (this.pending.length === 0) return [];
    const text = this.pending.join('\n');
    this.pending = [];
    return [{ kind: 'scan', text }];
  }
}

/** What both scanner codecs offer: bytes (or HID reports) in, complete scans out, plus an idle gap. */
export interface StreamCodec {
  push(bytes: Uint8Array, nowMs: number): ScanFrame[];
  /** Bytes held for the code in progress: at most one code's worth (MAX_SCAN_BYTES), whatever comes. */
  readonly held: number;
  idle(nowMs: number): ScanFrame[];
  /** When, if nothing else arrives, the code in progress ends (or is dropped as half-read). */
  deadline(): number | undefined;
}
