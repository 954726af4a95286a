import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../controller/sync/backoff';

const policy = { initialMs: 5_000, maxMs: 900_000 };

describe('backoff', () => {
  it('doubles the step with each failure in a row, up to the cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, mid))).toEqual([3_750, 7_500, 15_000, 30_000, 60_000]);
    expect(backoffDelay(9, policy, mid)).toBe(675_000); // 5 s · 2^8 = 1280 s, capped at 900 s
    expect(backoffDelay(1_000, policy, mid)).toBe(675_000);
  });

  it('jitters between half the step and the step, so kiosks that failed together spread out', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(10_000);
    expect(backoffDelay(3, policy, () => 0.999_999)).toBe(20_000);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(3, policy, () => i / 50)));
    expect(spread.size).toBe(50);
  });

  it('is never shorter than half the first step nor longer than the cap, whatever the count and random', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10_000 }), fc.double({ min: -1, max: 2, noNaN: true }), (n, r) => {
        const d = backoffDelay(n, policy, () => r);
        return d >= policy.initialMs / 2 && d <= policy.maxMs;
      }),
    );
  });
});
