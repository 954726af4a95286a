/**
 * Role (ESC/POS driver extra): a Receipt → the ESC/POS job's bytes, through the encoder library
 * (raster or code-page text).
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { Receipt, ReceiptLine } from '../../types';
import { renderTextRows } from './text-raster';

/**
 * How Vietnamese text reaches the paper.
 *
 * Default: 'raster'. Every text row is drawn with DejaVu Sans and sent as a GS v 0 bit image.
 * It prints correctly on any ESC/POS printer, whatever its font ROM. It costs wire bytes
 * (test/bench/printer.ts, the kiosk receipt): 48 KB at 58 mm / 52 KB at 80 mm against 856 B
 * as code-page text, i.e. ~4.5 s at 115200 baud (~50 s at 9600). The paper itself takes 3–6 s
 * to feed 30 cm at a thermal head's 50–90 mm/s, so on USB or 115200-baud serial the wire is
 * not the bottleneck; at 9600 baud configure 'codepage' on a printer that has the pages.
 *
 * Option: 'codepage'. Text is sent as bytes in TCVN-3 (ESC t 30/31) with Windows-1258 (ESC t 52)
 * for what TCVN-3 lacks in the encoder's tables (Đ). Only for printers whose ROM has those pages
 * (Epson TM series, some Citizen/Bixolon); cheap 58 mm printers (the "pos-5890" family) have none
 * of them. CP1258 alone is not enough: it stores most toned letters as base + combining mark,
 * which the encoder does not decompose and most thermal printers cannot overstrike; VISCII puts
 * letters on C0 bytes (0x02, 0x05, 0x06, 0x14, 0x19, 0x1E) that ESC/POS reads as commands.
 */
export type VietnameseMode = 'raster' | 'codepage';

export type PaperWidth = 58 | 80;
export const PAPER_DOTS: Readonly<Record<PaperWidth, number>> = { 58: 384, 80: 576 };
const COLUMNS: Readonly<Record<PaperWidth, number>> = { 58: 32, 80: 48 };

type Codepage = Parameters<ReceiptPrinterEncoder['codepage']>[0];
/** Tried in order for each run of text; cp437 keeps plain ASCII on the printer's default page. */
export const VIETNAMESE_CODEPAGES: Exclude<Codepage, 'auto'>[] = ['cp437', 'tcvn3', 'tcvn3capitals', 'windows1258'];

export interface EncodeOptions {
  readonly paper: PaperWidth;
  readonly vietnamese: VietnameseMode;
  /** Dots a QR module is wide (GS ( k fn 67), 1..16. */
  readonly qrModule?: number;
}

function newEncoder(o: EncodeOptions): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns: COLUMNS[o.paper],
    imageMode: 'raster',
    newline: '\n',
    feedBeforeCut: 4,
    codepageMapping: 'epson',
    codepageCandidates: VIETNAMESE_CODEPAGES,
  });
}

function textLine(enc: ReceiptPrinterEncoder, line: ReceiptLine): void {
  const large = line.size === 'large';
  enc
    .align(line.align ?? 'left')
    .bold(line.bold === true)
    .size(large ? 2 : 1, large ? 2 : 1)
    .line(line.text.normalize('NFC'))
    .bold(false)
    .size(1, 1);
}

/**
 * The job as segments that each end on a command boundary. The driver may ask for the
 * real-time status between segments; inside a GS v 0 block a DLE EOT would be image data.
 */
export async function encodeReceiptSegments(receipt: Receipt, o: EncodeOptions): Promise<Uint8Array[]> {
  const segments: Uint8Array[] = [newEncoder(o).initialize().encode()];
  if (o.vietnamese === 'raster') {
    for (const img of await renderTextRows(receipt.lines, PAPER_DOTS[o.paper])) {
      // A plain object literal: the encoder recognises its image input by constructor name.
      segments.push(newEncoder(o).image({ data: img.data, width: img.width, height: img.height }, img.width, img.height, 'threshold', 128).encode());
    }
  } else {
    // One encoder for all lines so it only switches code page (ESC t) when the text needs it.
    const enc = newEncoder(o).codepage('auto');
    for (const line of receipt.lines) {
      textLine(enc, line);
      segments.push(enc.encode());
    }
  }
  const tail = newEncoder(o);
  if (receipt.qr !== undefined) {
    tail.newline().align('center').qrcode(receipt.qr, { model: 2, size: o.qrModule ?? 6, errorlevel: 'm' }).align('left');
  }
  segments.push(tail.newline().cut('partial').encode());
  return segments;
}

export async function encodeReceipt(receipt: Receipt, o: EncodeOptions): Promise<Uint8Array> {
  const segments = await encodeReceiptSegments(receipt, o);
  const out = new Uint8Array(segments.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of segments) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}
