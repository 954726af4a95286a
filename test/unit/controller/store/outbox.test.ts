import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../../controller/store/db';
import { MIGRATIONS, migrate } from '../../../../controller/store/migrations';
import type { AckToStore } from '../../../../controller/store/outbox';
import { openStore, type Store } from '../../../../controller/store/store';

let dir: string;
let file: string;
let clock = new Date('2025-03-14T08:00:00.000Z');
const open: Store[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-outbox-'));
  file = join(dir, 'kiosk.db');
  clock = new Date('2025-03-14T08:00:00.000Z');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function store(): Promise<Store> {
  const s = await openStore(file, { now: () => clock });
  open.push(s);
  return s;
}

const at = (iso: string) => new Date(iso);

async function commit(s: Store, n: number): Promise<{ id: string; sha256: string }> {
  const id = randomUUID();
  const sealed = randomBytes(1000 + n);
  await s.commitEnrollment({ id, trackingCode: `TC-${n}`, sealed, auditDetail: { n } });
  return { id, sha256: createHash('sha256').update(sealed).digest('hex') };
}

function ack(sha256: string, overrides: Partial<AckToStore> = {}): AckToStore {
  return { packetSha256: sha256, receivedAt: '2025-03-14T08:00:01.000Z', receiverKeyId: '0123456789abcdef', ackJson: '{}', signature: 'c2ln', via: 'network', receiverHeadSeq: 1, ...overrides };
}

describe('migration 2 (sync)', () => {
  it('upgrades a version-1 kiosk database with packets in it: they are pending, held, and due', async () => {
    const db = await openDb(file);
    await migrate(db, MIGRATIONS.filter((m) => m.version === 1));
    await db.run("INSERT INTO enrollments (id, tracking_code, created_at, packet, packet_sha256, size) VALUES ('a', 'TC-A', '2025-01-01T00:00:00.000Z', x'0102', 'ff', 2)");
    await db.run("INSERT INTO outbox (enrollment_id, state, attempts, next_attempt_at) VALUES ('a', 'pending', 0, '2025-01-01T00:00:00.000Z')");
    await db.close();

    const s = await store();
    expect((await s.diagnostics()).schemaVersion).toBeGreaterThanOrEqual(2);
    expect(await s.outbox.list()).toEqual([
      expect.objectContaining({ id: 'a', state: 'pending', attempts: 0, held: true, lastAttemptAt: null, sentAt: null, ackedAt: null, purgedAt: null }),
    ]);
    expect((await s.outbox.due(clock, 10)).map((i) => i.id)).toEqual(['a']);
  });
});

describe('the outbox store', () => {
  it('lists due packets oldest first and not before their next attempt', async () => {
    const s = await store();
    const a = await commit(s, 1);
    clock = at('2025-03-14T08:00:01.000Z');
    const b = await commit(s, 2);
    expect((await s.outbox.due(clock, 10)).map((i) => i.id)).toEqual([a.id, b.id]);
    await s.outbox.beginAttempt(a.id, clock);
    await s.outbox.attemptFailed(a.id, { at: clock, error: 'HTTP 503', uploaded: false, nextAttemptAt: at('2025-03-14T08:10:00.000Z') });
    expect((await s.outbox.due(clock, 10)).map((i) => i.id)).toEqual([b.id]);
    expect((await s.outbox.due(at('2025-03-14T08:10:00.000Z'), 10)).map((i) => i.id)).toEqual([b.id, a.id]);
    expect(await s.outbox.nextAttemptAt()).toBe('2025-03-14T08:00:01.000Z');
  });

  it('marks a packet sent only when its bytes were handed over, and counts every attempt', async () => {
    const s = await store();
    const a = await commit(s, 1);
    expect(await s.outbox.beginAttempt(a.id, clock)).toBe(1);
    await s.outbox.attemptFailed(a.id, { at: clock, error: 'cut', uploaded: false, nextAttemptAt: clock });
    expect((await s.outbox.list())[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: 'cut', sentAt: null });
    expect(await s.outbox.beginAttempt(a.id, clock)).toBe(2);
    await s.outbox.attemptFailed(a.id, { at: clock, error: 'lost reply', uploaded: true, nextAttemptAt: clock });
    expect((await s.outbox.list())[0]).toMatchObject({ state: 'sent', attempts: 2, lastError: 'lost reply', sentAt: clock.toISOString() });
  });

  it('stores an ack once, with its audit entry, and refuses an ack for other bytes', async () => {
    const s = await store();
    const a = await commit(s, 1);
    await expect(s.outbox.recordAck(a.id, ack('00'.repeat(32)), clock)).rejects.toMatchObject({ code: 'constraint' });
    expect((await s.outbox.list())[0]).toMatchObject({ state: 'pending', ackedAt: null });
    expect(await s.outbox.recordAck(a.id, ack(a.sha256), clock)).toBe('stored');
    expect(await s.outbox.recordAck(a.id, ack(a.sha256), clock)).toBe('already');
    expect((await s.outbox.list())[0]).toMatchObject({ state: 'acked', ackedAt: clock.toISOString(), receivedAt: '2025-03-14T08:00:01.000Z', ackedVia: 'network' });
    expect(await s.outboxDepth()).toBe(0);
    expect(await s.verifyAuditChain()).toEqual({ ok: true, length: 2 });
    // A late failure report (a second attempt racing the first) cannot un-ack it.
    await s.outbox.attemptFailed(a.id, { at: clock, error: 'late', uploaded: true, nextAttemptAt: clock });
    expect((await s.outbox.list())[0]).toMatchObject({ state: 'acked', lastError: null });
  });

  it('purges only acked packets whose ack is older than the cut-off, each with an audit entry', async () => {
    const s = await store();
    const old = await commit(s, 1);
    const recent = await commit(s, 2);
    const unacked = await commit(s, 3);
    await s.outbox.recordAck(old.id, ack(old.sha256), at('2025-03-14T08:00:00.000Z'));
    await s.outbox.recordAck(recent.id, ack(recent.sha256), at('2025-03-14T09:00:00.000Z'));
    const purged = await s.outbox.purgeAcked(at('2025-03-14T08:30:00.000Z'), at('2025-03-14T10:00:00.000Z'));
    expect(purged).toEqual([old.id]);
    expect(await s.readSealedPacket(old.id)).toBeNull();
    expect(await s.readSealedPacket(recent.id)).not.toBeNull();
    expect(await s.readSealedPacket(unacked.id)).not.toBeNull();
    expect(await s.outbox.purgeAcked(at('2030-01-01T00:00:00.000Z'), clock)).toEqual([recent.id]);
    expect(await s.readSealedPacket(unacked.id)).not.toBeNull();
    expect(await s.verifyAuditChain()).toEqual({ ok: true, length: 3 + 2 + 2 });
    expect(await s.listPacketIds()).toEqual([unacked.id]);
  });

  it('sums up what has been sent for health', async () => {
    const s = await store();
    const a = await commit(s, 1);
    clock = at('2025-03-14T08:01:00.000Z');
    const b = await commit(s, 2);
    await commit(s, 3);
    await s.outbox.recordAck(a.id, ack(a.sha256), at('2025-03-14T08:02:00.000Z'));
    await s.outbox.beginAttempt(b.id, at('2025-03-14T08:03:00.000Z'));
    await s.outbox.attemptFailed(b.id, { at: clock, error: 'lost reply', uploaded: true, nextAttemptAt: at('2025-03-14T08:05:00.000Z') });
    expect(await s.outbox.summary()).toEqual({
      pending: 1,
      sent: 1,
      acked: 1,
      purged: 0,
      oldestPendingCreatedAt: '2025-03-14T08:01:00.000Z',
      lastAckAt: '2025-03-14T08:02:00.000Z',
      lastError: { at: '2025-03-14T08:03:00.000Z', message: 'lost reply' },
      nextAttemptAt: '2025-03-14T08:01:00.000Z',
    });
  });

  it('reads the audit head and the hash at a seq', async () => {
    const s = await store();
    expect(await s.outbox.auditHead()).toEqual({ seq: 0, hash: '0'.repeat(64) });
    await commit(s, 1);
    const appended = await s.appendAudit('device-event', { device: 'camera' });
    expect(await s.outbox.auditHead()).toEqual(appended);
    expect(await s.outbox.auditHashAt(2)).toBe(appended.hash);
    expect(await s.outbox.auditHashAt(3)).toBeNull();
    expect(await s.outbox.receiverHeadSeq()).toBeNull();
  });
});
