import type { SignatureBox, SignatureStroke } from '../../domain/signature';
import type { Bilingual } from '../../domain/language';

export interface SignatureCheckConfig {
  /** Total ink (sum of segment lengths) at least this fraction of the box width. */
  readonly minPathFraction: number;
  /** The ink's bounding box at least this fraction of the box width (or of its height). */
  readonly minExtentFraction: number;
  /** Points may stray this far outside the box (CSS px): the pad clamps late, fingers are wide. */
  readonly tolerancePx: number;
  /** All points within this radius of the first one = a tap, not a signature. */
  readonly dotRadiusPx: number;
  /** Bound the memory a hostile or stuck client can make us hold and render. */
  readonly maxPoints: number;
  readonly maxStrokes: number;
}

export const DEFAULT_SIGNATURE_CHECK: SignatureCheckConfig = {
  minPathFraction: 0.6,
  minExtentFraction: 0.15,
  tolerancePx: 4,
  dotRadiusPx: 3,
  maxPoints: 10_000,
  maxStrokes: 100,
};

export interface SignatureStats {
  readonly strokes: number;
  readonly points: number;
  readonly pathLength: number;
  readonly bbox: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export type SignatureProblem = 'empty' | 'too-little-ink' | 'outside-box' | 'single-dot' | 'too-many-points' | 'bad-point';

export type SignatureCheck =
  | { readonly ok: true; readonly stats: SignatureStats }
  | { readonly ok: false; readonly code: SignatureProblem; readonly message: Bilingual };

const MESSAGES: Readonly<Record<SignatureProblem, Bilingual>> = {
  empty: { vi: 'Chưa có chữ ký. Xin ký tên vào khung rồi bấm "Xong".', en: 'No signature yet. Please sign inside the box, then press "Done".' },
  'too-little-ink': {
    vi: 'Chữ ký quá nhỏ hoặc quá ngắn. Xin ký lại to hơn, trải rộng trong khung.',
    en: 'The signature is too small or too short. Please sign again, larger, across the box.',
  },
  'outside-box': { vi: 'Chữ ký bị ra ngoài khung. Xin bấm "Xoá, ký lại" và ký bên trong khung.', en: 'The signature goes outside the box. Please press "Clear, sign again" and sign inside the box.' },
  'single-dot': { vi: 'Chỉ có một dấu chấm. Xin ký lại bằng chữ ký đầy đủ của bạn.', en: 'Only a dot was drawn. Please sign again with your full signature.' },
  'too-many-points': { vi: 'Chữ ký quá dài. Xin bấm "Xoá, ký lại" và ký một lần.', en: 'The signature is too long. Please press "Clear, sign again" and sign once.' },
  'bad-point': { vi: 'Không đọc được chữ ký. Xin bấm "Xoá, ký lại" và ký lại.', en: 'The signature could not be read. Please press "Clear, sign again" and sign again.' },
};

function fail(code: SignatureProblem): SignatureCheck {
  return { ok: false, code, message: MESSAGES[code] };
}

export function validateSignature(
  strokes: readonly SignatureStroke[],
  box: SignatureBox,
  cfg: SignatureCheckConfig = DEFAULT_SIGNATURE_CHECK,
): SignatureCheck {
  if (!(Number.isFinite(box.width) && Number.isFinite(box.height) && box.width > 0 && box.height > 0)) return fail('bad-point');
  if (strokes.length > cfg.maxStrokes) return fail('too-many-points');
  let points = 0;
  for (const s of strokes) points += s.length;
  // Counted before touching coordinates, so a huge payload costs one pass over stroke lengths.
  if (points > cfg.maxPoints) return fail('too-many-points');
  for (const s of strokes) {
    for (const p of s) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || !Number.isFinite(p.t)) return fail('bad-point');
      if (p.pressure !== undefined && !Number.isFinite(p.pressure)) return fail('bad-point');
    }
  }
  if (points === 0) return fail('empty');

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let pathLength = 0;
  const tol = cfg.tolerancePx;
  for (const s of strokes) {
    let prev: { x: number; y: number } | undefined;
    for (const p of s) {
      if (p.x < -tol || p.y < -tol || p.x > box.width + tol || p.y > box.height + tol) return fail('outside-box');
      minX = Math.min(minX, p.x);
      minY = Math.min(minY, p.y);
      maxX = Math.max(maxX, p.x);
      maxY = Math.max(maxY, p.y);
      if (prev !== undefined) pathLength += Math.hypot(p.x - prev.x, p.y - prev.y);
      prev = p;
    }
  }
  const stats: SignatureStats = {
    strokes: strokes.filter((s) => s.length > 0).length,
    points,
    pathLength,
    bbox: { x: minX, y: minY, width: maxX - minX, height: maxY - minY },
  };
  if (Math.hypot(maxX - minX, maxY - minY) <= 2 * cfg.dotRadiusPx) return fail('single-dot');
  const wideEnough = stats.bbox.width >= cfg.minExtentFraction * box.width || stats.bbox.height >= cfg.minExtentFraction * box.height;
  if (pathLength < cfg.minPathFraction * box.width || !wideEnough) return fail('too-little-ink');
  return { ok: true, stats };
}
