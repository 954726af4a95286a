import type { GreyImage } from '../../domain/images';
/**
 * A fingerprint image quality score on 0–100 in the spirit of NIST NFIQ 2: it looks at how
 * much of the window a finger covers (foreground area), whether ridges run in a clear direction
 * (orientation coherence), how dark ridges stand from valleys (contrast), and whether the ridge
 * spacing is that of a finger at ~500 ppi (ridge frequency). It is not NFIQ 2 (which needs 8-bit
 * 500 ppi images and a trained model); it ranks captures so the kiosk can keep the best and ask
 * again for a bad one.
 */

export interface FingerprintQuality {
  /** 0 (no usable print) .. 100. */
  readonly score: number;
  /** Fraction of the window covered by ridged finger, 0..1. */
  readonly foreground: number;
  /** Mean orientation coherence over the foreground, 0..1. */
  readonly coherence: number;
  /** Mean local contrast over the foreground, 0..1 (1 = ridges/valleys ≥ ~100 grey levels apart). */
  readonly contrast: number;
  /** Fraction of foreground blocks whose ridge period is that of a finger. */
  readonly frequencyValid: number;
}

const BLOCK = 16;
/** Below this local standard deviation a block is glass, not finger. */
const FOREGROUND_STD = 10;
/** Flat blocks darker than this are finger (wet, smudged), not glass. */
const WET_MEAN = 170;
/** A finger usually covers about half of an R30x window; more is not better. */
const FULL_AREA = 0.45;
/** Ridge period in pixels at ~500 ppi: 0.3–0.8 mm. */
const MIN_PERIOD = 5;
const MAX_PERIOD = 16;

export function fingerprintQuality(img: GreyImage): FingerprintQuality {
  const { width: w, height: h, pixels: p } = img;
  const bw = Math.floor(w / BLOCK);
  const bh = Math.floor(h / BLOCK);
  let blocks = 0;
  let fg = 0;
  let cohSum = 0;
  let conSum = 0;
  let freqOk = 0;
  let localSum = 0;
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      blocks++;
      const x0 = bx * BLOCK;
      const y0 = by * BLOCK;
      let sum = 0;
      let sq = 0;
      for (let y = y0; y < y0 + BLOCK; y++) {
        for (let x = x0; x < x0 + BLOCK; x++) {
          const v = p[y * w + x] ?? 0;
          sum += v;
          sq += v * v;
        }
      }
      const n = BLOCK * BLOCK;
      const mean = sum / n;
      const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
      if (std < FOREGROUND_STD) {
        // Dark and flat is a wet or pressed-flat finger: contact without ridges, so it counts
        // as finger area that contributes nothing.
        if (mean < WET_MEAN) fg++;
        continue;
      }
      fg++;
      // Structure tensor from central differences.
      let gxx = 0;
      let gyy = 0;
      let gxy = 0;
      for (let y = Math.max(1, y0); y < Math.min(h - 1, y0 + BLOCK); y++) {
        for (let x = Math.max(1, x0); x < Math.min(w - 1, x0 + BLOCK); x++) {
          const gx = (p[y * w + x + 1] ?? 0) - (p[y * w + x - 1] ?? 0);
          const gy = (p[(y + 1) * w + x] ?? 0) - (p[(y - 1) * w + x] ?? 0);
          gxx += gx * gx;
          gyy += gy * gy;
          gxy += gx * gy;
        }
      }
      const coherence = gxx + gyy > 0 ? Math.sqrt((gxx - gyy) ** 2 + 4 * gxy * gxy) / (gxx + gyy) : 0;
      // Gradient direction; ridges run across it, so sample along it to count ridges.
      const phi = 0.5 * Math.atan2(2 * gxy, gxx - gyy);
      const period = ridgePeriod(img, x0 + BLOCK / 2, y0 + BLOCK / 2, Math.cos(phi), Math.sin(phi));
      const freqGood = period >= MIN_PERIOD && period <= MAX_PERIOD;
      const contrast = Math.min(1, std / 40);
      cohSum += coherence;
      conSum += contrast;
      if (freqGood) freqOk++;
      localSum += coherence * contrast * (freqGood ? 1 : 0.25);
    }
  }
  if (fg === 0) return { score: 0, foreground: 0, coherence: 0, contrast: 0, frequencyValid: 0 };
  const foreground = fg / blocks;
  const area = Math.min(1, foreground / FULL_AREA);
  const local = localSum / fg;
  // Coherence of clean ridges sits near 0.8, so 0.8 × full contrast maps to 100.
  const score = Math.round(Math.max(0, Math.min(100, 100 * Math.sqrt(area) * Math.min(1, local / 0.8))));
  return { score, foreground, coherence: cohSum / fg, contrast: conSum / fg, frequencyValid: freqOk / fg };
}

/** Mean distance between ridge crossings on a 32-pixel line through (cx, cy) along (dx, dy). */
function ridgePeriod(img: GreyImage, cx: number, cy: number, dx: number, dy: number): number {
  const { width: w, height: h, pixels: p } = img;
  const samples: number[] = [];
  for (let t = -16; t < 16; t++) {
    const x = Math.round(cx + t * dx);
    const y = Math.round(cy + t * dy);
    if (x < 0 || y < 0 || x >= w || y >= h) continue;
    samples.push(p[y * w + x] ?? 0);
  }
  if (samples.length < 16) return 0;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  let crossings = 0;
  let first = -1;
  let last = -1;
  for (let i = 1; i < samples.length; i++) {
    const a = (samples[i - 1] ?? 0) - mean;
    const b = (samples[i] ?? 0) - mean;
    if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) {
      crossings++;
      if (first < 0) first = i;
      last = i;
    }
  }
  // Two crossings per ridge period.
  return crossings < 2 ? 0 : (2 * (last - first)) / (crossings - 1);
}
