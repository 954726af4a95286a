import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GENESIS_HASH, auditHash, canonicalJson, checkChainSegment, type JsonValue } from './audit-chain';
import { openDb, sqliteCode, type Db } from './db';
import { migrate } from './migrations';
import { createOutboxStore, type OutboxStore } from './outbox';
import { serialQueue } from './queue';
import { chmod, open } from 'node:fs/promises';

export type { JsonValue } from './audit-chain';
export type { OutboxStore } from './outbox';

/**
 * The kiosk's durable state: sealed packets, the outbox the sync/ module drains, and the audit
 * chain. Everything goes through one sqlite3 connection and one queue: a transaction on a
 * shared connection would otherwise swallow (or roll back) statements issued meanwhile by
 * other callers, and two overlapping BEGINs fail outright.
 */
export interface Store {
  /**
   * Write the sealed packet, its outbox row and an audit entry in one transaction. Resolves
   * only after COMMIT returned (with synchronous=FULL: after fsync), so "acknowledged =
   * committed". Rejects with StoreError and leaves no trace of the enrollment on any failure.
   */
  commitEnrollment(input: CommitEnrollment): Promise<void>;
  appendAudit(kind: string, detail: JsonValue, enrollmentId?: string): Promise<AuditAppended>;
  /** Packets not yet acknowledged by the central server. */
  outboxDepth(): Promise<number>;
  countEnrollments(): Promise<number>;
  /** Ids of enrollments whose sealed packet is still held, oldest first. */
  listPacketIds(): Promise<string[]>;
  readSealedPacket(id: string): Promise<Uint8Array | null>;
  verifyAuditChain(): Promise<{ ok: true; length: number } | { ok: false; brokenAt: number }>;
  /** Connection settings as SQLite reports them, for /healthz and tests. */
  diagnostics(): Promise<StoreDiagnostics>;
  /** The outbox as sync and the operator's tools see it: attempts, acks, purge (outbox.ts). */
  readonly outbox: OutboxStore;
  close(): Promise<void>;
}

export interface CommitEnrollment {
  readonly id: string;
  readonly trackingCode: string;
  /** Sealed bytes only (packet/seal.ts): no unsealed biometric byte may reach the disk. */
  readonly sealed: Uint8Array;
  readonly auditDetail: JsonValue;
}

export interface AuditAppended {
  readonly seq: number;
  readonly hash: string;
}

export interface StoreDiagnostics {
  readonly journalMode: string;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  readonly synchronous: number;
  readonly foreignKeys: boolean;
  readonly schemaVersion: number;
}

export type StoreErrorCode =
  /** Duplicate id or tracking code, or another constraint: the caller's data is at fault. */
  | 'constraint'
  /** Another process held the database longer than busy_timeout. */
  | 'busy'
  | 'closed'
  /** The file was written by a newer controller version. */
  | 'newer-schema'
  /** Disk full, I/O error, corruption: the kiosk should go out of service. */
  | 'io';

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for a store failure, of the given kind when one is named (`isStoreError(err, 'constraint')`). */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

export interface StoreOptions {
  /** Injected clock, for tests. */
  readonly now?: () => Date;
  readonly busyTimeoutMs?: number;
}

const AUDIT_PAGE = 500;

