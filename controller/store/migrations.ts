import { z } from 'zod';
import type { Db } from './db';

/**
 * Schema changes, numbered from 1, applied in order; `PRAGMA user_version` records the last one
 * applied. Never edit a migration that has shipped: kiosks in the field already ran it. Add one.
 */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      -- Only sealed packets are ever stored here: the kiosk cannot read them back.
      CREATE TABLE enrollments (
        id            TEXT PRIMARY KEY,
        tracking_code TEXT NOT NULL UNIQUE,
        created_at    TEXT NOT NULL,
        packet        BLOB,            -- sealed bytes; sync/ may set NULL after the central ack
        packet_sha256 TEXT NOT NULL,
        size          INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE outbox (
        enrollment_id   TEXT PRIMARY KEY REFERENCES enrollments(id),
        state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'acked')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT
      ) STRICT;
      CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

      -- Append-only hash chain. enrollment_id has no foreign key on purpose: the audit trail
      -- must outlive packets purged after the central server acknowledged them.
      CREATE TABLE audit (
        seq           INTEGER PRIMARY KEY,
        at            TEXT NOT NULL,
        kind          TEXT NOT NULL,
        enrollment_id TEXT,
        detail        TEXT NOT NULL,   -- canonical JSON
        prev_hash     TEXT NOT NULL,
        hash          TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    sql: `
      -- Outbox sync (controller/sync/, store/outbox.ts): what was tried, and what the centre
      -- acknowledged. Times are the kiosk's clock unless named otherwise.
      ALTER TABLE outbox ADD COLUMN last_attempt_at TEXT;
      -- The first time the whole sealed packet was handed to the network (state 'sent').
      ALTER TABLE outbox ADD COLUMN sent_at TEXT;
      -- When the sealed bytes were set NULL, after the ack and the retention period.
      ALTER TABLE enrollments ADD COLUMN purged_at TEXT;

      -- One verified acknowledgement per packet, kept after the packet is purged: the proof
      -- that the centre holds it. Written in the transaction that sets the outbox row 'acked'.
      -- The same row whichever way the ack came: over the network (sync/) or on hand-carried
      -- media (packets import-acks); only 'via' tells them apart.
      CREATE TABLE acks (
        enrollment_id     TEXT PRIMARY KEY REFERENCES enrollments(id),
        packet_sha256     TEXT NOT NULL,
        received_at       TEXT NOT NULL,   -- the receiver's clock, as signed
        receiver_key_id   TEXT NOT NULL,
        ack               TEXT NOT NULL,   -- canonical JSON, exactly the bytes the receiver signed
        signature         TEXT NOT NULL,   -- base64 Ed25519 by the receiver's ack key
        via               TEXT NOT NULL CHECK (via IN ('network', 'media')),
        receiver_head_seq INTEGER,         -- the audit seq the receiver held after this packet
        stored_at         TEXT NOT NULL    -- verified and stored; the retention period counts from here
      ) STRICT;
    `,
  },
  {
    version: 3,
    sql: `
      -- Staff alerts, so that they outlive a restart. Only when, which device and what:
      -- never whose (issue #11).
      CREATE TABLE alerts (
        id     INTEGER PRIMARY KEY,
        at     TEXT NOT NULL,
        device TEXT NOT NULL,
        status TEXT NOT NULL
      ) STRICT;

      -- Small facts the kiosk keeps between starts (the effective config of the last start).
      CREATE TABLE kiosk_state (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    sql: `
      -- Invitations (giấy mời, docs/invitation-format.md) an application was committed with: one
      -- invitation, one application. Written in the enrollment's own transaction; only the
      -- invitation's id (never whose), so it can be refused as used when scanned again.
      CREATE TABLE used_invitations (
        invitation_id TEXT PRIMARY KEY,
        enrollment_id TEXT NOT NULL REFERENCES enrollments(id),
        used_at       TEXT NOT NULL
      ) STRICT;
    `,
  },
];

export type MigrationResult =
  | { readonly ok: true; readonly from: number; readonly to: number }
  /** The file was written by a newer controller; running old code on it could corrupt it. */
  | { readonly ok: false; readonly error: 'newer-schema'; readonly found: number; readonly known: number };

const userVersionRow = z.object({ user_version: z.number().int() });

export async function schemaVersion(db: Db): Promise<number> {
  return userVersionRow.parse(await db.get('PRAGMA user_version')).user_version;
}

/**
 * Bring the schema up to date, one migration per transaction so a crash mid-way leaves the
 * file at a well-defined version. Must run before the store takes requests.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const from = await schemaVersion(db);
  const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > known) return { ok: false, error: 'newer-schema', found: from, known };
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    await db.exec('BEGIN IMMEDIATE');
    try {
      await db.exec(migration.sql);
      // Integer literal, not a parameter: PRAGMA takes no bound values.
      await db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`);
      await db.exec('COMMIT');
    } catch (err) {
      await db.exec('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return { ok: true, from, to: Math.max(from, known) };
}
