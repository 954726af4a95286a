import { access } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { openDb } from '../../controller/store/db';

/**
 * What a dead (or running) kiosk's database says about its enrollments, read straight from the
 * tables (controller/store/migrations.ts) rather than through the store, so the soak checks the
 * rows themselves: committed, outbox state, ack row, sealed bytes purged or held.
 */

export interface LedgerEntry {
  readonly trackingCode: string;
  readonly state: 'pending' | 'sent' | 'acked' | 'none';
  readonly hasAck: boolean;
  readonly purged: boolean;
}

export interface KioskLedger {
  readonly integrity: string;
  readonly enrollments: ReadonlyMap<string, LedgerEntry>;
  readonly byTrackingCode: ReadonlySet<string>;
  readonly acked: number;
  /** Sealed packets still held (not purged). */
  readonly held: number;
}

const row = z.object({ id: z.string(), tracking_code: z.string(), state: z.enum(['pending', 'sent', 'acked']).nullable(), has_ack: z.number(), purged: z.number() });

export async function readKioskLedger(dataDir: string): Promise<KioskLedger> {
  const file = path.join(dataDir, 'kiosk.db');
  // Killed before the database was first created: nothing committed yet.
  if (!(await access(file).then(() => true, () => false))) return { integrity: 'ok', enrollments: new Map(), byTrackingCode: new Set(), acked: 0, held: 0 };
  const db = await openDb(file);
  try {
    const integrity = z.object({ integrity_check: z.string() }).parse(await db.get('PRAGMA integrity_check')).integrity_check;
    const tables = z.array(z.object({ name: z.string() })).parse(await db.all("SELECT name FROM sqlite_master WHERE type = 'table'"));
    // Killed during the first migration: the schema is not there yet, so nothing is committed.
    if (!tables.some((t) => t.name === 'acks')) return { integrity, enrollments: new Map(), byTrackingCode: new Set(), acked: 0, held: 0 };
    const rows = z.array(row).parse(
      await db.all(`SELECT e.id, e.tracking_code, o.state, (a.enrollment_id IS NOT NULL) AS has_ack, (e.packet IS NULL) AS purged
         FROM enrollments e LEFT JOIN outbox o ON o.enrollment_id = e.id LEFT JOIN acks a ON a.enrollment_id = e.id`),
    );
    const enrollments = new Map<string, LedgerEntry>(rows.map((r) => [r.id, { trackingCode: r.tracking_code, state: r.state ?? 'none', hasAck: r.has_ack === 1, purged: r.purged === 1 }]));
    return {
      integrity,
      enrollments,
      byTrackingCode: new Set(rows.map((r) => r.tracking_code)),
      acked: rows.filter((r) => r.state === 'acked').length,
      held: rows.filter((r) => r.purged === 0).length,
    };
  } finally {
    await db.close();
  }
}
