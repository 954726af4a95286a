import type { GreyImage } from '../../domain/images';
/**
 * Is this the same finger as one already taken? A deliberately simple comparison for catching
 * a citizen who presents the right index again for the right middle: both prints are reduced
 * to their ridge pattern (band-passed, half resolution) and correlated over a window of shifts;
 * the best normalised correlation is the similarity. Not a matcher for identification: no
 * rotation or distortion model, no minutiae.
 */

/** Shifts searched, in half-resolution pixels (±24 full-resolution pixels). */
const MAX_SHIFT = 12;
/** Overlap needed before a correlation counts, as a fraction of the smaller print. */
const MIN_OVERLAP = 0.35;

interface Ridges {
  readonly w: number;
  readonly h: number;
  /** Band-passed signal, zero where there is no finger. */
  readonly v: Float32Array;
  readonly fg: Uint8Array;
  readonly fgCount: number;
}

function prepare(img: GreyImage): Ridges {
  const w = img.width >> 1;
  const h = img.height >> 1;
  const half = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 2 * y * img.width + 2 * x;
      const p = img.pixels;
      half[y * w + x] = ((p[i] ?? 0) + (p[i + 1] ?? 0) + (p[i + img.width] ?? 0) + (p[i + img.width + 1] ?? 0)) / 4;
    }
  }
  const mean = boxMean(half, w, h, 4);
  const v = new Float32Array(w * h);
  for (let i = 0; i < v.length; i++) v[i] = (half[i] ?? 0) - (mean[i] ?? 0);
  const energy = boxMean(v.map((x) => x * x), w, h, 4);
  const fg = new Uint8Array(w * h);
  let fgCount = 0;
  for (let i = 0; i < v.length; i++) {
    // Ridged finger has local energy; glass and smooth smudges do not.
    if ((energy[i] ?? 0) > 100) {
      fg[i] = 1;
      fgCount++;
    } else v[i] = 0;
  }
  return { w, h, v, fg, fgCount };
}

function boxMean(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    let s = 0;
    let n = 0;
    for (let x = -r; x < w + r; x++) {
      if (x + r < w) {
        s += src[y * w + x + r] ?? 0;
        n++;
      }
      if (x - r - 1 >= 0) {
        s -= src[y * w + x - r - 1] ?? 0;
        n--;
      }
      if (x >= 0 && x < w) tmp[y * w + x] = s / n;
    }
  }
  for (let x = 0; x < w; x++) {
    let s = 0;
    let n = 0;
    for (let y = -r; y < h + r; y++) {
      if (y + r < h) {
        s += tmp[(y + r) * w + x] ?? 0;
        n++;
      }
      if (y - r - 1 >= 0) {
        s -= tmp[(y - r - 1) * w + x] ?? 0;
        n--;
      }
      if (y >= 0 && y < h) out[y * w + x] = s / n;
    }
  }
  return out;
}

function correlationAt(a: Ridges, b: Ridges, dx: number, dy: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let overlap = 0;
  const y0 = Math.max(0, dy);
  const y1 = Math.min(a.h, b.h + dy);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(a.w, b.w + dx);
  for (let y = y0; y < y1; y++) {
    const ra = y * a.w;
    const rb = (y - dy) * b.w - dx;
    for (let x = x0; x < x1; x++) {
      if (!a.fg[ra + x] || !b.fg[rb + x]) continue;
      const va = a.v[ra + x] ?? 0;
      const vb = b.v[rb + x] ?? 0;
      ab += va * vb;
      aa += va * va;
      bb += vb * vb;
      overlap++;
    }
  }
  if (overlap < MIN_OVERLAP * Math.min(a.fgCount, b.fgCount) || aa === 0 || bb === 0) return 0;
  return ab / Math.sqrt(aa * bb);
}

/** Block size (half-resolution pixels) of the orientation field used to find the shift. */
const OBLOCK = 4;

interface Orientation {
  readonly bw: number;
  readonly bh: number;
  /** Doubled-angle unit vectors weighted by coherence; 0 where there is no finger. */
  readonly c: Float32Array;
  readonly s: Float32Array;
}

