import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../packet/canonical-json';
import { GENESIS_HASH, auditHash, checkChainSegment, parseAuditDetail, type AuditEntry, type ChainBreak, type JsonValue } from './audit-chain';
import { AUDIT_KINDS } from './audit-kinds';
import { diffConfig, type ConfigChange } from './config-diff';
import { openDb, sqliteCode, type Db } from './db';
import { keepAside, keptAsideFiles } from './keep-aside';
import { migrate } from './migrations';
import { createOutboxStore, type OutboxStore } from './outbox';
import { serialQueue } from './queue';
import { chmod, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export type { AuditEntry, JsonValue } from './audit-chain';
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
  /** Was an application already committed with this invitation (CommitEnrollment.invitationId)? */
  invitationUsed(invitationId: string): Promise<boolean>;
  appendAudit(kind: string, detail: JsonValue, enrollmentId?: string): Promise<AuditAppended>;
  /** The newest audit entries (of one kind, when named), oldest first: for staff tools and tests. */
  recentAudit(opts?: { readonly kind?: string; readonly limit?: number }): Promise<AuditEntry[]>;
  /** Packets not yet acknowledged by the central server. */
  outboxDepth(): Promise<number>;
  countEnrollments(): Promise<number>;
  /** Ids of enrollments whose sealed packet is still held, oldest first. */
  listPacketIds(): Promise<string[]>;
  readSealedPacket(id: string): Promise<Uint8Array | null>;
  /**
   * Every enrollment's packet metadata with the hash recorded at commit (never its bytes), oldest
   * first, an enrollment without its outbox row included: for `packets verify` and `packets
   * export`, which read the bytes anyway. Health and `packets list` use `outbox.list()`, which
   * never reads past a held blob.
   */
  listPackets(): Promise<PacketInfo[]>;
  verifyAuditChain(): Promise<AuditChainCheck>;
  /** Staff alerts, kept across restarts (ops/alerts.ts). */
  saveAlert(alert: StoredAlert): Promise<void>;
  /** The newest `limit` alerts, oldest first. */
  recentAlerts(limit: number): Promise<StoredAlert[]>;
  /**
   * At start: remember the effective config and append a `config` audit entry with its hash and
   * what changed since the config remembered at the last start.
   */
  recordConfig(config: JsonValue, extra?: Readonly<Record<string, JsonValue>>): Promise<ConfigRecorded>;
  /** Bytes inside the file that SQLite will reuse before growing it (free pages). */
  reclaimableBytes(): Promise<number>;
  /** PRAGMA quick_check: the problems it names, [] when the file is sound. */
  quickCheck(): Promise<string[]>;
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
  /** The invitation the application came with: remembered as used in the same transaction. */
  readonly invitationId?: string;
}

export interface AuditAppended {
  readonly seq: number;
  readonly hash: string;
}

export type AuditChainCheck =
  | { readonly ok: true; readonly length: number }
  /** The first row that does not fit, why, and the seq that row should have had. */
  | { readonly ok: false; readonly brokenAt: number; readonly reason: ChainBreak; readonly expectedSeq: number };

export interface PacketInfo {
  readonly id: string;
  readonly createdAt: string;
  readonly sha256: string;
  readonly size: number;
  /** The outbox row's state; null if the row is missing (which `packets verify` reports). */
  readonly state: 'pending' | 'sent' | 'acked' | null;
  /** False once the sealed bytes were purged after the ack. */
  readonly held: boolean;
}

export interface StoredAlert {
  readonly at: string;
  readonly device: string;
  readonly status: string;
}

export interface ConfigRecorded {
  readonly sha256: string;
  readonly previousSha256: string | null;
  readonly changed: readonly ConfigChange[];
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
  /**
   * The file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB, or quick_check found a fault). At open
   * it has been kept aside, never written over (keep-aside.ts); the message says where and what to do.
   */
  | 'corrupt'
  /** Disk full, read-only, I/O error: the kiosk should go out of service. */
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
  /**
   * PRAGMA quick_check before anything is written (the kiosk's start): a damaged file is found
   * before it takes a citizen, not half way through one. Default true.
   */
  readonly checkAtOpen?: boolean;
  /**
   * A damaged file is renamed aside with its -wal and -shm (keep-aside.ts), so that nothing is
   * ever written over it, and the open fails. Default true; tools that only look pass false.
   */
  readonly keepAsideIfCorrupt?: boolean;
  /** Refuse to open while a file kept aside at an earlier start is beside this one. Default true. */
  readonly refuseIfKeptAside?: boolean;
}

/** quick_check found something: the file is damaged even though SQLite opened it. */
class DamageFound extends Error {}

const AUDIT_PAGE = 500;

