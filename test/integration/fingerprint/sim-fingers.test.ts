/**
 * The simulated citizen at the fingerprint sensor, judged by the kiosk's own checks: the R30x
 * driver against its simulator (in-process, over the simulated wire) together with
 * controller/capture's quality score and same-finger match.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SAME_FINGER_THRESHOLD, similarity } from '../../../controller/capture/fingerprint-match';
import { fingerprintQuality } from '../../../controller/capture/fingerprint-quality';
import type { GreyImage } from '../../../domain/images';
import { createSimulatedR30x, type SimulatedR30x } from '../../../drivers/fingerprint/r30x/simulated';
import { recordingLog } from '../../helpers/device-log';

const opened: SimulatedR30x[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.sensor.close();
});
async function sensor(): Promise<SimulatedR30x> {
  const s = createSimulatedR30x({ model: 'R503', log: recordingLog() });
  opened.push(s);
  expect((await s.sensor.open()).state).toBe('ready');
  return s;
}

describe('the simulated citizen at the fingerprint sensor', () => {
  it('delivers what the simulated citizen presents: the same finger again, a smudge, a blank', async () => {
    const s = await sensor();
    const shoot = async (): Promise<GreyImage> => {
      const r = await s.sensor.capture({ waitMs: 1000 });
      if (r.kind !== 'image') throw new Error(r.kind);
      return r.image;
    };
    s.present({ kind: 'seed', seed: 77 });
    const first = await shoot();
    s.present({ kind: 'same-again' });
    const again = await shoot();
    s.present({ kind: 'seed', seed: 78 });
    const other = await shoot();
    expect(similarity(first, again)).toBeGreaterThan(SAME_FINGER_THRESHOLD);
    expect(similarity(first, other)).toBeLessThan(SAME_FINGER_THRESHOLD);
    s.present({ kind: 'seed', seed: 77, variant: 'smudged' });
    const smudged = await shoot();
    s.present({ kind: 'blank' });
    const blank = await shoot();
    expect(fingerprintQuality(blank).score).toBeLessThan(fingerprintQuality(smudged).score);
    expect(fingerprintQuality(smudged).score).toBeLessThan(fingerprintQuality(first).score);
  });

  it('a cooperative citizen gives a different finger on every capture', async () => {
    const s = await sensor();
    const a = await s.sensor.capture({ waitMs: 1000 });
    const b = await s.sensor.capture({ waitMs: 1000 });
    if (a.kind !== 'image' || b.kind !== 'image') throw new Error('no image');
    expect(similarity(a.image, b.image)).toBeLessThan(SAME_FINGER_THRESHOLD);
  });
});
