/**
 * Crop a checked photo to ICAO 9303 portrait proportions: 35 × 45 mm, the head (chin to crown)
 * 70–80 % of the height, the eye line 50–70 % of the height above the bottom edge, face
 * centred left–right. Output is a JPEG, the form the card printer's system expects.
 *
 * The crown is not a landmark; for adults the eyes sit near the middle of the head, so the crown
 * is taken as far above the eye line as the chin is below it.
 */
import sharp from 'sharp';
import type { DetectedFace } from './face-detector';
import { eyeCentres } from './face-geometry';
import { rgbToSharp } from './image-rgb';
import type { RgbImage } from '../../domain/images';
import type { Rect } from './image-stats';

export interface IcaoCropOptions {
  /** Output size; the default is 35 × 45 mm at 300 dpi. */
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** Head height (chin to crown) as a fraction of the output height; ICAO 0.70–0.80. */
  readonly headFraction?: number;
  readonly quality?: number;
}

export interface IcaoCrop {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The rectangle taken from the source image (may reach outside it, see `padded`). */
  readonly source: Rect;
  /** True when the rectangle left the image and edge pixels were repeated to fill it. */
  readonly padded: boolean;
  /** Eye line height above the bottom edge, as a fraction of the height (ICAO 0.5–0.7). */
  readonly eyeLineFromBottom: number;
}

const TOP_MARGIN = 0.08; // space above the crown, as a fraction of the output height

/** Where to cut, in source pixels, for the given face and output aspect. */
export function icaoCropRect(face: DetectedFace, aspect: number, headFraction: number): Rect {
  const eyes = eyeCentres(face.landmarks);
  const eyeX = (eyes.left.x + eyes.right.x) / 2, eyeY = (eyes.left.y + eyes.right.y) / 2;
  const chin = face.landmarks[8]?.y ?? face.box.y + face.box.height;
  const head = 2 * Math.max(1, chin - eyeY);
  const height = head / headFraction;
  const width = height * aspect;
  const crown = eyeY - head / 2;
  return { x: eyeX - width / 2, y: crown - TOP_MARGIN * height, width, height };
}

export async function cropToIcao(image: RgbImage, face: DetectedFace, opts: IcaoCropOptions = {}): Promise<IcaoCrop> {
  const outW = opts.widthPx ?? 413, outH = opts.heightPx ?? 531;
  const headFraction = opts.headFraction ?? 0.75;
  const r = icaoCropRect(face, outW / outH, headFraction);
  const x0 = Math.round(r.x), y0 = Math.round(r.y), w = Math.round(r.width), h = Math.round(r.height);
  const pad = {
    left: Math.max(0, -x0),
    top: Math.max(0, -y0),
    right: Math.max(0, x0 + w - image.width),
    bottom: Math.max(0, y0 + h - image.height),
  };
  const padded = pad.left + pad.top + pad.right + pad.bottom > 0;
  // sharp runs extract before extend inside one pipeline, so padding is a pipeline of its own.
  const base = padded
    ? sharp(await rgbToSharp(image).extend({ ...pad, extendWith: 'copy' }).raw().toBuffer(), {
        raw: { width: image.width + pad.left + pad.right, height: image.height + pad.top + pad.bottom, channels: 3 },
      })
    : rgbToSharp(image);
  const buf = await base
    .extract({ left: x0 + pad.left, top: y0 + pad.top, width: w, height: h })
    .resize(outW, outH, { fit: 'fill', kernel: 'lanczos3' })
    .jpeg({ quality: opts.quality ?? 92 })
    .toBuffer();
  const eyes = eyeCentres(face.landmarks);
  const eyeY = (eyes.left.y + eyes.right.y) / 2;
  return {
    jpeg: new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength),
    width: outW,
    height: outH,
    source: { x: x0, y: y0, width: w, height: h },
    padded,
    eyeLineFromBottom: 1 - (eyeY - y0) / h,
  };
}
