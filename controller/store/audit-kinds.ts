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
  /** A citizen (on the screen) or the panel's button asked for staff: where and on which screen (ops/help-desk.ts). */
  help: 'help-requested',
  /** A device that was working went to fault or disconnected (kiosk.ts). */
  deviceFault: 'device-fault',
  /** The data directory stopped (or started again) taking writes, or ran short of space (kiosk.ts). */
  storage: 'storage',
  /** The enclosure's tamper switch (kiosk.ts). */
  tamper: 'tamper',
  /** At each start: the hash of the effective config and what changed since the last start. */
  config: 'config',
  /**
   * The receiver's verified ack for one packet stored and its outbox row set 'acked', in one
   * transaction (store/outbox.ts `recordAck`): the same entry whether the ack came over the
   * network (sync/, `via: 'network'`) or on hand-carried media (`packets import-acks`, `via: 'media'`).
   */
  packetAcked: 'packet-acked',
  /** One acknowledged packet's sealed bytes removed after the retention period (outbox.ts `purgeAcked`). */
  packetPurged: 'packet-purged',
  /** Packets written to hand-carried media (`packets export`). */
  export: 'export',
  /** A stick's acks read by `packets import-acks`: how many files, which were refused (each stored ack is its own `packet-acked`). */
  ackImport: 'ack-import',
  /**
   * Something a technician did on the kiosk (the technician tools, controller/tech/): the kiosk
   * taken out of service and back (`action: 'service'`), a self-test and its outcome
   * (`action: 'self-test'`); where from (the kiosk's screen, this machine, the network).
   */
  technician: 'technician',
  /**
   * An attempt to unlock the service screen (controller/tech/access.ts): its outcome (`unlocked`,
   * `wrong-pin`, `locked-out`, `rate-limited`, `no-pin-set`, `bad-token`), how (PIN or local
   * token), where from, the wrong PINs in a row and the lockout. Never the PIN. Attempts refused
   * without being checked (locked out, too fast) are written at most once a minute each, with
   * how many there were since the last row (`refused`), so a flood cannot fill the disk.
   */
  techUnlock: 'tech-unlock',
  /**
   * A command from the hall officer's console (controller/ops/console-link.ts, issue #14): which
   * (`answer-help`, `decide-exception` with `approve`, `show-photo`, `end-session`, `service`
   * with `on`), the officer's name as the console's login gives it, and the outcome (`ok`, or the
   * refusal's `code`); for an exception the finger and the reason, never the photo.
   */
  opsCommand: 'ops-command',
  /**
   * The ops channel's door (controller/server/ops-channel.ts): a console connected or left, and
   * refused connections (`bad-token`, `no-token-set`, `too-many`), where from. Refusals are
   * written at most once a minute each, with how many there were since the last row (`refused`).
   */
  opsAccess: 'ops-access',
  /**
   * An invitation (giấy mời) scanned on the start screen (controller/services/invitation.ts):
   * `accepted` or `refused` with the reason, and the invitation's id when it had a readable one.
   * Never the ID number it names.
   */
  invitation: 'invitation',
} as const;

export type AuditKind = (typeof AUDIT_KINDS)[keyof typeof AUDIT_KINDS];
