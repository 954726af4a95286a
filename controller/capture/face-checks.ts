/**
 * ICAO-style portrait checks (ICAO 9303 part 3 / ISO/IEC 19794-5 best practice), each a pure
 * function returning what it measured, the limit it compared against, pass/fail and the line
 * the citizen should hear. Thresholds come from `FaceCheckConfig`; the defaults below were
 * tuned on the test fixtures and the sources named beside each; the lead moves them to config.
 *
 * When there is not exactly one face, only `face-count` is reported: every other check needs
 * "the" face and would only repeat the same failure in other words.
 */
import type { DetectedFace } from './face-detector';
import { eyeDistance, landmarkBox, meanEyeAspectRatio, rollDegrees, yawDegrees } from './face-geometry';
import { GUIDANCE, mostUrgent } from './face-guidance';
import type { Bilingual } from '../../domain/language';
import { toLuma } from './image-rgb';
import type { GreyImage, RgbImage } from '../../domain/images';
import { crop, edgeDensity, laplacianVariance, moments, percentile, resample, type Rect } from './image-stats';

export type FaceCheckName =
  | 'face-count'
  | 'face-size'
  | 'centred'
  | 'roll'
  | 'yaw'
  | 'eyes-open'
  | 'brightness'
  | 'contrast'
  | 'sharpness'
  | 'background-light'
  | 'background-plain';

/** Inclusive limits; a missing side is unbounded. */
export interface Threshold {
  readonly min?: number;
  readonly max?: number;
}

export interface FaceCheck {
  readonly name: FaceCheckName;
  readonly value: number;
  readonly threshold: Threshold;
  readonly pass: boolean;
  readonly guidance: Bilingual;
}

export interface FaceCheckConfig {
  /** ICAO: ≥ 90 px between eye centres for a stored portrait (docs/facts/camera.md). */
  readonly minEyeDistancePx: number;
  /** Eye distance as a fraction of image width above which the head will not fit the crop. */
  readonly maxEyeDistanceFraction: number;
  /** Largest offset of the face centre from the image centre, as a fraction of width/height. */
  readonly maxCentreOffset: number;
  /** ISO/IEC 19794-5: roll within ±8°, yaw and pitch within ±5°. Yaw is estimated (see face-geometry.ts). */
  readonly maxRollDeg: number;
  readonly maxYawDeg: number;
  /** Eye aspect ratio below which an eye counts as closed. */
  readonly minEyeAspectRatio: number;
  /** Mean luma of the face, 0..255. */
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** (p95 − p5) / (p95 + p5) of face luma; scale-free, so "dark" does not also read "flat". */
  readonly minContrast: number;
  /** Laplacian variance / luma variance of the face resampled to `sharpnessFaceWidth` px. */
  readonly minSharpness: number;
  readonly sharpnessFaceWidth: number;
  /** Mean luma of the background around the head. */
  readonly minBackgroundBrightness: number;
  /** Fraction of background pixels on an edge (gradient > `backgroundEdgeThreshold`). */
  readonly maxBackgroundEdgeDensity: number;
  readonly backgroundEdgeThreshold: number;
}

export const DEFAULT_FACE_CHECK_CONFIG: FaceCheckConfig = {
  minEyeDistancePx: 90,
  maxEyeDistanceFraction: 0.4,
  maxCentreOffset: 0.12,
  maxRollDeg: 8,
  maxYawDeg: 8,
  minEyeAspectRatio: 0.18,
  minBrightness: 80,
  maxBrightness: 215,
  minContrast: 0.25,
  minSharpness: 0.045,
  sharpnessFaceWidth: 128,
  minBackgroundBrightness: 150,
  maxBackgroundEdgeDensity: 0.03,
  backgroundEdgeThreshold: 12,
};

