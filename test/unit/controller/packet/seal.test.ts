import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPacket, parsePacket } from '../../../../controller/packet/build';
import { loadOrCreateKioskKeys, type KioskKeys } from '../../../../controller/packet/keys';
import { AEADS, SEAL_HEADER_LENGTH, SEAL_MAGIC, openSealedPacket, sealPacket } from '../../../../controller/packet/seal';
import { sealV1 } from '../../../helpers/legacy-seal-v1';
import { makeRecord, faceOf } from '../../../helpers/enrollment-record';
import type { EnrollmentRecord } from '../../../../domain/enrollment-record';

let dataDir: string;
let keys: KioskKeys;
let record: EnrollmentRecord;
let inner: Uint8Array;
const central = generateKeyPairSync('x25519');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-seal-'));
  keys = await loadOrCreateKioskKeys(dataDir);
  record = await makeRecord();
  inner = buildPacket(record, keys);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const ENC_AT = SEAL_HEADER_LENGTH - 32;

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) !== -1;
}

describe.each(AEADS)('sealPacket / openSealedPacket with %s', (aead) => {
  it('round-trips the inner packet, which then still verifies', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    const opened = openSealedPacket(sealed, central.privateKey);
    if (!opened.ok) throw new Error(`open failed: ${opened.error}`);
    expect(opened.aead).toBe(aead);
    expect(Buffer.from(opened.inner).equals(inner)).toBe(true);
    expect(parsePacket(opened.inner, keys.publicKey).ok).toBe(true);
  });

  it('uses a fresh ephemeral key (HPKE enc) every time', () => {
    const a = sealPacket(inner, central.publicKey, { aead });
    const b = sealPacket(inner, central.publicKey, { aead });
    expect(Buffer.from(a.subarray(ENC_AT, SEAL_HEADER_LENGTH)).equals(b.subarray(ENC_AT, SEAL_HEADER_LENGTH))).toBe(false);
  });

  it('fails cleanly with the wrong private key', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    const stranger = generateKeyPairSync('x25519').privateKey;
    expect(openSealedPacket(sealed, stranger)).toEqual({ ok: false, error: 'wrong-recipient' });
  });

  it('fails cleanly when any header byte after the magic is changed', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    for (let pos = SEAL_MAGIC.length; pos < SEAL_HEADER_LENGTH; pos++) {
      const copy = sealed.slice();
      copy[pos] = (copy[pos] ?? 0) ^ 0x01;
      const result = openSealedPacket(copy, central.privateKey);
      expect(result.ok, `header byte ${pos}`).toBe(false);
    }
    // the ephemeral key (enc) is only protected by the AEAD (it is in the aad): that is what must catch it
    const copy = sealed.slice();
    copy[ENC_AT + 5] = (copy[ENC_AT + 5] ?? 0) ^ 0x80;
    expect(openSealedPacket(copy, central.privateKey)).toEqual({ ok: false, error: 'decrypt-failed' });
  });

  it('fails cleanly when ciphertext or tag is changed, or the end is cut off', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    for (const pos of [SEAL_HEADER_LENGTH, SEAL_HEADER_LENGTH + 500_000, sealed.length - 17, sealed.length - 1]) {
      const copy = sealed.slice();
      copy[pos] = (copy[pos] ?? 0) ^ 0x01;
      expect(openSealedPacket(copy, central.privateKey), `byte ${pos}`).toEqual({ ok: false, error: 'decrypt-failed' });
    }
    expect(openSealedPacket(sealed.subarray(0, sealed.length - 1), central.privateKey)).toEqual({ ok: false, error: 'decrypt-failed' });
    expect(openSealedPacket(sealed.subarray(0, SEAL_HEADER_LENGTH + 3), central.privateKey)).toEqual({ ok: false, error: 'truncated' });
    expect(openSealedPacket(sealed.subarray(0, 5), central.privateKey)).toEqual({ ok: false, error: 'truncated' });
  });

  it('leaks no plaintext: no image magic, no fingerprint bytes, no personal data', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    const enc = new TextEncoder();
    // Full 8-byte PNG signature; for JPEG the blob's own first 16 bytes (a bare 3-byte FF D8 FF
    // would turn up in 1 MB of random ciphertext by chance about once in sixteen runs).
    expect(contains(sealed, Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe(false);
    expect(contains(sealed, faceOf(record).jpeg.subarray(0, 16))).toBe(false);
    expect(contains(inner, faceOf(record).jpeg.subarray(0, 16))).toBe(true); // the probe is a real one
    for (const finger of record.fingers) {
      if (finger.status !== 'captured') continue;
      for (const at of [0, 1000, 30_000, finger.png.length - 32]) {
        expect(contains(sealed, finger.png.subarray(at, at + 32)), `${finger.position}@${at}`).toBe(false);
      }
    }
    for (const text of ['CCCDPKT1', record.document.idNumber, 'Nguyễn', 'idNumber']) {
      expect(contains(sealed, enc.encode(text)), text).toBe(false);
    }
  });
});

