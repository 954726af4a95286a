import { createHash, verify, type KeyObject } from 'node:crypto';
import {
  MANIFEST_OFFSET,
  PACKET_MAGIC,
  SIGNATURE_LENGTH,
  manifestSchema,
  type BlobType,
  type PacketManifest,
} from './format';
import { keyIdOf } from './keys';
import type { EnrollmentRecord, ExceptionProof, FingerRecord } from '../../domain/enrollment-record';
import { FINGER_POSITIONS } from '../../domain/fingers';

/** Why a packet was refused. Everything except `bad-magic`/`truncated` is a forgery or a bug. */
export type PacketError =
  | { readonly ok: false; readonly error: 'bad-magic' }
  | { readonly ok: false; readonly error: 'truncated'; readonly detail: string }
  | { readonly ok: false; readonly error: 'bad-signature' }
  /** Signed by the kiosk, yet not a manifest we understand (version skew or a kiosk bug). */
  | { readonly ok: false; readonly error: 'bad-manifest'; readonly detail: string }
  | { readonly ok: false; readonly error: 'bad-hash'; readonly blob: string };

export type ParsePacketResult =
  | {
      readonly ok: true;
      readonly manifest: PacketManifest;
      /** Images are views into the input bytes, not copies. */
      readonly record: EnrollmentRecord;
    }
  | PacketError;

/**
 * Verify and decode a signed inner packet. Never throws on any input bytes; throws only when
 * handed a key that is not Ed25519 (a programming error, not bad data).
 *
 * The signature is checked before the manifest is parsed, so no attacker-made JSON is ever
 * interpreted.
 */
