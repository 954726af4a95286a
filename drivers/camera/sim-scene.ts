/**
 * Role (camera sim extra): What the simulated camera sees by default: a citizen standing in
 * front of a plain wall, derived in code from one public-domain photo (sim-scene/README.md), so
 * nobody hand-edits an image and the face-check test fixtures can be derived the same way.
 *
 * The head region was located once with the face detector (face box ≈ x 163–279, y 76–187 in
 * the 512 × 512 original; hair from y ≈ 15) and is fixed here so the scene does not depend on
 * the model.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { RgbImage } from '../../domain/images';
import { PACKAGE_ROOT } from '../../domain/package-root';

export const SCENE_PHOTO_PATH = path.join(PACKAGE_ROOT, 'drivers', 'camera', 'sim-scene', 'astronaut.png');

/** Plain light backdrop, the colour of a typical photo-booth wall. */
export const BACKDROP = { r: 236, g: 236, b: 232 } as const;

/** The head, hair and a little neck in the original (ellipse centre and radii, px). */
const HEAD = { cx: 224, cy: 112, rx: 78, ry: 104 } as const;

/** Frame size of the simulated camera: large enough that a still meets ICAO's ≥ 90 px between the eyes. */
export const SIM_CAMERA_SIZE = { width: 960, height: 720 } as const;

export interface PortraitOptions {
  /** Canvas size of the derived portrait. */
  readonly width?: number;
  readonly height?: number;
  /** Enlargement of the original head: 2.5 puts the eyes ≈ 107 px apart (ICAO wants ≥ 90). */
  readonly scale?: number;
  /** Where the head centre goes, as a fraction of the canvas (0.5, 0.5 = centred). */
  readonly centreX?: number;
  readonly centreY?: number;
  /** Multiplies the head's pixels only: < 1 gives a backlit, under-exposed face on a lit wall. */
  readonly headGain?: number;
}

async function scaledHead(scale: number): Promise<RgbImage> {
  const left = HEAD.cx - HEAD.rx, top = HEAD.cy - HEAD.ry;
  const { data, info } = await sharp(SCENE_PHOTO_PATH)
    .removeAlpha()
    .extract({ left, top, width: 2 * HEAD.rx, height: 2 * HEAD.ry })
    .resize(Math.round(2 * HEAD.rx * scale), Math.round(2 * HEAD.ry * scale), { kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** The head cut out with a soft elliptical edge and laid on the plain backdrop. */
export async function plainPortrait(opts: PortraitOptions = {}): Promise<RgbImage> {
  const width = opts.width ?? 560, height = opts.height ?? 700;
  const head = await scaledHead(opts.scale ?? 2.5);
  const gain = opts.headGain ?? 1;
  const ox = Math.round((opts.centreX ?? 0.5) * width - head.width / 2);
  const oy = Math.round((opts.centreY ?? 0.5) * height - head.height / 2);
  const out = new Uint8Array(width * height * 3);
  const bg = [BACKDROP.r, BACKDROP.g, BACKDROP.b];
  const feather = 0.08; // soft edge width, as a fraction of the ellipse radius
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const hx = x - ox, hy = y - oy;
      const nx = (hx - head.width / 2) / (head.width / 2), ny = (hy - head.height / 2) / (head.height / 2);
      const r = Math.hypot(nx, ny);
      const alpha = r <= 1 - feather ? 1 : r >= 1 ? 0 : (1 - r) / feather;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const b = bg[c] ?? 0;
        const f = alpha > 0 ? (head.data[(hy * head.width + hx) * 3 + c] ?? b) * gain : b;
        out[o + c] = Math.round(alpha * f + (1 - alpha) * b);
      }
    }
  }
  return { width, height, data: out };
}

/** The default scene as the JPEG the simulated camera serves. */
export async function defaultSceneJpeg(): Promise<Uint8Array> {
  const img = await plainPortrait({ ...SIM_CAMERA_SIZE, scale: 2.5 });
  const buf = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality: 92, mozjpeg: false }).toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
