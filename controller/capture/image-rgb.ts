/**
 * Raw 8-bit RGB images and the two conversions every capture check needs: bytes on disk or from
 * the camera → RGB (via sharp), and RGB → luminance. Kept apart from the checks so those stay
 * pure and synchronous.
 */
import sharp, { type Sharp } from 'sharp';
import type { GreyImage, RgbImage } from '../../domain/images';

/** Decode any format sharp reads (JPEG, PNG, WebP …) to RGB, honouring EXIF orientation. */
export async function decodeToRgb(input: Uint8Array | string): Promise<RgbImage> {
  const { data, info } = await sharp(input).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after decoding, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function rgbToSharp(image: RgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

export async function encodeJpeg(image: RgbImage, quality = 90): Promise<Uint8Array> {
  const buf = await rgbToSharp(image).jpeg({ quality, mozjpeg: false }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Rec. 601 luma, the weighting JPEG itself uses, rounded to 8 bits. */
export function toLuma(image: RgbImage): GreyImage {
  const n = image.width * image.height;
  const pixels = new Uint8Array(n);
  const d = image.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    pixels[i] = (299 * (d[j] ?? 0) + 587 * (d[j + 1] ?? 0) + 114 * (d[j + 2] ?? 0) + 500) / 1000;
  }
  return { width: image.width, height: image.height, pixels };
}
