import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../../../controller/store/db';
import { openStore, type Store } from '../../../../controller/store/store';
import { createSyncLoop, type SyncLoop, type SyncLoopDeps } from '../../../../controller/sync/loop';
import type { SyncTransport } from '../../../../controller/sync/transport';
import { fakeNetwork, type FakeNetwork } from '../../../helpers/fake-network';
import { makeTestKiosk, sealedPacket, type TestKiosk } from '../../../helpers/test-receiver';

/**
 * The sync loop's schedule and its promises, on vitest's fake timers (setTimeout and Date only:
 * SQLite answers in real time) with the real store and the real receiver intake behind a fake
 * network that the test tells what to do.
 */

const T0 = new Date('2025-03-14T08:00:00.000Z');
const BACKOFF = { initialMs: 1_000, maxMs: 60_000 };
const RETENTION_MS = 60 * 60 * 1000;
const POLL_MS = 30_000;

let dir: string;
let kiosk: TestKiosk;
let store: Store;
let network: FakeNetwork;
const loops: SyncLoop[] = [];

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: T0 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-sync-'));
  kiosk = await makeTestKiosk('KIOSK-045-0007', dir);
  store = await openStore(path.join(dir, 'kiosk.db'));
  network = await fakeNetwork();
  network.register(kiosk.kioskId, kiosk.keys);
});
afterEach(async () => {
  for (const l of loops.splice(0)) await l.stop();
  await store.close();
  await network.dispose();
  await rm(dir, { recursive: true, force: true });
  vi.useRealTimers();
});

function loop(overrides: Partial<SyncLoopDeps> = {}): SyncLoop {
  const l = createSyncLoop({
    kioskId: kiosk.kioskId,
    keys: kiosk.keys,
    readSealedPacket: (id) => store.readSealedPacket(id),
    outbox: store.outbox,
    transport: network,
    receiverAckKey: network.ackKey.publicKey,
    userAgent: 'cccd-kiosk/test',
    backoff: BACKOFF,
    pollMs: POLL_MS,
    retentionMs: RETENTION_MS,
    log: pino({ level: 'silent' }),
    random: () => 0.5,
    ...overrides,
  });
  loops.push(l);
  return l;
}

let n = 0;
/** Commit one enrollment as the submit service does; returns its id. */
async function enroll(k: TestKiosk = kiosk): Promise<string> {
  const p = await sealedPacket({ ...k, kioskId: kiosk.kioskId }, network.central.publicKey);
  await store.commitEnrollment({ id: p.id, trackingCode: `TC-${++n}`, sealed: p.sealed, auditDetail: { n } });
  return p.id;
}

/** Let fake time pass, then wait (in real time) for the pass it started. */
async function advance(ms: number, l: SyncLoop): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await l.idle();
}

async function states(): Promise<Record<string, string>> {
  return Object.fromEntries((await store.outbox.list()).map((p) => [p.id, p.state]));
}

