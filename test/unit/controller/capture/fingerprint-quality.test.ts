import { describe, expect, it } from 'vitest';
import { synthBlank, synthFingerprint } from '../../../helpers/fingerprint-images';
import { fingerprintQuality } from '../../../../controller/capture/fingerprint-quality';

const W = 192;
const H = 192;

describe('fingerprint quality score', () => {
  it('gives an empty window zero', () => {
    expect(fingerprintQuality(synthBlank(W, H)).score).toBe(0);
  });

  it.each([1, 2, 3])('ranks blank < smudged and low-contrast < good for finger %i', (seed) => {
    const blank = fingerprintQuality(synthBlank(W, H, seed)).score;
    const smudged = fingerprintQuality(synthFingerprint(seed, W, H, { variant: 'smudged' })).score;
    const low = fingerprintQuality(synthFingerprint(seed, W, H, { variant: 'low-contrast' })).score;
    const good = fingerprintQuality(synthFingerprint(seed, W, H)).score;
    expect(blank).toBeLessThan(smudged);
    expect(blank).toBeLessThan(low);
    expect(Math.max(smudged, low)).toBeLessThan(good);
  });

  it('passes a good print and fails a smudged one at the MOSIP finger threshold of 40', () => {
    expect(fingerprintQuality(synthFingerprint(4, 256, 288)).score).toBeGreaterThanOrEqual(40);
    expect(fingerprintQuality(synthFingerprint(4, 256, 288, { variant: 'smudged' })).score).toBeLessThan(40);
  });

  it('scores a finger covering little of the window lower than the same finger in full', () => {
    const full = synthFingerprint(5, W, H);
    const pixels = full.pixels.slice();
    // Lift the finger off the lower two thirds of the window.
    for (let i = Math.floor(H / 3) * W; i < pixels.length; i++) pixels[i] = 236;
    expect(fingerprintQuality({ width: W, height: H, pixels }).score).toBeLessThan(fingerprintQuality(full).score);
  });

  it('reports its parts in range', () => {
    const q = fingerprintQuality(synthFingerprint(6, W, H));
    for (const v of [q.foreground, q.coherence, q.contrast, q.frequencyValid]) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(q.frequencyValid).toBeGreaterThan(0.8);
  });
});
