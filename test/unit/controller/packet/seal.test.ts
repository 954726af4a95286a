import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPacket, parsePacket } from '../../../../controller/packet/build';
import { loadOrCreateKioskKeys, type KioskKeys } from '../../../../controller/packet/keys';
import { AEADS, SEAL_MAGIC, openSealedPacket, sealPacket } from '../../../../controller/packet/seal';
import { makeRecord } from '../../../helpers/enrollment-record';
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

const headerLength = (aead: string): number => SEAL_MAGIC.length + 2 + aead.length + 32 + 12 + 8;

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

  it('uses a fresh ephemeral key and nonce every time', () => {
    const a = sealPacket(inner, central.publicKey, { aead });
    const b = sealPacket(inner, central.publicKey, { aead });
    const h = headerLength(aead);
    expect(Buffer.from(a.subarray(h - 52, h - 8)).equals(b.subarray(h - 52, h - 8))).toBe(false);
  });

  it('fails cleanly with the wrong private key', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    const stranger = generateKeyPairSync('x25519').privateKey;
    expect(openSealedPacket(sealed, stranger)).toEqual({ ok: false, error: 'wrong-recipient' });
  });

  it('fails cleanly when any header byte after the magic is changed', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    for (let pos = SEAL_MAGIC.length; pos < headerLength(aead); pos++) {
      const copy = sealed.slice();
      copy[pos] = (copy[pos] ?? 0) ^ 0x01;
      const result = openSealedPacket(copy, central.privateKey);
      expect(result.ok, `header byte ${pos}`).toBe(false);
    }
    // the nonce and ephemeral key are only protected by the AEAD tag: that is what must catch them
    const nonceAt = headerLength(aead) - 8 - 1;
    const copy = sealed.slice();
    copy[nonceAt] = (copy[nonceAt] ?? 0) ^ 0x80;
    expect(openSealedPacket(copy, central.privateKey)).toEqual({ ok: false, error: 'decrypt-failed' });
  });

  it('fails cleanly when ciphertext or tag is changed, or the end is cut off', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    for (const pos of [headerLength(aead), headerLength(aead) + 500_000, sealed.length - 17, sealed.length - 1]) {
      const copy = sealed.slice();
      copy[pos] = (copy[pos] ?? 0) ^ 0x01;
      expect(openSealedPacket(copy, central.privateKey), `byte ${pos}`).toEqual({ ok: false, error: 'decrypt-failed' });
    }
    expect(openSealedPacket(sealed.subarray(0, sealed.length - 1), central.privateKey)).toEqual({ ok: false, error: 'decrypt-failed' });
    expect(openSealedPacket(sealed.subarray(0, headerLength(aead) + 3), central.privateKey)).toEqual({ ok: false, error: 'truncated' });
  });

  it('leaks no plaintext: no image magic, no fingerprint bytes, no personal data', () => {
    const sealed = sealPacket(inner, central.publicKey, { aead });
    const enc = new TextEncoder();
    // Full 8-byte PNG signature; for JPEG the blob's own first 16 bytes (a bare 3-byte FF D8 FF
    // would turn up in 1 MB of random ciphertext by chance about once in sixteen runs).
    expect(contains(sealed, Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe(false);
    expect(contains(sealed, record.face.jpeg.subarray(0, 16))).toBe(false);
    expect(contains(inner, record.face.jpeg.subarray(0, 16))).toBe(true); // the probe is a real one
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
    const v2 = sealed.slice();
    v2[SEAL_MAGIC.length] = 2;
    expect(openSealedPacket(v2, central.privateKey)).toEqual({ ok: false, error: 'unsupported-version' });
    const renamed = sealed.slice();
    renamed[SEAL_MAGIC.length + 2] = 0x62; // "bes-256-gcm"
    expect(openSealedPacket(renamed, central.privateKey)).toEqual({ ok: false, error: 'unsupported-aead' });
  });

  it('refuses a low-order ephemeral key instead of deriving a predictable secret', () => {
    const sealed = sealPacket(inner.subarray(0, 100), central.publicKey);
    const ephAt = headerLength('aes-256-gcm') - 8 - 12 - 32;
    sealed.fill(0, ephAt, ephAt + 32); // the all-zero point gives an all-zero shared secret
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

  it('rejects keys of the wrong kind as a programming error', () => {
    expect(() => sealPacket(inner, generateKeyPairSync('ed25519').publicKey)).toThrow(TypeError);
    expect(() => openSealedPacket(new Uint8Array(10), central.publicKey)).toThrow(TypeError);
  });
});
