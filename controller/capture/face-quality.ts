/**
 * One number for how well a portrait met the checks, to keep the best of several photos when
 * the citizen has used every retake. Every photo that reaches the citizen has already passed
 * all checks; what separates them is how far inside the limits each measure sits: a head that
 * is 1° off straight beats one at 7° (limit 8°), a sharp face beats one just above the blur
 * limit. Each check's margin is its distance inside its limits as a fraction of the room it has
 * (0 at a limit, 1 at the far end or the middle of a range), and the score is their mean, 0–100.
 */
import type { FaceCheck } from './face-checks';

function margin(c: FaceCheck): number | undefined {
  const { min, max } = c.threshold;
  const v = c.value;
  if (Number.isNaN(v)) return 0;
  if (!c.pass) return 0;
  if (min !== undefined && max !== undefined) {
    // A range (brightness 80–215): best in the middle. An exact count (one face) says nothing.
    const half = (max - min) / 2;
    return half <= 0 ? undefined : Math.min(v - min, max - v) / half;
  }
  if (max !== undefined) return max <= 0 ? (v <= 0 ? 1 : 0) : (max - v) / max;
  if (min !== undefined) return min <= 0 ? 1 : (v - min) / min;
  return undefined;
}

export function portraitScore(checks: readonly FaceCheck[]): number {
  const margins = checks.map(margin).filter((m): m is number => m !== undefined).map((m) => Math.max(0, Math.min(1, m)));
  if (margins.length === 0) return 0;
  return Math.round((100 * margins.reduce((a, b) => a + b, 0)) / margins.length);
}