export async function openStore(file: string, opts: StoreOptions = {}): Promise<Store> {
  const now = opts.now ?? (() => new Date());
  await ownerOnly(file);
  const db = await openDb(file).catch((err: unknown) => {
    throw new StoreError('io', `cannot open ${file}: ${String(err)}`, { cause: err });
  });
  try {
    await configure(db, opts.busyTimeoutMs ?? 5000);
    const migrated = await migrate(db);
    if (!migrated.ok) {
      throw new StoreError('newer-schema', `${file} has schema ${migrated.found}; this controller knows up to ${migrated.known}. Run the newer controller.`);
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }

  const queue = serialQueue();
  let closed = false;

  const task = <T>(fn: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new StoreError('closed', 'store is closed'));
    return queue(fn).catch((err: unknown) => {
      throw toStoreError(err);
    });
  };

  const transaction = <T>(fn: () => Promise<T>): Promise<T> =>
    task(async () => {
      await db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn();
        await db.exec('COMMIT');
        return result;
      } catch (err) {
        // After some errors (disk full) SQLite has already rolled back; that ROLLBACK fails.
        await db.exec('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });

  /** Inside a transaction only: the chain's tip must not move between read and insert. */
  const insertAudit = async (kind: string, detail: JsonValue, enrollmentId: string | null): Promise<AuditAppended> => {
    const tip = tipRow.parse((await db.get('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')) ?? { seq: 0, hash: GENESIS_HASH });
    const entry = { seq: tip.seq + 1, at: now().toISOString(), kind, enrollmentId, detail };
    const hash = auditHash(tip.hash, entry);
    await db.run('INSERT INTO audit (seq, at, kind, enrollment_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      entry.seq,
      entry.at,
      kind,
      enrollmentId,
      canonicalJson(detail),
      tip.hash,
      hash,
    ]);
    return { seq: entry.seq, hash };
  };

  return {
    commitEnrollment: ({ id, trackingCode, sealed, auditDetail }) =>
      transaction(async () => {
        const at = now().toISOString();
        const sha256 = createHash('sha256').update(sealed).digest('hex');
        await db.run('INSERT INTO enrollments (id, tracking_code, created_at, packet, packet_sha256, size) VALUES (?, ?, ?, ?, ?, ?)', [
          id,
          trackingCode,
          at,
          sealed,
          sha256,
          sealed.length,
        ]);
        await db.run("INSERT INTO outbox (enrollment_id, state, attempts, next_attempt_at) VALUES (?, 'pending', 0, ?)", [id, at]);
        // The packet's hash goes into the chain, so a packet swapped later no longer matches it.
        await insertAudit('enrollment-committed', { trackingCode, packetSha256: sha256, size: sealed.length, detail: auditDetail }, id);
      }),

    appendAudit: (kind, detail, enrollmentId) => transaction(() => insertAudit(kind, detail, enrollmentId ?? null)),

    outboxDepth: () => task(async () => countRow.parse(await db.get("SELECT COUNT(*) AS n FROM outbox WHERE state <> 'acked'")).n),

    countEnrollments: () => task(async () => countRow.parse(await db.get('SELECT COUNT(*) AS n FROM enrollments')).n),

    listPacketIds: () =>
      task(async () =>
        z.array(idRow).parse(await db.all('SELECT id FROM enrollments WHERE packet IS NOT NULL ORDER BY created_at, rowid')).map((r) => r.id),
      ),

    readSealedPacket: (id) =>
      task(async () => {
        const row = packetRow.optional().parse(await db.get('SELECT packet FROM enrollments WHERE id = ?', [id]));
        return row?.packet ? new Uint8Array(row.packet) : null;
      }),

    verifyAuditChain: async () => {
      let prev = GENESIS_HASH;
      let afterSeq = 0;
      let length = 0;
      // Page by page, each page its own queued task, so a long check never blocks a commit.
      for (;;) {
        const rows = await task(async () =>
          z.array(auditRow).parse(await db.all('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, AUDIT_PAGE])),
        );
        const checked = checkChainSegment(
          prev,
          rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, enrollmentId: r.enrollment_id, detail: r.detail, prevHash: r.prev_hash, hash: r.hash })),
        );
        if (!checked.ok) return checked;
        prev = checked.lastHash;
        length += rows.length;
        const last = rows.at(-1);
        if (!last || rows.length < AUDIT_PAGE) return { ok: true, length };
        afterSeq = last.seq;
      }
    },

    outbox: createOutboxStore({ db, task, transaction, insertAudit }),

    diagnostics: () =>
      task(async () => ({
        journalMode: journalRow.parse(await db.get('PRAGMA journal_mode')).journal_mode,
        synchronous: syncRow.parse(await db.get('PRAGMA synchronous')).synchronous,
        foreignKeys: fkRow.parse(await db.get('PRAGMA foreign_keys')).foreign_keys === 1,
        schemaVersion: userVersionRow.parse(await db.get('PRAGMA user_version')).user_version,
      })),

    close: async () => {
      if (closed) return;
      // Refuse new work at once, let work already queued finish, then close the connection.
      closed = true;
      await queue(async () => undefined);
      await db.close();
    },
  };
}

async function configure(db: Db, busyTimeoutMs: number): Promise<void> {
  // busy_timeout first: switching to WAL needs a lock another process may briefly hold.
  await db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  const mode = journalRow.parse(await db.get('PRAGMA journal_mode = WAL')).journal_mode;
  if (mode !== 'wal') {
    throw new StoreError('io', `SQLite refused WAL mode (got "${mode}"); is the data dir on a filesystem without shared memory support?`);
  }
  // FULL: in WAL mode NORMAL may lose the last commits on power loss
  // (docs/facts/storage-and-sealing.md).
  await db.exec('PRAGMA synchronous = FULL');
  await db.exec('PRAGMA foreign_keys = ON');
}

/**
 * The database holds sealed packets and the audit chain: the kiosk's user alone may read it.
 * SQLite gives its -wal and -shm files the main file's mode, so the main file is made (or
 * tightened, for an older install) 0600 before SQLite opens it.
 */
async function ownerOnly(file: string): Promise<void> {
  try {
    const handle = await open(file, 'a', 0o600);
    await handle.close();
    await chmod(file, 0o600);
    for (const side of [`${file}-wal`, `${file}-shm`]) await chmod(side, 0o600).catch(() => undefined);
  } catch (err) {
    throw new StoreError('io', `cannot create ${file} owner-only (0600): ${String(err)}. Check the data directory's owner and permissions.`, { cause: err });
  }
}

function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_CONSTRAINT') return new StoreError('constraint', message, { cause: err });
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return new StoreError('busy', message, { cause: err });
  return new StoreError('io', message, { cause: err });
}

const countRow = z.object({ n: z.number().int() });
const idRow = z.object({ id: z.string() });
const tipRow = z.object({ seq: z.number().int(), hash: z.string() });
const packetRow = z.object({ packet: z.instanceof(Buffer).nullable() });
const journalRow = z.object({ journal_mode: z.string() });
const syncRow = z.object({ synchronous: z.number().int() });
const fkRow = z.object({ foreign_keys: z.number().int() });
const userVersionRow = z.object({ user_version: z.number().int() });
const auditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.string(),
  enrollment_id: z.string().nullable(),
  detail: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
