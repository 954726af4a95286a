import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  randomBytes,
  type CipherChaCha20Poly1305,
  type CipherGCM,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
  type KeyObject,
} from 'node:crypto';

/**
 * HPKE (RFC 9180), base mode, for one KEM and KDF: DHKEM(X25519, HKDF-SHA256) with HKDF-SHA256,
 * and the three AEADs of §7.3. Built on node:crypto's X25519, HMAC-SHA256 and AEAD ciphers (no
 * native addon beyond Node, nothing downloaded), following the RFC's pseudocode step by step so
 * that any other HPKE implementation opens what this seals (proved in the tests with the RFC's
 * own test vectors, Appendix A.1.1 and A.2.1; see docs/packet-format.md).
 *
 * Only what the kiosk needs: single-shot Seal/Open (§6.1) plus the context's sequence for the
 * vector tests. No PSK or Auth modes: the kiosk authenticates packets with its Ed25519 signature
 * inside the sealed payload.
 */

export const KEM_X25519_HKDF_SHA256 = 0x0020;
export const KDF_HKDF_SHA256 = 0x0001;
export const AEAD_IDS = { 'aes-128-gcm': 0x0001, 'aes-256-gcm': 0x0002, 'chacha20-poly1305': 0x0003 } as const;
export type HpkeAead = keyof typeof AEAD_IDS;

const MODE_BASE = 0x00;
const N_SECRET = 32; // DHKEM(X25519) Nsecret
const N_PK = 32; // Npk = Nenc
const N_SK = 32;
const N_H = 32; // SHA-256
const N_N = 12; // every AEAD here
const N_T = 16;
const N_K: Readonly<Record<HpkeAead, number>> = { 'aes-128-gcm': 16, 'aes-256-gcm': 32, 'chacha20-poly1305': 32 };

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const HPKE_V1 = utf8('HPKE-v1');

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** I2OSP(n, w): big-endian, `w` bytes. */
function i2osp(n: number, w: number): Uint8Array {
  const out = new Uint8Array(w);
  let v = n;
  for (let i = w - 1; i >= 0 && v > 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

// ── HKDF-SHA256 (RFC 5869): Extract and Expand kept apart, as HPKE labels each separately ──

function extract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  // An empty salt is HashLen zero bytes, which is what HMAC does with an empty key anyway.
  return new Uint8Array(createHmac('sha256', salt).update(ikm).digest());
}

function expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (length > 255 * N_H) throw new RangeError('HKDF-Expand: length too large');
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, at = 0; at < length; i++) {
    t = new Uint8Array(createHmac('sha256', prk).update(concat(t, info, Uint8Array.of(i))).digest());
    out.set(t.subarray(0, Math.min(t.length, length - at)), at);
    at += t.length;
  }
  return out;
}

function labeledExtract(suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(salt, concat(HPKE_V1, suiteId, utf8(label), ikm));
}

function labeledExpand(suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, length: number): Uint8Array {
  return expand(prk, concat(i2osp(length, 2), HPKE_V1, suiteId, utf8(label), info), length);
}

// ── DHKEM(X25519, HKDF-SHA256), §4.1 ──

const KEM_SUITE_ID = concat(utf8('KEM'), i2osp(KEM_X25519_HKDF_SHA256, 2));
/** PKCS#8 DER prefix of an X25519 private key (RFC 8410): the 32 raw bytes follow. */
const X25519_PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20);

export interface X25519KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** SerializePublicKey: the raw 32 bytes. */
export function serializePublicKey(key: KeyObject): Uint8Array {
  const x = key.export({ format: 'jwk' }).x;
  if (typeof x !== 'string') throw new TypeError('not an X25519 public key');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}

