/**
 * Role (ESC/POS sim): the printer's side of the wire. It parses the ESC/POS stream like a
 * printer would, answers status queries from its knobs (paper out, cover open, offline, paper
 * running out mid-job), and keeps what it "printed" as a transcript, a page model and a PNG.
 * It plugs into the serial kit's simulated wire (SimLink) or a tty (serveOnTty).
 */
import CodepageEncoder from '@point-of-sale/codepage-encoder';
import QRCode from 'qrcode';
import type { DeviceSide, SimDevice } from '../../serial/sim-link';
import { EscPosParser, statusRepliesFor, type EscPosCommand } from './codec';
import type { PaperWidth } from './encode';
import { PAPER_DOTS } from './encode';
import { EPSON_CODE_PAGES, QR_FN_ERROR_LEVEL, QR_FN_MODULE_SIZE, QR_FN_PRINT, QR_FN_STORE } from './protocol';
import { renderPagePng, type PageItem, type TextSpan } from './sim-render';
import { keepNewest } from '../../sim-history';

/** How the simulated printer should (mis)behave. Change at any time with `set()`. */
export interface SimKnobs {
  readonly paperOut: boolean;
  /** Run out of paper once this many job bytes (everything but status queries) have arrived. */
  readonly paperOutAfterBytes?: number;
  readonly paperLow: boolean;
  readonly coverOpen: boolean;
  /** Powered off or unplugged: prints nothing and answers nothing. */
  readonly offline: boolean;
}

export interface SimReceipt {
  readonly items: readonly PageItem[];
  /** Ended with a cut; false when the paper ran out (or nothing cut it yet). */
  readonly complete: boolean;
  /** The text of each QR code printed on it, top to bottom. */
  readonly qr?: readonly string[];
}

type Codepage = Parameters<typeof CodepageEncoder.getCodepoints>[0];
function isCodepage(name: string): name is Codepage {
  return CodepageEncoder.supports(name);
}

const decoders = new Map<number, readonly (number | undefined)[]>();
function codepoints(n: number): readonly (number | undefined)[] {
  const hit = decoders.get(n);
  if (hit !== undefined) return hit;
  const name = EPSON_CODE_PAGES[n] ?? 'cp437';
  const table: readonly (number | undefined)[] = isCodepage(name) ? CodepageEncoder.getCodepoints(name, true) : [];
  decoders.set(n, table);
  return table;
}

const QR_LEVELS: Readonly<Record<number, QRCode.QRCodeErrorCorrectionLevel>> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };
/**
 * What the simulator keeps of its past: the last receipts (for /api/sim/printer/receipt.png and
 * tests) and the last transcript lines. It lives in the kiosk process, and kept whole it grew
 * the kiosk by ~0.3 MB a citizen (docs/memory.md).
 */
export const SIM_KEPT_RECEIPTS = 8;
export const SIM_KEPT_TRANSCRIPT_LINES = 400;

/** Font A is 12 × 24 dots on Epson-class printers (a text line's height; its width is not needed). */
const CELL_H = 24;
const DEFAULT_LINE_DOTS = 30;

/** The printer, from its side of the wire (see the top of the file). */
export class EscPosSim implements SimDevice {
  private knobs: SimKnobs = { paperOut: false, paperLow: false, coverOpen: false, offline: false };
  private readonly parser = new EscPosParser();
  private wire: DeviceSide | undefined;
  private jobBytes = 0;
  private log: string[] = [];
  private page: PageItem[] = [];
  private done: SimReceipt[] = [];
  private spans: TextSpan[] = [];
  private style = { bold: false, width: 1, height: 1, align: 0, codepage: 0, lineDots: DEFAULT_LINE_DOTS };
  private qr: { data: string; module: number; level: QRCode.QRCodeErrorCorrectionLevel } = { data: '', module: 3, level: 'M' };
  /** The QR codes printed on the page in progress. */
  private pageQr: string[] = [];
  private readonly receiptListeners = new Set<(r: SimReceipt) => void>();
  readonly widthDots: number;

  constructor(
    readonly paper: PaperWidth,
    knobs?: Partial<SimKnobs>,
  ) {
    this.widthDots = PAPER_DOTS[paper];
    if (knobs !== undefined) this.set(knobs);
  }

