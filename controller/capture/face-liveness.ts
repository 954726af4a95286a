/**
 * Liveness *hints* from successive preview frames, recorded in the packet as signals for the
 * reviewer, never a verdict: a cheap landmark tracker cannot tell a good mask from a face, and a
 * false "spoof" would turn away a real citizen with no way to argue.
 *
 * - motion: how much the face moves between frames (people are never perfectly still);
 * - nonRigid: what is left after removing the best similarity transform (shift, turn, scale)
 *   between frames: a photo held up to the camera moves as one rigid plane, a face deforms
 *   (blinks, mouth, small head turns);
 * - blinkSeen: the eye aspect ratio dipped well below its usual value at least once.
 */
import type { DetectedFace, Point } from './face-detector';
import { eyeDistance, meanEyeAspectRatio } from './face-geometry';

export interface LivenessSignals {
  readonly frames: number;
  /** Mean landmark displacement per frame, in eye distances. */
  readonly motion: number;
  /** Mean residual after similarity alignment per frame, in eye distances. */
  readonly nonRigid: number;
  readonly blinkSeen: boolean;
  /** Enough frames, and they moved only rigidly with no blink: worth a reviewer's look. */
  readonly flatPhotoHint: boolean;
}

/** Frames the tracker keeps by default (at ~10 fps, 30 ≈ 3 s). */
export const LIVENESS_WINDOW = 30;

export interface LivenessOptions {
  /** Frames kept (`LIVENESS_WINDOW` unless set). */
  readonly window?: number;
  /** Below this mean non-rigid residual (eye distances), movement looks like a flat object. */
  readonly rigidBelow?: number;
  /**
   * Frames needed before `flatPhotoHint` may be raised. The photo step waits for this many
   * frames before it lets the photo be taken (controller/services/face.ts), so the hint can fire.
   */
  readonly minFrames?: number;
}

function centre(points: readonly Point[]): { c: Point; pts: Point[] } {
  let x = 0, y = 0;
  for (const p of points) {
    x += p.x;
    y += p.y;
  }
  const c = { x: x / points.length, y: y / points.length };
  return { c, pts: points.map((p) => ({ x: p.x - c.x, y: p.y - c.y })) };
}

/** RMS distance between `b` and `a` after the best similarity transform of `a` onto `b`. */
export function similarityResidual(a: readonly Point[], b: readonly Point[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return 0;
  const A = centre(a.slice(0, n)).pts, B = centre(b.slice(0, n)).pts;
  let den = 0, sa = 0, sb = 0;
  for (let i = 0; i < n; i++) {
    const p = A[i], q = B[i];
    if (!p || !q) continue;
    den += p.x * p.x + p.y * p.y;
    sa += p.x * q.x + p.y * q.y;
    sb += p.x * q.y - p.y * q.x;
  }
  if (den === 0) return 0;
  const ca = sa / den, cb = sb / den;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const p = A[i], q = B[i];
    if (!p || !q) continue;
    sq += (ca * p.x - cb * p.y - q.x) ** 2 + (cb * p.x + ca * p.y - q.y) ** 2;
  }
  return Math.sqrt(sq / n);
}

export function meanDisplacement(a: readonly Point[], b: readonly Point[]): number {
  const n = Math.min(a.length, b.length);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = a[i], q = b[i];
    if (p && q) sum += Math.hypot(p.x - q.x, p.y - q.y);
  }
  return n === 0 ? 0 : sum / n;
}

export interface LivenessTracker {
  add(face: DetectedFace): void;
  signals(): LivenessSignals;
  reset(): void;
}

export function createLivenessTracker(opts: LivenessOptions = {}): LivenessTracker {
  const window = opts.window ?? LIVENESS_WINDOW;
  const rigidBelow = opts.rigidBelow ?? 0.004;
  const minFrames = opts.minFrames ?? 10;
  let faces: DetectedFace[] = [];
  return {
    add(face) {
      faces.push(face);
      if (faces.length > window) faces = faces.slice(-window);
    },
    reset() {
      faces = [];
    },
    signals() {
      let motion = 0, nonRigid = 0, pairs = 0;
      for (let i = 1; i < faces.length; i++) {
        const prev = faces[i - 1], cur = faces[i];
        if (!prev || !cur) continue;
        const scale = Math.max(1, eyeDistance(cur.landmarks));
        motion += meanDisplacement(prev.landmarks, cur.landmarks) / scale;
        nonRigid += similarityResidual(prev.landmarks, cur.landmarks) / scale;
        pairs++;
      }
      const ears = faces.map((f) => meanEyeAspectRatio(f.landmarks)).sort((x, y) => x - y);
      const median = ears[Math.floor(ears.length / 2)] ?? 0;
      const blinkSeen = ears.length >= 3 && (ears[0] ?? 0) < 0.7 * median;
      const m = pairs === 0 ? 0 : motion / pairs, nr = pairs === 0 ? 0 : nonRigid / pairs;
      return { frames: faces.length, motion: m, nonRigid: nr, blinkSeen, flatPhotoHint: faces.length >= minFrames && nr < rigidBelow && !blinkSeen };
    },
  };
}
