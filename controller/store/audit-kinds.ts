/**
 * What the audit chain records (docs/audit-chain.md): the kinds of entry and who writes each.
 * `Store.appendAudit` takes any string so that older rows and newer kinds still verify; these are
 * the names the kiosk itself uses. No entry carries a citizen's name, ID number or image: only
 * record ids, tracking codes (enrollment entries, as before), devices, counts and hashes.
 */
export const AUDIT_KINDS = {
  /** A sealed packet committed with its outbox row (store.ts, in the same transaction). */
  enrollment: 'enrollment-committed',
  /** A session ended before its receipt: the step it was on, and how (kiosk.ts). */
  abandon: 'abandon',
  /** A citizen asked for help (the help work: `appendAudit('help', …)`). */
  help: 'help',
  /** A device that was working went to fault or disconnected (kiosk.ts). */
  deviceFault: 'device-fault',
  /** The data directory stopped (or started again) taking writes, or ran short of space (kiosk.ts). */
  storage: 'storage',
  /** The enclosure's tamper switch (kiosk.ts). */
  tamper: 'tamper',
  /** At each start: the hash of the effective config and what changed since the last start. */
  config: 'config',
  /** Packets sent to the receiver online (sync/). */
  sync: 'sync',
  /** Packets written to hand-carried media (`packets export`). */
  export: 'export',
  /** The receiver's acks imported (`packets import-acks`; online acks come through sync/). */
  ackImport: 'ack-import',
  /** Acknowledged packets' sealed bytes removed after the retention period. */
  purge: 'purge',
  /** Something a technician did on the kiosk (the technician tools). */
  technician: 'technician',
} as const;

export type AuditKind = (typeof AUDIT_KINDS)[keyof typeof AUDIT_KINDS];
