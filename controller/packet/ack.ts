import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { keyIdOf } from './keys';

/**
 * The central receiver's acknowledgement of one packet: "I hold this packet, these exact bytes,
 * since then". The kiosk keeps a packet until it holds a valid ack for it, then purges it after
 * the retention period. The same format whether the ack came back over the network (sync/) or on
 * the hand-carried medium (`packets import-acks`, docs/media-export.md).
 *
 *   { "packetSha256": "<hex SHA-256 of the sealed packet as the kiosk stored it>",
 *     "receivedAt":   "<ISO 8601, the receiver's clock, when it first stored the packet>",
 *     "receiverKeyId":"<first 16 hex digits of SHA-256 of the receiver's raw Ed25519 public key>",
 *     "recordId":     "<the enrollment's UUID>",
 *     "signature":    "<base64 Ed25519 signature over the canonical JSON of every other field>" }
 *
 * Canonical JSON is RFC 8785 (canonical-json.ts): the signature covers the object without its
 * `signature` field, keys sorted, no whitespace. Fields a later receiver adds are covered by the
 * signature too and kept as they are.
 */

export interface AckFields {
  readonly recordId: string;
  readonly packetSha256: string;
  readonly receivedAt: string;
}

export interface Ack extends AckFields {
  readonly receiverKeyId: string;
  readonly signature: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;

export const ackSchema = z.looseObject({
  recordId: z.string().min(1).max(128),
  packetSha256: z.string().regex(SHA256_HEX, 'hex SHA-256'),
  receivedAt: z.iso.datetime({ offset: true }),
  receiverKeyId: z.string().regex(KEY_ID, '16 hex digits'),
  signature: z.base64(),
});

/** Sign an ack with the receiver's Ed25519 key; its key id is filled in from the key. */
export function signAck(fields: AckFields, receiverPrivateKey: KeyObject): Ack {
  if (receiverPrivateKey.asymmetricKeyType !== 'ed25519' || receiverPrivateKey.type !== 'private') {
    throw new TypeError(`an ack is signed with the receiver's Ed25519 private key, got ${receiverPrivateKey.asymmetricKeyType ?? 'unknown'} ${receiverPrivateKey.type}`);
  }
  const payload = {
    recordId: fields.recordId,
    packetSha256: fields.packetSha256,
    receivedAt: fields.receivedAt,
    receiverKeyId: keyIdOf(createPublicKey(receiverPrivateKey)),
  };
  const signature = sign(null, Buffer.from(canonicalJson(payload), 'utf8'), receiverPrivateKey).toString('base64');
  return { ...payload, signature };
}

/** The ack as it travels and is stored: canonical JSON, signature included. */
export function ackJson(ack: Ack): string {
  return canonicalJson(ack);
}

export type AckRefusal =
  /** Not JSON, or not an ack's shape. */
  | 'malformed'
  /** Signed (it says) by another receiver key than the one this kiosk trusts. */
  | 'wrong-key'
  /** The signature does not verify: forged, or changed after signing. */
  | 'bad-signature';

export type VerifyAckResult = { readonly ok: true; readonly ack: Ack } | { readonly ok: false; readonly reason: AckRefusal; readonly detail: string };

/**
 * Check an ack (its JSON text, or the parsed value) against the receiver's Ed25519 public key.
 * Never throws on any input; throws only if the key is not an Ed25519 public key.
 */
export function verifyAck(input: unknown, receiverPublicKey: KeyObject): VerifyAckResult {
  if (receiverPublicKey.asymmetricKeyType !== 'ed25519' || receiverPublicKey.type !== 'public') {
    throw new TypeError(`an ack is checked with the receiver's Ed25519 public key, got ${receiverPublicKey.asymmetricKeyType ?? 'unknown'} ${receiverPublicKey.type}`);
  }
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input));
    } catch (err) {
      return { ok: false, reason: 'malformed', detail: `not UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
  const parsed = ackSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: 'malformed', detail: first ? `${first.path.join('.') || '(ack)'}: ${first.message}` : 'not an ack' };
  }
  const { signature, ...payload } = parsed.data;
  const expectedKeyId = keyIdOf(receiverPublicKey);
  if (payload.receiverKeyId !== expectedKeyId) {
    return { ok: false, reason: 'wrong-key', detail: `signed by receiver key ${payload.receiverKeyId}, this kiosk trusts ${expectedKeyId}` };
  }
  const sig = Buffer.from(signature, 'base64');
  let good = false;
  try {
    good = sig.length === 64 && verify(null, Buffer.from(canonicalJson(payload), 'utf8'), receiverPublicKey, sig);
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad-signature', detail: 'the signature does not verify with the receiver key' };
  return { ok: true, ack: parsed.data };
}
