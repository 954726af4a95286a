import { createPublicKey, type KeyObject } from 'node:crypto';
import { AEAD_IDS, HPKE_SIZES, KDF_HKDF_SHA256, KEM_X25519_HKDF_SHA256, openBase, setupBaseS } from './hpke';
import { keyIdOf } from './keys';
import { LEGACY_SEAL_MAGIC, openLegacySealedPacket, readLegacySealHeader } from './legacy-seal';
import { AEADS, type Aead, type OpenError, type OpenResult } from './seal-types';

export { AEADS, type Aead, type OpenError, type OpenResult } from './seal-types';

/**
 * Sealing: the signed inner packet encrypted to the central server's X25519 public key, so the
 * kiosk itself cannot read a citizen's biometrics back once sealed ("sealed at birth").
 *
 * The encryption is standard HPKE (RFC 9180), base mode, single-shot, with the suite
 * DHKEM(X25519, HKDF-SHA256) · HKDF-SHA256 · AES-256-GCM, or ChaCha20-Poly1305 (a Pi 4 has no
 * AES instructions, docs/facts/storage-and-sealing.md). The centre can open a packet with any
 * HPKE implementation: SetupBaseR(enc, skR, info = "cccd-kiosk packet v2"), then
 * Open(aad = the 55 header bytes, ct). Field by field (docs/packet-format.md):
 *
 *   offset  size  field
 *   0       8     magic "CCCDHPKE"
 *   8       1     format version (2)
 *   9       2     HPKE kem_id  (0x0020, big-endian)
 *   11      2     HPKE kdf_id  (0x0001)
 *   13      2     HPKE aead_id (0x0002 AES-256-GCM | 0x0003 ChaCha20-Poly1305)
 *   15      8     recipient key id (first 8 bytes of SHA-256 of the raw central public key)
 *   23      32    enc (the ephemeral X25519 public key)
 *   55      n+16  HPKE ciphertext (the AEAD tag at its end)
 *
 * The whole header is the AEAD's associated data: no header byte can change unnoticed.
 * Packets sealed before HPKE ("CCCDSEAL1", legacy-seal.ts) still open, so nothing sealed before
 * the change is lost.
 */

export const SEAL_MAGIC = new TextEncoder().encode('CCCDHPKE');
export const SEAL_VERSION = 2;
export const SEAL_INFO = new TextEncoder().encode('cccd-kiosk packet v2');
const KEY_ID_LENGTH = 8;
const AT = { version: 8, kem: 9, kdf: 11, aead: 13, keyId: 15, enc: 23 } as const;
export const SEAL_HEADER_LENGTH = AT.enc + HPKE_SIZES.enc;

export interface SealOptions {
  readonly aead?: Aead;
}

const u16 = (n: number): Uint8Array => Uint8Array.of(n >> 8, n & 0xff);

/** Encrypt `inner` to the central server. Throws only if the key is not X25519 (a wiring bug). */
export function sealPacket(inner: Uint8Array, centralPublicKey: KeyObject, opts: SealOptions = {}): Uint8Array {
  requireX25519(centralPublicKey, 'public');
  const aead = opts.aead ?? 'aes-256-gcm';
  const { enc, context } = setupBaseS(aead, centralPublicKey, SEAL_INFO);
  const out = new Uint8Array(SEAL_HEADER_LENGTH + inner.length + HPKE_SIZES.tag);
  out.set(SEAL_MAGIC, 0);
  out[AT.version] = SEAL_VERSION;
  out.set(u16(KEM_X25519_HKDF_SHA256), AT.kem);
  out.set(u16(KDF_HKDF_SHA256), AT.kdf);
  out.set(u16(AEAD_IDS[aead]), AT.aead);
  out.set(recipientKeyId(centralPublicKey), AT.keyId);
  out.set(enc, AT.enc);
  out.set(context.seal(out.subarray(0, SEAL_HEADER_LENGTH), inner), SEAL_HEADER_LENGTH);
  return out;
}

/**
 * Decrypt a sealed packet: what the central receiver runs (and tests). Never throws on any input
 * bytes; throws only if the key is not an X25519 private key.
 */
