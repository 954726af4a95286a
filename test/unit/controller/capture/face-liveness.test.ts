import { describe, expect, it } from 'vitest';
import { createLivenessTracker, similarityResidual } from '../../../../controller/capture/face-liveness';
import { syntheticFace } from '../../../helpers/face-landmarks';

describe('liveness hints', () => {
  it('sees no non-rigid change when a face only moves, turns in plane and scales', () => {
    const a = syntheticFace().landmarks;
    const b = syntheticFace({ cx: 340, cy: 250, rollDeg: 6, eyes: 110 }).landmarks;
    expect(similarityResidual(a, b)).toBeLessThan(1e-6);
  });

  it('flags a photo that only moves rigidly and never blinks, as a hint for the reviewer', () => {
    const t = createLivenessTracker({ minFrames: 10 });
    for (let i = 0; i < 15; i++) t.add(syntheticFace({ cx: 320 + i, rollDeg: i * 0.2 }));
    const s = t.signals();
    expect(s.motion).toBeGreaterThan(0);
    expect(s.blinkSeen).toBe(false);
    expect(s.flatPhotoHint).toBe(true);
  });

  it('does not flag a face that blinks and turns slightly', () => {
    const t = createLivenessTracker({ minFrames: 10 });
    for (let i = 0; i < 15; i++) t.add(syntheticFace({ cx: 320 + (i % 3), yawDeg: (i % 4) - 2, ear: i === 7 ? 0.08 : 0.3 }));
    const rigid = createLivenessTracker({ minFrames: 10 });
    for (let i = 0; i < 15; i++) rigid.add(syntheticFace({ cx: 320 + (i % 3) }));
    const s = t.signals();
    expect(s.blinkSeen).toBe(true);
    expect(s.nonRigid).toBeGreaterThan(rigid.signals().nonRigid);
    expect(s.flatPhotoHint).toBe(false);
  });

  it('raises no hint before it has seen enough frames', () => {
    const t = createLivenessTracker({ minFrames: 10 });
    for (let i = 0; i < 5; i++) t.add(syntheticFace());
    expect(t.signals().flatPhotoHint).toBe(false);
  });
});
