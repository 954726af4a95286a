/**
 * Role (serial scanner sim): the scanner's side of the wire. What a serial 2D scanner sends
 * when a code is held under it, and the ways real ones misbehave (a legacy code page, a code
 * cut short, two codes back to back). It plugs into the serial kit's simulated wire (SimLink)
 * or a tty (serveOnTty); it only talks, and ignores what the host sends.
 */
import type { DeviceSide, SimDevice } from '../../serial/sim-link';
import { suffixBytes, type Suffix } from './protocol';

export interface ScannerSimOptions {
  readonly suffix: Suffix;
  /** Bytes per write, to exercise partial reads (USB-CDC delivers 64-byte packets). */
  readonly chunkBytes?: number;
  /** Pause between chunks, ms. */
  readonly chunkGapMs?: number;
  /** What the scanner puts between MRZ lines (most send CR, like the scan suffix). */
  readonly mrzLineBreak?: string;
}

const utf8 = new TextEncoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ScannerSim implements SimDevice {
  private wire: DeviceSide | undefined;

  constructor(private readonly options: ScannerSimOptions) {}

  attach(wire: DeviceSide): void {
    this.wire = wire;
  }

  detach(): void {
    this.wire = undefined;
  }

  /** A scanner does not listen to the host (its settings are scanned from a programming sheet). */
  receive(): void {}

  /** A citizen holds a code under the scanner: its text, then the suffix. */
  async present(text: string): Promise<void> {
    await this.send(concat(utf8.encode(this.lineBreaks(text)), suffixBytes(this.options.suffix)));
  }

  /** Bytes that are not UTF-8 (a scanner left on a legacy code page, or line noise). */
  async sendGarbage(): Promise<void> {
    await this.send(concat(Uint8Array.of(0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0x80), suffixBytes(this.options.suffix)));
  }

  /** The scanner gives up mid-code (the card moved): some bytes, no suffix. */
  async sendHalf(text: string): Promise<void> {
    const bytes = utf8.encode(this.lineBreaks(text));
    await this.send(bytes.slice(0, Math.max(1, Math.floor(bytes.length / 2))));
  }

  /** Two codes back to back: the second starts inside the same read as the end of the first. */
  async sendTwo(first: string, second: string): Promise<void> {
    const a = concat(utf8.encode(this.lineBreaks(first)), suffixBytes(this.options.suffix));
    const b = concat(utf8.encode(this.lineBreaks(second)), suffixBytes(this.options.suffix));
    const cut = Math.floor(a.length / 2);
    this.wire?.send(a.slice(0, cut));
    await sleep(this.options.chunkGapMs ?? 2);
    this.wire?.send(concat(a.slice(cut), b));
  }

  /** Raw bytes, for tests of the wire itself. */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    await this.send(bytes);
  }

  private lineBreaks(text: string): string {
    return text.replace(/\r\n|\r|\n/g, this.options.mrzLineBreak ?? '\r');
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const size = this.options.chunkBytes ?? 64;
    for (let at = 0; at < bytes.length; at += size) {
      if (at > 0) await sleep(this.options.chunkGapMs ?? 2);
      this.wire?.send(bytes.slice(at, at + size));
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
