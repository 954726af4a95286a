import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../packet/canonical-json';
import { keyIdOf } from '../packet/keys';

/**
 * The wire between a kiosk and the central receiver (docs/central-receiver.md): one request per
 * sealed packet, answered by a signed acknowledgement or a refusal with a reason. Both sides
 * import this file, so they cannot disagree on a header name or on what is signed.
 *
 *   POST /v1/kiosks/<kioskId>/packets/<recordId>
 *   content-type: application/octet-stream       body: the sealed packet, as committed
 *   x-cccd-packet-sha256: <hex>                  what the kiosk committed (catches a damaged copy)
 *   x-cccd-audit-head: <seq>:<hash>              the tip of the kiosk's audit chain now
 *   x-cccd-audit-anchor: <seq>:<hash>|none       the kiosk's own row at the receiver's last head
 *   x-cccd-request-signature: <base64>           Ed25519 by the kiosk's key over signedRequest()
 *
 *   2xx  { ack, signature, auditHead }           signature: Ed25519 by the receiver over canonicalJson(ack)
 *   4xx  { error, reason }                       refused: kept on the kiosk, retried later
 *   5xx                                          the receiver could not decide: retried later
 */

export const PACKET_PATH = /^\/v1\/kiosks\/([A-Za-z0-9-]{3,32})\/packets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function packetPath(kioskId: string, recordId: string): string {
  return `/v1/kiosks/${encodeURIComponent(kioskId)}/packets/${encodeURIComponent(recordId)}`;
}

export const HEADERS = {
  sha256: 'x-cccd-packet-sha256',
  auditHead: 'x-cccd-audit-head',
  auditAnchor: 'x-cccd-audit-anchor',
  signature: 'x-cccd-request-signature',
} as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const isoTime = z.iso.datetime();

/** One point of an audit chain: the entry's seq and its hash (controller/store/audit-chain.ts). */
export interface AuditPoint {
  readonly seq: number;
  readonly hash: string;
}

export const auditPointSchema = z.strictObject({ seq: z.number().int().min(0), hash: hex64 });

export function formatAuditPoint(p: AuditPoint | null): string {
  return p === null ? 'none' : `${p.seq}:${p.hash}`;
}

/** `<seq>:<hash>`, or null for anything else (`none` included: the caller decides what that means). */
export function parseAuditPoint(text: string | undefined): AuditPoint | null {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text ?? '');
  return m?.[1] !== undefined && m[2] !== undefined ? { seq: Number(m[1]), hash: m[2] } : null;
}

/**
 * What the kiosk signs for each request: the packet it sends and its audit head, bound together
 * so a head cannot be forged or moved onto another packet by whoever holds a copy of a packet
 * (a stolen export stick), which could otherwise make an honest kiosk look cut short.
 */
export function signedRequest(r: {
  readonly kioskId: string;
  readonly recordId: string;
  readonly packetSha256: string;
  readonly head: AuditPoint;
  readonly anchor: AuditPoint | null;
}): Uint8Array {
  return new TextEncoder().encode(
    canonicalJson({ format: 'cccd-sync-request', version: 1, kioskId: r.kioskId, recordId: r.recordId, packetSha256: r.packetSha256, head: r.head, anchor: r.anchor }),
  );
}

export function signRequest(body: Uint8Array, kioskPrivateKey: KeyObject): string {
  return sign(null, body, kioskPrivateKey).toString('base64');
}