describe('openSealedPacket on hostile input', () => {
  it('reports bad-magic, unsupported version and unsupported AEAD', () => {
    const sealed = sealPacket(inner.subarray(0, 100), central.publicKey);
    expect(openSealedPacket(new TextEncoder().encode('garbage!!'), central.privateKey)).toEqual({ ok: false, error: 'bad-magic' });
    const v3 = sealed.slice();
    v3[SEAL_MAGIC.length] = 3;
    expect(openSealedPacket(v3, central.privateKey)).toEqual({ ok: false, error: 'unsupported-version' });
    const otherAead = sealed.slice();
    otherAead[14] = 0x01; // HPKE aead_id 0x0001, AES-128-GCM: not one this format uses
    expect(openSealedPacket(otherAead, central.privateKey)).toEqual({ ok: false, error: 'unsupported-aead' });
    const otherKem = sealed.slice();
    otherKem[10] = 0x10; // kem_id 0x0010, P-256
    expect(openSealedPacket(otherKem, central.privateKey)).toEqual({ ok: false, error: 'unsupported-aead' });
  });

  it('refuses a low-order ephemeral key instead of deriving a predictable secret', () => {
    const sealed = sealPacket(inner.subarray(0, 100), central.publicKey);
    sealed.fill(0, ENC_AT, SEAL_HEADER_LENGTH); // the all-zero point gives an all-zero shared secret
    expect(openSealedPacket(sealed, central.privateKey)).toEqual({ ok: false, error: 'decrypt-failed' });
  });

  it('never throws on random bytes or mutated sealed packets', () => {
    const sealed = sealPacket(inner.subarray(0, 300), central.publicKey, { aead: 'chacha20-poly1305' });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat()).map(([pos, xor, cut]) => {
            const copy = sealed.slice();
            copy[pos % copy.length] = (copy[pos % copy.length] ?? 0) ^ xor;
            return copy.subarray(0, Math.max(cut % (copy.length + 1), pos % copy.length + 1));
          }),
        ),
        (bytes) => {
          expect(openSealedPacket(bytes, central.privateKey).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('still opens a packet sealed before HPKE (format 1), so an outbox from before the change is not lost', () => {
    for (const aead of AEADS) {
      const old = sealV1(inner, central.publicKey, aead);
      const opened = openSealedPacket(old, central.privateKey);
      expect(opened.ok && Buffer.from(opened.inner).equals(inner)).toBe(true);
      const tampered = old.slice();
      tampered[old.length - 1] = (tampered[old.length - 1] ?? 0) ^ 1;
      expect(openSealedPacket(tampered, central.privateKey)).toEqual({ ok: false, error: 'decrypt-failed' });
    }
  });

  it('rejects keys of the wrong kind as a programming error', () => {
    expect(() => sealPacket(inner, generateKeyPairSync('ed25519').publicKey)).toThrow(TypeError);
    expect(() => openSealedPacket(new Uint8Array(10), central.publicKey)).toThrow(TypeError);
  });
});
