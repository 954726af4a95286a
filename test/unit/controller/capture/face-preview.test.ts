import { beforeAll, describe, expect, it } from 'vitest';
import { derive } from '../../../fixtures/faces/derive';
import { PREVIEW_ANALYSIS } from '../../../../controller/services/face';
import { analyzeFace } from '../../../../controller/capture/face-analysis';
import { createFaceDetector, halve, type FaceDetector } from '../../../../controller/capture/face-detector';

/** The cheaper settings used for live guidance must still judge the same faces the same way. */
let detector: FaceDetector;
beforeAll(async () => {
  detector = await createFaceDetector();
}, 60_000);

const failing = async (img: Awaited<ReturnType<typeof derive.plain>>) =>
  (await analyzeFace(detector, img, { ...PREVIEW_ANALYSIS, eyeDistanceScale: 0.5 })).checks.filter((c) => !c.pass).map((c) => c.name);

describe('face guidance on preview settings', () => {
  it('passes every check on the plain-background portrait', async () => {
    expect(await failing(await derive.plain())).toEqual([]);
  });

  it('still names the one failing check on rotated, dark and off-centre frames', async () => {
    expect(await failing(await derive.rotated())).toEqual(['roll']);
    expect(await failing(await derive.dark())).toEqual(['brightness']);
    expect(await failing(await derive.offCentre())).toEqual(['centred']);
  });

  it('maps landmarks found on the half-size copy back to full-frame pixels', async () => {
    const img = await derive.plain();
    const [full] = await detector.detect(img);
    const [half] = await detector.detect(img, { halvings: 1 });
    if (!full || !half) throw new Error('no face found');
    expect(Math.abs(half.box.x - full.box.x)).toBeLessThan(full.box.width * 0.1);
    expect(Math.abs((half.landmarks[36]?.x ?? 0) - (full.landmarks[36]?.x ?? 0))).toBeLessThan(full.box.width * 0.05);
  });

  it('halves an image by averaging 2×2 blocks', () => {
    const img = { width: 2, height: 2, data: new Uint8Array([0, 0, 0, 100, 100, 100, 200, 200, 200, 100, 100, 100]) };
    expect(halve(img, 1)).toEqual({ width: 1, height: 1, data: new Uint8Array([100, 100, 100]) });
  });
});
