import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AEAD_IDS,
  KDF_HKDF_SHA256,
  KEM_X25519_HKDF_SHA256,
  deriveKeyPair,
  deserializePrivateKey,
  openBase,
  sealBase,
  serializePublicKey,
  setupBaseR,
  setupBaseS,
  type HpkeAead,
} from '../../../../controller/packet/hpke';

interface Vector {
  readonly aead: HpkeAead;
  readonly mode: number;
  readonly kem_id: number;
  readonly kdf_id: number;
  readonly aead_id: number;
  readonly info: string;
  readonly ikmE: string;
  readonly pkEm: string;
  readonly skEm: string;
  readonly ikmR: string;
  readonly pkRm: string;
  readonly skRm: string;
  readonly enc: string;
  readonly shared_secret: string;
  readonly key_schedule_context: string;
  readonly secret: string;
  readonly key: string;
  readonly base_nonce: string;
  readonly exporter_secret: string;
  readonly encryptions: readonly { readonly seq: number; readonly pt: string; readonly aad: string; readonly nonce: string; readonly ct: string }[];
}

// RFC 9180 Appendix A.1.1 and A.2.1 (test/fixtures/hpke/README.md).
const vectors: Vector[] = JSON.parse(readFileSync(new URL('../../../fixtures/hpke/rfc9180-base-x25519.json', import.meta.url), 'utf8'));
const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('HPKE (RFC 9180) base mode against the RFC test vectors', () => {
  it('has the vectors for both X25519 suites the kiosk can check', () => {
    expect(vectors.map((v) => v.aead)).toEqual(['aes-128-gcm', 'chacha20-poly1305']);
  });

  for (const v of vectors) {
    describe(`DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ${v.aead}`, () => {
      it('uses the suite the vector names', () => {
        expect([v.mode, v.kem_id, v.kdf_id, v.aead_id]).toEqual([0, KEM_X25519_HKDF_SHA256, KDF_HKDF_SHA256, AEAD_IDS[v.aead]]);
      });

      it('derives the ephemeral and recipient key pairs from their ikm (DeriveKeyPair)', () => {
        const e = deriveKeyPair(bytes(v.ikmE));
        const r = deriveKeyPair(bytes(v.ikmR));
        expect(hex(serializePublicKey(e.publicKey))).toBe(v.pkEm);
        expect(hex(serializePublicKey(r.publicKey))).toBe(v.pkRm);
        expect(hex(serializePublicKey(deserializePrivateKey(bytes(v.skRm)).publicKey))).toBe(v.pkRm);
      });

      it('reaches the same enc, key schedule context, secret, key, base nonce and exporter secret', () => {
        const r = deserializePrivateKey(bytes(v.skRm));
        const { enc, context } = setupBaseS(v.aead, r.publicKey, bytes(v.info), deserializePrivateKey(bytes(v.skEm)));
        expect(hex(enc)).toBe(v.enc);
        expect(hex(context.values.keyScheduleContext)).toBe(v.key_schedule_context);
        expect(hex(context.values.secret)).toBe(v.secret);
        expect(hex(context.values.key)).toBe(v.key);
        expect(hex(context.values.baseNonce)).toBe(v.base_nonce);
        expect(hex(context.values.exporterSecret)).toBe(v.exporter_secret);
      });

      it('seals every listed message to the published ciphertext, and the recipient opens it', () => {
        const r = deserializePrivateKey(bytes(v.skRm));
        const { context: sender } = setupBaseS(v.aead, r.publicKey, bytes(v.info), deserializePrivateKey(bytes(v.skEm)));
        const receiver = setupBaseR(v.aead, bytes(v.enc), r.privateKey, bytes(v.info));
        for (const e of v.encryptions) {
          sender.setSequence(e.seq);
          receiver.setSequence(e.seq);
          expect(hex(sender.nonce())).toBe(e.nonce);
          expect({ seq: e.seq, ct: hex(sender.seal(bytes(e.aad), bytes(e.pt))) }).toEqual({ seq: e.seq, ct: e.ct });
          const pt = receiver.open(bytes(e.aad), bytes(e.ct));
          expect(pt && hex(pt)).toBe(e.pt);
        }
      });
    });
  }
});

describe('single-shot seal and open', () => {
  const r = deriveKeyPair(new Uint8Array(32).fill(7));
  const info = new TextEncoder().encode('test');
  const aad = new TextEncoder().encode('header');
  const pt = new TextEncoder().encode('a citizen’s fingerprints');

  for (const aead of ['aes-256-gcm', 'chacha20-poly1305'] as const) {
    it(`round-trips with ${aead} and a fresh ephemeral key each time`, () => {
      const a = sealBase(aead, r.publicKey, info, aad, pt);
      const b = sealBase(aead, r.publicKey, info, aad, pt);
      expect(hex(a.enc)).not.toBe(hex(b.enc));
      expect(openBase(aead, a.enc, r.privateKey, info, aad, a.ct)).toEqual(pt);
    });

    it(`refuses a changed byte anywhere, another aad, another info or another key (${aead})`, () => {
      const { enc, ct } = sealBase(aead, r.publicKey, info, aad, pt);
      for (let i = 0; i < ct.length; i++) {
        const bad = ct.slice();
        bad[i] = (bad[i] ?? 0) ^ 1;
        expect(openBase(aead, enc, r.privateKey, info, aad, bad)).toBeUndefined();
      }
      const badEnc = enc.slice();
      badEnc[0] = (badEnc[0] ?? 0) ^ 1;
      expect(openBase(aead, badEnc, r.privateKey, info, aad, ct)).toBeUndefined();
      expect(openBase(aead, enc, r.privateKey, info, new TextEncoder().encode('other'), ct)).toBeUndefined();
      expect(openBase(aead, enc, r.privateKey, new TextEncoder().encode('other'), aad, ct)).toBeUndefined();
      expect(openBase(aead, enc, deriveKeyPair(new Uint8Array(32).fill(8)).privateKey, info, aad, ct)).toBeUndefined();
      expect(openBase(aead, enc, r.privateKey, info, aad, ct.subarray(0, 10))).toBeUndefined();
    });
  }

  it('refuses an enc that is a low-order point instead of throwing', () => {
    const { ct } = sealBase('aes-256-gcm', r.publicKey, info, aad, pt);
    expect(openBase('aes-256-gcm', new Uint8Array(32), r.privateKey, info, aad, ct)).toBeUndefined();
  });
});