describe('the sync loop drains the outbox', () => {
  it('sends every pending packet once, stores each verified ack, and the outbox is empty', async () => {
    const ids = [await enroll(), await enroll(), await enroll()];
    const l = loop();
    l.start();
    await advance(0, l);
    expect(await states()).toEqual(Object.fromEntries(ids.map((id) => [id, 'acked'])));
    expect((await network.storedIds()).sort()).toEqual([...ids].sort());
    expect(network.calls.map((c) => c.recordId)).toEqual(ids);
    expect(await store.outboxDepth()).toBe(0);
    const listed = await store.outbox.list();
    for (const p of listed) {
      const atReceiver = await network.store.meta(p.id);
      expect(p.receivedAt).toBe(atReceiver?.receivedAt);
      expect(p.ackedVia).toBe('network');
    }
    expect(l.status()).toMatchObject({ state: 'idle', lastError: null, consecutiveFailures: 0, ackedThisRun: 3, lastSuccessAt: T0.toISOString() });
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('sends a new enrollment at once when nudged, without waiting for the poll', async () => {
    const l = loop();
    l.start();
    await advance(0, l);
    const id = await enroll();
    l.nudge();
    await advance(0, l);
    expect(await states()).toEqual({ [id]: 'acked' });
  });

  it('finds a new enrollment at the next poll even without a nudge', async () => {
    const l = loop();
    l.start();
    await advance(0, l);
    const id = await enroll();
    await advance(POLL_MS - 1, l);
    expect(await states()).toEqual({ [id]: 'pending' });
    await advance(1, l);
    expect(await states()).toEqual({ [id]: 'acked' });
  });

  it('carries the audit head, which the receiver records for this kiosk, and the anchor it was told', async () => {
    await enroll();
    const l = loop();
    l.start();
    await advance(0, l);
    const heads = await network.store.auditHeads(kiosk.kioskId);
    // The head sent with the packet: the chain had one entry (its commit) when it went.
    expect(heads?.highest.seq).toBe(1);
    expect(await store.outbox.receiverHeadSeq()).toBe(1);
    await enroll();
    l.nudge();
    await advance(0, l);
    // commit 1, acked 2, commit 3: the second packet went with head 3.
    expect((await network.store.auditHeads(kiosk.kioskId))?.highest.seq).toBe(3);
  });
});

describe('when the receiver or the link fails', () => {
  it('answers 5xx: backs off exponentially with jitter, tries nothing before the delay, then delivers', async () => {
    const id = await enroll();
    network.script('5xx', '5xx', '5xx');
    const l = loop();
    l.start();
    await advance(0, l);
    expect(network.calls).toHaveLength(1);
    expect(l.status()).toMatchObject({ state: 'backing-off', consecutiveFailures: 1, retryAt: new Date(T0.getTime() + 750).toISOString() });
    expect(l.status().lastError?.message).toMatch(/HTTP 503/);
    // random 0.5 → half the step fixed, a quarter from jitter: 750, 1500, 3000 ms.
    for (const [wait, calls] of [[749, 1], [1, 2], [1_499, 2], [1, 3], [2_999, 3], [1, 4]] as const) {
      await advance(wait, l);
      expect(network.calls).toHaveLength(calls);
    }
    expect(await states()).toEqual({ [id]: 'acked' });
    expect(await network.storedIds()).toEqual([id]);
    expect(l.status()).toMatchObject({ state: 'idle', consecutiveFailures: 0 });
  });

  it('spreads retries by the random jitter, within half a step and a step', async () => {
    await enroll();
    network.script('5xx');
    const l = loop({ random: () => 0.99 });
    l.start();
    await advance(0, l);
    expect(l.status().retryAt).toBe(new Date(T0.getTime() + 995).toISOString());
  });

  it.each([
    ['hangs (request timeout)', 'timeout', /within 1000 ms/],
    ['closes the connection mid-upload', 'cut-mid-upload', /closed the connection before replying/],
    ['shows a certificate that is not the pinned one', 'pin-mismatch', /not the pinned one/],
  ] as const)('%s: backs off, the packet stays pending (not sent), then goes once', async (_what, fault, message) => {
    const id = await enroll();
    network.script(fault, fault);
    const l = loop();
    l.start();
    await advance(0, l);
    expect(await states()).toEqual({ [id]: 'pending' });
    expect(l.status().lastError?.message).toMatch(message);
    expect((await store.outbox.list())[0]).toMatchObject({ attempts: 1, lastError: expect.stringMatching(message) });
    await advance(750, l);
    expect(network.calls).toHaveLength(2);
    await advance(1_500, l);
    expect(await states()).toEqual({ [id]: 'acked' });
    expect(await network.storedIds()).toEqual([id]);
  });

  it('loses the reply after storing: the packet is "sent", the retry gets the same ack, stored once', async () => {
    const id = await enroll();
    network.script('lost-reply');
    const l = loop();
    l.start();
    await advance(0, l);
    expect(await states()).toEqual({ [id]: 'sent' });
    expect(await network.storedIds()).toEqual([id]);
    await advance(750, l);
    expect(await states()).toEqual({ [id]: 'acked' });
    expect(await network.storedIds()).toEqual([id]);
    const [listed] = await store.outbox.list();
    expect(listed?.receivedAt).toBe((await network.store.meta(id))?.receivedAt);
  });

  it('gets an ack whose signature does not verify: stores nothing, purges nothing, retries later', async () => {
    const id = await enroll();
    network.script('bad-ack', 'bad-ack');
    const l = loop();
    l.start();
    await advance(0, l);
    expect(await states()).toEqual({ [id]: 'sent' });
    expect(l.status().lastError?.message).toMatch(/signature does not verify/);
    expect(l.status().state).toBe('backing-off');
    expect((await store.outbox.list())[0]).toMatchObject({ ackedAt: null, held: true });
    await advance(750, l);
    expect(await states()).toEqual({ [id]: 'sent' });
    await advance(1_500, l);
    expect(await states()).toEqual({ [id]: 'acked' });
    expect(await network.storedIds()).toEqual([id]);
  });

  it('rejects an ack signed by another receiver key (the config names another key), and never purges', async () => {
    const id = await enroll();
    const other = await fakeNetwork();
    try {
      const l = loop({ receiverAckKey: other.ackKey.publicKey });
      l.start();
      await advance(0, l);
      for (let i = 0; i < 8; i++) await advance(BACKOFF.maxMs, l);
      await advance(RETENTION_MS * 3, l);
      expect(await states()).toEqual({ [id]: 'sent' });
      expect((await store.outbox.list())[0]).toMatchObject({ held: true, ackedAt: null });
      expect(l.status().lastError?.message).toMatch(/does not verify/);
      expect(await network.storedIds()).toEqual([id]);
    } finally {
      await other.dispose();
    }
  });

  it('caps the backoff at its maximum however long the receiver stays down', async () => {
    await enroll();
    network.script(...Array<'timeout'>(20).fill('timeout'));
    const l = loop({ random: () => 0.999_999 });
    l.start();
    await advance(0, l);
    for (let i = 0; i < 12; i++) await advance(BACKOFF.maxMs, l);
    const retryIn = Date.parse(l.status().retryAt ?? '') - Date.now();
    expect(retryIn).toBeLessThanOrEqual(BACKOFF.maxMs);
    expect(retryIn).toBeGreaterThan(BACKOFF.maxMs / 2);
  });

  it('keeps committing enrollments while the receiver is down, and the queue grows', async () => {
    await enroll();
    network.script(...Array<'timeout'>(10).fill('timeout'));
    const l = loop();
    l.start();
    await advance(0, l);
    for (let i = 0; i < 4; i++) {
      await enroll();
      l.nudge(); // backing off: a nudge does not hammer the receiver
      await advance(0, l);
    }
    expect(await store.outboxDepth()).toBe(5);
    expect(network.calls).toHaveLength(1);
  });

  it('a refusal of one packet backs off that packet only; the others are delivered in the same pass', async () => {
    const stranger = await makeTestKiosk('KIOSK-OTHER', path.join(dir, 'stranger'));
    const good1 = await enroll();
    const foreign = await enroll(stranger); // signed by a key the receiver does not know for us
    const good2 = await enroll();
    const l = loop();
    l.start();
    await advance(0, l);
    expect(await states()).toEqual({ [good1]: 'acked', [foreign]: 'pending', [good2]: 'acked' });
    expect(l.status().lastError?.message).toMatch(/refused this packet \(foreign: the packet is not signed by the key registered/);
    expect(l.status().consecutiveFailures).toBe(0);
    await advance(749, l);
    expect(network.calls).toHaveLength(3);
    await advance(1, l);
    expect(network.calls).toHaveLength(4);
    expect(await network.storedIds()).not.toContain(foreign);
  });

  it('keeps the durable next attempt across a restart: a new loop does not hammer the receiver', async () => {
    await enroll();
    network.script('5xx', '5xx', '5xx');
    const first = loop();
    first.start();
    await advance(0, first);
    await advance(750, first);
    await first.stop();
    expect(network.calls).toHaveLength(2); // next due in 1500 ms
    const second = loop();
    second.start();
    await advance(0, second);
    expect(network.calls).toHaveLength(2);
    await advance(1_500, second);
    expect(network.calls).toHaveLength(3);
  });

  it('does not strand a packet when the clock is set back: a next attempt beyond the longest backoff is due', async () => {
    const id = await enroll();
    network.script('5xx');
    const l = loop();
    l.start();
    await advance(0, l);
    await l.stop();
    // The clock was a day fast when that attempt was scheduled; now it is corrected.
    vi.setSystemTime(T0.getTime() - 24 * 60 * 60 * 1000);
    const again = loop();
    again.start();
    await advance(0, again);
    expect(await states()).toEqual({ [id]: 'acked' });
  });

  it('stops at once with an upload in flight: aborted, nothing recorded, the packet still pending', async () => {
    const id = await enroll();
    let started: () => void = () => undefined;
    const uploading = new Promise<void>((resolve) => (started = resolve));
    const hanging: SyncTransport = {
      receiver: 'hanging:1',
      upload: (req) =>
        new Promise((resolve) => {
          started();
          const aborted = () => resolve({ kind: 'failed', error: 'aborted', detail: 'stopped', uploaded: false });
          if (req.signal?.aborted) aborted();
          else req.signal?.addEventListener('abort', aborted);
        }),
    };
    const l = loop({ transport: hanging });
    l.start();
    await vi.advanceTimersByTimeAsync(0);
    await uploading;
    await l.stop();
    expect(l.status().state).toBe('stopped');
    expect(await states()).toEqual({ [id]: 'pending' });
    expect(l.status().lastError).toBeNull();
  });
});

describe('purge', () => {
  it('sets the sealed bytes NULL only after the ack and the retention period, with an audit entry', async () => {
    const id = await enroll();
    const l = loop();
    l.start();
    await advance(0, l);
    expect((await store.outbox.list())[0]).toMatchObject({ state: 'acked', held: true });
    await advance(RETENTION_MS - 1, l);
    expect(await store.readSealedPacket(id)).not.toBeNull();
    await advance(POLL_MS, l);
    expect(await store.readSealedPacket(id)).toBeNull();
    expect((await store.outbox.list())[0]).toMatchObject({ state: 'acked', held: false, purgedAt: expect.any(String) });
    const db = await openDb(path.join(dir, 'kiosk.db'));
    try {
      expect(await db.all('SELECT kind FROM audit ORDER BY seq')).toEqual([{ kind: 'enrollment-committed' }, { kind: 'packet-acked' }, { kind: 'packet-purged' }]);
    } finally {
      await db.close();
    }
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });

  it('never purges a packet without a verified ack, however old', async () => {
    const ids = [await enroll(), await enroll()];
    network.script(...Array<'5xx'>(200).fill('5xx'));
    const l = loop();
    l.start();
    for (let i = 0; i < 30; i++) await advance(BACKOFF.maxMs * 10, l);
    for (const id of ids) expect(await store.readSealedPacket(id)).not.toBeNull();
    expect((await store.outbox.list()).map((p) => p.held)).toEqual([true, true]);
  });
});

describe('the audit chain cut at the kiosk', () => {
  it('is refused by the centre; the packet stays, and the reason is the last error', async () => {
    await enroll();
    await enroll();
    const l = loop();
    l.start();
    await advance(0, l);
    // The centre saw the chain reach entry 3. Cut the kiosk's chain back to entry 1.
    const db = await openDb(path.join(dir, 'kiosk.db'));
    try {
      await db.run('DELETE FROM audit WHERE seq > 1');
    } finally {
      await db.close();
    }
    const id = await enroll();
    l.nudge();
    await advance(0, l);
    expect((await states())[id]).toBe('pending');
    expect(l.status().lastError?.message).toMatch(/audit-rollback/);
    expect(await network.store.has(id)).toBe(false);
    expect(await network.store.flags()).toHaveLength(1);
  });
});