export interface FaceAnalysis {
  readonly ok: boolean;
  readonly checks: readonly FaceCheck[];
  /** The one thing to say now: the most urgent failing check (face-guidance.ts), or "hold still". */
  readonly primaryGuidance: Bilingual;
  /** The face measured, when there was exactly one. */
  readonly face?: DetectedFace;
}

export interface EvaluateOptions {
  /**
   * Preview frames are smaller than stills: the eye-distance minimum is multiplied by this
   * (e.g. 640 / 1280 = 0.5 for a 640-wide preview of a 1280-wide still).
   */
  readonly eyeDistanceScale?: number;
}

function within(value: number, t: Threshold): boolean {
  if (Number.isNaN(value)) return false;
  return (t.min === undefined || value >= t.min) && (t.max === undefined || value <= t.max);
}

function check(name: FaceCheckName, value: number, threshold: Threshold, guidance: Bilingual): FaceCheck {
  return { name, value, threshold, pass: within(value, threshold), guidance };
}

export function checkFaceCount(count: number): FaceCheck {
  return check('face-count', count, { min: 1, max: 1 }, count === 0 ? GUIDANCE.noFace : GUIDANCE.manyFaces);
}

export function checkFaceSize(face: DetectedFace, imageWidth: number, cfg: FaceCheckConfig, scale = 1): FaceCheck {
  const d = eyeDistance(face.landmarks);
  const t = { min: cfg.minEyeDistancePx * scale, max: cfg.maxEyeDistanceFraction * imageWidth };
  return check('face-size', d, t, d > t.max ? GUIDANCE.back : GUIDANCE.closer);
}

/** Face centre = centre of the landmark box; offset in fractions of the image's width/height. */
export function checkCentred(face: DetectedFace, image: { width: number; height: number }, cfg: FaceCheckConfig): FaceCheck {
  const b = landmarkBox(face.landmarks);
  const dx = Math.abs(b.x + b.width / 2 - image.width / 2) / image.width;
  const dy = Math.abs(b.y + b.height / 2 - image.height / 2) / image.height;
  return check('centred', Math.max(dx, dy), { max: cfg.maxCentreOffset }, GUIDANCE.centre);
}

export function checkRoll(face: DetectedFace, cfg: FaceCheckConfig): FaceCheck {
  return check('roll', Math.abs(rollDegrees(face.landmarks)), { max: cfg.maxRollDeg }, GUIDANCE.straightHead);
}

export function checkYaw(face: DetectedFace, cfg: FaceCheckConfig): FaceCheck {
  return check('yaw', Math.abs(yawDegrees(face.landmarks)), { max: cfg.maxYawDeg }, GUIDANCE.lookStraight);
}

export function checkEyesOpen(face: DetectedFace, cfg: FaceCheckConfig): FaceCheck {
  return check('eyes-open', meanEyeAspectRatio(face.landmarks), { min: cfg.minEyeAspectRatio }, GUIDANCE.openEyes);
}

/** The skin area measured for light and focus: the landmark box minus 10% each side (hair, ears). */
export function faceRegion(face: DetectedFace): Rect {
  const b = landmarkBox(face.landmarks);
  return { x: b.x + b.width * 0.1, y: b.y, width: b.width * 0.8, height: b.height };
}

export function checkBrightness(luma: GreyImage, face: DetectedFace, cfg: FaceCheckConfig): FaceCheck {
  const m = moments(crop(luma, faceRegion(face)).pixels).mean;
  return check('brightness', m, { min: cfg.minBrightness, max: cfg.maxBrightness }, m > cfg.maxBrightness ? GUIDANCE.tooBright : GUIDANCE.tooDark);
}

export function checkContrast(luma: GreyImage, face: DetectedFace, cfg: FaceCheckConfig): FaceCheck {
  const px = crop(luma, faceRegion(face)).pixels;
  const lo = percentile(px, 5), hi = percentile(px, 95);
  return check('contrast', hi + lo === 0 ? 0 : (hi - lo) / (hi + lo), { min: cfg.minContrast }, GUIDANCE.lowContrast);
}