export function openSealedPacket(sealed: Uint8Array, centralPrivateKey: KeyObject): OpenResult {
  requireX25519(centralPrivateKey, 'private');
  if (!differsFrom(sealed, LEGACY_SEAL_MAGIC) && sealed.length >= LEGACY_SEAL_MAGIC.length) return openLegacySealedPacket(sealed, centralPrivateKey);
  if (differsFrom(sealed, SEAL_MAGIC)) return { ok: false, error: 'bad-magic' };
  if (sealed.length <= AT.version) return { ok: false, error: 'truncated' };
  if (sealed[AT.version] !== SEAL_VERSION) return { ok: false, error: 'unsupported-version' };
  if (sealed.length < SEAL_HEADER_LENGTH) return { ok: false, error: 'truncated' };
  const id = (at: number): number => ((sealed[at] ?? 0) << 8) | (sealed[at + 1] ?? 0);
  const aead = AEADS.find((a) => AEAD_IDS[a] === id(AT.aead));
  if (id(AT.kem) !== KEM_X25519_HKDF_SHA256 || id(AT.kdf) !== KDF_HKDF_SHA256 || aead === undefined) return { ok: false, error: 'unsupported-aead' };
  if (!equalBytes(sealed.subarray(AT.keyId, AT.enc), recipientKeyId(createPublicKey(centralPrivateKey)))) return { ok: false, error: 'wrong-recipient' };
  if (sealed.length < SEAL_HEADER_LENGTH + HPKE_SIZES.tag) return { ok: false, error: 'truncated' };
  const inner = openBase(aead, sealed.subarray(AT.enc, SEAL_HEADER_LENGTH), centralPrivateKey, SEAL_INFO, sealed.subarray(0, SEAL_HEADER_LENGTH), sealed.subarray(SEAL_HEADER_LENGTH));
  return inner ? { ok: true, inner, aead } : { ok: false, error: 'decrypt-failed' };
}

export type SealHeaderResult =
  | {
      readonly ok: true;
      /** 2: HPKE (this file); 1: the construction before it (legacy-seal.ts). */
      readonly format: 1 | 2;
      readonly aead: Aead;
      /** Hex; equals keyIdOf(the central public key) it was sealed to. */
      readonly recipientKeyId: string;
    }
  | { readonly ok: false; readonly error: OpenError };

/**
 * Read a sealed packet's header without opening it (what a kiosk, which cannot decrypt, can check:
 * `packets verify`): the format, the suite, and whom it is sealed to. Never throws.
 */
export function readSealHeader(sealed: Uint8Array): SealHeaderResult {
  if (!differsFrom(sealed, LEGACY_SEAL_MAGIC) && sealed.length >= LEGACY_SEAL_MAGIC.length) {
    const legacy = readLegacySealHeader(sealed);
    return legacy.ok ? { ok: true, format: 1, aead: legacy.aead, recipientKeyId: legacy.recipientKeyId } : legacy;
  }
  if (differsFrom(sealed, SEAL_MAGIC)) return { ok: false, error: 'bad-magic' };
  if (sealed.length <= AT.version) return { ok: false, error: 'truncated' };
  if (sealed[AT.version] !== SEAL_VERSION) return { ok: false, error: 'unsupported-version' };
  if (sealed.length < SEAL_HEADER_LENGTH + HPKE_SIZES.tag) return { ok: false, error: 'truncated' };
  const id = (at: number): number => ((sealed[at] ?? 0) << 8) | (sealed[at + 1] ?? 0);
  const aead = AEADS.find((a) => AEAD_IDS[a] === id(AT.aead));
  if (id(AT.kem) !== KEM_X25519_HKDF_SHA256 || id(AT.kdf) !== KDF_HKDF_SHA256 || aead === undefined) return { ok: false, error: 'unsupported-aead' };
  return { ok: true, format: 2, aead, recipientKeyId: Buffer.from(sealed.subarray(AT.keyId, AT.enc)).toString('hex') };
}

/** The 8-byte recipient id in the header; its hex form is the central key's keyId. */
function recipientKeyId(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(keyIdOf(publicKey), 'hex')).subarray(0, KEY_ID_LENGTH);
}

/** True when a byte of `bytes` differs from `magic` where both have one (a cut-short input does not differ). */
function differsFrom(bytes: Uint8Array, magic: Uint8Array): boolean {
  const n = Math.min(bytes.length, magic.length);
  for (let i = 0; i < n; i++) if (bytes[i] !== magic[i]) return true;
  return false;
}

function requireX25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'x25519' || key.type !== type) {
    throw new TypeError(`expected an X25519 ${type} key, got ${key.asymmetricKeyType ?? 'unknown'} ${key.type}`);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
