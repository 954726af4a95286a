import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { derive } from '../../../fixtures/faces/derive';
import { cropToIcao, icaoCropRect } from '../../../../controller/capture/face-crop';
import { createFaceDetector, type FaceDetector } from '../../../../controller/capture/face-detector';
import { decodeToRgb } from '../../../../controller/capture/image-rgb';
import { syntheticFace } from '../../../helpers/face-landmarks';

let detector: FaceDetector;
beforeAll(async () => {
  detector = await createFaceDetector();
}, 60_000);

describe('ICAO crop', () => {
  it('keeps the 35 × 45 mm aspect and puts the head at 75% of the height', () => {
    const face = syntheticFace({ cx: 320, cy: 240 });
    const r = icaoCropRect(face, 35 / 45, 0.75);
    expect(r.width / r.height).toBeCloseTo(35 / 45, 5);
    const eyeY = 240, chin = face.landmarks[8]?.y ?? 0;
    expect((2 * (chin - eyeY)) / r.height).toBeCloseTo(0.75, 5);
  });

  it('crops a checked portrait to a 413 × 531 JPEG with the eye line 50–70% up from the bottom', async () => {
    const img = await derive.plain();
    const [face] = await detector.detect(img, { inputSize: 416 });
    if (!face) throw new Error('fixture has no face');
    const crop = await cropToIcao(img, face);
    const meta = await sharp(crop.jpeg).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([413, 531]);
    expect(crop.eyeLineFromBottom).toBeGreaterThanOrEqual(0.5);
    expect(crop.eyeLineFromBottom).toBeLessThanOrEqual(0.7);
    expect(crop.padded).toBe(false);
  });

  it('finds exactly one face, centred left to right, in the cropped photo', async () => {
    const img = await derive.plain();
    const [face] = await detector.detect(img, { inputSize: 416 });
    if (!face) throw new Error('fixture has no face');
    const out = await decodeToRgb((await cropToIcao(img, face)).jpeg);
    const faces = await detector.detect(out, { inputSize: 416 });
    expect(faces).toHaveLength(1);
    const f = faces[0];
    if (!f) return;
    expect(Math.abs(f.box.x + f.box.width / 2 - out.width / 2) / out.width).toBeLessThan(0.06);
  });

  it('pads by repeating edge pixels, and says so, when the head is near the frame edge', async () => {
    const img = await derive.offCentre();
    const [face] = await detector.detect(img, { inputSize: 416 });
    if (!face) throw new Error('fixture has no face');
    const crop = await cropToIcao(img, face);
    expect(crop.padded).toBe(true);
    expect((await sharp(crop.jpeg).metadata()).width).toBe(413);
  });
});
