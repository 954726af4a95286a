import type { Logger } from 'pino';
import type { Camera, CameraFrame, DeviceStatus } from '../../drivers/types';
import { analyzeFace } from '../capture/face-analysis';
import { DEFAULT_FACE_CHECK_CONFIG, type FaceCheckConfig } from '../capture/face-checks';
import { cropToIcao } from '../capture/face-crop';
import type { FaceDetector } from '../capture/face-detector';
import { createLivenessTracker } from '../capture/face-liveness';
import { portraitScore } from '../capture/face-quality';
import { decodeToRgb } from '../capture/image-rgb';
import type { ProofOutcome } from '../enrollment/context';
import type { FaceSessionInput, ProofPhotoInput } from '../enrollment/machine';
import type { FaceSession, FaceSessionEvent } from '../enrollment/services';
import type { FaceCheckView } from '../../domain/kiosk-channel/view-model';
import type { Bilingual } from '../../domain/language';

/**
 * Live guidance settings: a smaller detector input, the tiny landmark net and detection on a
 * half-size copy make a preview frame ~2× cheaper than a still's check (npm run bench -- face);
 * the checks themselves still measure the full frame.
 * The still that is kept is checked again with the full-size settings.
 */
export const PREVIEW_ANALYSIS = { inputSize: 160, tinyLandmarks: true, halvings: 1 } as const;

export interface FaceServiceOptions {
  readonly config?: FaceCheckConfig;
  readonly log: Logger;
}

const STILL_FAILED = {
  vi: 'Ảnh chụp chưa đạt. Xin giữ nguyên tư thế, máy sẽ chụp lại.',
  en: 'The photo did not pass. Please hold the pose, the camera will try again.',
};

/** A camera that is not delivering: its own watchdog said so, or it is gone. */
const cameraDown = (s: DeviceStatus): boolean => s.state === 'fault' || s.state === 'disconnected';

/**
 * The face step's live loop: analyse preview frames (dropping frames while one is in analysis,
 * so guidance is never stale) and tell the citizen the one thing to fix. Once every check has
 * passed on `stableFrames` frames in a row, and the liveness tracker has seen the
 * `livenessFrames` it needs to judge a held-up photo, the frame's guidance says `steady`; the
 * statechart then counts down and asks for the still (`takeStill`), which is checked again at
 * full size and cropped to ICAO proportions. Liveness is recorded as signals for the reviewer,
 * not judged here.
 *
 * A camera that stops is the camera's own verdict: its driver's frame watchdog turns silence
 * into a `fault` status (drivers/camera/status.ts), and the session reports that the moment it
 * hears it, with no clock of its own.
 */
export function createFaceService(camera: Camera, detector: FaceDetector, o: FaceServiceOptions) {
  const cfg = o.config ?? DEFAULT_FACE_CHECK_CONFIG;
  return (input: FaceSessionInput, emit: (e: FaceSessionEvent) => void): FaceSession => {
    let stopped = false;
    let busy = false;
    let shooting = false;
    let streak = 0;
    let last: { readonly guidance?: Bilingual; readonly checks: readonly FaceCheckView[] } = { checks: [] };
    const liveness = createLivenessTracker({ minFrames: input.livenessFrames });
    const steady = (): boolean => streak >= input.stableFrames && liveness.signals().frames >= input.livenessFrames;

    const guide = (guidance: Bilingual | undefined, checks: readonly FaceCheckView[]): void => {
      last = guidance === undefined ? { checks } : { guidance, checks };
      emit({ type: 'FACE_GUIDANCE', ...(guidance === undefined ? {} : { guidance }), checks, steady: steady() });
    };

    const fail = (message: string): void => {
      if (stopped) return;
      emit({ type: 'FACE_FAULT', message });
      stop();
    };

    /** Take, check and crop the still. True when the step is over (a photo, or a fault). */
    const capture = async (): Promise<boolean> => {
      const still = await camera.still({});
      if (stopped) return true;
      if (still.kind === 'fault') {
        // The step's event carries text only; the log keeps the typed reason for technicians.
        o.log.warn({ device: 'camera', reason: still.reason, message: still.message }, 'no still from the camera');
        fail(`${still.reason}: ${still.message}`);
        return true;
      }
      const rgb = await decodeToRgb(still.frame.jpeg);
      const a = await analyzeFace(detector, rgb, { config: cfg });
      if (stopped) return true;
      if (!a.ok || !a.face) {
        streak = 0;
        guide(STILL_FAILED, a.checks.map((c) => ({ name: c.name, pass: c.pass })));
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
      if (stopped) return true;
      emit({ type: 'FACE_CAPTURED', face: { jpeg: crop.jpeg, width: crop.width, height: crop.height, measurements, score: portraitScore(a.checks) } });
      return true;
    };

    const onFrame = (frame: CameraFrame) => {
      if (busy || stopped || shooting) return;
      busy = true;
      (async () => {
        const rgb = await decodeToRgb(frame.jpeg);
        const a = await analyzeFace(detector, rgb, { config: cfg, ...PREVIEW_ANALYSIS, eyeDistanceScale: 0.5 });
        // A still taken meanwhile decides what the citizen hears next.
        if (stopped || shooting) return;
        if (a.face) liveness.add(a.face);
        streak = a.ok ? streak + 1 : 0;
        guide(a.primaryGuidance, a.checks.map((c) => ({ name: c.name, pass: c.pass })));
      })()
        .catch((err: unknown) => o.log.warn({ err }, 'face analysis failed on a frame'))
        .finally(() => {
          busy = false;
        });
    };

    const unsubscribe = camera.preview(onFrame);
    const unwatch = camera.onStatus((s) => {
      if (cameraDown(s)) fail(`camera ${s.state}${s.detail ? `: ${s.detail}` : ''}`);
    });
    // Already down when the step starts: say so at once (after the caller has its session).
    const atStart = camera.status();
    if (cameraDown(atStart)) queueMicrotask(() => fail(`camera ${atStart.state}${atStart.detail ? `: ${atStart.detail}` : ''}`));

    function stop() {
      stopped = true;
      unsubscribe();
      unwatch();
    }

    return {
      takeStill() {
        if (stopped || shooting) return;
        if (!steady()) {
          // The face is no longer steady (or never was, to this session): the countdown starts over.
          guide(last.guidance, last.checks);
          return;
        }
        shooting = true;
        capture()
          .then((done) => {
            if (done) stop();
          })
          .catch((err: unknown) => {
            o.log.warn({ err }, 'the still could not be checked');
            streak = 0;
            guide(STILL_FAILED, last.checks);
          })
          .finally(() => {
            shooting = false;
          });
      },
      stop,
    };
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
