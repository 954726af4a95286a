import { expect, it } from 'vitest';
import { CROWD_FINGERS, FingerQueue } from '../../../../../drivers/fingerprint/r30x/sim-fingers';

/** The simulated crowd: distinct fingers within any run of CROWD_FINGERS, then the same ones again. */

const seeds = (q: FingerQueue, n: number) =>
  Array.from({ length: n }, () => {
    const p = q.take();
    if (p?.kind !== 'finger') throw new Error(`expected a finger, got ${JSON.stringify(p)}`);
    return p.seed;
  });

it('gives a cooperative citizen a different finger each time, within a crowd of CROWD_FINGERS', () => {
  const q = new FingerQueue('cooperative', 3);
  const first = seeds(q, CROWD_FINGERS);
  expect(new Set(first).size).toBe(CROWD_FINGERS);
  // Any ten-print session plus retries, wherever it starts, has no finger twice.
  expect(CROWD_FINGERS).toBeGreaterThanOrEqual(20);
  expect(seeds(q, CROWD_FINGERS)).toEqual(first);
});

it('still honours a scripted finger and "the same again" between crowd fingers', () => {
  const q = new FingerQueue('cooperative', 3);
  const [a] = seeds(q, 1);
  q.present({ kind: 'seed', seed: 424242 });
  q.present({ kind: 'same-again' });
  expect(seeds(q, 2)).toEqual([424242, 424242]);
  const [b] = seeds(q, 1);
  expect(b).not.toBe(a);
});
