import { describe, expect, it } from 'vitest';
import { rng } from '../../../drivers/prng';
import { killPlan } from '../../soak/crash-soak';

describe('the crash soak kill plan', () => {
  it('hits every window in the first four kills, whatever the seed', () => {
    for (let seed = 1; seed <= 200; seed++) {
      expect(new Set(killPlan(4, rng(seed)))).toEqual(new Set(['startup', 'random', 'submit', 'stored']));
    }
  });

  it('is the same plan for the same seed (the citizens draw from another stream)', () => {
    expect(killPlan(50, rng(2026))).toEqual(killPlan(50, rng(2026)));
    expect(killPlan(50, rng(2026))).not.toEqual(killPlan(50, rng(2027)));
  });

  it('draws the rest mostly mid-run and at the submit, some at startup and at the lost reply', () => {
    const plan = killPlan(10_000, rng(7));
    const share = (w: string) => plan.filter((x) => x === w).length / plan.length;
    expect(share('startup')).toBeCloseTo(0.1, 1);
    expect(share('random')).toBeCloseTo(0.4, 1);
    expect(share('submit')).toBeCloseTo(0.3, 1);
    expect(share('stored')).toBeCloseTo(0.2, 1);
  });
});
