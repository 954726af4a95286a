import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash } from '../../../../controller/store/audit-chain';
import { openDb } from '../../../../controller/store/db';
import { MIGRATIONS, migrate } from '../../../../controller/store/migrations';
import { openStore, StoreError, type CommitEnrollment, type Store } from '../../../../controller/store/store';

/** The newest schema this controller knows (each engineer's migration adds one). */
const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

let dir: string;
let file: string;
const open: Store[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-store-'));
  file = join(dir, 'kiosk.sqlite');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

async function store(): Promise<Store> {
  const s = await openStore(file, { now: () => new Date('2025-03-14T08:05:00.000Z') });
  open.push(s);
  return s;
}

function enrollment(n: number, overrides: Partial<CommitEnrollment> = {}): CommitEnrollment {
  return { id: randomUUID(), trackingCode: `TC-${n}`, sealed: randomBytes(2000), auditDetail: { kioskId: 'K1', n }, ...overrides };
}

/** Read a table with a second, raw connection: what is really in the file. */
async function rows(sql: string, params: (string | number)[] = []): Promise<unknown[]> {
  const db = await openDb(file);
  try {
    return await db.all(sql, params);
  } finally {
    await db.close();
  }
}

async function exec(sql: string): Promise<void> {
  const db = await openDb(file);
  try {
    await db.exec(sql);
  } finally {
    await db.close();
  }
}

describe('store', () => {
  it('runs WAL with synchronous=FULL and foreign keys on', async () => {
    const s = await store();
    expect(await s.diagnostics()).toEqual({ journalMode: 'wal', synchronous: 2, foreignKeys: true, schemaVersion: LATEST });
  });

  it('a committed enrollment is in the file after reopening: packet, outbox row and audit entry', async () => {
    const s = await store();
    const e = enrollment(1);
    await s.commitEnrollment(e);
    await s.close();
    open.length = 0;

    const again = await store();
    expect(await again.countEnrollments()).toBe(1);
    expect(await again.listPacketIds()).toEqual([e.id]);
    expect(Buffer.from((await again.readSealedPacket(e.id)) ?? []).equals(e.sealed)).toBe(true);
    expect(await again.outboxDepth()).toBe(1);
    expect(await rows('SELECT enrollment_id, state, attempts, last_error FROM outbox')).toEqual([
      { enrollment_id: e.id, state: 'pending', attempts: 0, last_error: null },
    ]);
    const audit = await rows('SELECT seq, kind, enrollment_id, detail FROM audit');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ seq: 1, kind: 'enrollment-committed', enrollment_id: e.id });
    expect(await rows('SELECT tracking_code, size, created_at FROM enrollments')).toEqual([
      { tracking_code: 'TC-1', size: 2000, created_at: '2025-03-14T08:05:00.000Z' },
    ]);
    expect(await again.verifyAuditChain()).toEqual({ ok: true, length: 1 });
  });

  it('a duplicate tracking code is refused and leaves no partial rows', async () => {
    const s = await store();
    await s.commitEnrollment(enrollment(1));
    const dup = enrollment(1);
    const err = await s.commitEnrollment(dup).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'constraint' });
    expect(await rows('SELECT id FROM enrollments WHERE id = ?', [dup.id])).toEqual([]);
    expect(await rows('SELECT COUNT(*) AS n FROM outbox')).toEqual([{ n: 1 }]);
    expect(await rows('SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: 1 }]);
    // and the store still works afterwards
    await s.commitEnrollment(enrollment(2));
    expect(await s.countEnrollments()).toBe(2);
  });

  it.each([
    ['the outbox insert', 'outbox'],
    ['the audit insert', 'audit'],
  ])('a failure at %s rolls back the packet row written before it', async (_what, table) => {
    await (await store()).close();
    open.length = 0;
    await exec(`CREATE TRIGGER fail_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;`);
    const s = await store();
    const e = enrollment(7);
    await expect(s.commitEnrollment(e)).rejects.toThrow(/disk on fire/);
    expect(await s.countEnrollments()).toBe(0);
    expect(await s.outboxDepth()).toBe(0);
    expect(await rows('SELECT COUNT(*) AS n FROM audit')).toEqual([{ n: 0 }]);
    expect(await s.readSealedPacket(e.id)).toBeNull();
  });

  it('50 concurrent commits all land, with reads and audit entries interleaved', async () => {
    const s = await store();
    const all = Array.from({ length: 50 }, (_, i) => enrollment(i));
    const results = await Promise.allSettled([
      ...all.map((e) => s.commitEnrollment(e)),
      ...all.slice(0, 10).map((_, i) => s.appendAudit('device-event', { device: 'camera', i })),
      s.outboxDepth(),
      s.countEnrollments(),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await s.countEnrollments()).toBe(50);
    expect(await s.outboxDepth()).toBe(50);
    expect(new Set(await s.listPacketIds())).toEqual(new Set(all.map((e) => e.id)));
    expect(await s.verifyAuditChain()).toEqual({ ok: true, length: 60 });
  });

  it('counts only unacknowledged packets in the outbox depth', async () => {
    const s = await store();
    const a = enrollment(1);
    await s.commitEnrollment(a);
    await s.commitEnrollment(enrollment(2));
    await exec(`UPDATE outbox SET state = 'acked' WHERE enrollment_id = '${a.id}'`);
    expect(await s.outboxDepth()).toBe(1);
  });

  it('refuses work after close', async () => {
    const s = await store();
    await s.close();
    await expect(s.countEnrollments()).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('audit chain', () => {
  async function filled(): Promise<Store> {
    const s = await store();
    await s.commitEnrollment(enrollment(1));
    await s.appendAudit('session-abandoned', { reason: 'timeout', wiped: ['face', 'fingers'] });
    await s.appendAudit('device-event', { device: 'fingerprint', state: 'fault' });
    await s.commitEnrollment(enrollment(2));
    return s;
  }

  it('verifies, and its detail is stored as canonical JSON', async () => {
    const s = await filled();
    expect(await s.verifyAuditChain()).toEqual({ ok: true, length: 4 });
    expect(await rows('SELECT detail FROM audit WHERE seq = 2')).toEqual([{ detail: '{"reason":"timeout","wiped":["face","fingers"]}' }]);
  });

  it('holds more entries than one page of verification', async () => {
    const s = await store();
    for (let i = 0; i < 1201; i++) await s.appendAudit('tick', { i });
    expect(await s.verifyAuditChain()).toEqual({ ok: true, length: 1201 });
  });

  it('detects an edited entry', async () => {
    const s = await filled();
    await exec(`UPDATE audit SET detail = '{"reason":"completed","wiped":["face","fingers"]}' WHERE seq = 2`);
    expect(await s.verifyAuditChain()).toEqual({ ok: false, brokenAt: 2, reason: 'hash-mismatch', expectedSeq: 2 });
  });

  it('detects an edited timestamp', async () => {
    const s = await filled();
    await exec(`UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 3`);
    expect(await s.verifyAuditChain()).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch', expectedSeq: 3 });
  });

  it('detects an edit whose own hash was recomputed, at the entry after it', async () => {
    const s = await filled();
    const [prev] = await rows('SELECT hash FROM audit WHERE seq = 1');
    const prevHash = prev && typeof prev === 'object' && 'hash' in prev && typeof prev.hash === 'string' ? prev.hash : '';
    const forged = { seq: 2, at: '2025-03-14T08:05:00.000Z', kind: 'session-abandoned', enrollmentId: null, detail: { reason: 'completed' } };
    await exec(`UPDATE audit SET detail = '{"reason":"completed"}', hash = '${auditHash(prevHash, forged)}' WHERE seq = 2`);
    expect(await s.verifyAuditChain()).toEqual({ ok: false, brokenAt: 3, reason: 'prev-hash-mismatch', expectedSeq: 3 });
  });

  it('detects a deleted entry in the middle', async () => {
    const s = await filled();
    await exec('DELETE FROM audit WHERE seq = 2');
    expect(await s.verifyAuditChain()).toEqual({ ok: false, brokenAt: 3, reason: 'seq-gap', expectedSeq: 2 });
  });
});

describe('migrations', () => {
  it('are applied once and recorded in user_version', async () => {
    await (await store()).close();
    open.length = 0;
    expect(await rows('PRAGMA user_version')).toEqual([{ user_version: LATEST }]);
    const s = await store(); // second open must not try to create the tables again
    expect(await s.countEnrollments()).toBe(0);
  });

  it('are 1 (the store), 2 (outbox sync: attempts, purged_at, the acks table), 3 (alerts, kiosk_state) and 4 (used invitations), and a fresh file gets them in that order', async () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    const db = await openDb(file);
    const applied: string[] = [];
    const watched = { ...db, exec: async (sql: string) => {
      const v = /^PRAGMA user_version = (\d+)$/.exec(sql.trim())?.[1];
      if (v !== undefined) applied.push(v);
      await db.exec(sql);
    } };
    try {
      // Handed out of order, they still apply in order, each in its own transaction.
      expect(await migrate(watched, [...MIGRATIONS].reverse())).toEqual({ ok: true, from: 0, to: 4 });
    } finally {
      await db.close();
    }
    expect(applied).toEqual(['1', '2', '3', '4']);
    const columns = async (table: string) => (await rows(`SELECT name FROM pragma_table_info('${table}')`)).map((r) => (r && typeof r === 'object' && 'name' in r ? r.name : null));
    expect(await columns('outbox')).toEqual(['enrollment_id', 'state', 'attempts', 'next_attempt_at', 'last_error', 'last_attempt_at', 'sent_at']);
    expect(await columns('enrollments')).toContain('purged_at');
    // One acks table, sync's: the exact signed JSON and its signature, network or media.
    expect(await columns('acks')).toEqual(['enrollment_id', 'packet_sha256', 'received_at', 'receiver_key_id', 'ack', 'signature', 'via', 'receiver_head_seq', 'stored_at']);
    expect(await columns('alerts')).toEqual(['id', 'at', 'device', 'status']);
    expect(await columns('kiosk_state')).toEqual(['key', 'value']);
    expect(await columns('used_invitations')).toEqual(['invitation_id', 'enrollment_id', 'used_at']);
  });

  it('take a file at version 2 (sync) on to the latest without touching what it holds', async () => {
    const db = await openDb(file);
    try {
      await migrate(db, MIGRATIONS.filter((m) => m.version <= 2));
      await db.exec("INSERT INTO enrollments (id, tracking_code, created_at, packet, packet_sha256, size) VALUES ('e1', 'TC', '2025-03-14T08:00:00.000Z', NULL, 'ab', 0)");
      expect(await migrate(db)).toEqual({ ok: true, from: 2, to: LATEST });
    } finally {
      await db.close();
    }
    expect(await rows('SELECT id FROM enrollments')).toEqual([{ id: 'e1' }]);
    expect(await rows('PRAGMA user_version')).toEqual([{ user_version: LATEST }]);
  });

  it('remember an invitation as used in the enrollment’s own transaction, and only when it commits', async () => {
    const s = await store();
    expect(await s.invitationUsed('GM-1')).toBe(false);
    await s.commitEnrollment({ ...enrollment(1), invitationId: 'GM-1' });
    expect(await s.invitationUsed('GM-1')).toBe(true);
    expect(await s.invitationUsed('GM-2')).toBe(false);
    // A commit that fails (a duplicate id) leaves its invitation unused.
    await expect(s.commitEnrollment({ ...enrollment(1), invitationId: 'GM-2' })).rejects.toMatchObject({ code: 'constraint' });
    expect(await s.invitationUsed('GM-2')).toBe(false);
  });

  it('refuse a file written by a newer controller', async () => {
    await exec('PRAGMA user_version = 99');
    await expect(openStore(file)).rejects.toMatchObject({ code: 'newer-schema' });
  });
});
