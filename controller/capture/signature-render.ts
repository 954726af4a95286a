import sharp from 'sharp';
import type { SignatureBox, SignatureStroke } from '../../domain/signature';

export interface SignatureRenderSize {
  readonly width: number;
  readonly height: number;
}

export const SIGNATURE_PNG_SIZE: SignatureRenderSize = { width: 600, height: 200 };
/** Pen width in the box's CSS pixels; scaled with the drawing so every kiosk's PNG looks alike. */
const PEN_CSS_PX = 2.5;

function fmt(n: number): string {
  return n.toFixed(2);
}

/** Quadratic curves through the midpoints: smooth like signature_pad, without its velocity widths. */
function pathFor(stroke: SignatureStroke, map: (x: number, y: number) => readonly [number, number]): string {
  const pts = stroke.map((p) => map(p.x, p.y));
  const first = pts[0];
  if (first === undefined) return '';
  if (pts.length === 1) return `M${fmt(first[0])} ${fmt(first[1])}l0.01 0`; // a round-capped dot
  let d = `M${fmt(first[0])} ${fmt(first[1])}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const c = pts[i];
    const n = pts[i + 1];
    if (c === undefined || n === undefined) continue;
    d += `Q${fmt(c[0])} ${fmt(c[1])} ${fmt((c[0] + n[0]) / 2)} ${fmt((c[1] + n[1]) / 2)}`;
  }
  const last = pts[pts.length - 1];
  if (last !== undefined) d += `L${fmt(last[0])} ${fmt(last[1])}`;
  return d;
}

/**
 * Black ink on white, 8-bit grey PNG at a fixed size whatever the screen: the box is scaled
 * uniformly to fit and centred. Call after validateSignature (it trusts the numbers).
 */
export async function renderSignaturePng(
  strokes: readonly SignatureStroke[],
  box: SignatureBox,
  size: SignatureRenderSize = SIGNATURE_PNG_SIZE,
): Promise<Uint8Array> {
  const scale = Math.min(size.width / box.width, size.height / box.height);
  const ox = (size.width - box.width * scale) / 2;
  const oy = (size.height - box.height * scale) / 2;
  const map = (x: number, y: number): readonly [number, number] => [ox + x * scale, oy + y * scale];
  const d = strokes.map((s) => pathFor(s, map)).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<path d="${d}" fill="none" stroke="#000" stroke-width="${fmt(PEN_CSS_PX * scale)}" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  const png = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).greyscale().png().toBuffer();
  return new Uint8Array(png);
}
