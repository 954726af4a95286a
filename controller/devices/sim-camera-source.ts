import { encodeJpeg } from '../capture/image-rgb';
import { plainPortrait } from '../../test/fixtures/faces/derive';

/** Frame size of the simulated camera: large enough that a still meets ICAO's ≥ 90 px between the eyes. */
export const SIM_CAMERA_SIZE = { width: 960, height: 720 } as const;

/**
 * What the simulated camera sees by default: a citizen standing well in front of a plain wall,
 * derived in code from the public-domain NASA astronaut portrait (test/fixtures/faces/), the
 * same derivation the face-check tests use.
 */
export async function simCameraSource(): Promise<Uint8Array> {
  return encodeJpeg(await plainPortrait({ ...SIM_CAMERA_SIZE, scale: 2.5 }), 92);
}
