import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';
import { SOFTWARE } from './format';
import { keyIdOf, type KioskKeys } from './keys';

/**
 * Hand-carried media (docs/media-export.md): what a kiosk writes to a USB stick and what the
 * receiver reads back. Nothing on the stick is readable: the packets are the sealed bytes exactly
 * as the kiosk holds them, and the manifest carries only ids, sizes and hashes.
 *
 *   <stick>/exports/<kioskId>/<exportId>/manifest.json            signed by the kiosk (below)
 *   <stick>/exports/<kioskId>/<exportId>/packets/<recordId>.sealed the sealed packet, as stored
 *   <stick>/acks/<kioskId>/<recordId>.json                          the receiver's signed ack, exactly the
 *                                                                   reply it gives over HTTPS (sync/protocol.ts)
 *
 * An export is written under a temporary name (`.<exportId>.partial`) and renamed when complete,
 * so a stick pulled half way holds no export the receiver would take for whole.
 *
 * The manifest is canonical JSON (RFC 8785) with a `signature` field: base64 Ed25519 by the
 * kiosk's key over the canonical JSON of every other field. It names the head of the kiosk's
 * audit chain when it was written and the kiosk's anchor (its own row at the receiver's last
 * head), as each online request does (sync/protocol.ts), so the centre checks them the same way
 * (central/audit-heads.ts) and notices rows cut off the chain's end.
 */

export const EXPORT_FORMAT = 'cccd-kiosk-export' as const;
export const EXPORT_VERSION = 1 as const;
export const EXPORTS_DIR = 'exports';
export const ACKS_DIR = 'acks';
export const MANIFEST_FILE = 'manifest.json';
export const PACKETS_DIR = 'packets';
export const PACKET_SUFFIX = '.sealed';
export const PARTIAL_SUFFIX = '.partial';

/** Ids that become file names on the stick: letters, digits and dashes only (no path can be smuggled in). */
const fileSafeId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/, 'letters, digits and dashes');
const sha256Field = z.string().regex(/^[0-9a-f]{64}$/, 'hex SHA-256');

export const exportedPacketSchema = z.strictObject({
  recordId: fileSafeId,
  sha256: sha256Field,
  size: z.number().int().min(1).max(2 ** 31),
});

export const exportManifestSchema = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportId: fileSafeId,
  kioskId: fileSafeId,
  /** The kiosk's Ed25519 key id (keys.ts keyIdOf) that signed this manifest and the packets inside. */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  createdAt: z.iso.datetime({ offset: true }),
  software: z.strictObject({ name: z.string().max(64), version: z.string().max(64) }),
  auditHead: z.strictObject({ seq: z.number().int().min(1), hash: sha256Field }).nullable(),
  /** This kiosk's row at the last head a receiver told it of (an ack's auditHead), or null: the request's x-cccd-audit-anchor. */
  auditAnchor: z.strictObject({ seq: z.number().int().min(0), hash: sha256Field }).nullable().optional(),
  packets: z.array(exportedPacketSchema).max(1_000_000),
  signature: z.base64(),
});

export type ExportManifest = z.infer<typeof exportManifestSchema>;
export type ExportedPacket = z.infer<typeof exportedPacketSchema>;
export type UnsignedExportManifest = Omit<ExportManifest, 'signature' | 'format' | 'version' | 'keyId' | 'software'>;

export function packetFileName(recordId: string): string {
  return `${recordId}${PACKET_SUFFIX}`;
}

/** A time-ordered export id: `20250314T080500Z-1a2b3c4d`. */
export function makeExportId(at: Date, random: Uint8Array): string {
  return `${at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')}-${Buffer.from(random).toString('hex').slice(0, 8)}`;
}

export function signExportManifest(unsigned: UnsignedExportManifest, keys: KioskKeys): ExportManifest {
  const body = { ...unsigned, format: EXPORT_FORMAT, version: EXPORT_VERSION, keyId: keys.keyId, software: SOFTWARE };
  const signature = sign(null, Buffer.from(canonicalJson(body), 'utf8'), keys.privateKey).toString('base64');
  return { ...body, signature };
}

/** The manifest file's bytes (canonical JSON, a newline at the end for people who `cat` it). */
export function exportManifestBytes(m: ExportManifest): Buffer {
  return Buffer.from(`${canonicalJson(m)}\n`, 'utf8');
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type ManifestRefusal =
  /** Not JSON, or not a manifest's shape. */
  | 'malformed'
  /** A kiosk the receiver does not know, or signed by a key not registered for it: a foreign kiosk. */
  | 'unknown-kiosk'
  /** The signature does not verify: changed after signing, or forged. */
  | 'bad-signature';

export type VerifyManifestResult =
  | { readonly ok: true; readonly manifest: ExportManifest; readonly kioskKey: KeyObject }
  | { readonly ok: false; readonly reason: ManifestRefusal; readonly detail: string };

/**
 * Check a manifest's bytes: the kiosk it names must be registered (`keyFor`, the receiver's
 * kiosk registry) with the very key it says signed it, and its signature must verify with that
 * key, before anything in it is believed. Never throws on input.
 */
export async function verifyExportManifest(bytes: Uint8Array, keyFor: (kioskId: string) => Promise<KeyObject | null>): Promise<VerifyManifestResult> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    return { ok: false, reason: 'malformed', detail: `not UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = exportManifestSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: 'malformed', detail: first ? `${first.path.join('.') || '(manifest)'}: ${first.message}` : 'not an export manifest' };
  }
  const { signature, ...body } = parsed.data;
  const key = await keyFor(body.kioskId);
  if (!key) return { ok: false, reason: 'unknown-kiosk', detail: `kiosk ${body.kioskId} is not in the kiosk registry` };
  if (keyIdOf(key) !== body.keyId) {
    return { ok: false, reason: 'unknown-kiosk', detail: `signed by kiosk key ${body.keyId}, not the key registered for kiosk ${body.kioskId} (${keyIdOf(key)})` };
  }
  const sig = Buffer.from(signature, 'base64');
  let good = false;
  try {
    good = sig.length === 64 && verify(null, Buffer.from(canonicalJson(body), 'utf8'), key, sig);
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad-signature', detail: `the manifest's signature does not verify with kiosk key ${body.keyId}` };
  return { ok: true, manifest: parsed.data, kioskKey: key };
}
