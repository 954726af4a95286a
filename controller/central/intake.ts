import { createHash, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { parsePacket } from '../packet/parse';
import { keyIdOf } from '../packet/keys';
import { openSealedPacket } from '../packet/seal';
import { serialQueue, type SerialQueue } from '../store/queue';
import { parseAuditPoint, signAck, signedRequest, verifyRequestSignature, type Ack, type AuditPoint } from '../sync/protocol';
import { advanceAuditHeads, checkAuditHead } from './audit-heads';
import type { KioskRegistry } from './registry';
import type { CentralStore, StoredPacket } from './store';

/**
 * Intake: one sealed packet in, one answer out, with no HTTP in sight (server.ts carries it).
 * Order matters: the cheap checks and the ones that need no secret come first, the request's
 * signature before anything is stored or any head moves, the packet opened and verified before
 * it is stored, and it is stored before it is acknowledged.
 *
 * Two ways in, one set of checks: `handle` takes an HTTPS request (its signature binds the packet's
 * hash and the audit head to the kiosk's key); `accept` takes a packet whose kiosk and hash have
 * been vouched for otherwise — a hand-carried export's manifest signed by the kiosk
 * (central/import.ts) — and does everything after: the audit head, opening, the packet's
 * signature and hashes, storing once, the ack. So a packet off a USB stick is checked, stored
 * and acknowledged exactly as one sent over the network, with the same refusal reasons.
 */

export type RefusalCode =
  /** Not a request or packet this receiver understands. */
  | 'malformed'
  /** Cut short. */
  | 'truncated'
  /** Bytes changed: the ciphertext, a blob, or the body against its declared hash. */
  | 'tampered'
  /** Sealed to another centre key. */
  | 'wrong-recipient'
  /** An unknown kiosk, or a signature by a key not registered for it. */
  | 'foreign'
  /** The record id is stored already with other bytes (or from another kiosk). */
  | 'replayed'
  /** The kiosk's audit chain went back (audit-heads.ts). */
  | 'audit-rollback';

const STATUS: Record<RefusalCode, number> = {
  malformed: 400,
  truncated: 400,
  tampered: 422,
  'wrong-recipient': 422,
  foreign: 403,
  replayed: 409,
  'audit-rollback': 409,
};

export type IntakeReply =
  | { readonly status: 200 | 201; readonly body: { readonly ack: Ack; readonly signature: string; readonly auditHead: AuditPoint | null } }
  | { readonly status: number; readonly body: { readonly error: RefusalCode; readonly reason: string } };

export interface IntakeRequest {
  readonly kioskId: string;
  readonly recordId: string;
  readonly declaredSha256: string | undefined;
  readonly auditHead: string | undefined;
  readonly auditAnchor: string | undefined;
  readonly signature: string | undefined;
  readonly body: Uint8Array;
}

export interface IntakeDeps {
  readonly store: CentralStore;
  readonly registry: KioskRegistry;
  /** The centre's X25519 key that opens packets. */
  readonly centralPrivateKey: KeyObject;
  /** The receiver's Ed25519 ack key. */
  readonly ackKey: { readonly privateKey: KeyObject; readonly keyId: string };
  readonly log: Logger;
  readonly now?: () => Date;
}

/** A packet whose sender is established: its kiosk's registered key vouched for its hash, head and anchor. */
export interface VouchedPacket {
  readonly kioskId: string;
  readonly recordId: string;
  /** The sealed bytes, as the kiosk committed them. */
  readonly body: Uint8Array;
  /** SHA-256 of `body` as the caller computed it from the bytes (never taken from the sender), equal to what the kiosk signed for. */
  readonly sha256: string;
  readonly head: AuditPoint;
  readonly anchor: AuditPoint | null;
  /** The kiosk's registered Ed25519 key (the registry's, for `kioskId`). */
  readonly kioskKey: KeyObject;
}

export interface Intake {
  handle(req: IntakeRequest): Promise<IntakeReply>;
  accept(packet: VouchedPacket): Promise<IntakeReply>;
}

export function createIntake(deps: IntakeDeps): Intake {
  const now = deps.now ?? (() => new Date());
  // One request per kiosk at a time: a kiosk's head must not move between check and advance.
  const queues = new Map<string, { queue: SerialQueue; users: number }>();
  const perKiosk = async <T>(kioskId: string, fn: () => Promise<T>): Promise<T> => {
    const entry = queues.get(kioskId) ?? { queue: serialQueue(), users: 0 };
    queues.set(kioskId, entry);
    entry.users += 1;
    try {
      return await entry.queue(fn);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) queues.delete(kioskId);
    }
  };

  const refuse = (error: RefusalCode, reason: string, req: { readonly kioskId: string; readonly recordId: string }): IntakeReply => {
    deps.log.warn({ kioskId: req.kioskId, recordId: req.recordId, error, reason }, 'packet refused');
    return { status: STATUS[error], body: { error, reason } };
  };

  const handle = async (req: IntakeRequest): Promise<IntakeReply> => {
    const sha256 = createHash('sha256').update(req.body).digest('hex');
    if (req.declaredSha256 === undefined || !/^[0-9a-f]{64}$/.test(req.declaredSha256)) return refuse('malformed', 'the x-cccd-packet-sha256 header is missing or not a hex SHA-256', req);
    const head = parseAuditPoint(req.auditHead);
    if (head === null) return refuse('malformed', 'the x-cccd-audit-head header is missing or not <seq>:<hash>', req);
    const anchor = req.auditAnchor === 'none' ? null : parseAuditPoint(req.auditAnchor);
    if (anchor === null && req.auditAnchor !== 'none') return refuse('malformed', 'the x-cccd-audit-anchor header is missing or not <seq>:<hash> or none', req);
    if (req.signature === undefined) return refuse('malformed', 'the x-cccd-request-signature header is missing', req);
    if (sha256 !== req.declaredSha256) return refuse('tampered', "the body does not hash to the SHA-256 the kiosk declared: the copy sent is not the one committed", req);

    const kioskKey = await deps.registry.publicKey(req.kioskId);
    if (kioskKey === null) return refuse('foreign', `kiosk ${req.kioskId} is not registered at this receiver`, req);
    const signed = signedRequest({ kioskId: req.kioskId, recordId: req.recordId, packetSha256: sha256, head, anchor });
    if (!verifyRequestSignature(signed, req.signature, kioskKey)) return refuse('foreign', `the request is not signed by the key registered for kiosk ${req.kioskId}`, req);

    return accept({ kioskId: req.kioskId, recordId: req.recordId, body: req.body, sha256, head, anchor, kioskKey });
  };

  const accept = (req: VouchedPacket): Promise<IntakeReply> =>
    perKiosk(req.kioskId, async () => {
      const { sha256, head, anchor, kioskKey } = req;
      const seen = await deps.store.auditHeads(req.kioskId);
      const existing = await deps.store.meta(req.recordId);
      if (existing !== null) {
        // A retry (the reply was lost): the same answer, nothing stored twice. Heads only move on.
        if (existing.packetSha256 !== sha256 || existing.kioskId !== req.kioskId) {
          return refuse('replayed', `record ${req.recordId} is already stored with other bytes; a record id is stored once`, req);
        }
        const heads = checkAuditHead(seen, head, anchor).ok ? advanceAuditHeads(seen, head, now().toISOString()) : seen;
        if (heads !== seen && heads !== null) await deps.store.saveAuditHeads(req.kioskId, heads);
        return ackReply(200, existing, heads?.highest ?? null);
      }

      const headCheck = checkAuditHead(seen, head, anchor);
      if (!headCheck.ok) {
        await deps.store.flag({ at: now().toISOString(), kioskId: req.kioskId, kind: 'audit-rollback', detail: headCheck.reason });
        return refuse('audit-rollback', headCheck.reason, req);
      }

      const opened = openSealedPacket(req.body, deps.centralPrivateKey);
      if (!opened.ok) {
        switch (opened.error) {
          case 'truncated':
            return refuse('truncated', 'the sealed packet is cut short', req);
          case 'decrypt-failed':
            return refuse('tampered', 'the sealed packet does not decrypt: its bytes were changed or cut short', req);
          case 'wrong-recipient':
            return refuse('wrong-recipient', "the packet is sealed to another centre key than this receiver's", req);
          default:
            return refuse('malformed', `not a sealed packet this receiver opens (${opened.error})`, req);
        }
      }
      // The plaintext holds biometrics: checked, then overwritten; the sealed bytes are what is kept.
      const verdict = examine(opened.inner, kioskKey, req);
      opened.inner.fill(0);
      if (verdict !== null) return refuse(verdict.error, verdict.reason, req);

      const receivedAt = now().toISOString();
      const ack: Ack = {
        format: 'cccd-central-ack',
        version: 1,
        recordId: req.recordId,
        kioskId: req.kioskId,
        packetSha256: sha256,
        size: req.body.length,
        receivedAt,
        receiverKeyId: deps.ackKey.keyId,
      };
      const meta: StoredPacket = {
        recordId: req.recordId,
        kioskId: req.kioskId,
        packetSha256: sha256,
        size: req.body.length,
        receivedAt,
        kioskKeyId: keyIdOf(kioskKey),
        ack,
        ackSignature: signAck(ack, deps.ackKey.privateKey),
      };
      const put = await deps.store.put(meta, req.body);
      if (!put.created) {
        if (put.existing.packetSha256 !== sha256 || put.existing.kioskId !== req.kioskId) {
          return refuse('replayed', `record ${req.recordId} is already stored with other bytes; a record id is stored once`, req);
        }
        return ackReply(200, put.existing, seen?.highest ?? null);
      }
      const heads = advanceAuditHeads(seen, head, receivedAt);
      await deps.store.saveAuditHeads(req.kioskId, heads);
      deps.log.info({ kioskId: req.kioskId, recordId: req.recordId, size: req.body.length }, 'packet stored');
      return ackReply(201, meta, heads.highest);
    });

  return { handle, accept };
}

