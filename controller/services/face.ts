import type { Logger } from 'pino';
import type { Camera, CameraFrame } from '../../drivers/types';
import { analyzeFace } from '../capture/face-analysis';
import { DEFAULT_FACE_CHECK_CONFIG, type FaceCheckConfig } from '../capture/face-checks';
import { cropToIcao } from '../capture/face-crop';
import type { FaceDetector } from '../capture/face-detector';
import { createLivenessTracker } from '../capture/face-liveness';
import { decodeToRgb } from '../capture/image-rgb';
import type { ProofOutcome } from '../enrollment/context';
import type { FaceSessionInput, ProofPhotoInput } from '../enrollment/machine';
import type { FaceSessionEvent } from '../enrollment/services';

/**
 * Live guidance settings: a smaller detector input, the tiny landmark net and detection on a
 * half-size copy make a preview frame ~2× cheaper than a still's check (npm run bench -- face);
 * the checks themselves still measure the full frame.
 * The still that is kept is checked again with the full-size settings.
 */
export const PREVIEW_ANALYSIS = { inputSize: 160, tinyLandmarks: true, halvings: 1 } as const;

export interface FaceServiceOptions {
  readonly config?: FaceCheckConfig;
  /** No preview frame for this long → the step says the camera stopped and offers a way out. */
  readonly stallMs: number;
  readonly log: Logger;
}

const STILL_FAILED = {
  vi: 'Ảnh chụp chưa đạt. Xin giữ nguyên tư thế, máy sẽ chụp lại.',
  en: 'The photo did not pass. Please hold the pose, the camera will try again.',
};

/**
 * The face step's live loop: analyse preview frames (dropping frames while one is in analysis,
 * so guidance is never stale), tell the citizen the one thing to fix, and once every check has
 * passed on `stableFrames` frames in a row take a still, check it again at full size and crop
 * it to ICAO proportions. Liveness is recorded as signals for the reviewer, not judged here.
 */
export function createFaceService(camera: Camera, detector: FaceDetector, o: FaceServiceOptions) {
  const cfg = o.config ?? DEFAULT_FACE_CHECK_CONFIG;
  return (input: FaceSessionInput, emit: (e: FaceSessionEvent) => void): (() => void) => {
    let stopped = false;
    let busy = false;
    let streak = 0;
    let lastFrameAt = performance.now();
    const liveness = createLivenessTracker();

    const capture = async (): Promise<boolean> => {
      const still = await camera.still({});
      if (still.kind === 'fault') {
        // The step's event carries text only; the log keeps the typed reason for technicians.
        o.log.warn({ device: 'camera', reason: still.reason, message: still.message }, 'no still from the camera');
        emit({ type: 'FACE_FAULT', message: `${still.reason}: ${still.message}` });
        return true;
      }
      const rgb = await decodeToRgb(still.frame.jpeg);
      const a = await analyzeFace(detector, rgb, { config: cfg });
      if (!a.ok || !a.face) {
        emit({ type: 'FACE_GUIDANCE', guidance: STILL_FAILED, checks: a.checks.map((c) => ({ name: c.name, pass: c.pass })) });
        return false;
      }
      const crop = await cropToIcao(rgb, a.face);
      const signals = liveness.signals();
      const measurements: Record<string, number | boolean> = {};
      for (const c of a.checks) measurements[c.name] = Math.round(c.value * 1000) / 1000;
      Object.assign(measurements, {
        'liveness-frames': signals.frames,
        'liveness-motion': signals.motion,
        'liveness-non-rigid': signals.nonRigid,
        'liveness-blink-seen': signals.blinkSeen,
        'liveness-flat-photo-hint': signals.flatPhotoHint,
        'crop-padded': crop.padded,
      });
      if (!stopped) emit({ type: 'FACE_CAPTURED', face: { jpeg: crop.jpeg, width: crop.width, height: crop.height, measurements } });
      return true;
    };

    const onFrame = (frame: CameraFrame) => {
      lastFrameAt = performance.now();
      if (busy || stopped) return;
      busy = true;
      (async () => {
        const rgb = await decodeToRgb(frame.jpeg);
        const a = await analyzeFace(detector, rgb, { config: cfg, ...PREVIEW_ANALYSIS, eyeDistanceScale: 0.5 });
        if (stopped) return;
        if (a.face) liveness.add(a.face);
        emit({ type: 'FACE_GUIDANCE', guidance: a.primaryGuidance, checks: a.checks.map((c) => ({ name: c.name, pass: c.pass })) });
        streak = a.ok ? streak + 1 : 0;
        if (streak >= input.stableFrames) {
          streak = 0;
          if (await capture()) stop();
        }
      })()
        .catch((err: unknown) => o.log.warn({ err }, 'face analysis failed on a frame'))
        .finally(() => {
          busy = false;
        });
    };

    const unsubscribe = camera.preview(onFrame);
    const watchdog = setInterval(() => {
      if (!stopped && performance.now() - lastFrameAt > o.stallMs) {
        emit({ type: 'FACE_FAULT', message: `no camera frame for ${Math.round(o.stallMs / 1000)} s` });
        stop();
      }
    }, Math.max(100, Math.min(1000, o.stallMs / 4)));

    function stop() {
      stopped = true;
      clearInterval(watchdog);
      unsubscribe();
    }
    return stop;
  };
}

/**
 * The photo of a hand that proves a finger exception: the next still from the running camera.
 * The JPEG is copied out of the camera's frame, because the statechart overwrites the photo when
 * it lets go of it and the camera may still be serving that frame to the preview. Kept as the
 * camera made it (staff look at it; it is not a biometric template).
 */
export function createProofPhotoService(camera: Camera, log: Logger) {
  return async (input: ProofPhotoInput, signal: AbortSignal): Promise<ProofOutcome> => {
    const still = await camera.still({ signal });
    if (still.kind === 'fault') {
      log.warn({ device: 'camera', reason: still.reason, message: still.message, hand: input.hand }, 'no still for the photo of a hand');
      return { kind: 'fault', reason: still.reason, message: `${still.reason}: ${still.message}` };
    }
    const { jpeg, width, height } = still.frame;
    return { kind: 'photo', jpeg: Uint8Array.from(jpeg), width, height };
  };
}
