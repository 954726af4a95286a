import { z } from 'zod';
import { GENESIS_HASH, type JsonValue } from './audit-chain';
import { AUDIT_KINDS } from './audit-kinds';
import type { Db } from './db';
// store.ts builds this module's store and this module throws its error type: the cycle is only
// between function bodies, never at load time.
import { StoreError } from './store';

/**
 * The outbox as sync (controller/sync/) and the operator's tools see it: which sealed packets
 * are due, what each attempt did, the receiver's verified acknowledgements, and the purge.
 * Metadata only: the sealed bytes are read with Store.readSealedPacket, and never decrypted.
 * In result columns "is the packet held" is `typeof(packet)`, never `packet IS NULL`, and the
 * columns stored after the blob (packet_sha256, size, purged_at) are read only where it is NULL:
 * otherwise SQLite walks the whole ~1 MB blob of every row (health asks often).
 *
 * The invariants a kill at any moment relies on (docs/central-receiver.md):
 *  - an outbox row is 'acked' only in the transaction that stores its verified ack (acks row)
 *    and appends 'packet-acked' to the audit chain;
 *  - sealed bytes are set NULL only for a packet that is 'acked', whose ack names the same
 *    SHA-256, and whose ack was stored at least the retention period ago, each with a
 *    'packet-purged' audit entry in the same transaction;
 *  - everything else (attempts, errors, next attempt) is advice: losing it re-sends a packet,
 *    which the receiver answers with the same ack.
 */

export type OutboxState = 'pending' | 'sent' | 'acked';

export interface OutboxItem {
  readonly id: string;
  readonly state: 'pending' | 'sent';
  readonly attempts: number;
  readonly packetSha256: string;
  readonly size: number;
  readonly createdAt: string;
}

export interface AckToStore {
  readonly packetSha256: string;
  readonly receivedAt: string;
  readonly receiverKeyId: string;
  /** The canonical JSON the receiver signed, as received. */
  readonly ackJson: string;
  readonly signature: string;
  readonly via: 'network' | 'media';
  readonly receiverHeadSeq: number | null;
}

/** One packet for `packets list`: no byte of it, no tracking code. */
export interface PacketListing {
  readonly id: string;
  readonly createdAt: string;
  readonly size: number;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly lastError: string | null;
  readonly sentAt: string | null;
  readonly ackedAt: string | null;
  /** The receiver's own time of receipt, from its signed ack. */
  readonly receivedAt: string | null;
  readonly ackedVia: 'network' | 'media' | null;
  /** The sealed bytes are still on this kiosk. */
  readonly held: boolean;
  readonly purgedAt: string | null;
}

export interface OutboxSummary {
  readonly pending: number;
  /** Handed to the network, no verified ack yet. */
  readonly sent: number;
  readonly acked: number;
  readonly purged: number;
  readonly oldestPendingCreatedAt: string | null;
  readonly lastAckAt: string | null;
  readonly lastError: { readonly at: string; readonly message: string } | null;
  readonly nextAttemptAt: string | null;
}

export interface AuditPoint {
  readonly seq: number;
  readonly hash: string;
}

