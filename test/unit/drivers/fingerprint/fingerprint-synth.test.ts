import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_CACHED_FINGERS, masterCache, synthFingerprint } from '../../../../drivers/fingerprint/fingerprint-synth';
import { CROWD_FINGERS } from '../../../../drivers/fingerprint/r30x/sim-fingers';

/**
 * The synthesiser runs inside the kiosk process whenever the fingerprint sensor is simulated
 * (demos, the bench, the fleet simulator): what it keeps between prints is the kiosk's memory.
 */
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the fingerprint synthesiser', () => {
  it('draws the same prints it always has (the digests of three presentations, one per variant)', () => {
    const digest = (seed: number, variant: 'good' | 'smudged' | 'low-contrast', dx: number, dy: number) =>
      sha(synthFingerprint(seed, 256, 288, { variant, dx, dy, noiseSeed: 42 }).pixels);
    expect(digest(1001, 'good', 3, -5)).toBe('1beac0998400b42258e77463e384a422d580afdf5a52f9035c960f20516d5200');
    expect(digest(1002, 'smudged', 0, 0)).toBe('62dc0f010e3259ebee89177ef99050ece5a947c047b9d35aec38f524466ec497');
    expect(digest(1003, 'low-contrast', -9, 7)).toBe('ecef78bfaec0f66ece84ab7d4f56cb7d942dd64a4e1b132a3fe3de9a80721a69');
  });

  // A small window keeps these fast (growing ridges costs CPU by the pixel); the bounds do not
  // depend on the window.
  const W = 48, H = 56, CANVAS = (W + 2 * 16) * (H + 2 * 16);

  it('keeps the simulated crowd’s fingers, and no more, at 4 bytes a canvas pixel each (0.37 MB on the R307’s window)', () => {
    expect(MAX_CACHED_FINGERS).toBeGreaterThanOrEqual(CROWD_FINGERS);
    // The crowd comes round more than once, then strangers' fingers (a test's scripted seeds).
    for (let round = 0; round < 2; round++) for (let i = 0; i < CROWD_FINGERS; i++) synthFingerprint(5001 + i, W, H);
    for (let i = 0; i < 30; i++) synthFingerprint(9001 + i, W, H);
    const cache = masterCache();
    expect(cache.fingers).toBe(MAX_CACHED_FINGERS);
    expect(cache.bytes / cache.fingers).toBeLessThanOrEqual(4 * CANVAS);
  });

  it('lets go of the least recently used finger first', () => {
    for (let i = 0; i < MAX_CACHED_FINGERS; i++) synthFingerprint(7001 + i, W, H);
    // The first finger used again just before a new one comes: the second is the one let go.
    synthFingerprint(7001, W, H);
    synthFingerprint(8001, W, H);
    const { seeds } = masterCache();
    expect(seeds).toContain(7001);
    expect(seeds).toContain(8001);
    expect(seeds).not.toContain(7002);
    expect(seeds).toHaveLength(MAX_CACHED_FINGERS);
  });
});