export function verifyRequestSignature(body: Uint8Array, signature: string, kioskPublicKey: KeyObject): boolean {
  try {
    return verify(null, body, kioskPublicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * The receiver's acknowledgement: it holds the packet named by `recordId` whose sealed bytes
 * hash to `packetSha256`, since `receivedAt`. A retry of the same packet gets the same ack.
 */
export const ackSchema = z.strictObject({
  format: z.literal('cccd-central-ack'),
  version: z.literal(1),
  recordId: z.uuid(),
  kioskId: z.string().regex(/^[A-Za-z0-9-]{3,32}$/),
  packetSha256: hex64,
  size: z.number().int().min(0),
  receivedAt: isoTime,
  receiverKeyId: z.string().regex(/^[0-9a-f]{16}$/),
});
export type Ack = z.infer<typeof ackSchema>;

export function signAck(ack: Ack, receiverPrivateKey: KeyObject): string {
  return sign(null, new TextEncoder().encode(canonicalJson(ack)), receiverPrivateKey).toString('base64');
}

export const ackReplySchema = z.object({
  ack: z.unknown(),
  signature: z.string(),
  /** The head the receiver now holds for this kiosk: the kiosk's next anchor. Not signed: a hint. */
  auditHead: auditPointSchema.nullable().optional(),
});

export const refusalSchema = z.object({ error: z.string().max(64), reason: z.string().max(2000) });
export type Refusal = z.infer<typeof refusalSchema>;

/** What a kiosk keeps of a verified ack: the exact text that was signed, and the signature. */
export interface VerifiedAck {
  readonly ack: Ack;
  readonly ackJson: string;
  readonly signature: string;
}

/** Why an ack is not taken, for a program (the reason says it in words). */
export type AckRefusal =
  /** Not an ack of this format (a field missing, unknown or of the wrong shape). */
  | 'malformed'
  /** It names another receiver key than the one this kiosk trusts (a wrong key configured, or a forgery). */
  | 'wrong-key'
  /** The signature does not verify: changed after signing, or forged. */
  | 'bad-signature'
  /** A genuine ack, but for another record than the one it was taken for. */
  | 'other-record'
  | 'other-kiosk'
  /** A genuine ack, but for other bytes than this kiosk holds under that record id. */
  | 'other-bytes';

export type AckCheck =
  | { readonly ok: true; readonly value: VerifiedAck }
  | { readonly ok: false; readonly code: AckRefusal; readonly reason: string };

/**
 * Check an acknowledgement against the receiver's key and against what was sent: a valid
 * signature over an ack for another packet (or another copy of it) proves nothing about ours.
 * The same check whichever way the ack came: in the receiver's reply (sync/attempt.ts) or in a
 * file on a stick (`packets import-acks`), which holds that very reply. Never throws on input.
 */
export function verifyAck(
  reply: { readonly ack: unknown; readonly signature: string },
  expected: { readonly recordId: string; readonly kioskId: string; readonly packetSha256: string },
  receiverPublicKey: KeyObject,
): AckCheck {
  const parsed = ackSchema.safeParse(reply.ack);
  if (!parsed.success) {
    return { ok: false, code: 'malformed', reason: `the acknowledgement is not one this kiosk understands (${parsed.error.issues[0]?.path.join('.') ?? ''})` };
  }
  const ack = parsed.data;
  const trusted = keyIdOf(receiverPublicKey);
  const ackJson = canonicalJson(ack);
  let good = false;
  try {
    good = verify(null, new TextEncoder().encode(ackJson), receiverPublicKey, Buffer.from(reply.signature, 'base64'));
  } catch {
    good = false;
  }
  if (!good) {
    // Said so, so that a kiosk given the wrong key file (or a stick from another centre) is told so, not "forged".
    if (ack.receiverKeyId !== trusted) {
      return {
        ok: false,
        code: 'wrong-key',
        reason: `the acknowledgement's signature does not verify with the receiver's ack key: it names receiver key ${ack.receiverKeyId}, this kiosk trusts ${trusted}`,
      };
    }
    return { ok: false, code: 'bad-signature', reason: "the acknowledgement's signature does not verify with the receiver's ack key" };
  }
  if (ack.receiverKeyId !== trusted) return { ok: false, code: 'wrong-key', reason: `the acknowledgement names receiver key ${ack.receiverKeyId}` };
  if (ack.recordId !== expected.recordId) return { ok: false, code: 'other-record', reason: 'the acknowledgement is for another packet' };
  if (ack.kioskId !== expected.kioskId) return { ok: false, code: 'other-kiosk', reason: 'the acknowledgement is for another kiosk' };
  if (ack.packetSha256 !== expected.packetSha256) return { ok: false, code: 'other-bytes', reason: 'the acknowledgement is for other bytes than this kiosk sent' };
  return { ok: true, value: { ack, ackJson, signature: reply.signature } };
}
