import { createHash, sign } from 'node:crypto';
import {
  BLOB_MAGIC,
  MANIFEST_OFFSET,
  PACKET_FORMAT_VERSION,
  PACKET_MAGIC,
  SOFTWARE,
  type BlobType,
  type ManifestBlob,
  type PacketManifest,
} from './format';
import { canonicalJson } from './canonical-json';
import type { KioskKeys } from './keys';
import type { ApplicationRecord, EnrollmentRecord } from '../../domain/enrollment-record';
import { FINGER_POSITIONS } from '../../domain/fingers';

export { parsePacket, type ParsePacketResult, type PacketError } from './parse';

interface PendingBlob {
  readonly name: string;
  readonly type: BlobType;
  readonly bytes: Uint8Array;
}

/**
 * Build the signed inner packet for one enrollment (layout in format.ts). Deterministic: the
 * same record and key give the same bytes (Ed25519 signatures are deterministic), which makes
 * packets reproducible in tests and comparable in audits.
 *
 * Throws only on a programming error upstream (an image that is not what the record says).
 */
export function buildPacket(record: EnrollmentRecord, keys: KioskKeys): Uint8Array {
  // The manifest promises ten fingers in FINGER_POSITIONS order; the reader relies on it.
  const positions = record.fingers.map((f) => f.position).join(',');
  // Under 6 no biometrics are taken (the record says so): no fingers and no face, never some.
  const none = record.application?.biometrics === 'none-under-6';
  if (none && (record.fingers.length > 0 || record.face)) throw new TypeError(`enrollment ${record.id}: biometrics in a record that says none were taken`);
  if (!none && !record.face) throw new TypeError(`enrollment ${record.id}: no face photo`);
  if (!none && positions !== FINGER_POSITIONS.join(',')) {
    throw new TypeError(`enrollment ${record.id}: fingers must be ${FINGER_POSITIONS.join(',')}, got ${positions}`);
  }
  const blobs: PendingBlob[] = [];
  const addBlob = (name: string, type: BlobType, bytes: Uint8Array): string => {
    if (!startsWith(bytes, BLOB_MAGIC[type])) {
      throw new TypeError(`enrollment ${record.id}: blob ${name} is not ${type}`);
    }
    blobs.push({ name, type, bytes });
    return name;
  };

  // One blob per photo of a hand: a declaration for the whole hand shares one photo.
  const proofBlobs = new Map<Uint8Array, string>();
  const proofBlob = (jpeg: Uint8Array): string => {
    const known = proofBlobs.get(jpeg);
    if (known) return known;
    const name = addBlob(`finger-exception-${proofBlobs.size + 1}.jpg`, 'image/jpeg', jpeg);
    proofBlobs.set(jpeg, name);
    return name;
  };
  const fingers = record.fingers.map((finger): PacketManifest['fingers'][number] =>
    finger.status === 'captured'
      ? {
          position: finger.position,
          status: 'captured',
          score: finger.score,
          attempts: finger.attempts,
          width: finger.width,
          height: finger.height,
          blob: addBlob(`finger-${finger.position}.png`, 'image/png', finger.png),
          ...(finger.belowThreshold !== undefined ? { belowThreshold: finger.belowThreshold } : {}),
          ...(finger.threshold !== undefined ? { threshold: finger.threshold } : {}),
        }
      : {
          position: finger.position,
          status: 'exception',
          reason: finger.reason,
          attempts: finger.attempts,
          ...(finger.scope ? { scope: finger.scope } : {}),
          ...(finger.proof ? { proof: { blob: proofBlob(finger.proof.jpeg), width: finger.proof.width, height: finger.proof.height } } : {}),
          ...(finger.approval
            ? {
                approval: {
                  outcome: finger.approval.outcome,
                  ...(finger.approval.officer ? { officer: finger.approval.officer } : {}),
                  ...(finger.approval.refusedBy ? { refusedBy: [...finger.approval.refusedBy] } : {}),
                },
              }
            : {}),
        },
  );
  const face = record.face;
  const faceBlob = face ? addBlob('face.jpg', 'image/jpeg', face.jpeg) : undefined;
  const signatureBlob = addBlob('signature.png', 'image/png', record.signature.png);

  let offset = 0;
  const laidOut = blobs.map((blob) => {
    const entry: ManifestBlob = {
      name: blob.name,
      type: blob.type,
      offset,
      length: blob.bytes.length,
      sha256: createHash('sha256').update(blob.bytes).digest('hex'),
    };
    offset += blob.bytes.length;
    return { entry, bytes: blob.bytes };
  });

  const manifest: PacketManifest = {
    format: 'cccd-kiosk-packet',
    version: PACKET_FORMAT_VERSION,
    software: SOFTWARE,
    recordId: record.id,
    kioskId: record.kioskId,
    keyId: keys.keyId,
    startedAt: record.startedAt,
    completedAt: record.completedAt,
    language: record.language,
    document: {
      kind: record.document.kind,
      idNumber: record.document.idNumber,
      fields: { ...record.document.fields },
      flags: [...record.document.flags],
    },
    fingers,
    ...(face && faceBlob ? { face: { width: face.width, height: face.height, measurements: { ...face.measurements }, blob: faceBlob } } : {}),
    signature: {
      width: record.signature.width,
      height: record.signature.height,
      strokeCount: record.signature.strokeCount,
      blob: signatureBlob,
    },
    blobs: laidOut.map((b) => b.entry),
    ...(record.application ? { application: applicationEntry(record.application) } : {}),
    ...(record.guardian ? { guardian: { document: { ...record.guardian.document, fields: { ...record.guardian.document.fields }, flags: [...record.guardian.document.flags] } } } : {}),
  };

  // Canonical JSON (RFC 8785): the bytes depend only on the manifest's content (docs/packet-format.md).
  const manifestBytes = new TextEncoder().encode(canonicalJson(manifest));
  const bodyLength = MANIFEST_OFFSET + manifestBytes.length + offset;
  const body = new Uint8Array(bodyLength);
  body.set(PACKET_MAGIC, 0);
  new DataView(body.buffer).setUint32(PACKET_MAGIC.length, manifestBytes.length, false);
  body.set(manifestBytes, MANIFEST_OFFSET);
  const blobsStart = MANIFEST_OFFSET + manifestBytes.length;
  for (const { entry, bytes } of laidOut) body.set(bytes, blobsStart + entry.offset);

  const signature = sign(null, body, keys.privateKey);
  const packet = new Uint8Array(bodyLength + signature.length);
  packet.set(body, 0);
  packet.set(signature, bodyLength);
  return packet;
}

function applicationEntry(a: ApplicationRecord): NonNullable<PacketManifest['application']> {
  const { changes, ...rest } = a;
  return { ...rest, ...(changes ? { changes: [...changes] } : {}) };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}
