import { describe, expect, it } from 'vitest';
import { CITIZEN_ACTIONS, CITIZEN_TIME, citizenDelayMs, modelSession, READING_WPM, sampleSeconds } from '../../../../controller/cli/citizen-time';
import { rng } from '../../../../drivers/prng';

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const at = (xs: readonly number[], q: number) => xs[Math.floor(q * (xs.length - 1))] ?? Number.NaN;

describe('the citizen time model', () => {
  it('draws each action around its median with the p90 it says', () => {
    const rand = rng(3);
    const xs = sorted(Array.from({ length: 20_000 }, () => sampleSeconds({ median: 10, p90Ratio: 2 }, rand)));
    expect(at(xs, 0.5)).toBeGreaterThan(9.5);
    expect(at(xs, 0.5)).toBeLessThan(10.5);
    expect(at(xs, 0.9)).toBeGreaterThan(19);
    expect(at(xs, 0.9)).toBeLessThan(21);
    expect(xs[0]).toBeGreaterThan(0);
  });

  it('reading time follows the reading rate: an elderly reader takes longer on the same words', () => {
    expect(CITIZEN_TIME.ordinary['read-instruction'].median).toBeCloseTo((25 / READING_WPM.ordinary) * 60, 6);
    for (const a of CITIZEN_ACTIONS) expect(CITIZEN_TIME.elderly[a].median).toBeGreaterThan(CITIZEN_TIME.ordinary[a].median);
  });

  it('a session is repeatable with the same seed, and an elderly citizen’s is longer', () => {
    expect(modelSession('ordinary', rng(9))).toBe(modelSession('ordinary', rng(9)));
    const med = (p: 'ordinary' | 'elderly') => {
      const r = rng(11);
      return at(sorted(Array.from({ length: 2_000 }, () => modelSession(p, r))), 0.5);
    };
    const ordinary = med('ordinary');
    expect(ordinary).toBeGreaterThan(60);
    expect(med('elderly')).toBeGreaterThan(ordinary * 1.3);
  });

  it('gives simulate a delay in milliseconds', () => {
    const ms = citizenDelayMs('ordinary', 'sign', rng(1));
    expect(Number.isInteger(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
  });
});
