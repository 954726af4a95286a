/**
 * Head pose and eye measures from the 68 iBUG landmarks. Pure geometry; no image access.
 * Indices: jaw 0–16 (0 and 16 near the ears), nose bridge 27–30 (30 = tip), the eye on the
 * image's left 36–41, the eye on the image's right 42–47, brows 17–26, chin 8.
 */
import type { Box, Point } from './face-detector';

const deg = (rad: number): number => (rad * 180) / Math.PI;

function at(lm: readonly Point[], i: number): Point {
  const p = lm[i];
  if (!p) throw new RangeError(`landmark ${i} missing (got ${lm.length} points, need 68)`);
  return p;
}

function mean(points: readonly Point[]): Point {
  let x = 0, y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  return { x: x / points.length, y: y / points.length };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);
const dist = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

export interface EyeCentres {
  /** The eye nearer the image's left edge. */
  readonly left: Point;
  readonly right: Point;
}

export function eyeCentres(lm: readonly Point[]): EyeCentres {
  return { left: mean(range(36, 41).map((i) => at(lm, i))), right: mean(range(42, 47).map((i) => at(lm, i))) };
}

/** Pixels between the eye centres (ICAO asks ≥ 90 for a portrait). */
export function eyeDistance(lm: readonly Point[]): number {
  const e = eyeCentres(lm);
  return dist(e.left, e.right);
}

/** Head tilt in degrees: angle of the eye line from horizontal, positive = clockwise in the image. */
export function rollDegrees(lm: readonly Point[]): number {
  const e = eyeCentres(lm);
  return deg(Math.atan2(e.right.y - e.left.y, e.right.x - e.left.x));
}

/**
 * Head turn in degrees, positive when the nose tip sits towards the image's right.
 * Cylinder model: the jaw ends (points 0, 16) lie at the sides of the head, the nose tip on its
 * front, so the nose's offset from the jaw midpoint, over the half-width, is ≈ tan(yaw).
 * Measured after undoing roll, so a tilted but frontal head reads ≈ 0. It is an estimate, good
 * for guidance ("look straight at the camera"), not a metrology-grade pose.
 */
export function yawDegrees(lm: readonly Point[]): number {
  const roll = (rollDegrees(lm) * Math.PI) / 180;
  const c = Math.cos(-roll), s = Math.sin(-roll);
  const ux = (p: Point): number => p.x * c - p.y * s; // x after rotating by -roll
  const left = ux(at(lm, 0)), right = ux(at(lm, 16)), nose = ux(at(lm, 30));
  const half = (right - left) / 2;
  if (half <= 0) return Number.NaN;
  return deg(Math.atan((nose - (left + right) / 2) / half));
}

/** Eye aspect ratio (Soukupová & Čech 2016): ≈0.25–0.35 open, < ~0.15 closed. */
export function eyeAspectRatio(lm: readonly Point[], first: 36 | 42): number {
  const p = range(first, first + 5).map((i) => at(lm, i));
  const [p1, p2, p3, p4, p5, p6] = p;
  if (!p1 || !p2 || !p3 || !p4 || !p5 || !p6) return Number.NaN;
  const width = dist(p1, p4);
  return width === 0 ? 0 : (dist(p2, p6) + dist(p3, p5)) / (2 * width);
}

export function meanEyeAspectRatio(lm: readonly Point[]): number {
  return (eyeAspectRatio(lm, 36) + eyeAspectRatio(lm, 42)) / 2;
}

/**
 * The face proper as the landmarks see it: jaw side to jaw side, brow top to chin. Tighter and
 * steadier than the detector box, so it is what brightness and sharpness are measured on.
 */
export function landmarkBox(lm: readonly Point[]): Box {
  const xs = range(0, 16).map((i) => at(lm, i).x);
  const top = Math.min(...range(17, 26).map((i) => at(lm, i).y));
  const chin = at(lm, 8).y;
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  return { x: x0, y: top, width: x1 - x0, height: chin - top };
}
