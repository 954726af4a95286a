import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPacket, parsePacket } from '../../../../controller/packet/build';
import { canonicalJson } from '../../../../controller/packet/canonical-json';
import { MANIFEST_OFFSET, SIGNATURE_LENGTH } from '../../../../controller/packet/format';
import pkg from '../../../../package.json';
import { keyIdOf, loadOrCreateKioskKeys, type KioskKeys } from '../../../../controller/packet/keys';
import { faceJpeg, makeRecord, type BiometricRecord } from '../../../helpers/enrollment-record';
import type { EnrollmentRecord, FingerRecord } from '../../../../domain/enrollment-record';

let dataDir: string;
let keys: KioskKeys;
let record: BiometricRecord;
let packet: Uint8Array;
let small: Uint8Array;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-packet-'));
  keys = await loadOrCreateKioskKeys(dataDir);
  record = await makeRecord({ exceptionAt: 9 });
  packet = buildPacket(record, keys);
  small = buildPacket(await makeRecord({ fingerSize: { width: 8, height: 8 }, faceSize: { width: 8, height: 8 } }), keys);
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function manifestLength(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, false);
}

/** Re-sign a body with the kiosk key: lets a test forge what only a buggy kiosk could produce. */
function resign(body: Uint8Array): Uint8Array {
  const sig = sign(null, body, keys.privateKey);
  const out = new Uint8Array(body.length + sig.length);
  out.set(body, 0);
  out.set(sig, body.length);
  return out;
}

