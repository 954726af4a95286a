import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { simulate } from '../../controller/cli/simulate';
import { configSchema } from '../../controller/config/schema';
import { startKiosk } from '../../controller/kiosk';
import { median, type Row } from './stats';
import { failFast } from '../helpers/fail-fast';
import { makeTestCentral } from '../helpers/test-central';

/**
 * A whole enrollment through the real kiosk (statechart, real drivers on their simulators,
 * face analysis, sealing, commit) with every device delay and UI pause at zero: what the
 * controller itself costs per citizen. The simulators' own work (synthesising each fingerprint
 * image, ~0.4 s) is inside this figure too; it is not spent on a real kiosk.
 */
export async function benchEnrollment(citizens = 5): Promise<Row[]> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-enroll-'));
  const central = await makeTestCentral();
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 2 },
  });
  const kiosk = await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast });
  try {
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    const s = await simulate({ citizens, url: kiosk.screenUrl, json: true, seed: 3, timeoutS: 120, realistic: false }, quiet);
    const commit = kiosk.submitStats.map((x) => x.buildMs + x.sealMs + x.commitMs);
    const rss = process.memoryUsage().rss / 2 ** 20;
    return [
      { name: `enrollment, device delays 0 (${s.completed}/${citizens} completed), per citizen`, value: `median ${s.median ?? '–'} s, p95 ${s.p95 ?? '–'} s` },
      { name: 'of which build + seal + commit (in the running kiosk), median', value: `${median(commit).toFixed(1)} ms` },
      { name: 'kiosk process RSS after the run (face model loaded)', value: `${rss.toFixed(0)} MiB` },
    ];
  } finally {
    await kiosk.stop();
    await rm(dataDir, { recursive: true, force: true });
    await central.dispose();
  }
}
