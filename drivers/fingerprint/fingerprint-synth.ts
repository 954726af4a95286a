/**
 * Role (fingerprint sim extra, shared by every sensor model): Generated fingerprints for the
 * simulator and the tests: ridges that follow an orientation field around a core and a delta
 * (the Sherlock–Monro zero-pole model), grown from seeded noise by repeated oriented band-pass
 * (Gabor-like) filtering, the way SFinGe-style generators do. The same finger seed always gives
 * the same print; a presentation (shift, pressure, sensor noise) varies on top of it.
 */
import { rng } from '../prng';
import type { GreyImage } from '../../domain/images';


export type PrintVariant = 'good' | 'smudged' | 'low-contrast';

export interface Presentation {
  /** Finger placement relative to the centred print, in pixels (|d| ≤ MARGIN). */
  readonly dx?: number;
  readonly dy?: number;
  /** Sensor noise and pressure draw from this seed. */
  readonly noiseSeed?: number;
  readonly variant?: PrintVariant;
}

/** Shifts are cropped from a canvas this much larger on every side. */
const MARGIN = 16;
const ORIENTATION_BINS = 16;
const KERNEL_RADIUS = 5;
const ITERATIONS = 5;

interface Master {
  readonly w: number;
  readonly h: number;
  /** Ridge field in [-1, 1] on the canvas; +1 is ridge centre. */
  readonly ridge: Float32Array;
  /** Fingertip contact area on the canvas (an ellipse with a soft edge): see `maskAt`. */
  readonly tip: Tip;
}

interface Tip {
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
}

function orientationField(w: number, h: number, r: () => number): Float32Array {
  // Arch, loop (one core, one delta) or whorl (two cores, two deltas), as in real hands.
  const kind = r();
  const cx = w * (0.45 + 0.1 * r());
  const cy = h * (0.38 + 0.1 * r());
  const cores: Array<[number, number]> = [];
  const deltas: Array<[number, number]> = [];
  if (kind < 0.15) {
    cores.push([cx, cy - h * 0.6]);
    deltas.push([cx, cy + h * 0.9]);
  } else if (kind < 0.75) {
    cores.push([cx, cy]);
    const side = r() < 0.5 ? -1 : 1;
    deltas.push([cx + side * w * (0.25 + 0.15 * r()), cy + h * (0.3 + 0.1 * r())]);
  } else {
    cores.push([cx - w * 0.04, cy - h * 0.04], [cx + w * 0.04, cy + h * 0.04]);
    deltas.push([cx - w * 0.35, cy + h * 0.35], [cx + w * 0.35, cy + h * 0.35]);
  }
  const base = (r() - 0.5) * 0.5;
  const theta = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let t = base;
      for (const [px, py] of deltas) t += 0.5 * Math.atan2(y - py, x - px);
      for (const [px, py] of cores) t -= 0.5 * Math.atan2(y - py, x - px);
      theta[y * w + x] = t;
    }
  }
  return theta;
}

/** One kernel per orientation bin: a cosine across the ridges under a Gaussian envelope. */
function kernels(period: number): Float32Array[] {
  const size = 2 * KERNEL_RADIUS + 1;
  const out: Float32Array[] = [];
  for (let b = 0; b < ORIENTATION_BINS; b++) {
    const t = (b * Math.PI) / ORIENTATION_BINS;
    const k = new Float32Array(size * size);
    let sum = 0;
    for (let j = -KERNEL_RADIUS; j <= KERNEL_RADIUS; j++) {
      for (let i = -KERNEL_RADIUS; i <= KERNEL_RADIUS; i++) {
        // Across = distance along the ridge normal; along = along the ridge.
        const across = -i * Math.sin(t) + j * Math.cos(t);
        const along = i * Math.cos(t) + j * Math.sin(t);
        const v = Math.exp(-(across * across) / (2 * 2.2 * 2.2) - (along * along) / (2 * 4.5 * 4.5)) * Math.cos((2 * Math.PI * across) / period);
        k[(j + KERNEL_RADIUS) * size + (i + KERNEL_RADIUS)] = v;
        sum += v;
      }
    }
    // Zero mean, so flat areas do not drift to one colour.
    for (let n = 0; n < k.length; n++) k[n] = (k[n] ?? 0) - sum / k.length;
    out.push(k);
  }
  return out;
}

