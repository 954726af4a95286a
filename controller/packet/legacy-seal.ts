import {
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
  type KeyObject,
} from 'node:crypto';
import { keyIdOf, rawPublicKey } from './keys';
import { AEADS, type Aead, type OpenError, type OpenResult } from './seal-types';

/**
 * Opening packets sealed before the kiosk used HPKE ("CCCDSEAL1", format version 1): our own
 * construction from the same building blocks (ephemeral X25519 → HKDF-SHA256 with salt =
 * ephemeral pub ‖ recipient pub and info "cccd-kiosk packet v1" → AES-256-GCM or
 * ChaCha20-Poly1305, the header as associated data). Kept only so that packets sealed before
 * the change, still waiting in an outbox, are not lost; nothing seals this format any more.
 *
 *   offset  size  field
 *   0       9     magic "CCCDSEAL1"
 *   9       1     version (1)
 *   10      1     AEAD name length L
 *   11      L     AEAD name, ASCII ("aes-256-gcm" | "chacha20-poly1305")
 *   11+L    32    ephemeral X25519 public key, raw
 *   43+L    12    nonce
 *   55+L    8     recipient key id (first 8 bytes of sha256 of its raw public key)
 *   63+L    n     ciphertext
 *   63+L+n  16    AEAD tag
 */

export const LEGACY_SEAL_MAGIC = new TextEncoder().encode('CCCDSEAL1');
const SEAL_MAGIC = LEGACY_SEAL_MAGIC;
const SEAL_VERSION = 1;
const HKDF_INFO = new TextEncoder().encode('cccd-kiosk packet v1');
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const RAW_KEY_LENGTH = 32;
const KEY_ID_LENGTH = 8;

/** Decrypt a version 1 packet. Never throws on any input bytes (the key was checked by the caller). */
export function openLegacySealedPacket(sealed: Uint8Array, centralPrivateKey: KeyObject): OpenResult {
  const header = decodeHeader(sealed);
  if (!header.ok) return header;
  const { aead, ephemeralPub, nonce, keyId, headerLength } = header;

  const recipientPublic = createPublicKey(centralPrivateKey);
  if (!equalBytes(keyId, recipientKeyId(recipientPublic))) return { ok: false, error: 'wrong-recipient' };
  if (sealed.length < headerLength + TAG_LENGTH) return { ok: false, error: 'truncated' };

  let shared: Buffer;
  try {
    const ephemeralKey = createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(ephemeralPub).toString('base64url') },
      format: 'jwk',
    });
    shared = diffieHellman({ privateKey: centralPrivateKey, publicKey: ephemeralKey });
  } catch {
    // OpenSSL refuses low-order points (an all-zero shared secret); to us that is tampering.
    return { ok: false, error: 'decrypt-failed' };
  }
  if (shared.every((b) => b === 0)) return { ok: false, error: 'decrypt-failed' };
  const key = deriveKey(shared, ephemeralPub, rawPublicKey(recipientPublic));

  const ciphertext = sealed.subarray(headerLength, sealed.length - TAG_LENGTH);
  const tag = sealed.subarray(sealed.length - TAG_LENGTH);
  try {
    const decipher = createAeadDecipher(aead, key, nonce);
    decipher.setAAD(sealed.subarray(0, headerLength), { plaintextLength: ciphertext.length });
    decipher.setAuthTag(tag);
    const head = decipher.update(ciphertext);
    const tail = decipher.final(); // throws when the tag does not verify
    const inner = new Uint8Array(head.length + tail.length);
    inner.set(head, 0);
    inner.set(tail, head.length);
    return { ok: true, inner, aead };
  } catch {
    return { ok: false, error: 'decrypt-failed' };
  }
}

/** A version 1 header as `packets verify` reads it: its AEAD and recipient key id (hex). */
export function readLegacySealHeader(sealed: Uint8Array): { readonly ok: true; readonly aead: Aead; readonly recipientKeyId: string } | { readonly ok: false; readonly error: OpenError } {
  const header = decodeHeader(sealed);
  if (!header.ok) return header;
  if (sealed.length < header.headerLength + TAG_LENGTH) return { ok: false, error: 'truncated' };
  return { ok: true, aead: header.aead, recipientKeyId: Buffer.from(header.keyId).toString('hex') };
}

// Node's typings give each AEAD family its own overload, so a union name must be split here.
function createAeadDecipher(aead: Aead, key: Buffer, nonce: Uint8Array): DecipherGCM | DecipherChaCha20Poly1305 {
  return aead === 'aes-256-gcm'
    ? createDecipheriv(aead, key, nonce, { authTagLength: TAG_LENGTH })
    : createDecipheriv(aead, key, nonce, { authTagLength: TAG_LENGTH });
}

/** The 8-byte recipient id in the header; its hex form is the central key's keyId. */
function recipientKeyId(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(keyIdOf(publicKey), 'hex'));
}

function deriveKey(shared: Uint8Array, ephemeralPub: Uint8Array, recipientPub: Uint8Array): Buffer {
  const salt = new Uint8Array(ephemeralPub.length + recipientPub.length);
  salt.set(ephemeralPub, 0);
  salt.set(recipientPub, ephemeralPub.length);
  return Buffer.from(hkdfSync('sha256', shared, salt, HKDF_INFO, 32));
}

type DecodedHeader =
  | {
      readonly ok: true;
      readonly aead: Aead;
      readonly ephemeralPub: Uint8Array;
      readonly nonce: Uint8Array;
      readonly keyId: Uint8Array;
      readonly headerLength: number;
    }
  | { readonly ok: false; readonly error: OpenError };

function decodeHeader(sealed: Uint8Array): DecodedHeader {
  const magicSeen = Math.min(sealed.length, SEAL_MAGIC.length);
  for (let i = 0; i < magicSeen; i++) if (sealed[i] !== SEAL_MAGIC[i]) return { ok: false, error: 'bad-magic' };
  const version = sealed[SEAL_MAGIC.length];
  const nameLength = sealed[SEAL_MAGIC.length + 1];
  if (version === undefined || nameLength === undefined) return { ok: false, error: 'truncated' };
  if (version !== SEAL_VERSION) return { ok: false, error: 'unsupported-version' };
  const nameStart = SEAL_MAGIC.length + 2;
  const keyStart = nameStart + nameLength;
  const nonceStart = keyStart + RAW_KEY_LENGTH;
  const idStart = nonceStart + NONCE_LENGTH;
  const headerLength = idStart + KEY_ID_LENGTH;
  if (sealed.length < headerLength) return { ok: false, error: 'truncated' };
  const name = new TextDecoder().decode(sealed.subarray(nameStart, keyStart));
  const aead = AEADS.find((a) => a === name);
  if (!aead) return { ok: false, error: 'unsupported-aead' };
  return {
    ok: true,
    aead,
    ephemeralPub: sealed.subarray(keyStart, nonceStart),
    nonce: sealed.subarray(nonceStart, idStart),
    keyId: sealed.subarray(idStart, headerLength),
    headerLength,
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
