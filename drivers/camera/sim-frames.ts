/**
 * Role (camera sim extra): Frames for the simulator camera: each scenario is derived from the
 * source photos with sharp, once, and served as JPEG. The derivations mirror
 * test/fixtures/faces/derive.ts, on a landscape preview frame.
 */
import sharp, { type Sharp } from 'sharp';

export const SIM_SCENARIOS = ['normal', 'no-face', 'two-faces', 'dark', 'blurred', 'off-centre', 'turned-head', 'stopped'] as const;
export type SimScenario = (typeof SIM_SCENARIOS)[number];

export interface FrameSize {
  readonly width: number;
  readonly height: number;
}

async function jpeg(s: Sharp): Promise<Uint8Array> {
  const b = await s.jpeg({ quality: 80 }).toBuffer();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

async function raw(input: Uint8Array, size: FrameSize): Promise<Buffer> {
  return sharp(input).rotate().removeAlpha().resize(size.width, size.height, { fit: 'cover' }).raw().toBuffer();
}

const rawOpts = (size: FrameSize): { raw: { width: number; height: number; channels: 3 } } => ({ raw: { ...size, channels: 3 } });

/** The scenario's frame from one source image, or undefined for 'stopped' (no frames). */
export async function renderScenario(source: Uint8Array, scenario: SimScenario, size: FrameSize): Promise<Uint8Array | undefined> {
  const { width: w, height: h } = size;
  switch (scenario) {
    case 'stopped':
      return undefined;
    case 'normal':
      return jpeg(sharp(await raw(source, size), rawOpts(size)));
    case 'dark':
      return jpeg(sharp(await raw(source, size), rawOpts(size)).linear(0.3, 0));
    case 'blurred':
      return jpeg(sharp(await raw(source, size), rawOpts(size)).blur(6));
    case 'off-centre': {
      // Shift the picture right by 30% of the width, repeating the left edge.
      const shift = Math.round(w * 0.3);
      const wide = await sharp(await raw(source, size), rawOpts(size)).extend({ left: shift, extendWith: 'copy' }).raw().toBuffer();
      return jpeg(sharp(wide, { raw: { width: w + shift, height: h, channels: 3 } }).extract({ left: 0, top: 0, width: w, height: h }));
    }
    case 'no-face': {
      // The top-left corner of the scene, enlarged: background only.
      const bg = await raw(source, size);
      return jpeg(sharp(bg, rawOpts(size)).extract({ left: 0, top: 0, width: Math.round(w / 5), height: Math.round(h / 5) }).resize(w, h));
    }
    case 'two-faces': {
      const half = await raw(source, { width: Math.round(w / 2), height: h });
      const halfRaw = { raw: { width: Math.round(w / 2), height: h, channels: 3 as const } };
      return jpeg(sharp({ create: { width: w, height: h, channels: 3, background: { r: 235, g: 235, b: 232 } } }).composite([
        { input: half, ...halfRaw, left: 0, top: 0 },
        { input: half, ...halfRaw, left: Math.round(w / 2), top: 0 },
      ]));
    }
    case 'turned-head': {
      // Crude stand-in for a turned head when no turned-head* photo is supplied: squeeze the left
      // half and stretch the right, which moves the nose off the jaw's midline as a turn would.
      const full = await raw(source, size);
      const half = Math.round(w / 2), left = Math.round(half * 0.6), right = w - left;
      const part = async (x: number, width: number, to: number): Promise<Buffer> =>
        sharp(full, rawOpts(size)).extract({ left: x, top: 0, width, height: h }).resize(to, h, { fit: 'fill' }).raw().toBuffer();
      return jpeg(sharp({ create: { width: w, height: h, channels: 3, background: { r: 0, g: 0, b: 0 } } }).composite([
        { input: await part(0, half, left), raw: { width: left, height: h, channels: 3 }, left: 0, top: 0 },
        { input: await part(half, w - half, right), raw: { width: right, height: h, channels: 3 }, left, top: 0 },
      ]));
    }
  }
}