describe('buildPacket / parsePacket', () => {
  it('round-trips a realistic ~1 MB record exactly', () => {
    expect(packet.length).toBeGreaterThan(700_000); // nine fingerprints: one is an exception
    const parsed = parsePacket(packet, keys.publicKey);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed)}`);
    expect(parsed.record).toEqual(record);
    expect(parsed.manifest.keyId).toBe(keys.keyId);
    expect(parsed.manifest.fingers[9]).toEqual({ position: 'left_little', status: 'exception', reason: 'bandaged', attempts: 3 });
  });

  it('describes every blob in the manifest with type, place and hash', () => {
    const parsed = parsePacket(packet, keys.publicKey);
    if (!parsed.ok) throw new Error('parse failed');
    const blobs = parsed.manifest.blobs;
    expect(blobs.map((b) => b.name)).toEqual([
      ...record.fingers.filter((f) => f.status === 'captured').map((f) => `finger-${f.position}.png`),
      'face.jpg',
      'signature.png',
    ]);
    expect(blobs.find((b) => b.name === 'face.jpg')?.type).toBe('image/jpeg');
    const blobBytes = blobs.reduce((n, b) => n + b.length, 0);
    expect(MANIFEST_OFFSET + manifestLength(packet) + blobBytes + SIGNATURE_LENGTH).toBe(packet.length);
  });

  it('writes the manifest as canonical JSON (RFC 8785) and names the software that built it', () => {
    const bytes = packet.subarray(MANIFEST_OFFSET, MANIFEST_OFFSET + manifestLength(packet));
    const text = new TextDecoder().decode(bytes);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(JSON.parse(text)).toMatchObject({ software: { name: 'cccd-kiosk', version: pkg.version } });
  });

  it('is deterministic for the same record and key', () => {
    expect(Buffer.from(buildPacket(record, keys)).equals(packet)).toBe(true);
  });

  it('refuses an image that is not the type the record claims', () => {
    const bad = { ...record, face: { ...record.face, jpeg: Uint8Array.of(1, 2, 3, 4) } };
    expect(() => buildPacket(bad, keys)).toThrow(/face\.jpg is not image\/jpeg/);
  });

  it('refuses a record whose fingers are missing or out of order', () => {
    expect(() => buildPacket({ ...record, fingers: record.fingers.slice(1) }, keys)).toThrow(/fingers must be/);
    expect(() => buildPacket({ ...record, fingers: [...record.fingers].reverse() }, keys)).toThrow(/fingers must be/);
  });

  it('fails with bad-signature under another kiosk key', () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(parsePacket(packet, other)).toEqual({ ok: false, error: 'bad-signature' });
  });

  it('a flipped byte anywhere makes parse fail with the error for that region', () => {
    const m = manifestLength(packet);
    const positions = new Set<number>([0, 7, 8, 9, 10, 11, 12, MANIFEST_OFFSET + m - 1, MANIFEST_OFFSET + m, packet.length - 65, packet.length - 64, packet.length - 1]);
    for (let p = 0; p < packet.length; p += 4099) positions.add(p);
    for (const pos of positions) {
      const copy = packet.slice();
      copy[pos] = (copy[pos] ?? 0) ^ 0x01;
      const result = parsePacket(copy, keys.publicKey);
      expect(result.ok, `byte ${pos}`).toBe(false);
      if (result.ok) continue;
      if (pos < 8) expect(result.error, `byte ${pos}`).toBe('bad-magic');
      else if (pos < 12) expect(['truncated', 'bad-signature'], `byte ${pos}`).toContain(result.error);
      else expect(result.error, `byte ${pos}`).toBe('bad-signature');
    }
  });

  it('reports truncation, however short the packet', () => {
    for (const length of [0, 3, 8, 12, 40, MANIFEST_OFFSET + 10]) {
      const result = parsePacket(packet.subarray(0, length), keys.publicKey);
      expect(result.ok ? 'ok' : result.error, `length ${length}`).toBe('truncated');
    }
    // cut inside the manifest, leaving more than a signature's worth of bytes
    expect(parsePacket(packet.subarray(0, MANIFEST_OFFSET + 200), keys.publicKey)).toMatchObject({ ok: false, error: 'truncated' });
    // cut inside the blobs: the signature no longer matches
    expect(parsePacket(packet.subarray(0, packet.length - 1000), keys.publicKey)).toMatchObject({ ok: false, error: 'bad-signature' });
  });

  it('reports bad-hash for a blob that changed under a valid signature', () => {
    const body = packet.slice(0, packet.length - SIGNATURE_LENGTH);
    const inBlob = MANIFEST_OFFSET + manifestLength(packet) + 100; // inside the first fingerprint
    body[inBlob] = (body[inBlob] ?? 0) ^ 0xff;
    expect(parsePacket(resign(body), keys.publicKey)).toEqual({ ok: false, error: 'bad-hash', blob: 'finger-right_thumb.png' });
  });

  it('reports bad-manifest for signed JSON that is not a manifest, and for a foreign key id', () => {
    const forge = (json: string): Uint8Array => {
      const manifest = new TextEncoder().encode(json);
      const body = new Uint8Array(MANIFEST_OFFSET + manifest.length);
      body.set(packet.subarray(0, 8), 0);
      new DataView(body.buffer).setUint32(8, manifest.length, false);
      body.set(manifest, MANIFEST_OFFSET);
      return resign(body);
    };
    expect(parsePacket(forge('{"format":"x"}'), keys.publicKey)).toMatchObject({ ok: false, error: 'bad-manifest' });
    expect(parsePacket(forge('not json'), keys.publicKey)).toMatchObject({ ok: false, error: 'bad-manifest' });

    const text = new TextDecoder().decode(packet.subarray(MANIFEST_OFFSET, MANIFEST_OFFSET + manifestLength(packet)));
    const otherId = keyIdOf(generateKeyPairSync('ed25519').publicKey);
    const relabelled = packet.slice(0, packet.length - SIGNATURE_LENGTH);
    relabelled.set(new TextEncoder().encode(text.replace(keys.keyId, otherId)), MANIFEST_OFFSET);
    expect(parsePacket(resign(relabelled), keys.publicKey)).toMatchObject({ ok: false, error: 'bad-manifest', detail: expect.stringContaining(otherId) });
  });
});

describe('what staff need about the fingers', () => {
  /**
   * The right thumb kept below the threshold by the citizen's choice; the left hand declared
   * missing with one photo of it, the right little finger injured with another.
   */
  async function recordWithExceptions(): Promise<{ record: EnrollmentRecord; handPhoto: Uint8Array; fingerPhoto: Uint8Array }> {
    const base = await makeRecord({ fingerSize: { width: 16, height: 16 }, faceSize: { width: 16, height: 16 } });
    const handPhoto = await faceJpeg(5, 64, 48);
    const fingerPhoto = await faceJpeg(6, 48, 64);
    const fingers = base.fingers.map((f, i): FingerRecord => {
      if (i === 0 && f.status === 'captured') return { ...f, score: 27, attempts: 6, belowThreshold: true, threshold: 40 };
      if (i === 4) return { position: f.position, status: 'exception', reason: 'injured', attempts: 2, scope: 'finger', proof: { jpeg: fingerPhoto, width: 48, height: 64 } };
      if (i >= 5) return { position: f.position, status: 'exception', reason: 'amputated', attempts: 0, scope: 'hand', proof: { jpeg: handPhoto, width: 64, height: 48 } };
      return f;
    });
    return { record: { ...base, fingers }, handPhoto, fingerPhoto };
  }

  it('says of each captured finger whether it is below the quality threshold, and which threshold', async () => {
    const { record: r } = await recordWithExceptions();
    const parsed = parsePacket(buildPacket(r, keys), keys.publicKey);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed)}`);
    expect(parsed.manifest.fingers[0]).toMatchObject({ position: 'right_thumb', status: 'captured', score: 27, attempts: 6, belowThreshold: true, threshold: 40 });
    expect(parsed.manifest.fingers[1]).toMatchObject({ position: 'right_index', status: 'captured', belowThreshold: false, threshold: 40 });
    expect(parsed.record.fingers[0]).toMatchObject({ belowThreshold: true, threshold: 40 });
  });

  it('seals the photo proving each exception as a JPEG blob, once per photo, and reads it back with the scope', async () => {
    const { record: r, handPhoto, fingerPhoto } = await recordWithExceptions();
    const parsed = parsePacket(buildPacket(r, keys), keys.publicKey);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed)}`);
    const proofs = parsed.manifest.blobs.filter((b) => b.name.startsWith('finger-exception-'));
    expect(proofs.map((b) => [b.type, b.length])).toEqual([
      ['image/jpeg', fingerPhoto.length],
      ['image/jpeg', handPhoto.length],
    ]);
    expect(parsed.manifest.fingers[4]).toMatchObject({ status: 'exception', reason: 'injured', scope: 'finger', proof: { blob: proofs[0]?.name, width: 48, height: 64 } });
    for (const f of parsed.manifest.fingers.slice(5)) expect(f).toMatchObject({ status: 'exception', scope: 'hand', proof: { blob: proofs[1]?.name, width: 64, height: 48 } });
    expect(parsed.record).toEqual(r);
    const left = parsed.record.fingers[9];
    expect(left?.status === 'exception' && Buffer.from(left.proof?.jpeg ?? []).equals(Buffer.from(handPhoto))).toBe(true);
  });

  it("carries the hall officer's answer about an exception's photo (issue #14) and reads it back", async () => {
    const { record: r } = await recordWithExceptions();
    const fingers = r.fingers.map((f, i): FingerRecord => {
      if (f.status !== 'exception') return f;
      return i === 4 ? { ...f, approval: { outcome: 'approved', officer: 'Trần Thị Bình', refusedBy: ['Lê Văn Cường'] } } : { ...f, approval: { outcome: 'unanswered' } };
    });
    const record = { ...r, fingers };
    const parsed = parsePacket(buildPacket(record, keys), keys.publicKey);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed)}`);
    expect(parsed.manifest.fingers[4]).toMatchObject({ status: 'exception', approval: { outcome: 'approved', officer: 'Trần Thị Bình', refusedBy: ['Lê Văn Cường'] } });
    expect(parsed.manifest.fingers[9]).toMatchObject({ status: 'exception', approval: { outcome: 'unanswered' } });
    expect(parsed.record).toEqual(record);
  });

  it('refuses a proof photo that is not a JPEG', async () => {
    const { record: r } = await recordWithExceptions();
    const fingers = r.fingers.map((f, i): FingerRecord => (i === 4 && f.status === 'exception' ? { ...f, proof: { jpeg: Uint8Array.of(1, 2, 3), width: 1, height: 1 } } : f));
    expect(() => buildPacket({ ...r, fingers }, keys)).toThrow(/finger-exception-.*is not image\/jpeg/);
  });

  it('still reads a packet made before these fields existed', () => {
    const parsed = parsePacket(packet, keys.publicKey);
    if (!parsed.ok) throw new Error('parse failed');
    expect(parsed.manifest.fingers[9]).toEqual({ position: 'left_little', status: 'exception', reason: 'bandaged', attempts: 3 });
  });
});

