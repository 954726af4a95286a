import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { simulate } from '../../../controller/cli/simulate';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { loadKioskKeys } from '../../../controller/packet/keys';
import { parsePacket } from '../../../controller/packet/parse';
import { openSealedPacket } from '../../../controller/packet/seal';
import sharp from 'sharp';
import { failFast } from '../../helpers/fail-fast';
import { screenFetch } from '../../helpers/screen-client';
import { found, needlesFromSealed, type Needle } from '../../helpers/sealed-contents';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';

/**
 * Issue #12: "a scan of the data directory and the SQLite files for unsealed biometric bytes
 * that finds none". The whole kiosk on simulated devices takes real (simulated) citizens to their
 * receipts, including one that abandons half way and a printer alert; then every byte the kiosk
 * wrote — the database, its WAL and shared-memory files, keys, the screen-url file, and the log —
 * is searched for each citizen's ID number, name and address, the PNG and JPEG signatures, slices
 * of every image as encoded and of every fingerprint's raw pixels. The needles come from opening
 * the sealed packets with the centre's key, which the kiosk never holds.
 */

let kiosk: RunningKiosk | undefined;
let dataDir: string;
let central: TestCentral;
let logged = '';
const journal = new Writable({
  write(chunk: Buffer, _enc, done) {
    logged += chunk.toString('utf8');
    done();
  },
});

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-scan-'));
  central = await makeTestCentral();
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 2, faceCountdownSeconds: 0, faceLivenessFrames: 3, doneTimeoutMs: 60_000 },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'debug' }, journal), onFatal: failFast });
}, 120_000);

afterAll(async () => {
  await kiosk?.stop();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function scan(needles: readonly Needle[]): Promise<Record<string, string[]>> {
  const hits: Record<string, string[]> = {};
  for (const file of await filesUnder(dataDir)) {
    const h = found(await readFile(file), needles);
    if (h.length > 0) hits[path.relative(dataDir, file)] = h;
  }
  const inLog = found(Buffer.from(logged, 'utf8'), needles);
  if (inLog.length > 0) hits['(the log)'] = inLog;
  return hits;
}

describe('after a run of simulated citizens', () => {
  it('no file the kiosk wrote, nor its log, holds an unsealed biometric byte or a citizen’s identity', async () => {
    const k = kiosk;
    if (!k) throw new Error('the kiosk did not start');
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    await screenFetch(k.screenUrl, '/api/sim/printer', { method: 'POST', body: JSON.stringify({ paperOut: true }) });
    const run = await simulate({ citizens: 3, url: k.screenUrl, json: true, seed: 21, timeoutS: 90, realistic: false }, quiet);
    await screenFetch(k.screenUrl, '/api/sim/printer', { method: 'POST', body: JSON.stringify({ paperOut: false }) });
    expect(run).toMatchObject({ completed: 3, failed: 0 });

    const keys = await loadKioskKeys(dataDir);
    if (!keys) throw new Error('no kiosk key');
    const sealed = await Promise.all((await k.store.listPacketIds()).map(async (id) => (await k.store.readSealedPacket(id)) ?? new Uint8Array()));
    expect(sealed).toHaveLength(3);
    const needles = await needlesFromSealed(sealed, central.privateKey, keys.publicKey);
    // Three citizens: their ID numbers, names and addresses, and 30 fingerprints, among the needles.
    expect(needles.filter((n) => n.what.startsWith('ID number'))).toHaveLength(3);
    expect(needles.filter((n) => n.what.endsWith('raw pixels'))).toHaveLength(30);

    // The needles do find what they look for: in an opened packet, every kind shows up.
    const opened = openSealedPacket(sealed[0] ?? new Uint8Array(), central.privateKey);
    if (!opened.ok) throw new Error(opened.error);
    const inOpened = found(Buffer.from(opened.inner), needles);
    for (const kind of ['ID number', 'PNG magic', 'JPEG magic (this face', 'right_thumb PNG bytes', 'face JPEG bytes', 'signature PNG bytes']) {
      expect(inOpened.some((w) => w.startsWith(kind)), `${kind} in an opened packet`).toBe(true);
    }
    const parsed = parsePacket(opened.inner, keys.publicKey);
    const thumb = parsed.ok ? parsed.record.fingers[0] : undefined;
    if (thumb?.status !== 'captured') throw new Error('no captured right thumb');
    expect(found(await sharp(Buffer.from(thumb.png)).raw().toBuffer(), needles)).toContain('right_thumb raw pixels');

    // While the kiosk runs (the WAL holds the latest commits) …
    await k.store.diagnostics();
    expect(await scan(needles)).toEqual({});
    // … and after it stopped (the WAL checkpointed into the database file).
    await k.stop();
    kiosk = undefined;
    expect(await scan(needles)).toEqual({});
  }, 240_000);
});
