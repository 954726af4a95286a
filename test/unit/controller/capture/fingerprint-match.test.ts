import { describe, expect, it } from 'vitest';
import { synthBlank, synthFingerprint } from '../../../helpers/fingerprint-images';
import { SAME_FINGER_THRESHOLD, similarity } from '../../../../controller/capture/fingerprint-match';

const W = 192;
const H = 192;

describe('fingerprint similarity', () => {
  it('recognises the same finger presented twice, shifted and with different noise', () => {
    for (const [seed, dx, dy] of [
      [11, 9, -7],
      [12, -12, 5],
      [13, 4, 12],
    ] as const) {
      const first = synthFingerprint(seed, W, H, { noiseSeed: 1 });
      const again = synthFingerprint(seed, W, H, { noiseSeed: 2, dx, dy });
      expect(similarity(first, again)).toBeGreaterThan(SAME_FINGER_THRESHOLD);
    }
  });

  it('tells different fingers apart', () => {
    const prints = [21, 22, 23, 24].map((seed) => synthFingerprint(seed, W, H, { noiseSeed: seed }));
    for (let i = 0; i < prints.length; i++) {
      for (let j = i + 1; j < prints.length; j++) {
        const a = prints[i];
        const b = prints[j];
        if (a && b) expect(similarity(a, b)).toBeLessThan(SAME_FINGER_THRESHOLD);
      }
    }
  });

  it('is symmetric enough to not depend on which print came first', () => {
    const a = synthFingerprint(31, W, H, { noiseSeed: 1 });
    const b = synthFingerprint(31, W, H, { noiseSeed: 2, dx: 6, dy: 6 });
    expect(Math.abs(similarity(a, b) - similarity(b, a))).toBeLessThan(0.15);
  });

  it('gives zero when either image has no finger', () => {
    expect(similarity(synthBlank(W, H), synthFingerprint(41, W, H))).toBe(0);
  });
});
