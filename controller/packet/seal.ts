import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type CipherChaCha20Poly1305,
  type CipherGCM,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
  type KeyObject,
} from 'node:crypto';
import { keyIdOf, rawPublicKey } from './keys';

/**
 * Sealing: the signed inner packet encrypted to the central server's X25519 public key, so the
 * kiosk itself cannot read a citizen's biometrics back once sealed ("sealed at birth").
 *
 * Construction (HPKE-style base mode, RFC 9180 building blocks, not the HPKE wire format):
 *   ephemeral X25519 keypair per packet → ECDH with the recipient key → HKDF-SHA256
 *   (salt = ephemeral pub ‖ recipient pub, info = "cccd-kiosk packet v1") → 32-byte AEAD key.
 * Binding both public keys into the salt ties the key to this exact exchange. The whole header
 * is AEAD associated data: changing the algorithm name, key or recipient id breaks the tag.
 *
 * Why node:crypto rather than libsodium sealed boxes: Node 20 ships X25519, HKDF, AES-256-GCM
 * and ChaCha20-Poly1305 through OpenSSL, so there is no native addon to build on a Pi and
 * nothing extra to audit; the primitives are the same ones HPKE standardises.
 * ChaCha20-Poly1305 is selectable because a Pi 4 has no AES instructions (ChaCha is ~4.5× faster
 * there, docs/facts/storage-and-sealing.md); a Pi 5 has them, so AES-256-GCM stays the default.
 *
 * Layout:
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

export type Aead = 'aes-256-gcm' | 'chacha20-poly1305';
export const AEADS: readonly Aead[] = ['aes-256-gcm', 'chacha20-poly1305'];

export const SEAL_MAGIC = new TextEncoder().encode('CCCDSEAL1');
export const SEAL_VERSION = 1;
const HKDF_INFO = new TextEncoder().encode('cccd-kiosk packet v1');
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const RAW_KEY_LENGTH = 32;
const KEY_ID_LENGTH = 8;

export type OpenError =
  | 'bad-magic'
  | 'truncated'
  | 'unsupported-version'
  | 'unsupported-aead'
  /** Sealed to another central key (a rotated key, or the wrong environment). */
  | 'wrong-recipient'
  /** The tag did not verify: tampered, corrupted, or not for this key. */
  | 'decrypt-failed';

export type OpenResult =
  | { readonly ok: true; readonly inner: Uint8Array; readonly aead: Aead }
  | { readonly ok: false; readonly error: OpenError };

export interface SealOptions {
  readonly aead?: Aead;
}

/** Encrypt `inner` to the central server. Throws only if the key is not X25519 (a wiring bug). */
export function sealPacket(inner: Uint8Array, centralPublicKey: KeyObject, opts: SealOptions = {}): Uint8Array {
  requireX25519(centralPublicKey, 'public');
  const aead = opts.aead ?? 'aes-256-gcm';
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPub = rawPublicKey(ephemeral.publicKey);
  const recipientPub = rawPublicKey(centralPublicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: centralPublicKey });
  const key = deriveKey(shared, ephemeralPub, recipientPub);
  const nonce = randomBytes(NONCE_LENGTH);
  const header = encodeHeader(aead, ephemeralPub, nonce, recipientKeyId(centralPublicKey));

  const cipher = createAeadCipher(aead, key, nonce);
  cipher.setAAD(header, { plaintextLength: inner.length });
  const body = cipher.update(inner);
  const final = cipher.final();
  const tag = cipher.getAuthTag();

  const out = new Uint8Array(header.length + body.length + final.length + tag.length);
  out.set(header, 0);
  out.set(body, header.length);
  out.set(final, header.length + body.length);
  out.set(tag, header.length + body.length + final.length);
  return out;
}

/**
 * Decrypt a sealed packet: what the central server runs (and tests). Never throws on any input
 * bytes; throws only if the key is not an X25519 private key.
 */
export function openSealedPacket(sealed: Uint8Array, centralPrivateKey: KeyObject): OpenResult {
  requireX25519(centralPrivateKey, 'private');
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

// Node's typings give each AEAD family its own overload, so a union name must be split here.
function createAeadCipher(aead: Aead, key: Buffer, nonce: Uint8Array): CipherGCM | CipherChaCha20Poly1305 {
  return aead === 'aes-256-gcm'
    ? createCipheriv(aead, key, nonce, { authTagLength: TAG_LENGTH })
    : createCipheriv(aead, key, nonce, { authTagLength: TAG_LENGTH });
}

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

function encodeHeader(aead: Aead, ephemeralPub: Uint8Array, nonce: Uint8Array, keyId: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(aead);
  const header = new Uint8Array(SEAL_MAGIC.length + 2 + name.length + RAW_KEY_LENGTH + NONCE_LENGTH + KEY_ID_LENGTH);
  let at = 0;
  const put = (bytes: Uint8Array): void => {
    header.set(bytes, at);
    at += bytes.length;
  };
  put(SEAL_MAGIC);
  put(Uint8Array.of(SEAL_VERSION, name.length));
  put(name);
  put(ephemeralPub);
  put(nonce);
  put(keyId);
  return header;
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

function requireX25519(key: KeyObject, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'x25519' || key.type !== type) {
    throw new TypeError(`expected an X25519 ${type} key, got ${key.asymmetricKeyType ?? 'unknown'} ${key.type}`);
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