export async function openStore(file: string, opts: StoreOptions = {}): Promise<Store> {
  const now = opts.now ?? (() => new Date());
  if (opts.refuseIfKeptAside ?? true) {
    const kept = await keptAsideFiles(file);
    if (kept.length > 0) throw new StoreError('corrupt', keptAsideMessage(file, kept));
  }
  await ownerOnly(file);
  // The start check runs on a read-only connection: on a damaged file not one byte may be
  // written, not even the checkpoint SQLite runs when a read-write connection closes.
  if (opts.checkAtOpen ?? true) {
    const found = await checkFile(file, opts.busyTimeoutMs ?? 5000);
    if (found !== null) throw await damaged(file, found, opts, now);
  }
  const db = await openDb(file).catch((err: unknown) => {
    throw new StoreError('io', `cannot open ${file}: ${String(err)}`, { cause: err });
  });
  try {
    await db.exec(`PRAGMA busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
    await configure(db);
    const migrated = await migrate(db);
    if (!migrated.ok) {
      throw new StoreError('newer-schema', `${file} has schema ${migrated.found}; this controller knows up to ${migrated.known}. Run the newer controller.`);
    }
  } catch (err) {
    await db.close().catch(() => undefined);
    if (isDamage(err)) throw await damaged(file, err, opts, now);
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
    commitEnrollment: ({ id, trackingCode, sealed, auditDetail, invitationId }) =>
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
        // Used once: a second scan of it is refused (controller/services/invitation.ts). The
        // application is never lost for it: a reused one (checked at the scan) is ignored here.
        if (invitationId !== undefined) await db.run('INSERT OR IGNORE INTO used_invitations (invitation_id, enrollment_id, used_at) VALUES (?, ?, ?)', [invitationId, id, at]);
        // The packet's hash goes into the chain, so a packet swapped later no longer matches it.
        await insertAudit('enrollment-committed', { trackingCode, packetSha256: sha256, size: sealed.length, detail: auditDetail }, id);
      }),

    invitationUsed: (invitationId) =>
      task(async () => countRow.parse(await db.get('SELECT COUNT(*) AS n FROM used_invitations WHERE invitation_id = ?', [invitationId])).n > 0),

    appendAudit: (kind, detail, enrollmentId) => transaction(() => insertAudit(kind, detail, enrollmentId ?? null)),

    recentAudit: (opts = {}) =>
      task(async () => {
        const limit = Math.max(1, Math.min(1000, Math.trunc(opts.limit ?? 100)));
        const rows = z
          .array(auditRow)
          .parse(
            opts.kind === undefined
              ? await db.all('SELECT * FROM audit ORDER BY seq DESC LIMIT ?', [limit])
              : await db.all('SELECT * FROM audit WHERE kind = ? ORDER BY seq DESC LIMIT ?', [opts.kind, limit]),
          );
        return rows.reverse().map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, enrollmentId: r.enrollment_id, detail: parseAuditDetail(r.detail) }));
      }),

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

    verifyAuditChain: async (): Promise<AuditChainCheck> => {
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
          afterSeq,
        );
        if (!checked.ok) return { ok: false, brokenAt: checked.brokenAt, reason: checked.reason, expectedSeq: checked.expectedSeq };
        prev = checked.lastHash;
        length += rows.length;
        const last = rows.at(-1);
        if (!last || rows.length < AUDIT_PAGE) return { ok: true, length };
        afterSeq = checked.lastSeq;
      }
    },

    listPackets: () =>
      task(async () =>
        z
          .array(packetInfoRow)
          .parse(
            await db.all(
              `SELECT e.id, e.created_at, e.packet_sha256, e.size, o.state, typeof(e.packet) <> 'null' AS held
                 FROM enrollments e LEFT JOIN outbox o ON o.enrollment_id = e.id
                ORDER BY e.created_at, e.rowid`,
            ),
          )
          .map((r) => ({ id: r.id, createdAt: r.created_at, sha256: r.packet_sha256, size: r.size, state: r.state, held: r.held === 1 })),
      ),

    saveAlert: (alert) =>
      task(async () => {
        await db.run('INSERT INTO alerts (at, device, status) VALUES (?, ?, ?)', [alert.at, alert.device, alert.status]);
        // Keep the newest thousand: enough for any inquiry, bounded on a small card.
        await db.run('DELETE FROM alerts WHERE id <= (SELECT id FROM alerts ORDER BY id DESC LIMIT 1 OFFSET 1000)');
      }),

    recentAlerts: (limit) =>
      task(async () =>
        z
          .array(alertRow)
          .parse(await db.all('SELECT at, device, status FROM alerts ORDER BY id DESC LIMIT ?', [Math.max(0, Math.trunc(limit))]))
          .reverse(),
      ),

    recordConfig: (config, extra = {}) =>
      transaction(async () => {
        const text = canonicalJson(config);
        const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
        const last = stateRow.optional().parse(await db.get("SELECT value FROM kiosk_state WHERE key = 'config'"));
        let previous: JsonValue | undefined;
        try {
          previous = last ? jsonValue.parse(JSON.parse(last.value)) : undefined;
        } catch {
          previous = undefined;
        }
        const previousSha256 = last ? createHash('sha256').update(last.value, 'utf8').digest('hex') : null;
        const changed = previous === undefined ? [] : diffConfig(previous, config);
        await db.run("INSERT INTO kiosk_state (key, value) VALUES ('config', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [text]);
        await insertAudit(AUDIT_KINDS.config, { ...extra, sha256, previousSha256, changed: changed.map((c) => ({ path: c.path, from: c.from, to: c.to })) }, null);
        return { sha256, previousSha256, changed };
      }),

    reclaimableBytes: () =>
      task(async () => {
        const free = freelistRow.parse(await db.get('PRAGMA freelist_count')).freelist_count;
        const page = pageSizeRow.parse(await db.get('PRAGMA page_size')).page_size;
        return free * page;
      }),

    quickCheck: () => task(() => quickCheck(db)),
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

async function configure(db: Db): Promise<void> {
  // (busy_timeout is set first, by the caller: switching to WAL needs a lock another process may briefly hold.)
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

/** PRAGMA quick_check's findings; [] when it says "ok". */
async function quickCheck(db: Db): Promise<string[]> {
  const rows = z.array(quickCheckRow).parse(await db.all('PRAGMA quick_check'));
  const problems = rows.map((r) => r.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/**
 * quick_check on a read-only connection: null when the file is sound, else what is wrong.
 * Errors other than damage (busy, I/O) are thrown as they are.
 */
async function checkFile(file: string, busyTimeoutMs: number): Promise<unknown> {
  let db: Db;
  try {
    db = await openDb(file, { readOnly: true });
  } catch (err) {
    if (isDamage(err)) return err;
    throw new StoreError('io', `cannot open ${file}: ${String(err)}`, { cause: err });
  }
  try {
    await db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    const problems = await quickCheck(db);
    return problems.length > 0 ? new DamageFound(problems.slice(0, 3).join('; ')) : null;
  } catch (err) {
    if (isDamage(err)) return err;
    throw toStoreError(err);
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** The error for a damaged file; unless told not to, the file is kept aside first. */
async function damaged(file: string, err: unknown, opts: StoreOptions, now: () => Date): Promise<StoreError> {
  const what = err instanceof Error ? err.message : String(err);
  if (!(opts.keepAsideIfCorrupt ?? true)) {
    return new StoreError('corrupt', `the kiosk database ${file} is corrupt (${what}).`, { cause: err });
  }
  const kept = await keepAside(file, now());
  return new StoreError(
    'corrupt',
    `the kiosk database ${file} is corrupt (${what}). It was moved aside unchanged to ${kept.main}` +
      `${kept.others.length > 0 ? ` (with ${kept.others.map((f) => f.slice(kept.main.length)).join(', ')})` : ''}. ` +
      `The kiosk will not start beside it. It may hold sealed enrollments not yet sent: copy it off the kiosk for recovery ` +
      `(sqlite3 ${kept.main} .recover), then move it out of ${dirname(file)}; the next start makes a new, empty database.`,
    { cause: err },
  );
}

/** A damaged file, as opposed to a busy, full or missing one. */
function isDamage(err: unknown): boolean {
  if (err instanceof DamageFound) return true;
  if (err instanceof StoreError) return err.code === 'corrupt';
  const code = sqliteCode(err);
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}

function keptAsideMessage(file: string, kept: readonly string[]): string {
  return (
    `${dirname(file)} holds ${kept.join(', ')}: a kiosk database found corrupt at an earlier start and kept aside. ` +
    `The kiosk will not start beside it. It may hold sealed enrollments not yet sent: copy it off the kiosk for recovery, ` +
    `then move it out of ${dirname(file)}; the next start makes a new, empty database.`
  );
}

function toStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_CONSTRAINT') return new StoreError('constraint', message, { cause: err });
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return new StoreError('corrupt', message, { cause: err });
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
const packetInfoRow = z.object({
  id: z.string(),
  created_at: z.string(),
  packet_sha256: z.string(),
  size: z.number().int(),
  state: z.enum(['pending', 'sent', 'acked']).nullable(),
  held: z.number().int(),
});
const alertRow = z.object({ at: z.string(), device: z.string(), status: z.string() });
const stateRow = z.object({ value: z.string() });
const freelistRow = z.object({ freelist_count: z.number().int() });
const pageSizeRow = z.object({ page_size: z.number().int() });
const quickCheckRow = z.object({ quick_check: z.string() });
const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
const auditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  kind: z.string(),
  enrollment_id: z.string().nullable(),
  detail: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
