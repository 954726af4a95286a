import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { openFsCentralStore } from '../../../controller/central/fs-store';
import type { CentralStore } from '../../../controller/central/store';
import { rng } from '../../../drivers/prng';
import { openDb } from '../../../controller/store/db';
import { openStore } from '../../../controller/store/store';
import { makeTestKiosk, sealedPacket, startTestReceiver, type TestKiosk, type TestReceiver } from '../../helpers/test-receiver';

/**
 * Sync killed at any moment (docs/central-receiver.md §5): a kiosk process running only its
 * sync loop is SIGKILLed again and again (at random times, and right after the receiver stored
 * a packet but before the reply left) and restarted. After every kill its database must hold
 * the invariants; in the end every packet is at the receiver exactly once and acked.
 */

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const childScript = fileURLToPath(new URL('../../helpers/sync-child.ts', import.meta.url));

let receiver: TestReceiver;
let kiosk: TestKiosk;
let child: ChildProcess | undefined;
/** Set while a round wants the kiosk killed the moment the receiver has stored something. */
let killOnStore = false;
/** Kills that fell between the receiver storing a packet and its reply. */
let killedAfterStore = 0;

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'central-kill-'));
  const fsStore = openFsCentralStore(path.join(dir, 'store'));
  // The receiver's own store, with a hook: kill the kiosk after a packet is stored and before
  // the ack is sent, the window a lost reply opens.
  const store: CentralStore = {
    ...fsStore,
    list: () => fsStore.list(),
    async put(meta, sealed) {
      const r = await fsStore.put(meta, sealed);
      if (killOnStore && r.created && child?.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        killedAfterStore++;
      }
      return r;
    },
  };
  receiver = await startTestReceiver({ dir, store });
  kiosk = await makeTestKiosk('KIOSK-KILL-01');
  await receiver.register(kiosk);
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await receiver.dispose();
  await rm(receiver.dir, { recursive: true, force: true });
  await rm(kiosk.dataDir, { recursive: true, force: true });
});

function run(config: object, killAfterMs: number | null): Promise<'killed' | 'drained'> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', childScript, kiosk.dataDir, kiosk.kioskId, JSON.stringify(config)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let err = '';
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    c.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('ready\n') && killAfterMs !== null && timer === undefined) timer = setTimeout(() => c.kill('SIGKILL'), killAfterMs);
    });
    c.on('error', reject);
    c.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve('killed');
      else reject(new Error(`the sync child exited by itself: ${err}`));
    });
  });
}

async function checkInvariants(): Promise<{ acked: number; held: number }> {
  const db = await openDb(path.join(kiosk.dataDir, 'kiosk.db'));
  try {
    expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    const n = z.object({ n: z.number() });
    // Gone from disk ⇒ acked with a verified ack naming the same bytes.
    expect(n.parse(await db.get(`SELECT COUNT(*) AS n FROM enrollments e JOIN outbox o ON o.enrollment_id = e.id LEFT JOIN acks a ON a.enrollment_id = e.id
       WHERE e.packet IS NULL AND (o.state <> 'acked' OR a.enrollment_id IS NULL OR a.packet_sha256 <> e.packet_sha256)`)).n).toBe(0);
    // 'acked' ⇔ an ack row.
    expect(n.parse(await db.get(`SELECT COUNT(*) AS n FROM outbox o LEFT JOIN acks a ON a.enrollment_id = o.enrollment_id WHERE (o.state = 'acked') <> (a.enrollment_id IS NOT NULL)`)).n).toBe(0);
    const acked = n.parse(await db.get("SELECT COUNT(*) AS n FROM outbox WHERE state = 'acked'")).n;
    const held = n.parse(await db.get('SELECT COUNT(*) AS n FROM enrollments WHERE packet IS NOT NULL')).n;
    return { acked, held };
  } finally {
    await db.close();
  }
}

const ROUNDS = 16;

it(`survives ${ROUNDS} SIGKILLs at random moments and between store and reply: invariants hold, each packet stored once`, async () => {
  const ids: string[] = [];
  /** Enrollments keep coming between restarts, as at a kiosk that keeps serving. */
  const enroll = async (n: number) => {
    const store = await openStore(path.join(kiosk.dataDir, 'kiosk.db'));
    try {
      for (let i = 0; i < n; i++) {
        const p = await sealedPacket(kiosk, receiver.centralPublicKey, { big: ids.length % 5 === 0 });
        await store.commitEnrollment({ id: p.id, trackingCode: `TC-${ids.length}`, sealed: p.sealed, auditDetail: { i } });
        ids.push(p.id);
      }
    } finally {
      await store.close();
    }
  };
  const config = { url: receiver.url, pinnedCert: receiver.certPath, receiverAckPublicKey: receiver.ackPublicKeyPath, backoffInitialMs: 20, backoffMaxMs: 100, retentionHours: 0, pollMs: 50 };
  const rand = rng(2024);
  for (let round = 0; round < ROUNDS; round++) {
    await enroll(3);
    killOnStore = round % 3 === 0;
    const before = (await checkInvariants()).acked;
    expect(await run(config, killOnStore ? 10_000 : Math.floor(rand() * 300))).toBe('killed');
    const after = await checkInvariants();
    expect(after.acked).toBeGreaterThanOrEqual(before);
  }
  killOnStore = false;
  expect(killedAfterStore).toBeGreaterThanOrEqual(4);
  // Then let it finish, still killing it now and then.
  for (let round = 0; round < 10 && (await checkInvariants()).acked < ids.length; round++) await run(config, 2_000);
  expect(await checkInvariants()).toEqual({ acked: ids.length, held: 0 });
  const counts = new Map<string, number>();
  for await (const m of receiver.store.list()) counts.set(m.recordId, (counts.get(m.recordId) ?? 0) + 1);
  expect(counts).toEqual(new Map(ids.map((id) => [id, 1])));
  const reopened = await openStore(path.join(kiosk.dataDir, 'kiosk.db'));
  try {
    expect(await reopened.verifyAuditChain()).toMatchObject({ ok: true });
  } finally {
    await reopened.close();
  }
}, 300_000);
