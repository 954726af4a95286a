import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { openFsCentralStore } from '../../../controller/central/fs-store';
import { loadOrCreateAckKey } from '../../../controller/central/receiver-keys';
import { simulate } from '../../../controller/cli/simulate';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { loadKioskKeys } from '../../../controller/packet/keys';
import { failFast } from '../../helpers/fail-fast';
import { found, needlesFromSealed } from '../../helpers/sealed-contents';
import { mountSmallDisk } from '../../helpers/small-disk';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';

/**
 * Hand-carried media end to end, as a mobile team does it (issue #12): citizens enroll on a kit
 * with no network; `npm run kiosk -- packets export --to <stick>` while it runs; the stick goes
 * to the centre, `npm run central -- import <stick>`; back at the kit, `npm run kiosk -- packets
 * import-acks <stick>`, and the packets are gone from the kit as after a sync. Every command is
 * the real program in its own process.
 */

const run = promisify(execFile);
let root: string;
let kiosk: RunningKiosk | undefined;
let central: TestCentral;
let configFile: string;
let dataDir: string;
let stick: string;
let registry: string;
let received: string;

interface Result {
  code: number;
  out: string;
  err: string;
}

async function npmRun(program: 'kiosk' | 'central', args: string[]): Promise<Result> {
  const file = program === 'kiosk' ? 'controller/cli/main.ts' : 'controller/central/main.ts';
  try {
    const { KIOSK_DATA_DIR: _d, KIOSK_CONFIG: _c, ...env } = process.env;
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', file, ...args], { env });
    return { code: 0, out: stdout, err: stderr };
  } catch (err) {
    const e = z.object({ code: z.number(), stdout: z.string(), stderr: z.string() }).parse(err);
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'media-trip-'));
  dataDir = path.join(root, 'data');
  stick = path.join(root, 'stick');
  await mkdir(stick);
  central = await makeTestCentral();
  // The receiver's directory, as `central serve --dir` lays it out.
  registry = path.join(central.dir, 'kiosks');
  received = path.join(central.dir, 'store');
  await mkdir(registry);
  const ack = await loadOrCreateAckKey(central.dir);
  const settings = {
    kioskId: 'KIT-MOBILE-03',
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    sync: { receiverAckPublicKey: ack.publicKeyPath, retentionHours: 0 },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, faceStableFrames: 2, doneTimeoutMs: 60_000 },
  };
  configFile = path.join(root, 'config.json');
  await writeFile(configFile, JSON.stringify(settings));
  kiosk = await startKiosk({ config: configSchema.parse(settings), log: pino({ level: 'silent' }), onFatal: failFast });
  // The province registers the kit's public key, as `npm run kiosk -- keys show` prints it.
  const keys = await loadKioskKeys(dataDir);
  if (!keys) throw new Error('no kiosk key');
  await writeFile(path.join(registry, 'KIT-MOBILE-03.pem'), keys.publicKey.export({ format: 'pem', type: 'spki' }).toString());
}, 120_000);

afterAll(async () => {
  await kiosk?.stop();
  await central?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('hand-carried media, with the real programs', () => {
  it('export → import at the centre → acks home → purged; nothing readable on the stick; nothing stored twice', async () => {
    const k = kiosk;
    if (!k) throw new Error('no kiosk');
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    expect(await simulate({ citizens: 2, url: k.screenUrl, json: true, seed: 31, timeoutS: 90, realistic: false }, quiet)).toMatchObject({ completed: 2 });
    const ids = await k.store.listPacketIds();
    const keys = await loadKioskKeys(dataDir);
    if (!keys) throw new Error('no kiosk key');
    const needles = await needlesFromSealed(await Promise.all(ids.map(async (id) => (await k.store.readSealedPacket(id)) ?? new Uint8Array())), central.privateKey, keys.publicKey);

    // At the kit, while it runs.
    const exported = await npmRun('kiosk', ['packets', 'export', '--to', stick, '--config', configFile]);
    expect(exported, exported.err).toMatchObject({ code: 0 });
    expect(exported.out).toMatch(/Exported 2 sealed packets/);
    for (const e of await readdir(stick, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      expect(found(await readFile(path.join(e.parentPath, e.name)), needles), e.name).toEqual([]);
    }
    expect(await k.store.outboxDepth()).toBe(2);

    // At the centre: into the receiver's own directory (what `central serve --dir` uses).
    const imported = await npmRun('central', ['import', stick, '--dir', central.dir]);
    expect(imported, imported.err).toMatchObject({ code: 0 });
    expect(imported.out).toMatch(/2 stored, 0 held already, 0 refused; 2 ack\(s\) written/);
    // The same parts named one by one: the same store, so nothing is stored twice.
    const again = await npmRun('central', ['import', stick, '--keys', central.dir, '--store', received, '--kiosks', registry, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ stored: 0, duplicates: 2, refused: 0 });
    const stored: string[] = [];
    for await (const p of openFsCentralStore(received).list()) stored.push(p.recordId);
    expect(stored.sort()).toEqual([...ids].sort());

    // Back at the kit.
    const acked = await npmRun('kiosk', ['packets', 'import-acks', stick, '--config', configFile]);
    expect(acked, acked.err).toMatchObject({ code: 0 });
    expect(acked.out).toMatch(/2 acks stored, 0 already held; 2 packets purged/);
    expect(await k.store.outboxDepth()).toBe(0);
    for (const id of ids) expect(await k.store.readSealedPacket(id)).toBeNull();
    const health = z.object({ outboxDepth: z.number() }).parse(await (await fetch(new URL('/healthz', k.url))).json());
    expect(health.outboxDepth).toBe(0);

    const verified = await npmRun('kiosk', ['packets', 'verify', '--config', configFile, '--json']);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.out)).toMatchObject({ ok: true, packets: 2, purged: 2 });
    const chain = await npmRun('kiosk', ['audit', 'verify', '--config', configFile]);
    expect(chain.code).toBe(0);
    expect(chain.out).toMatch(/all verify/);
  }, 240_000);

  it('refuses a stick mounted read-only, saying so, and changes nothing on the kit', async () => {
    const k = kiosk;
    if (!k) throw new Error('no kiosk');
    const quiet = { readStdin: async () => '', out: () => undefined, err: () => undefined };
    expect(await simulate({ citizens: 1, url: k.screenUrl, json: true, seed: 33, timeoutS: 90, realistic: false }, quiet)).toMatchObject({ completed: 1 });
    const disk = await mountSmallDisk(8);
    try {
      await disk.readOnly();
      const r = await npmRun('kiosk', ['packets', 'export', '--to', disk.dir, '--config', configFile]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/is read-only: is the stick's write-protect switch on, or is it mounted read-only\? Nothing was written\./);
      expect(await k.store.outboxDepth()).toBe(1);
    } finally {
      await disk.dispose();
    }
  }, 120_000);

  it('refuses a stick too small for the pending packets before writing any of them', async () => {
    const disk = await mountSmallDisk(4);
    try {
      await disk.fill(100_000); // a stick with 100 kB left
      const r = await npmRun('kiosk', ['packets', 'export', '--to', disk.dir, '--config', configFile]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/MB free; the 1 pending packets need .* MB/);
      expect(await readdir(disk.dir)).toEqual(['.filler']);
    } finally {
      await disk.dispose();
    }
  }, 120_000);
});