/** Why the packet inside the seal is refused, or null when it is the kiosk's and whole. */
function examine(inner: Uint8Array, kioskKey: KeyObject, req: { readonly kioskId: string; readonly recordId: string }): { readonly error: RefusalCode; readonly reason: string } | null {
  const parsed = parsePacket(inner, kioskKey);
  if (!parsed.ok) {
    switch (parsed.error) {
      case 'bad-signature':
        return { error: 'foreign', reason: `the packet is not signed by the key registered for kiosk ${req.kioskId}` };
      case 'bad-hash':
        return { error: 'tampered', reason: `image ${parsed.blob} does not match its hash in the manifest` };
      case 'truncated':
        return { error: 'truncated', reason: `the packet inside the seal is cut short (${parsed.detail})` };
      case 'bad-manifest':
        return { error: 'malformed', reason: `the manifest is not one this receiver understands (${parsed.detail})` };
      case 'bad-magic':
        return { error: 'malformed', reason: 'the sealed content is not an enrollment packet' };
    }
  }
  if (parsed.manifest.recordId !== req.recordId) return { error: 'malformed', reason: `the packet is record ${parsed.manifest.recordId}, sent as ${req.recordId}` };
  if (parsed.manifest.kioskId !== req.kioskId) return { error: 'malformed', reason: `the packet names kiosk ${parsed.manifest.kioskId}, sent by ${req.kioskId}` };
  return null;
}

function ackReply(status: 200 | 201, stored: StoredPacket, head: AuditPoint | null): IntakeReply {
  return { status, body: { ack: stored.ack, signature: stored.ackSignature, auditHead: head === null ? null : { seq: head.seq, hash: head.hash } } };
}