describe('the application: the case, the invitation, the guardian (issue #15)', () => {
  const GUARDIAN = { document: { kind: 'cccd-qr', idNumber: '001185004321', fields: { fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1985-02-03' }, flags: [] } };

  it('carries the case, what changed, the invitation and its priority group, the age and who signed, and reads them back', async () => {
    const base = await makeRecord({ fingerSize: { width: 8, height: 8 }, faceSize: { width: 8, height: 8 } });
    const r: EnrollmentRecord = {
      ...base,
      application: { case: 'changed', changes: ['address', 'name'], invitationId: 'GM-2026-0001', priority: 'veteran', ageGroup: 'child', ageBasis: 'birth-date', biometrics: 'collected', signedBy: 'guardian' },
      guardian: GUARDIAN,
    };
    const parsed = parsePacket(buildPacket(r, keys), keys.publicKey);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed)}`);
    expect(parsed.manifest.application).toEqual(r.application);
    expect(parsed.manifest.guardian).toEqual(GUARDIAN);
    expect(parsed.record).toEqual(r);
  });

  it('under 6: no fingers and no face, the guardian’s card and signature; read back as such', async () => {
    const base = await makeRecord({ fingerSize: { width: 8, height: 8 }, faceSize: { width: 8, height: 8 } });
    const { face: _face, ...withoutFace } = base;
    const r: EnrollmentRecord = {
      ...withoutFace,
      fingers: [],
      application: { case: 'first', ageGroup: 'infant', ageBasis: 'birth-date', biometrics: 'none-under-6', signedBy: 'guardian' },
      guardian: GUARDIAN,
    };
    const parsed = parsePacket(buildPacket(r, keys), keys.publicKey);
    if (!parsed.ok) throw new Error(`parse failed: ${JSON.stringify(parsed)}`);
    expect(parsed.manifest.fingers).toEqual([]);
    expect(parsed.manifest.face).toBeUndefined();
    expect(parsed.manifest.blobs.map((b) => b.name)).toEqual(['signature.png']);
    expect(parsed.record).toEqual(r);
  });

  it('refuses biometrics in part: a record saying none were taken that has some, or one saying they were that lacks them', async () => {
    const base = await makeRecord({ fingerSize: { width: 8, height: 8 }, faceSize: { width: 8, height: 8 } });
    const none = { case: 'first', ageGroup: 'infant', ageBasis: 'birth-date', biometrics: 'none-under-6', signedBy: 'guardian' } as const;
    expect(() => buildPacket({ ...base, application: none }, keys)).toThrow(/biometrics in a record that says none/);
    const { face: _face, ...withoutFace } = base;
    expect(() => buildPacket(withoutFace, keys)).toThrow(/no face photo/);
    expect(() => buildPacket({ ...withoutFace, fingers: [], application: { ...none, biometrics: 'collected' } }, keys)).toThrow(/no face photo/);
  });

  it('a signed manifest that says none were taken yet lists fingers is refused as bad-manifest', () => {
    const text = new TextDecoder().decode(packet.subarray(MANIFEST_OFFSET, MANIFEST_OFFSET + manifestLength(packet)));
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) throw new Error('manifest is not an object');
    const lying = canonicalJson({ ...json, application: { case: 'first', ageGroup: 'infant', ageBasis: 'birth-date', biometrics: 'none-under-6', signedBy: 'guardian' } });
    const bytes = new TextEncoder().encode(lying);
    const blobs = packet.subarray(MANIFEST_OFFSET + manifestLength(packet), packet.length - SIGNATURE_LENGTH);
    const body = new Uint8Array(MANIFEST_OFFSET + bytes.length + blobs.length);
    body.set(packet.subarray(0, 8), 0);
    new DataView(body.buffer).setUint32(8, bytes.length, false);
    body.set(bytes, MANIFEST_OFFSET);
    body.set(blobs, MANIFEST_OFFSET + bytes.length);
    expect(parsePacket(resign(body), keys.publicKey)).toMatchObject({ ok: false, error: 'bad-manifest', detail: expect.stringMatching(/fingers/) });
  });

  it('still reads a packet made before the application existed, without one', () => {
    const parsed = parsePacket(packet, keys.publicKey);
    expect(parsed.ok && parsed.manifest.application).toBeUndefined();
    expect(parsed.ok && parsed.record.guardian).toBeUndefined();
  });
});

describe('parsePacket on hostile input', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(parsePacket(bytes, keys.publicKey).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated packets and never accepts one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(), { nil: undefined }),
        (flips, cut) => {
          const copy = small.slice();
          for (const [pos, xor] of flips) copy[pos % copy.length] = (copy[pos % copy.length] ?? 0) ^ xor;
          const mutated = cut === undefined ? copy : copy.subarray(0, cut % copy.length);
          expect(parsePacket(mutated, keys.publicKey).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on validly signed but arbitrary manifests and blob sections', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), fc.uint8Array({ maxLength: 256 }), (json, blobs) => {
        const manifest = new TextEncoder().encode(json);
        const body = new Uint8Array(MANIFEST_OFFSET + manifest.length + blobs.length);
        body.set(new TextEncoder().encode('CCCDPKT1'), 0);
        new DataView(body.buffer).setUint32(8, manifest.length, false);
        body.set(manifest, MANIFEST_OFFSET);
        body.set(blobs, MANIFEST_OFFSET + manifest.length);
        expect(parsePacket(resign(body), keys.publicKey)).toMatchObject({ ok: false, error: 'bad-manifest' });
      }),
      { numRuns: 300 },
    );
  });
});