/** DeserializePublicKey; undefined when the bytes are not a public key. */
export function deserializePublicKey(raw: Uint8Array): KeyObject | undefined {
  if (raw.length !== N_PK) return undefined;
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

/** DeserializePrivateKey: the raw 32 bytes (X25519 clamps them itself). */
export function deserializePrivateKey(raw: Uint8Array): X25519KeyPair {
  if (raw.length !== N_SK) throw new RangeError(`an X25519 private key is ${N_SK} bytes, got ${raw.length}`);
  const privateKey = createPrivateKey({ key: Buffer.from(concat(X25519_PKCS8_PREFIX, raw)), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** DeriveKeyPair(ikm), §7.1.3: deterministic keys (the test vectors' ephemeral and recipient keys). */
export function deriveKeyPair(ikm: Uint8Array): X25519KeyPair {
  const dkpPrk = labeledExtract(KEM_SUITE_ID, new Uint8Array(0), 'dkp_prk', ikm);
  return deserializePrivateKey(labeledExpand(KEM_SUITE_ID, dkpPrk, 'sk', new Uint8Array(0), N_SK));
}

function dh(privateKey: KeyObject, publicKey: KeyObject): Uint8Array {
  let shared: Uint8Array;
  try {
    shared = new Uint8Array(diffieHellman({ privateKey, publicKey }));
  } catch {
    // OpenSSL refuses a low-order point itself ("failed during derivation").
    throw new HpkeError('the Diffie-Hellman exchange failed (a low-order point)');
  }
  // §7.1.4: an all-zero output means a low-order point; the operation must fail.
  if (shared.every((b) => b === 0)) throw new HpkeError('the Diffie-Hellman output is all zeros (a low-order point)');
  return shared;
}

function extractAndExpand(dhOut: Uint8Array, kemContext: Uint8Array): Uint8Array {
  const eaePrk = labeledExtract(KEM_SUITE_ID, new Uint8Array(0), 'eae_prk', dhOut);
  return labeledExpand(KEM_SUITE_ID, eaePrk, 'shared_secret', kemContext, N_SECRET);
}

function encap(pkR: KeyObject, ephemeral: X25519KeyPair): { readonly sharedSecret: Uint8Array; readonly enc: Uint8Array } {
  const enc = serializePublicKey(ephemeral.publicKey);
  const kemContext = concat(enc, serializePublicKey(pkR));
  return { sharedSecret: extractAndExpand(dh(ephemeral.privateKey, pkR), kemContext), enc };
}

function decap(enc: Uint8Array, skR: KeyObject): Uint8Array {
  const pkE = deserializePublicKey(enc);
  if (!pkE) throw new HpkeError('enc is not an X25519 public key');
  const kemContext = concat(enc, serializePublicKey(createPublicKey(skR)));
  return extractAndExpand(dh(skR, pkE), kemContext);
}

// ── The key schedule and the encryption context, §5.1 and §5.2 ──

export class HpkeError extends Error {
  override readonly name = 'HpkeError';
}

export interface KeyScheduleValues {
  readonly keyScheduleContext: Uint8Array;
  readonly secret: Uint8Array;
  readonly key: Uint8Array;
  readonly baseNonce: Uint8Array;
  readonly exporterSecret: Uint8Array;
}

function suiteId(aead: HpkeAead): Uint8Array {
  return concat(utf8('HPKE'), i2osp(KEM_X25519_HKDF_SHA256, 2), i2osp(KDF_HKDF_SHA256, 2), i2osp(AEAD_IDS[aead], 2));
}

function keySchedule(aead: HpkeAead, sharedSecret: Uint8Array, info: Uint8Array): KeyScheduleValues {
  const sid = suiteId(aead);
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(sid, empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(sid, empty, 'info_hash', info);
  const keyScheduleContext = concat(Uint8Array.of(MODE_BASE), pskIdHash, infoHash);
  const secret = labeledExtract(sid, sharedSecret, 'secret', empty);
  return {
    keyScheduleContext,
    secret,
    key: labeledExpand(sid, secret, 'key', keyScheduleContext, N_K[aead]),
    baseNonce: labeledExpand(sid, secret, 'base_nonce', keyScheduleContext, N_N),
    exporterSecret: labeledExpand(sid, secret, 'exp', keyScheduleContext, N_H),
  };
}

/** The context of §5.2: one key, a base nonce and a message counter. */
export class HpkeContext {
  private seq = 0;
  constructor(
    readonly aead: HpkeAead,
    readonly values: KeyScheduleValues,
  ) {}

  /** ComputeNonce(seq): base_nonce XOR I2OSP(seq, Nn). */
  nonce(seq = this.seq): Uint8Array {
    const s = i2osp(seq, N_N);
    return this.values.baseNonce.map((b, i) => b ^ (s[i] ?? 0));
  }

  /** Skip ahead to a message number (the vectors test numbers 255 and 256). */
  setSequence(seq: number): void {
    this.seq = seq;
  }

  seal(aad: Uint8Array, pt: Uint8Array): Uint8Array {
    const cipher = createAead(this.aead, this.values.key, this.nonce());
    cipher.setAAD(aad, { plaintextLength: pt.length });
    const out = concat(new Uint8Array(cipher.update(pt)), new Uint8Array(cipher.final()), new Uint8Array(cipher.getAuthTag()));
    this.seq += 1;
    return out;
  }

  /** Undefined when the tag does not verify (tampered, truncated, or not for this key). */
  open(aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined {
    if (ct.length < N_T) return undefined;
    const decipher = createAeadDecipher(this.aead, this.values.key, this.nonce());
    const body = ct.subarray(0, ct.length - N_T);
    decipher.setAAD(aad, { plaintextLength: body.length });
    decipher.setAuthTag(ct.subarray(ct.length - N_T));
    try {
      const pt = concat(new Uint8Array(decipher.update(body)), new Uint8Array(decipher.final()));
      this.seq += 1;
      return pt;
    } catch {
      return undefined;
    }
  }
}

// Node's typings give each AEAD family its own overload, so the union is split here.
function createAead(aead: HpkeAead, key: Uint8Array, nonce: Uint8Array): CipherGCM | CipherChaCha20Poly1305 {
  return aead === 'chacha20-poly1305' ? createCipheriv(aead, key, nonce, { authTagLength: N_T }) : createCipheriv(aead, key, nonce, { authTagLength: N_T });
}
function createAeadDecipher(aead: HpkeAead, key: Uint8Array, nonce: Uint8Array): DecipherGCM | DecipherChaCha20Poly1305 {
  return aead === 'chacha20-poly1305' ? createDecipheriv(aead, key, nonce, { authTagLength: N_T }) : createDecipheriv(aead, key, nonce, { authTagLength: N_T });
}

/** SetupBaseS(pkR, info), §5.1.1; `ephemeral` only for the test vectors (a fresh pair otherwise). */
export function setupBaseS(aead: HpkeAead, pkR: KeyObject, info: Uint8Array, ephemeral?: X25519KeyPair): { readonly enc: Uint8Array; readonly context: HpkeContext } {
  const { sharedSecret, enc } = encap(pkR, ephemeral ?? deriveKeyPair(randomBytes(N_SK)));
  return { enc, context: new HpkeContext(aead, keySchedule(aead, sharedSecret, info)) };
}

/** SetupBaseR(enc, skR, info), §5.1.1. Throws HpkeError when `enc` is not a usable public key. */
export function setupBaseR(aead: HpkeAead, enc: Uint8Array, skR: KeyObject, info: Uint8Array): HpkeContext {
  return new HpkeContext(aead, keySchedule(aead, decap(enc, skR), info));
}

/** Single-shot SealBase (§6.1): (enc, ct). */
export function sealBase(aead: HpkeAead, pkR: KeyObject, info: Uint8Array, aad: Uint8Array, pt: Uint8Array): { readonly enc: Uint8Array; readonly ct: Uint8Array } {
  const { enc, context } = setupBaseS(aead, pkR, info);
  return { enc, ct: context.seal(aad, pt) };
}

/** Single-shot OpenBase (§6.1): the plaintext, or undefined when it does not open. */
export function openBase(aead: HpkeAead, enc: Uint8Array, skR: KeyObject, info: Uint8Array, aad: Uint8Array, ct: Uint8Array): Uint8Array | undefined {
  try {
    return setupBaseR(aead, enc, skR, info).open(aad, ct);
  } catch (err) {
    if (err instanceof HpkeError) return undefined;
    throw err;
  }
}

export const HPKE_SIZES = { enc: N_PK, tag: N_T } as const;
