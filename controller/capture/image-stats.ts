import type { GreyImage } from '../../domain/images';
/**
 * Small, pure statistics over 8-bit greyscale images: the measuring tools of the quality checks.
 * Everything works on a rectangle (clipped to the image) or a pixel mask so a check can say
 * exactly which pixels it measured.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Integer rectangle inside the image; may be empty. */
export function clipRect(r: Rect, img: { width: number; height: number }): Rect {
  const x0 = Math.max(0, Math.floor(r.x));
  const y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(img.width, Math.ceil(r.x + r.width));
  const y1 = Math.min(img.height, Math.ceil(r.y + r.height));
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

export function crop(img: GreyImage, r: Rect): GreyImage {
  const c = clipRect(r, img);
  const pixels = new Uint8Array(c.width * c.height);
  for (let y = 0; y < c.height; y++) {
    const from = (c.y + y) * img.width + c.x;
    pixels.set(img.pixels.subarray(from, from + c.width), y * c.width);
  }
  return { width: c.width, height: c.height, pixels };
}

/**
 * Resample to width × height: box-average when shrinking (so noise and JPEG blocks do not
 * alias into fake detail), bilinear when enlarging.
 */
export function resample(img: GreyImage, width: number, height: number): GreyImage {
  const out = new Uint8Array(width * height);
  const sx = img.width / width;
  const sy = img.height / height;
  const px = (x: number, y: number): number => img.pixels[y * img.width + x] ?? 0;
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      let v: number;
      if (sx >= 1 && sy >= 1) {
        const x0 = Math.floor(ox * sx), x1 = Math.max(x0 + 1, Math.floor((ox + 1) * sx));
        const y0 = Math.floor(oy * sy), y1 = Math.max(y0 + 1, Math.floor((oy + 1) * sy));
        let sum = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += px(x, y);
        v = sum / ((x1 - x0) * (y1 - y0));
      } else {
        const fx = Math.min(img.width - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
        const fy = Math.min(img.height - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
        const x0 = Math.floor(fx), y0 = Math.floor(fy);
        const x1 = Math.min(img.width - 1, x0 + 1), y1 = Math.min(img.height - 1, y0 + 1);
        const ax = fx - x0, ay = fy - y0;
        v = (px(x0, y0) * (1 - ax) + px(x1, y0) * ax) * (1 - ay) + (px(x0, y1) * (1 - ax) + px(x1, y1) * ax) * ay;
      }
      out[oy * width + ox] = Math.round(v);
    }
  }
  return { width, height, pixels: out };
}

export interface Moments {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
}

export function moments(values: Iterable<number>): Moments {
  let n = 0, sum = 0, sq = 0;
  for (const v of values) {
    n++;
    sum += v;
    sq += v * v;
  }
  if (n === 0) return { count: 0, mean: Number.NaN, std: Number.NaN };
  const mean = sum / n;
  return { count: n, mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** p-th percentile (0..100) of 8-bit pixels, by histogram. */
export function percentile(pixels: Uint8Array, p: number): number {
  const hist = new Uint32Array(256);
  for (const v of pixels) hist[v] = (hist[v] ?? 0) + 1;
  const target = (p / 100) * pixels.length;
  let acc = 0;
  for (let v = 0; v < 256; v++) {
    acc += hist[v] ?? 0;
    if (acc >= target) return v;
  }
  return 255;
}

/** Variance of the 4-neighbour Laplacian over the interior: high when there are sharp edges. */
export function laplacianVariance(img: GreyImage): number {
  const { width: w, height: h, pixels: p } = img;
  const vals: number[] = [];
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      vals.push((p[i - 1] ?? 0) + (p[i + 1] ?? 0) + (p[i - w] ?? 0) + (p[i + w] ?? 0) - 4 * (p[i] ?? 0));
    }
  }
  const m = moments(vals);
  return m.count === 0 ? 0 : m.std * m.std;
}

/**
 * Gradient magnitude (|dx| + |dy|, central differences) at each interior pixel for which
 * `include(x, y)` holds; returns the fraction above `threshold` and the count measured.
 */
export function edgeDensity(img: GreyImage, threshold: number, include: (x: number, y: number) => boolean): { fraction: number; count: number } {
  const { width: w, height: h, pixels: p } = img;
  let count = 0, edges = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      if (!include(x, y)) continue;
      const i = y * w + x;
      const g = Math.abs((p[i + 1] ?? 0) - (p[i - 1] ?? 0)) / 2 + Math.abs((p[i + w] ?? 0) - (p[i - w] ?? 0)) / 2;
      count++;
      if (g > threshold) edges++;
    }
  }
  return { fraction: count === 0 ? Number.NaN : edges / count, count };
}
