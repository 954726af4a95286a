/** Role (ESC/POS sim extra): what the simulated printer printed, drawn as a PNG. */
import sharp from 'sharp';

/** What the simulated print head put on the paper, top to bottom. */
export interface TextSpan {
  readonly text: string;
  readonly bold: boolean;
  readonly width: number;
  readonly height: number;
}
export type PageItem =
  | { readonly kind: 'text'; readonly spans: readonly TextSpan[]; readonly align: number; readonly dots: number }
  /** 1 bit a dot, MSB first, rows padded to whole bytes (GS v 0 layout). */
  | { readonly kind: 'bits'; readonly widthDots: number; readonly height: number; readonly bits: Uint8Array; readonly align: number }
  | { readonly kind: 'feed'; readonly dots: number };

/** Font A is a 12 × 24 dot cell; an 18 px glyph with its marks fits in it. */
const CELL_W = 12;
const GLYPH_PX = 18;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function itemHeight(it: PageItem): number {
  return it.kind === 'bits' ? it.height : it.dots;
}

/**
 * The receipt as a PNG, one pixel a dot: bit images copied as they came, text drawn in a
 * monospaced font at the printer's cell size (so a wrong code page shows as wrong glyphs).
 */
export async function renderPagePng(items: readonly PageItem[], widthDots: number): Promise<Uint8Array> {
  const height = Math.max(1, items.reduce((h, it) => h + itemHeight(it), 0));
  const grey = new Uint8Array(widthDots * height).fill(255);
  const texts: string[] = [];
  let top = 0;
  for (const it of items) {
    if (it.kind === 'bits') {
      const left = it.align === 1 ? Math.max(0, Math.floor((widthDots - it.widthDots) / 2)) : it.align === 2 ? Math.max(0, widthDots - it.widthDots) : 0;
      const rowBytes = it.widthDots / 8;
      for (let y = 0; y < it.height; y++) {
        for (let x = 0; x < it.widthDots && left + x < widthDots; x++) {
          const byte = it.bits[y * rowBytes + (x >> 3)] ?? 0;
          if ((byte & (0x80 >> (x & 7))) !== 0) grey[(top + y) * widthDots + left + x] = 0;
        }
      }
    } else if (it.kind === 'text') {
      const cols = it.spans.reduce((n, s) => n + [...s.text].length * s.width, 0);
      const lineW = cols * CELL_W;
      let x = it.align === 1 ? Math.max(0, (widthDots - lineW) / 2) : it.align === 2 ? Math.max(0, widthDots - lineW) : 0;
      const baseline = top + Math.round(it.dots * 0.78);
      for (const s of it.spans) {
        // One glyph per cell, centred, like a ROM font. DejaVu Sans Mono would be closer in look
        // but lacks most toned capitals (Ỗ, Ễ…), so a proportional face is placed cell by cell.
        for (const ch of s.text) {
          const w = CELL_W * s.width;
          if (ch !== ' ') {
            texts.push(
              `<text x="0" y="0" transform="translate(${x + w / 2} ${baseline}) scale(${s.width} ${s.height})" text-anchor="middle" font-family="DejaVu Sans" font-size="${GLYPH_PX}" font-weight="${s.bold ? 'bold' : 'normal'}" fill="#000">${esc(ch)}</text>`,
            );
          }
          x += w;
        }
      }
    }
    top += itemHeight(it);
  }
  const base = sharp(Buffer.from(grey), { raw: { width: widthDots, height, channels: 1 } });
  if (texts.length === 0) return new Uint8Array(await base.png().toBuffer());
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthDots}" height="${height}">${texts.join('')}</svg>`;
  const out = await base.composite([{ input: Buffer.from(svg), top: 0, left: 0 }]).greyscale().png().toBuffer();
  return new Uint8Array(out);
}