export interface OutboxStore {
  /**
   * Unacked packets still held whose next attempt is due at `now`, oldest due first. A next
   * attempt later than `horizon` (the longest backoff from now) was set by a clock that has
   * since gone back: it counts as due, so a clock correction cannot strand a packet.
   */
  due(now: Date, limit: number, horizon?: Date): Promise<OutboxItem[]>;
  /** The earliest next attempt of any unacked packet still held. */
  nextAttemptAt(): Promise<string | null>;
  /** Count an attempt before it starts, so a crash loop shows in `attempts`. Returns the new count. */
  beginAttempt(id: string, at: Date): Promise<number>;
  attemptFailed(id: string, f: { readonly at: Date; readonly error: string; readonly uploaded: boolean; readonly nextAttemptAt: Date }): Promise<void>;
  /**
   * Store a verified ack, set the packet 'acked' and append 'packet-acked' to the audit chain, in
   * one transaction. 'already' when it was acked before. Throws StoreError('constraint') when
   * the ack names other bytes than the kiosk holds for that id.
   */
  recordAck(id: string, ack: AckToStore, at: Date): Promise<'stored' | 'already'>;
  /** Set NULL the sealed bytes of packets acked at or before `ackedBefore`; their ids. */
  purgeAcked(ackedBefore: Date, at: Date): Promise<string[]>;
  list(): Promise<PacketListing[]>;
  summary(): Promise<OutboxSummary>;
  /** The tip of the audit chain (seq 0 and the genesis hash when empty). */
  auditHead(): Promise<AuditPoint>;
  auditHashAt(seq: number): Promise<string | null>;
  /** The highest audit seq a receiver said it holds for this kiosk (from stored acks). */
  receiverHeadSeq(): Promise<number | null>;
  /**
   * This kiosk's own row at the receiver's last head (`receiverHeadSeq`), which a request or an
   * export carries beside the head so that the receiver sees rows cut off and the chain grown
   * again (central/audit-heads.ts); null before any ack told a head. A seq this kiosk has no row
   * at (its chain was cut below it) gets a hash no row has.
   */
  auditAnchor(): Promise<AuditPoint | null>;
}

export interface OutboxDeps {
  readonly db: Db;
  /** One queued task on the store's connection. */
  readonly task: <T>(fn: () => Promise<T>) => Promise<T>;
  /** One queued transaction. */
  readonly transaction: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Inside a transaction only. */
  readonly insertAudit: (kind: string, detail: JsonValue, enrollmentId: string | null) => Promise<unknown>;
}

/** Small: a purge transaction must never keep a citizen's commit waiting long. */
const PURGE_BATCH = 25;
const FAR_FUTURE = new Date('9999-12-31T23:59:59.999Z');
/** An audit hash no row ever has: "this kiosk has no entry at that seq" (its chain was cut below it). */
const NO_ROW = '0'.repeat(64);

