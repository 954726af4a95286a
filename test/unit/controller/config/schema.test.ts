import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../controller/config/load';
import { configSchema } from '../../../../controller/config/schema';
import { LIVENESS_WINDOW, createLivenessTracker } from '../../../../controller/capture/face-liveness';
import { syntheticFace } from '../../../helpers/face-landmarks';

/** The photo step's keys: what the shipped settings let the liveness check and the countdown do. */
describe('the photo step’s settings', () => {
  const shipped = validateConfig(JSON.parse(readFileSync(new URL('../../../../config/default.json', import.meta.url), 'utf8')));
  if (!shipped.ok) throw new Error(shipped.errors.join('\n'));
  const { flow } = shipped.config;

  it('ship the same values in config/default.json as the schema’s defaults', () => {
    const d = configSchema.parse({}).flow;
    expect([flow.faceAttempts, flow.faceStableFrames, flow.faceLivenessFrames, flow.faceCountdownSeconds]).toEqual([d.faceAttempts, d.faceStableFrames, d.faceLivenessFrames, d.faceCountdownSeconds]);
  });

  it('let the held-up-photo hint fire: the frames it needs fit in what the tracker keeps', () => {
    expect(flow.faceLivenessFrames).toBeLessThanOrEqual(LIVENESS_WINDOW);
    const t = createLivenessTracker({ minFrames: flow.faceLivenessFrames });
    for (let i = 0; i < flow.faceLivenessFrames; i++) t.add(syntheticFace({ cx: 320 + i }));
    expect(t.signals().flatPhotoHint).toBe(true);
  });

  it('refuse a liveness frame count the tracker could never hold', () => {
    const r = validateConfig({ flow: { faceLivenessFrames: LIVENESS_WINDOW + 1 } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/flow\.faceLivenessFrames/);
  });

  it('count down 3 seconds before the photo, as shipped', () => {
    expect(flow.faceCountdownSeconds).toBe(3);
  });
});