function growRidges(w: number, h: number, theta: Float32Array, period: number, r: () => number): Float32Array {
  let field = new Float32Array(w * h);
  for (let n = 0; n < field.length; n++) field[n] = r() * 2 - 1;
  const ks = kernels(period);
  const bins = new Uint8Array(w * h);
  for (let n = 0; n < bins.length; n++) {
    const t = ((((theta[n] ?? 0) % Math.PI) + Math.PI) % Math.PI);
    bins[n] = Math.round((t / Math.PI) * ORIENTATION_BINS) % ORIENTATION_BINS;
  }
  const size = 2 * KERNEL_RADIUS + 1;
  const R = KERNEL_RADIUS;
  // Work on a padded copy so the inner loop needs no bounds checks (it runs ~10^8 times).
  const pw = w + 2 * R;
  const padded = new Float32Array(pw * (h + 2 * R));
  // Sparse kernels: the Gaussian corners contribute nothing visible and cost a third of the time.
  const taps = ks.map((k) => {
    const peak = k.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const w8: number[] = [];
    const off: number[] = [];
    for (let j = -R; j <= R; j++) {
      for (let i = -R; i <= R; i++) {
        const v = k[(j + R) * size + (i + R)] ?? 0;
        if (Math.abs(v) >= 0.03 * peak) {
          w8.push(v);
          off.push(j * pw + i);
        }
      }
    }
    return { weights: Float32Array.from(w8), offsets: Int32Array.from(off) };
  });
  for (let it = 0; it < ITERATIONS; it++) {
    for (let y = 0; y < h + 2 * R; y++) {
      const sy = Math.min(h - 1, Math.max(0, y - R));
      for (let x = 0; x < pw; x++) padded[y * pw + x] = field[sy * w + Math.min(w - 1, Math.max(0, x - R))] ?? 0;
    }
    const next = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = taps[bins[y * w + x] ?? 0];
        if (!t) continue;
        const { weights, offsets } = t;
        const c = (y + R) * pw + x + R;
        let acc = 0;
        for (let n = 0; n < weights.length; n++) acc += (weights[n] ?? 0) * (padded[c + (offsets[n] ?? 0)] ?? 0);
        // A soft clip keeps the amplitude bounded so the pattern settles into clean ridges.
        next[y * w + x] = Math.tanh(acc * 1.5);
      }
    }
    field = next;
  }
  return field;
}

function fingertip(w: number, h: number, r: () => number): Tip {
  const cx = w / 2 + (r() - 0.5) * w * 0.06;
  const cy = h * 0.52 + (r() - 0.5) * h * 0.06;
  const rx = (w - 2 * MARGIN) * (0.4 + 0.05 * r());
  const ry = (h - 2 * MARGIN) * (0.46 + 0.05 * r());
  return { cx, cy, rx, ry };
}

/**
 * How much of canvas pixel (x, y) the fingertip covers, 0..1. Computed per pixel rather than
 * kept as a second canvas-sized array per finger (that array was half of each cached master);
 * rounded to float32 as the stored mask was, so the prints are bit-for-bit the same.
 */
function maskAt(t: Tip, x: number, y: number): number {
  const d = Math.hypot((x - t.cx) / t.rx, (y - t.cy) / t.ry);
  return Math.fround(Math.min(1, Math.max(0, (1 - d) * 8)));
}

/**
 * Fingers whose ridges are kept between prints, the most recently used first to stay. Growing a
 * finger's ridges costs ~0.2 s of CPU, so the simulated crowd (r30x/sim-fingers.ts CROWD_FINGERS,
 * 40) must fit; each finger costs its ridge field, 4 bytes a canvas pixel (0.37 MB on the R307's
 * 256 × 288 window). These live in the kiosk process whenever the sensor is simulated.
 */
export const MAX_CACHED_FINGERS = 40;
const masters = new Map<string, Master>();

