import { afterEach, describe, expect, it } from 'vitest';
import { SAME_FINGER_THRESHOLD, similarity } from '../../../../controller/capture/fingerprint-match';
import { fingerprintQuality } from '../../../../controller/capture/fingerprint-quality';
import { createSimulatedR30x, type SimulatedR30x } from '../../../../drivers/fingerprint/r30x/simulated';
import { silentLog } from '../../../../drivers/log';
import type { CaptureFingerInput } from '../../../../controller/enrollment/machine';
import { createFingerprintService } from '../../../../controller/services/fingerprint';

const checks = { score: (i: Parameters<typeof fingerprintQuality>[0]) => fingerprintQuality(i).score, similarity, sameFingerAt: SAME_FINGER_THRESHOLD };
const input: CaptureFingerInput = { position: 'right_thumb', waitMs: 500, previous: [] };

const made: SimulatedR30x[] = [];
afterEach(async () => {
  for (const s of made.splice(0)) await s.sensor.close();
});
async function sensor(): Promise<SimulatedR30x> {
  const s = createSimulatedR30x({ model: 'R503', log: silentLog });
  made.push(s);
  await s.sensor.open();
  return s;
}

describe('the fingerprint step service', () => {
  it('passes a pulled cable on as a typed "unplugged" reason, not only as text', async () => {
    const s = await sensor();
    s.sim.knobs.unplugAfterDataPackets = 3;
    const outcome = await createFingerprintService(s.sensor, checks)(input, () => undefined, new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'fault', reason: 'unplugged' });
  });

  it('passes a module that stopped answering on as a typed "timeout" reason', async () => {
    const s = createSimulatedR30x({ model: 'R503', log: silentLog, driver: { timeouts: { genImgMs: 50 } } });
    made.push(s);
    await s.sensor.open();
    s.sim.knobs.mute = true;
    const outcome = await createFingerprintService(s.sensor, checks)(input, () => undefined, new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'fault', reason: 'timeout' });
  });
});