export function parsePacket(bytes: Uint8Array, kioskPublicKey: KeyObject): ParsePacketResult {
  if (kioskPublicKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(`parsePacket needs the kiosk's Ed25519 public key, got ${kioskPublicKey.asymmetricKeyType ?? kioskPublicKey.type}`);
  }
  const magicSeen = Math.min(bytes.length, PACKET_MAGIC.length);
  for (let i = 0; i < magicSeen; i++) if (bytes[i] !== PACKET_MAGIC[i]) return { ok: false, error: 'bad-magic' };
  if (bytes.length < MANIFEST_OFFSET + SIGNATURE_LENGTH) {
    return { ok: false, error: 'truncated', detail: `${bytes.length} bytes is shorter than any packet` };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const manifestLength = view.getUint32(PACKET_MAGIC.length, false);
  const bodyLength = bytes.length - SIGNATURE_LENGTH;
  const blobsStart = MANIFEST_OFFSET + manifestLength;
  if (blobsStart > bodyLength) {
    return { ok: false, error: 'truncated', detail: `manifest of ${manifestLength} bytes runs past the end` };
  }

  const body = bytes.subarray(0, bodyLength);
  const signature = bytes.subarray(bodyLength);
  if (!verify(null, body, kioskPublicKey, signature)) return { ok: false, error: 'bad-signature' };

  const manifest = decodeManifest(bytes.subarray(MANIFEST_OFFSET, blobsStart));
  if (!manifest.ok) return manifest;
  const m = manifest.value;
  if (m.keyId !== keyIdOf(kioskPublicKey)) {
    return badManifest(`manifest names key ${m.keyId}, signed by ${keyIdOf(kioskPublicKey)}`);
  }

  // Blobs must tile the blob section exactly: no gaps where unlisted bytes could hide.
  const blobs = new Map<string, { type: BlobType; bytes: Uint8Array }>();
  let expectedOffset = 0;
  for (const blob of m.blobs) {
    if (blob.offset !== expectedOffset) return badManifest(`blob ${blob.name} at ${blob.offset}, expected ${expectedOffset}`);
    if (blobs.has(blob.name)) return badManifest(`blob ${blob.name} listed twice`);
    const end = blobsStart + blob.offset + blob.length;
    if (end > bodyLength) return badManifest(`blob ${blob.name} runs past the end`);
    const blobBytes = bytes.subarray(blobsStart + blob.offset, end);
    if (createHash('sha256').update(blobBytes).digest('hex') !== blob.sha256) {
      return { ok: false, error: 'bad-hash', blob: blob.name };
    }
    blobs.set(blob.name, { type: blob.type, bytes: toPlainView(blobBytes) });
    expectedOffset += blob.length;
  }
  if (blobsStart + expectedOffset !== bodyLength) return badManifest('bytes after the last blob');

  const record = recordFromManifest(m, blobs);
  if (!record.ok) return record;
  return { ok: true, manifest: m, record: record.value };
}

type Decoded<T> = { readonly ok: true; readonly value: T } | PacketError;

function badManifest(detail: string): PacketError {
  return { ok: false, error: 'bad-manifest', detail };
}

function decodeManifest(bytes: Uint8Array): Decoded<PacketManifest> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return badManifest(`not UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return badManifest(first ? `${first.path.join('.')}: ${first.message}` : 'invalid');
  }
  return { ok: true, value: parsed.data };
}

function recordFromManifest(
  m: PacketManifest,
  blobs: ReadonlyMap<string, { type: BlobType; bytes: Uint8Array }>,
): Decoded<EnrollmentRecord> {
  const take = (name: string, type: BlobType): Uint8Array | string => {
    const blob = blobs.get(name);
    if (!blob) return `blob ${name} is referenced but not listed`;
    if (blob.type !== type) return `blob ${name} is ${blob.type}, expected ${type}`;
    return blob.bytes;
  };

  const fingers: FingerRecord[] = [];
  // The fingers one photo of a hand covers share one proof, as in the record that was sealed.
  const proofs = new Map<string, ExceptionProof>();
  for (const [i, finger] of m.fingers.entries()) {
    if (finger.position !== FINGER_POSITIONS[i]) return badManifest(`finger ${i} is ${finger.position}, expected ${FINGER_POSITIONS[i]}`);
    if (finger.status === 'exception') {
      const { proof: proofRef, ...rest } = finger;
      if (!proofRef) {
        fingers.push(rest);
        continue;
      }
      let proof = proofs.get(proofRef.blob);
      if (!proof) {
        const jpeg = take(proofRef.blob, 'image/jpeg');
        if (typeof jpeg === 'string') return badManifest(jpeg);
        proof = { jpeg, width: proofRef.width, height: proofRef.height };
        proofs.set(proofRef.blob, proof);
      }
      fingers.push({ ...rest, proof });
      continue;
    }
    const png = take(finger.blob, 'image/png');
    if (typeof png === 'string') return badManifest(png);
    fingers.push({
      position: finger.position,
      status: 'captured',
      png,
      width: finger.width,
      height: finger.height,
      score: finger.score,
      attempts: finger.attempts,
      ...(finger.belowThreshold !== undefined ? { belowThreshold: finger.belowThreshold } : {}),
      ...(finger.threshold !== undefined ? { threshold: finger.threshold } : {}),
    });
  }
  const jpeg = m.face ? take(m.face.blob, 'image/jpeg') : undefined;
  if (typeof jpeg === 'string') return badManifest(jpeg);
  const signaturePng = take(m.signature.blob, 'image/png');
  if (typeof signaturePng === 'string') return badManifest(signaturePng);

  return {
    ok: true,
    value: {
      id: m.recordId,
      kioskId: m.kioskId,
      startedAt: m.startedAt,
      completedAt: m.completedAt,
      language: m.language,
      document: m.document,
      fingers,
      ...(m.face && jpeg ? { face: { jpeg, width: m.face.width, height: m.face.height, measurements: m.face.measurements } } : {}),
      signature: { png: signaturePng, width: m.signature.width, height: m.signature.height, strokeCount: m.signature.strokeCount },
      ...(m.application ? { application: m.application } : {}),
      ...(m.guardian ? { guardian: m.guardian } : {}),
    },
  };
}

/** A plain Uint8Array view (not a Buffer subclass), so callers compare like with like. */
function toPlainView(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