export function createOutboxStore({ db, task, transaction, insertAudit }: OutboxDeps): OutboxStore {
  return {
    due: (now, limit, horizon) =>
      task(async () =>
        z
          .array(dueRow)
          .parse(
            await db.all(
              `SELECT o.enrollment_id AS id, o.state, o.attempts, e.packet_sha256, e.size, e.created_at
                 FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id
                WHERE o.state <> 'acked' AND (o.next_attempt_at <= ? OR o.next_attempt_at > ?) AND e.packet IS NOT NULL
                ORDER BY o.next_attempt_at, e.created_at, e.rowid LIMIT ?`,
              [now.toISOString(), (horizon ?? FAR_FUTURE).toISOString(), Math.max(1, Math.trunc(limit))],
            ),
          )
          .map((r) => ({ id: r.id, state: r.state, attempts: r.attempts, packetSha256: r.packet_sha256, size: r.size, createdAt: r.created_at })),
      ),

    nextAttemptAt: () =>
      task(async () =>
        whenRow.parse(
          await db.get(`SELECT MIN(o.next_attempt_at) AS at FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id WHERE o.state <> 'acked' AND e.packet IS NOT NULL`),
        ).at,
      ),

    beginAttempt: (id, at) =>
      transaction(async () => {
        await db.run("UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE enrollment_id = ? AND state <> 'acked'", [at.toISOString(), id]);
        return (attemptsRow.optional().parse(await db.get('SELECT attempts FROM outbox WHERE enrollment_id = ?', [id]))?.attempts) ?? 0;
      }),

    attemptFailed: (id, f) =>
      task(async () => {
        await db.run(
          `UPDATE outbox SET last_error = ?, next_attempt_at = ?,
                  state = CASE WHEN ? = 1 THEN 'sent' ELSE state END,
                  sent_at = CASE WHEN ? = 1 AND sent_at IS NULL THEN ? ELSE sent_at END
            WHERE enrollment_id = ? AND state <> 'acked'`,
          [f.error.slice(0, 500), f.nextAttemptAt.toISOString(), f.uploaded ? 1 : 0, f.uploaded ? 1 : 0, f.at.toISOString(), id],
        );
      }),

    recordAck: (id, ack, at) =>
      transaction(async () => {
        const row = heldRow.optional().parse(
          await db.get('SELECT e.packet_sha256, o.state FROM enrollments e JOIN outbox o ON o.enrollment_id = e.id WHERE e.id = ?', [id]),
        );
        if (!row) throw new StoreError('constraint', `no packet ${id} on this kiosk`);
        if (row.packet_sha256 !== ack.packetSha256) throw new StoreError('constraint', `the ack for ${id} names other bytes than this kiosk committed`);
        if (row.state === 'acked') return 'already';
        const stamp = at.toISOString();
        await db.run(
          `INSERT INTO acks (enrollment_id, packet_sha256, received_at, receiver_key_id, ack, signature, via, receiver_head_seq, stored_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [id, ack.packetSha256, ack.receivedAt, ack.receiverKeyId, ack.ackJson, ack.signature, ack.via, ack.receiverHeadSeq, stamp],
        );
        await db.run(
          "UPDATE outbox SET state = 'acked', last_error = NULL, sent_at = COALESCE(sent_at, ?) WHERE enrollment_id = ?",
          [ack.via === 'network' ? stamp : null, id],
        );
        await insertAudit(AUDIT_KINDS.packetAcked, { packetSha256: ack.packetSha256, receiverKeyId: ack.receiverKeyId, receivedAt: ack.receivedAt, via: ack.via }, id);
        return 'stored';
      }),

    purgeAcked: async (ackedBefore, at) => {
      const purged: string[] = [];
      for (;;) {
        const batch = await transaction(async () => {
          const rows = z.array(purgeRow).parse(
            await db.all(
              `SELECT e.id, e.packet_sha256 FROM enrollments e
                 JOIN outbox o ON o.enrollment_id = e.id
                 JOIN acks a ON a.enrollment_id = e.id
                WHERE e.packet IS NOT NULL AND o.state = 'acked' AND a.packet_sha256 = e.packet_sha256 AND a.stored_at <= ?
                ORDER BY a.stored_at LIMIT ?`,
              [ackedBefore.toISOString(), PURGE_BATCH],
            ),
          );
          for (const r of rows) {
            await db.run('UPDATE enrollments SET packet = NULL, purged_at = ? WHERE id = ?', [at.toISOString(), r.id]);
            await insertAudit(AUDIT_KINDS.packetPurged, { packetSha256: r.packet_sha256 }, r.id);
          }
          return rows.map((r) => r.id);
        });
        purged.push(...batch);
        if (batch.length < PURGE_BATCH) return purged;
      }
    },

    list: () =>
      task(async () =>
        z
          .array(listRow)
          .parse(
            await db.all(
              // size and purged_at sit after the blob in the row: read them only where it is NULL.
              `SELECT e.id, e.created_at, typeof(e.packet) <> 'null' AS held,
                      CASE WHEN typeof(e.packet) = 'null' THEN e.size ELSE length(e.packet) END AS size,
                      CASE WHEN typeof(e.packet) = 'null' THEN e.purged_at END AS purged_at,
                      o.state, o.attempts, o.last_attempt_at, o.last_error, o.sent_at,
                      a.stored_at AS acked_at, a.received_at, a.via
                 FROM enrollments e JOIN outbox o ON o.enrollment_id = e.id LEFT JOIN acks a ON a.enrollment_id = e.id
                ORDER BY e.created_at, e.rowid`,
            ),
          )
          .map((r) => ({
            id: r.id,
            createdAt: r.created_at,
            size: r.size,
            state: r.state,
            attempts: r.attempts,
            lastAttemptAt: r.last_attempt_at,
            lastError: r.last_error,
            sentAt: r.sent_at,
            ackedAt: r.acked_at,
            receivedAt: r.received_at,
            ackedVia: r.via,
            held: r.held === 1,
            purgedAt: r.purged_at,
          })),
      ),

    summary: () =>
      task(async () => {
        const counts = countsRow.parse(
          await db.get(
            `SELECT COALESCE(SUM(o.state = 'pending'), 0) AS pending, COALESCE(SUM(o.state = 'sent'), 0) AS sent,
                    COALESCE(SUM(o.state = 'acked'), 0) AS acked, COALESCE(SUM(typeof(e.packet) = 'null'), 0) AS purged,
                    MIN(CASE WHEN o.state <> 'acked' THEN e.created_at END) AS oldest,
                    MIN(CASE WHEN o.state <> 'acked' AND typeof(e.packet) <> 'null' THEN o.next_attempt_at END) AS next_at
               FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id`,
          ),
        );
        const lastAck = whenRow.parse(await db.get('SELECT MAX(stored_at) AS at FROM acks')).at;
        const err = errorRow
          .optional()
          .parse(await db.get("SELECT last_attempt_at, last_error FROM outbox WHERE last_error IS NOT NULL AND state <> 'acked' ORDER BY last_attempt_at DESC LIMIT 1"));
        return {
          pending: counts.pending,
          sent: counts.sent,
          acked: counts.acked,
          purged: counts.purged,
          oldestPendingCreatedAt: counts.oldest,
          lastAckAt: lastAck,
          lastError: err ? { at: err.last_attempt_at ?? '', message: err.last_error } : null,
          nextAttemptAt: counts.next_at,
        };
      }),

    auditHead: () =>
      task(async () => tipRow.optional().parse(await db.get('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1')) ?? { seq: 0, hash: GENESIS_HASH }),

    auditHashAt: (seq) => task(async () => hashRow.optional().parse(await db.get('SELECT hash FROM audit WHERE seq = ?', [seq]))?.hash ?? null),

    receiverHeadSeq: () => task(async () => seqRow.parse(await db.get('SELECT MAX(receiver_head_seq) AS seq FROM acks')).seq),

    auditAnchor: () =>
      task(async () => {
        const seq = seqRow.parse(await db.get('SELECT MAX(receiver_head_seq) AS seq FROM acks')).seq;
        if (seq === null) return null;
        return { seq, hash: hashRow.optional().parse(await db.get('SELECT hash FROM audit WHERE seq = ?', [seq]))?.hash ?? NO_ROW };
      }),
  };
}

const stateEnum = z.enum(['pending', 'sent', 'acked']);
const dueRow = z.object({
  id: z.string(),
  state: z.enum(['pending', 'sent']),
  attempts: z.number().int(),
  packet_sha256: z.string(),
  size: z.number().int(),
  created_at: z.string(),
});
const whenRow = z.object({ at: z.string().nullable() });
const attemptsRow = z.object({ attempts: z.number().int() });
const heldRow = z.object({ packet_sha256: z.string(), state: stateEnum });
const purgeRow = z.object({ id: z.string(), packet_sha256: z.string() });
const listRow = z.object({
  id: z.string(),
  created_at: z.string(),
  size: z.number().int(),
  purged_at: z.string().nullable(),
  held: z.number().int(),
  state: stateEnum,
  attempts: z.number().int(),
  last_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  sent_at: z.string().nullable(),
  acked_at: z.string().nullable(),
  received_at: z.string().nullable(),
  via: z.enum(['network', 'media']).nullable(),
});
const countsRow = z.object({
  pending: z.number().int(),
  sent: z.number().int(),
  acked: z.number().int(),
  purged: z.number().int(),
  oldest: z.string().nullable(),
  next_at: z.string().nullable(),
});
const errorRow = z.object({ last_attempt_at: z.string().nullable(), last_error: z.string() });
const tipRow = z.object({ seq: z.number().int(), hash: z.string() });
const hashRow = z.object({ hash: z.string() });
const seqRow = z.object({ seq: z.number().int().nullable() });