  attach(wire: DeviceSide): void {
    this.wire = wire;
  }

  detach(): void {
    this.wire = undefined;
  }

  set(knobs: Partial<SimKnobs>): void {
    this.knobs = { ...this.knobs, ...knobs };
  }

  /** Bytes from the host. */
  receive(bytes: Uint8Array): void {
    for (const { cmd, size } of this.parser.push(bytes)) this.execute(cmd, size);
  }

  private canPrint(): boolean {
    const k = this.knobs;
    return !k.offline && !k.paperOut && !k.coverOpen;
  }

  private execute(cmd: EscPosCommand, size: number): void {
    if (cmd.kind === 'realtime-status' || cmd.kind === 'transmit-status') {
      this.answer(cmd);
      return;
    }
    if (this.knobs.offline) return;
    this.jobBytes += size;
    const after = this.knobs.paperOutAfterBytes;
    if (after !== undefined && this.jobBytes > after && !this.knobs.paperOut) {
      this.set({ paperOut: true });
      this.flushLine();
      this.note('[paper out]');
      this.finish({ items: this.page, complete: false });
    }
    if (!this.canPrint()) return;
    this.apply(cmd);
  }

  private answer(cmd: { readonly kind: 'realtime-status' | 'transmit-status'; readonly n: number }): void {
    if (this.knobs.offline) return;
    const r = statusRepliesFor(this.knobs);
    let byte: number | undefined;
    if (cmd.kind === 'realtime-status') {
      byte = [r.printer, r.offlineCause, r.errorCause, r.paperSensor][cmd.n - 1];
    } else if (cmd.n === 1) {
      // GS r 1: bits 0–1 paper near end, bits 2–3 paper end.
      byte = (this.knobs.paperLow || this.knobs.paperOut ? 0x03 : 0) | (this.knobs.paperOut ? 0x0c : 0);
    }
    if (byte === undefined) return;
    this.note(`[status ${cmd.kind === 'realtime-status' ? 'DLE EOT' : 'GS r'} ${cmd.n} → 0x${byte.toString(16).padStart(2, '0')}]`);
    this.wire?.send(Uint8Array.of(byte));
  }

  private flushLine(): void {
    if (this.spans.length === 0) return;
    const spans = this.spans;
    this.spans = [];
    const height = Math.max(...spans.map((s) => s.height));
    this.page.push({ kind: 'text', spans, align: this.style.align, dots: Math.max(this.style.lineDots, height * CELL_H) });
    const text = spans.map((s) => s.text).join('');
    const attrs = spans.some((s) => s.bold) ? ' (bold)' : '';
    const size = height > 1 ? ` (×${height})` : '';
    this.note(`${text.trimEnd()}${attrs}${size}`);
  }

  private apply(cmd: EscPosCommand): void {
    const st = this.style;
    switch (cmd.kind) {
      case 'init':
        this.flushLine();
        this.style = { bold: false, width: 1, height: 1, align: 0, codepage: 0, lineDots: DEFAULT_LINE_DOTS };
        this.note('[init]');
        return;
      case 'text': {
        const table = codepoints(st.codepage);
        let text = '';
        for (const b of cmd.bytes) text += b < 0x80 ? String.fromCharCode(b) : String.fromCodePoint(table[b] ?? 0xfffd);
        this.spans.push({ text, bold: st.bold, width: st.width, height: st.height });
        return;
      }
      case 'newline':
        if (this.spans.length === 0) this.page.push({ kind: 'feed', dots: st.lineDots });
        this.flushLine();
        return;
      case 'carriage-return':
        return;
      case 'codepage':
        st.codepage = cmd.n;
        return;
      case 'align':
        st.align = cmd.n;
        return;
      case 'bold':
        st.bold = cmd.on;
        return;
      case 'size':
        st.width = cmd.width;
        st.height = cmd.height;
        return;
      case 'print-mode':
        st.bold = (cmd.n & 0x08) !== 0;
        st.width = (cmd.n & 0x20) !== 0 ? 2 : 1;
        st.height = (cmd.n & 0x10) !== 0 ? 2 : 1;
        return;
      case 'line-spacing':
        st.lineDots = cmd.dots === 'default' ? DEFAULT_LINE_DOTS : cmd.dots;
        return;
      case 'feed-lines':
        this.flushLine();
        this.page.push({ kind: 'feed', dots: cmd.n * st.lineDots });
        return;
      case 'feed-dots':
        this.flushLine();
        this.page.push({ kind: 'feed', dots: cmd.n });
        return;
      case 'cut':
        this.flushLine();
        this.note(`[cut ${cmd.partial ? 'partial' : 'full'}]`);
        this.finish({ items: this.page, complete: true });
        return;
      case 'raster':
        this.flushLine();
        this.page.push({ kind: 'bits', widthDots: cmd.widthBytes * 8, height: cmd.height, bits: cmd.data, align: 0 });
        this.note(`[raster ${cmd.widthBytes * 8}×${cmd.height}]`);
        return;
      case 'qr':
        this.applyQr(cmd.fn, cmd.params);
        return;
      case 'underline':
      case 'font':
      case 'realtime-status':
      case 'transmit-status':
        return;
      case 'other':
        return;
      case 'discarded':
        this.note(`[discarded 0x${cmd.byte.toString(16).padStart(2, '0')}]`);
        return;
    }
  }

