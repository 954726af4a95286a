/**
 * A synthetic frontal face for pure tests of the geometry, checks and liveness: 68 points laid
 * out like the iBUG scheme, eyes 100 px apart, centred on (cx, cy). Not used at run time.
 */
import type { DetectedFace, Point } from '../../controller/capture/face-detector';

export interface SyntheticFaceOptions {
  readonly cx?: number;
  readonly cy?: number;
  /** Eye distance in px. */
  readonly eyes?: number;
  /** Head tilt in degrees (clockwise in the image). */
  readonly rollDeg?: number;
  /** Nose-tip offset as tan(yaw), positive towards the image's right. */
  readonly yawDeg?: number;
  /** Eye opening as eye aspect ratio. */
  readonly ear?: number;
}

export function syntheticFace(o: SyntheticFaceOptions = {}): DetectedFace {
  const cx = o.cx ?? 320, cy = o.cy ?? 240, u = (o.eyes ?? 100) / 100, ear = o.ear ?? 0.3;
  const pts: Point[] = [];
  // jaw 0..16: a U from ear level (y = -10) to the chin (y = 110), half width 75.
  for (let i = 0; i <= 16; i++) {
    const a = Math.PI * (i / 16);
    pts.push({ x: -75 * Math.cos(a), y: -10 + 120 * Math.sin(a) });
  }
  for (let i = 0; i < 5; i++) pts.push({ x: -70 + 12 * i, y: -40 }); // brow 17..21
  for (let i = 0; i < 5; i++) pts.push({ x: 22 + 12 * i, y: -40 }); // brow 22..26
  for (let i = 0; i < 4; i++) pts.push({ x: 0, y: -20 + 12 * i }); // bridge 27..30 (30 = tip)
  for (let i = 0; i < 5; i++) pts.push({ x: -16 + 8 * i, y: 35 }); // nostrils 31..35
  const eye = (ex: number): Point[] => {
    const h = ear * 30; // width 30, so opening = ear × width
    return [
      { x: ex - 15, y: 0 }, { x: ex - 5, y: -h / 2 }, { x: ex + 5, y: -h / 2 },
      { x: ex + 15, y: 0 }, { x: ex + 5, y: h / 2 }, { x: ex - 5, y: h / 2 },
    ];
  };
  pts.push(...eye(-50), ...eye(50)); // 36..47
  for (let i = 0; i < 20; i++) pts.push({ x: -25 + (50 * (i % 10)) / 9, y: 70 + (i < 10 ? 0 : 5) }); // mouth 48..67
  const tip = pts[30];
  if (tip) pts[30] = { x: 75 * Math.tan(((o.yawDeg ?? 0) * Math.PI) / 180), y: tip.y };
  const r = ((o.rollDeg ?? 0) * Math.PI) / 180;
  const landmarks = pts.map((p) => ({
    x: cx + u * (p.x * Math.cos(r) - p.y * Math.sin(r)),
    y: cy + u * (p.x * Math.sin(r) + p.y * Math.cos(r)),
  }));
  return { box: { x: cx - 80 * u, y: cy - 50 * u, width: 160 * u, height: 165 * u }, landmarks, score: 0.99 };
}
