import { describe, expect, it } from 'vitest';
import { CITIZEN_ACTIONS, CITIZEN_TIME, KIOSK_TIMES, citizenDelayMs, kioskTimes, modelSession, READING_WPM, sampleSeconds } from '../../../../controller/cli/citizen-time';
import { configSchema } from '../../../../controller/config/schema';
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

  it('takes the kiosk’s pauses and countdown from the flow config, the shipped defaults by default', () => {
    const flow = configSchema.parse({}).flow;
    expect(KIOSK_TIMES).toEqual(kioskTimes(flow));
    const slower = kioskTimes({ ...flow, fingerAcceptedPauseMs: 900, fingerPauseMs: 2000, faceCountdownSeconds: 5 });
    expect(slower).toMatchObject({ fingerAccepted: 0.9, fingerRetryPause: 2, faceCountdown: 5.5 });
  });

  it('hides the tick of each finger under the move to the next one (the tick names it): only the last one is waited for', () => {
    const diffs = sorted(
      Array.from({ length: 500 }, (_, i) => modelSession('ordinary', rng(100 + i), { ...KIOSK_TIMES, fingerAccepted: 0.5 }) - modelSession('ordinary', rng(100 + i), { ...KIOSK_TIMES, fingerAccepted: 0 })),
    );
    expect(at(diffs, 0.5)).toBeCloseTo(0.5, 6);
  });

  it('models an ordinary citizen’s median session under the 3-minute goal (issue #15)', () => {
    const r = rng(15);
    expect(at(sorted(Array.from({ length: 4_000 }, () => modelSession('ordinary', r))), 0.5)).toBeLessThan(180);
  });
});