function master(seed: number, width: number, height: number): Master {
  const key = `${seed}:${width}x${height}`;
  const hit = masters.get(key);
  if (hit) {
    // Most recently used last: the first in the map is the one to let go.
    masters.delete(key);
    masters.set(key, hit);
    return hit;
  }
  const w = width + 2 * MARGIN;
  const h = height + 2 * MARGIN;
  const r = rng(seed * 2654435761);
  const period = 8 + 2 * r();
  const theta = orientationField(w, h, r);
  const m: Master = { w, h, ridge: growRidges(w, h, theta, period, r), tip: fingertip(w, h, r) };
  for (const oldest of masters.keys()) {
    if (masters.size < MAX_CACHED_FINGERS) break;
    masters.delete(oldest);
  }
  masters.set(key, m);
  return m;
}

function boxBlur(src: Float32Array, w: number, h: number, radius: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const n = 2 * radius + 1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let i = -radius; i <= radius; i++) s += src[y * w + Math.min(w - 1, Math.max(0, x + i))] ?? 0;
      tmp[y * w + x] = s / n;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = -radius; j <= radius; j++) s += tmp[Math.min(h - 1, Math.max(0, y + j)) * w + x] ?? 0;
      out[y * w + x] = s / n;
    }
  }
  return out;
}

/** Gaussian-ish sensor noise from a uniform PRNG (sum of three). */
function noise(r: () => number): number {
  return r() + r() + r() - 1.5;
}

const BACKGROUND = 236;

/** A print of finger `seed` as the sensor would see it. Optical sensors show ridges dark. */
export function synthFingerprint(seed: number, width: number, height: number, p: Presentation = {}): GreyImage {
  const m = master(seed, width, height);
  const variant = p.variant ?? 'good';
  const r = rng((p.noiseSeed ?? seed) ^ 0x5bd1e995);
  const dx = Math.max(-MARGIN, Math.min(MARGIN, Math.round(p.dx ?? 0)));
  const dy = Math.max(-MARGIN, Math.min(MARGIN, Math.round(p.dy ?? 0)));
  let ridge = m.ridge;
  if (variant === 'smudged') ridge = boxBlur(m.ridge, m.w, m.h, 4);
  const amplitude = variant === 'low-contrast' ? 14 : variant === 'smudged' ? 60 : 95 * (0.9 + 0.1 * r());
  const mid = variant === 'low-contrast' ? 190 : 128;
  const pixels = new Uint8Array(width * height);
  // Smudges: a few wet blobs that fill the valleys.
  const blobs = variant === 'smudged' ? Array.from({ length: 7 }, () => [width * (0.2 + 0.6 * r()), height * (0.2 + 0.6 * r()), 22 + 28 * r()] as const) : [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sx = x + MARGIN - dx;
      const sy = y + MARGIN - dy;
      const at = sy * m.w + sx;
      const k = maskAt(m.tip, sx, sy);
      let v = (ridge[at] ?? 0) * (variant === 'smudged' ? 1.6 : 1);
      v = Math.max(-1, Math.min(1, v));
      let finger = mid - amplitude * v;
      for (const [bx, by, br] of blobs) {
        const d = Math.hypot(x - bx, y - by);
        if (d < br) finger = finger * (d / br) + 70 * (1 - d / br);
      }
      const value = BACKGROUND * (1 - k) + finger * k + noise(r) * 8;
      pixels[y * width + x] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return { width, height, pixels };
}

/** An empty window: no ridges, only the glass and sensor noise. */
export function synthBlank(width: number, height: number, noiseSeed = 1): GreyImage {
  const r = rng(noiseSeed);
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round(BACKGROUND + noise(r) * 8)));
  return { width, height, pixels };
}

export const PRESENTATION_MARGIN = MARGIN;

/** What the synthesiser keeps between prints: how many fingers' masters, and their bytes. */
export function masterCache(): { readonly fingers: number; readonly bytes: number; readonly seeds: readonly number[] } {
  let bytes = 0;
  for (const m of masters.values()) for (const v of Object.values(m)) if (v instanceof Float32Array || v instanceof Uint8Array) bytes += v.byteLength;
  return { fingers: masters.size, bytes, seeds: [...masters.keys()].map((k) => Number.parseInt(k, 10)) };
}
