/**
 * Role (r30x codec extra): image bytes ⇄ pixels. The module uploads images at 4 bits a pixel:
 * the high nibble is one pixel, the low nibble the next pixel in the same row (manual §III
 * "Buffer"). We widen back to 8 bits by repeating the nibble (n × 17) so 0x0 → 0 and 0xF → 255,
 * keeping the full range for the quality checks.
 */
import type { GreyImage } from '../../../domain/images';

export function unpack4bit(bytes: Uint8Array, width: number, height: number): GreyImage {
  const pixels = new Uint8Array(width * height);
  const n = Math.min(bytes.length, pixels.length >> 1);
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    pixels[2 * i] = (b >> 4) * 17;
    pixels[2 * i + 1] = (b & 0x0f) * 17;
  }
  return { width, height, pixels };
}

export function pack4bit(image: GreyImage): Uint8Array {
  const out = new Uint8Array(image.pixels.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = ((image.pixels[2 * i] ?? 0) & 0xf0) | ((image.pixels[2 * i + 1] ?? 0) >> 4);
  }
  return out;
}

/** Bytes on the wire for one image: two pixels a byte. */
export function imageBytes(width: number, height: number): number {
  return (width * height) >> 1;
}
