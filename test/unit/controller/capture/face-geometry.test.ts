import { describe, expect, it } from 'vitest';
import { eyeDistance, landmarkBox, meanEyeAspectRatio, rollDegrees, yawDegrees } from '../../../../controller/capture/face-geometry';
import { syntheticFace } from '../../../helpers/face-landmarks';

describe('face geometry from 68 landmarks', () => {
  it('measures the distance between the eye centres', () => {
    expect(eyeDistance(syntheticFace({ eyes: 120 }).landmarks)).toBeCloseTo(120, 5);
  });

  it('reads a level head as zero roll and zero yaw', () => {
    const lm = syntheticFace().landmarks;
    expect(rollDegrees(lm)).toBeCloseTo(0, 5);
    expect(yawDegrees(lm)).toBeCloseTo(0, 5);
  });

  it('reads a tilted head as its tilt, with the sign of the tilt', () => {
    expect(rollDegrees(syntheticFace({ rollDeg: 12 }).landmarks)).toBeCloseTo(12, 5);
    expect(rollDegrees(syntheticFace({ rollDeg: -7 }).landmarks)).toBeCloseTo(-7, 5);
  });

  it('reads a turned head as yaw, and tilt does not leak into yaw', () => {
    expect(yawDegrees(syntheticFace({ yawDeg: 10 }).landmarks)).toBeCloseTo(10, 3);
    expect(yawDegrees(syntheticFace({ yawDeg: -10, rollDeg: 15 }).landmarks)).toBeCloseTo(-10, 3);
  });

  it('tells open eyes from closed ones by eye aspect ratio', () => {
    expect(meanEyeAspectRatio(syntheticFace({ ear: 0.3 }).landmarks)).toBeCloseTo(0.3, 5);
    expect(meanEyeAspectRatio(syntheticFace({ ear: 0.05 }).landmarks)).toBeLessThan(0.1);
  });

  it('boxes the face from jaw side to jaw side and brow to chin', () => {
    const b = landmarkBox(syntheticFace({ cx: 0, cy: 0 }).landmarks);
    expect(b.width).toBeCloseTo(150, 5);
    expect(b.y).toBeCloseTo(-40, 5);
    expect(b.y + b.height).toBeCloseTo(110, 5);
  });

  it('refuses a landmark list that is too short', () => {
    expect(() => rollDegrees([{ x: 0, y: 0 }])).toThrow(RangeError);
  });
});