function orientation(r: Ridges): Orientation {
  const bw = Math.floor(r.w / OBLOCK);
  const bh = Math.floor(r.h / OBLOCK);
  const c = new Float32Array(bw * bh);
  const s = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let gxx = 0;
      let gyy = 0;
      let gxy = 0;
      for (let y = Math.max(1, by * OBLOCK - 2); y < Math.min(r.h - 1, by * OBLOCK + OBLOCK + 2); y++) {
        for (let x = Math.max(1, bx * OBLOCK - 2); x < Math.min(r.w - 1, bx * OBLOCK + OBLOCK + 2); x++) {
          const gx = (r.v[y * r.w + x + 1] ?? 0) - (r.v[y * r.w + x - 1] ?? 0);
          const gy = (r.v[(y + 1) * r.w + x] ?? 0) - (r.v[(y - 1) * r.w + x] ?? 0);
          gxx += gx * gx;
          gyy += gy * gy;
          gxy += gx * gy;
        }
      }
      const norm = gxx + gyy;
      if (norm === 0) continue;
      c[by * bw + bx] = (gxx - gyy) / norm;
      s[by * bw + bx] = (2 * gxy) / norm;
    }
  }
  return { bw, bh, c, s };
}

/** Agreement of two orientation fields at a block shift: mean dot product where both have finger. */
function orientationAgreement(a: Orientation, b: Orientation, dx: number, dy: number): number {
  let dot = 0;
  let n = 0;
  for (let y = Math.max(0, dy); y < Math.min(a.bh, b.bh + dy); y++) {
    for (let x = Math.max(0, dx); x < Math.min(a.bw, b.bw + dx); x++) {
      const ia = y * a.bw + x;
      const ib = (y - dy) * b.bw + (x - dx);
      const ca = a.c[ia] ?? 0;
      const sa = a.s[ia] ?? 0;
      const cb = b.c[ib] ?? 0;
      const sb = b.s[ib] ?? 0;
      if ((ca === 0 && sa === 0) || (cb === 0 && sb === 0)) continue;
      dot += ca * cb + sa * sb;
      n++;
    }
  }
  return n < 20 ? -1 : dot / n;
}

interface Prepared {
  readonly ridges: Ridges;
  readonly orient: Orientation;
}
const cache = new WeakMap<GreyImage, Prepared>();
function prepared(img: GreyImage): Prepared {
  const hit = cache.get(img);
  if (hit) return hit;
  const ridges = prepare(img);
  const p = { ridges, orient: orientation(ridges) };
  cache.set(img, p);
  return p;
}

/** Candidate shifts kept from the coarse orientation search. */
const CANDIDATES = 3;
/** Fine search radius around each candidate, half-resolution pixels. */
const REFINE = 3;

/**
 * Similarity of two fingerprint images, 0..1. The same generated finger presented twice (with
 * shifts up to ±24 px and sensor noise) scores well above a different finger. The shift is found
 * coarsely on the orientation fields (smooth, so a block step cannot miss it), then the ridge
 * patterns are correlated around the best few candidates.
 */
export function similarity(a: GreyImage, b: GreyImage): number {
  const pa = prepared(a);
  const pb = prepared(b);
  if (pa.ridges.fgCount === 0 || pb.ridges.fgCount === 0) return 0;
  const reach = Math.ceil(MAX_SHIFT / OBLOCK);
  const coarse: Array<{ dx: number; dy: number; agree: number }> = [];
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) coarse.push({ dx, dy, agree: orientationAgreement(pa.orient, pb.orient, dx, dy) });
  }
  coarse.sort((p, q) => q.agree - p.agree);
  let best = 0;
  for (const cand of coarse.slice(0, CANDIDATES)) {
    for (let dy = cand.dy * OBLOCK - REFINE; dy <= cand.dy * OBLOCK + REFINE; dy++) {
      for (let dx = cand.dx * OBLOCK - REFINE; dx <= cand.dx * OBLOCK + REFINE; dx++) {
        const c = correlationAt(pa.ridges, pb.ridges, dx, dy);
        if (c > best) best = c;
      }
    }
  }
  return Math.min(1, best);
}

/** Above this, two prints are treated as the same finger. */
export const SAME_FINGER_THRESHOLD = 0.45;
