import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { simulate } from '../../../controller/cli/simulate';
import { createFaceDetector, type FaceDetector } from '../../../controller/capture/face-detector';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { failFast } from '../../helpers/fail-fast';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';

/**
 * What a session leaves behind in the kiosk process (issue #14, "a Pi that fits on one"): the
 * whole kiosk on simulated devices, citizens driven by `simulate` as the touchscreen would, and
 * after each one the face model holds no more tensors than before, and the session's photo and
 * signature are neither served nor kept: the bytes the session held are zeroed. Counted, not
 * weighed: the RSS figures are `npm run bench -- memory`'s.
 */

let kiosk: RunningKiosk;
let detector: FaceDetector;
let dataDir: string;
let central: TestCentral;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-memory-'));
  central = await makeTestCentral();
  detector = await createFaceDetector();
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 1, faceCountdownSeconds: 0, faceLivenessFrames: 3 },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast, faceDetector: detector });
}, 120_000);

afterAll(async () => {
  await kiosk?.stop();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };

function tensors(): number {
  const m = detector.memory?.();
  if (!m) throw new Error('the real detector reports its memory');
  return m.numTensors;
}

describe('memory a session leaves behind', () => {
  it('after each of three citizens: the face model has no more tensors than before, and the photo and signature the session held are zeroed and no longer served', async () => {
    const before = tensors();
    for (let citizen = 1; citizen <= 3; citizen++) {
      // The session's images as the kiosk serves them to its screen, caught on the review screen.
      const held: Uint8Array[] = [];
      const off = kiosk.runtime.onView((v) => {
        if (v.screen.name !== 'review' || held.length > 0) return;
        for (const kind of ['face', 'signature'] as const) {
          const img = kiosk.runtime.sessionImage(kind);
          if (img) held.push(img.bytes);
        }
      });
      const s = await simulate({ citizens: 1, url: kiosk.screenUrl, json: true, seed: citizen, timeoutS: 120, realistic: false }, quiet);
      off();
      expect({ citizen, completed: s.completed, failures: s.failures }).toEqual({ citizen, completed: 1, failures: [] });
      expect(held).toHaveLength(2);
      expect({ citizen, tensors: tensors() }).toEqual({ citizen, tensors: before });
      expect(kiosk.runtime.sessionImage('face')).toBeUndefined();
      expect(kiosk.runtime.sessionImage('signature')).toBeUndefined();
      for (const bytes of held) expect({ citizen, nonZero: bytes.some((b) => b !== 0) }).toEqual({ citizen, nonZero: false });
    }
  }, 300_000);
});
