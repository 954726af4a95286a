import { z } from 'zod';
import { ackSchema, auditPointSchema } from '../sync/protocol';

/**
 * Everything the receiver keeps, behind one interface, so a province can put packets in object
 * storage and the per-kiosk heads in its database without touching intake (docs/central-
 * receiver.md). `fs-store.ts` is the reference implementation on a local disk.
 *
 * What every implementation must guarantee:
 *  - `put` stores a record id at most once, atomically: of two puts of one id, one creates and
 *    the other gets the stored record back (S3: a conditional put, If-None-Match: *);
 *  - a record that `meta` or `get` returns is complete: its sealed bytes are durable and hash to
 *    its `packetSha256`;
 *  - the sealed bytes are stored as they arrived: still encrypted to the centre's key.
 */

export const storedPacketSchema = z.strictObject({
  recordId: z.string(),
  kioskId: z.string(),
  packetSha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
  receivedAt: z.string(),
  /** The kiosk key that signed it (hex key id). */
  kioskKeyId: z.string(),
  /** The ack answered for it, and every retry of it. */
  ack: ackSchema,
  ackSignature: z.string(),
});
export type StoredPacket = z.infer<typeof storedPacketSchema>;

/** The audit heads a receiver has seen from one kiosk: the highest, and the last few (anchors). */
export const kioskHeadsSchema = z.strictObject({
  highest: auditPointSchema.extend({ at: z.string() }),
  recent: z.array(auditPointSchema).max(256),
});
export type KioskHeads = z.infer<typeof kioskHeadsSchema>;

/** Something staff at the centre must look at (a kiosk whose audit chain went back). */
export interface CentralFlag {
  readonly at: string;
  readonly kioskId: string;
  readonly kind: 'audit-rollback';
  readonly detail: string;
}

export type PutResult = { readonly created: true } | { readonly created: false; readonly existing: StoredPacket };

export interface CentralStore {
  /** Store a packet under its record id unless that id is stored already. */
  put(meta: StoredPacket, sealed: Uint8Array): Promise<PutResult>;
  meta(recordId: string): Promise<StoredPacket | null>;
  get(recordId: string): Promise<{ readonly meta: StoredPacket; readonly sealed: Uint8Array } | null>;
  has(recordId: string): Promise<boolean>;
  list(): AsyncIterable<StoredPacket>;
  auditHeads(kioskId: string): Promise<KioskHeads | null>;
  /** Intake calls this for one kiosk at a time. */
  saveAuditHeads(kioskId: string, heads: KioskHeads): Promise<void>;
  flag(flag: CentralFlag): Promise<void>;
  flags(): Promise<CentralFlag[]>;
}