  private applyQr(fn: number, p: Uint8Array): void {
    if (fn === QR_FN_MODULE_SIZE) this.qr.module = p[0] ?? 3;
    else if (fn === QR_FN_ERROR_LEVEL) this.qr.level = QR_LEVELS[p[0] ?? 49] ?? 'M';
    else if (fn === QR_FN_STORE) this.qr.data = new TextDecoder().decode(p.slice(1)); // p[0] is m = 48
    else if (fn === QR_FN_PRINT) {
      this.flushLine();
      const q = QRCode.create(this.qr.data, { errorCorrectionLevel: this.qr.level });
      const n = q.modules.size;
      const side = n * this.qr.module;
      const widthBytes = Math.ceil(side / 8);
      const bits = new Uint8Array(widthBytes * side);
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) {
          if (q.modules.get(Math.floor(y / this.qr.module), Math.floor(x / this.qr.module)) === 1) {
            const i = y * widthBytes + (x >> 3);
            bits[i] = (bits[i] ?? 0) | (0x80 >> (x & 7));
          }
        }
      }
      this.page.push({ kind: 'bits', widthDots: widthBytes * 8, height: side, bits, align: this.style.align });
      this.pageQr.push(this.qr.data);
      this.note(`[qr "${this.qr.data}" module ${this.qr.module} level ${this.qr.level}]`);
    }
  }

  private note(line: string): void {
    keepNewest(this.log, line, SIM_KEPT_TRANSCRIPT_LINES);
  }

  /** Ends the page in progress: cut, or torn off where the paper ran out. */
  private finish({ items, complete }: { readonly items: readonly PageItem[]; readonly complete: boolean }): void {
    const receipt: SimReceipt = { items, complete, qr: this.pageQr };
    this.page = [];
    this.pageQr = [];
    keepNewest(this.done, receipt, SIM_KEPT_RECEIPTS);
    for (const listener of this.receiptListeners) listener(receipt);
  }

  /** Hear of each receipt as it is cut (or torn off where the paper ran out); returns the way to stop. */
  onReceipt(listener: (r: SimReceipt) => void): () => void {
    this.receiptListeners.add(listener);
    return () => this.receiptListeners.delete(listener);
  }

  transcript(): string {
    return this.log.join('\n');
  }

  receipts(): readonly SimReceipt[] {
    return this.done;
  }

  /** PNG of the last cut (or torn-off) receipt; the page in progress when nothing was cut yet. */
  lastReceiptPng(): Promise<Uint8Array | undefined> {
    const last = this.done[this.done.length - 1];
    const items = last?.items ?? this.page;
    if (items.length === 0) return Promise.resolve(undefined);
    return renderPagePng(items, this.widthDots);
  }

  reset(): void {
    this.log = [];
    this.page = [];
    this.pageQr = [];
    this.done = [];
    this.spans = [];
    this.jobBytes = 0;
    this.parser.reset();
  }
}