/**
 * Variance of the Laplacian (Pech-Pacheco et al. 2000), made comparable across distance and
 * exposure: the face is first resampled to a fixed width, and the result is divided by the
 * face's own luma variance so a darker face is not mistaken for a blurred one.
 */
export function checkSharpness(luma: GreyImage, face: DetectedFace, cfg: FaceCheckConfig): FaceCheck {
  const region = crop(luma, faceRegion(face));
  const w = cfg.sharpnessFaceWidth;
  const h = Math.max(3, Math.round((region.height / Math.max(1, region.width)) * w));
  const norm = resample(region, w, h);
  const v = moments(norm.pixels).std ** 2;
  const value = v === 0 ? 0 : laplacianVariance(norm) / v;
  return check('sharpness', value, { min: cfg.minSharpness }, GUIDANCE.blurred);
}

/**
 * Background = the part of the picture beside and above the head, above the chin: outside the
 * landmark box widened by 60% of its width each side and raised by its height (hair). Below the
 * chin are shoulders and clothes, which are not background. Measured on a copy shrunk to ~200 px
 * wide so sensor noise and JPEG blocks do not count as "objects".
 */
export function backgroundMask(face: DetectedFace, image: { width: number; height: number }): (x: number, y: number) => boolean {
  const b = landmarkBox(face.landmarks);
  const x0 = b.x - 0.6 * b.width, x1 = b.x + 1.6 * b.width;
  const top = b.y - 1.0 * b.height, chin = b.y + b.height;
  return (x, y) => y < chin && (x < x0 || x > x1 || y < top) && x >= 0 && y >= 0 && x < image.width && y < image.height;
}

export function checkBackground(luma: GreyImage, face: DetectedFace, cfg: FaceCheckConfig): [FaceCheck, FaceCheck] {
  const scale = Math.min(1, 200 / luma.width);
  const small = scale < 1 ? resample(luma, Math.round(luma.width * scale), Math.round(luma.height * scale)) : luma;
  const inFull = backgroundMask(face, luma);
  const inSmall = (x: number, y: number): boolean => inFull(x / scale, y / scale);
  const values: number[] = [];
  for (let y = 0; y < small.height; y++) for (let x = 0; x < small.width; x++) if (inSmall(x, y)) values.push(small.pixels[y * small.width + x] ?? 0);
  const light = moments(values).mean;
  const edges = edgeDensity(small, cfg.backgroundEdgeThreshold, inSmall).fraction;
  return [
    check('background-light', light, { min: cfg.minBackgroundBrightness }, GUIDANCE.darkBackground),
    check('background-plain', edges, { max: cfg.maxBackgroundEdgeDensity }, GUIDANCE.busyBackground),
  ];
}

/** Run every check on one image whose faces have already been detected. */
export function evaluateFace(image: RgbImage, faces: readonly DetectedFace[], cfg: FaceCheckConfig = DEFAULT_FACE_CHECK_CONFIG, opts: EvaluateOptions = {}): FaceAnalysis {
  const count = checkFaceCount(faces.length);
  const face = faces[0];
  if (!count.pass || !face) return { ok: false, checks: [count], primaryGuidance: count.guidance };
  const luma = toLuma(image);
  const checks: FaceCheck[] = [
    count,
    checkFaceSize(face, image.width, cfg, opts.eyeDistanceScale ?? 1),
    checkCentred(face, image, cfg),
    checkRoll(face, cfg),
    checkYaw(face, cfg),
    checkEyesOpen(face, cfg),
    checkBrightness(luma, face, cfg),
    checkContrast(luma, face, cfg),
    checkSharpness(luma, face, cfg),
    ...checkBackground(luma, face, cfg),
  ];
  const urgent = mostUrgent(checks);
  return { ok: urgent === undefined, checks, primaryGuidance: urgent?.guidance ?? GUIDANCE.allGood, face };
}
