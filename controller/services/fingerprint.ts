import sharp from 'sharp';
import { faultFromThrown, isDeviceError } from '../../drivers/errors';
import type { FingerCaptureResult, FingerprintSensor } from '../../drivers/types';
import type { FingerOutcome } from '../enrollment/context';
import type { CaptureFingerInput } from '../enrollment/machine';
import type { GreyImage } from '../../domain/images';

export interface FingerprintCheckers {
  /** Quality 0..100 (controller/capture/fingerprint-quality). */
  readonly score: (image: GreyImage) => number;
  /** Similarity 0..1 of two prints (controller/capture/fingerprint-match). */
  readonly similarity: (a: GreyImage, b: GreyImage) => number;
  /** At or above this, two prints are the same finger. */
  readonly sameFingerAt: number;
}

/** Lossless 8-bit greyscale PNG, as the packet stores fingerprints. */
export async function greyPng(image: GreyImage): Promise<Uint8Array> {
  const buf = await sharp(Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength), {
    raw: { width: image.width, height: image.height, channels: 1 },
  })
    .png({ compressionLevel: 6 })
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * One attempt at one finger: wait for it, upload the image, score it, and compare it with the
 * fingers already taken so the right index given again for the right middle is caught.
 */
export function createFingerprintService(sensor: FingerprintSensor, checks: FingerprintCheckers) {
  return async (input: CaptureFingerInput, onProgress: (f: number) => void, signal: AbortSignal): Promise<FingerOutcome> => {
    let result: FingerCaptureResult;
    try {
      result = await sensor.capture({ waitMs: input.waitMs, signal, onProgress });
    } catch (err) {
      // Drivers reply with values; a DeviceError thrown anyway still keeps its kind.
      if (!isDeviceError(err)) throw err;
      result = faultFromThrown(err, 'protocol');
    }
    switch (result.kind) {
      case 'no-finger':
        return { kind: 'no-finger' };
      case 'fault':
        // The reason stays typed, so the screen and the log can tell a pulled cable from a
        // module that stopped answering; the message is for technicians.
        return { kind: 'fault', reason: result.reason, message: `${result.reason}: ${result.message}` };
      case 'image': {
        const image = result.image;
        for (const slot of input.previous) {
          if (slot.status !== 'captured' || slot.position === input.position) continue;
          if (checks.similarity(image, slot.image) >= checks.sameFingerAt) {
            image.pixels.fill(0);
            return { kind: 'duplicate', of: slot.position };
          }
        }
        const score = Math.round(checks.score(image));
        return { kind: 'captured', image, png: await greyPng(image), score };
      }
    }
  };
}
