/**
 * Detect + check in one call: what the photo step runs on every preview frame and on the still,
 * and what `kiosk photo check` runs on a file.
 */
import { DEFAULT_FACE_CHECK_CONFIG, evaluateFace, type EvaluateOptions, type FaceAnalysis, type FaceCheckConfig } from './face-checks';
import type { DetectOptions, FaceDetector } from './face-detector';
import type { RgbImage } from '../../domain/images';

export interface AnalyzeOptions extends EvaluateOptions, DetectOptions {
  readonly config?: FaceCheckConfig;
}

export async function analyzeFace(detector: FaceDetector, image: RgbImage, opts: AnalyzeOptions = {}): Promise<FaceAnalysis> {
  const faces = await detector.detect(image, {
    ...(opts.inputSize === undefined ? {} : { inputSize: opts.inputSize }),
    ...(opts.tinyLandmarks === undefined ? {} : { tinyLandmarks: opts.tinyLandmarks }),
    ...(opts.halvings === undefined ? {} : { halvings: opts.halvings }),
  });
  return evaluateFace(image, faces, opts.config ?? DEFAULT_FACE_CHECK_CONFIG, opts);
}
