/**
 * Role (ESC/POS driver extra): receipt text rows drawn as bit images, for printers without
 * Vietnamese fonts.
 */
import sharp from 'sharp';
import type { ReceiptLine } from '../../types';

/**
 * Receipt text drawn as pixels, for printers whose font ROM lacks Vietnamese (most cheap 58 mm
 * ones) or whose code page would need combining marks. DejaVu Sans (fonts-dejavu-core) has
 * every precomposed Vietnamese letter, and librsvg shapes them, so what prints is what we drew.
 */

export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

export const FONT_FAMILY = 'DejaVu Sans';
const FONT_PX = { normal: 22, large: 36 } as const;
/** Row pitch as a multiple of the font size: room for stacked marks like "Ễ" above and "ặ" below. */
const LINE_PITCH = 1.4;
/** Row heights are whole bands of 8 dots: the encoder pads bit images to that anyway. */
const BAND = 8;
/** DejaVu Sans averages about 0.6 em per character; a slight overestimate avoids clipping. */
const AVG_CHAR_EM = { regular: 0.6, bold: 0.66 } as const;
const MARGIN = 4;

interface Row {
  readonly text: string;
  readonly align: 'left' | 'center' | 'right';
  readonly bold: boolean;
  readonly fontPx: number;
  readonly height: number;
}

export function wrapWords(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (cur.length === 0) cur = word;
    else if (cur.length + 1 + word.length <= maxChars) cur = `${cur} ${word}`;
    else {
      out.push(cur);
      cur = word;
    }
    while (cur.length > maxChars) {
      out.push(cur.slice(0, maxChars));
      cur = cur.slice(maxChars);
    }
  }
  out.push(cur);
  return out;
}

function layout(lines: readonly ReceiptLine[], widthDots: number): Row[] {
  const rows: Row[] = [];
  for (const line of lines) {
    const fontPx = FONT_PX[line.size ?? 'normal'];
    const bold = line.bold === true;
    const maxChars = Math.max(1, Math.floor((widthDots - 2 * MARGIN) / (fontPx * AVG_CHAR_EM[bold ? 'bold' : 'regular'])));
    for (const text of wrapWords(line.text.normalize('NFC'), maxChars)) {
      rows.push({ text, align: line.align ?? 'left', bold, fontPx, height: Math.ceil((fontPx * LINE_PITCH) / BAND) * BAND });
    }
  }
  return rows;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** SVG <text> for one row whose top is at `top`; shared with the simulator's page renderer. */
export function svgTextRow(
  r: { readonly text: string; readonly align: 'left' | 'center' | 'right'; readonly bold: boolean; readonly fontPx: number; readonly height: number },
  top: number,
  widthDots: number,
): string {
  const x = r.align === 'center' ? widthDots / 2 : r.align === 'right' ? widthDots - MARGIN : MARGIN;
  const anchor = r.align === 'center' ? 'middle' : r.align === 'right' ? 'end' : 'start';
  // Baseline at ~75 % of the row leaves the descenders and the dot below (ạ, ự) inside it.
  const y = top + Math.round(r.height * 0.75);
  return `<text x="${x}" y="${y}" font-family="${FONT_FAMILY}" font-size="${r.fontPx}" font-weight="${r.bold ? 'bold' : 'normal'}" text-anchor="${anchor}" fill="#000" xml:space="preserve">${xmlEscape(r.text)}</text>`;
}

/**
 * One image per printed row (wrapped), `widthDots` wide, black on white. All rows are drawn in
 * one SVG (one librsvg pass is much faster than one per row) and then cut apart, so each
 * GS v 0 block stays small enough for a printer's receive buffer.
 */
export async function renderTextRows(lines: readonly ReceiptLine[], widthDots: number): Promise<RgbaImage[]> {
  const rows = layout(lines, widthDots);
  if (rows.length === 0) return [];
  const total = rows.reduce((s, r) => s + r.height, 0);
  let top = 0;
  const texts: string[] = [];
  for (const r of rows) {
    texts.push(svgTextRow(r, top, widthDots));
    top += r.height;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthDots}" height="${total}"><rect width="100%" height="100%" fill="#fff"/>${texts.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg))
    .flatten({ background: '#ffffff' })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ch = info.channels;
  const images: RgbaImage[] = [];
  let y0 = 0;
  for (const r of rows) {
    const rgba = new Uint8ClampedArray(widthDots * r.height * 4);
    for (let i = 0; i < widthDots * r.height; i++) {
      const v = data[(y0 * widthDots + i) * ch] ?? 255;
      rgba[i * 4] = v;
      rgba[i * 4 + 1] = v;
      rgba[i * 4 + 2] = v;
      rgba[i * 4 + 3] = 255;
    }
    images.push({ data: rgba, width: widthDots, height: r.height });
    y0 += r.height;
  }
  return images;
}
