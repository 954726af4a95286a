import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../../../controller/packet/keys';
import { parseAuditPoint, signAck, signRequest, signedRequest, verifyAck, verifyRequestSignature, type Ack } from '../../../../controller/sync/protocol';

const receiver = generateKeyPairSync('ed25519');
const kiosk = generateKeyPairSync('ed25519');
const ack: Ack = {
  format: 'cccd-central-ack',
  version: 1,
  recordId: '6f1c1f0e-8a55-4f7a-9a43-2f1d1b7b9c10',
  kioskId: 'KIOSK-045-0007',
  packetSha256: 'ab'.repeat(32),
  size: 1_048_576,
  receivedAt: '2025-03-14T08:05:00.000Z',
  receiverKeyId: keyIdOf(receiver.publicKey),
};
const expected = { recordId: ack.recordId, kioskId: ack.kioskId, packetSha256: ack.packetSha256 };

describe('the signed acknowledgement', () => {
  it('verifies with the receiver key and keeps the exact signed text', () => {
    const signature = signAck(ack, receiver.privateKey);
    const r = verifyAck({ ack, signature }, expected, receiver.publicKey);
    expect(r.ok && r.value.ackJson).toBe(JSON.stringify(Object.fromEntries(Object.entries(ack).sort(([a], [b]) => (a < b ? -1 : 1)))));
  });

  it.each([
    ['another key signed it', () => ({ ack, signature: signAck(ack, kiosk.privateKey) }), /does not verify/],
    ['a field changed after signing', () => ({ ack: { ...ack, receivedAt: '2025-03-15T08:05:00.000Z' }, signature: signAck(ack, receiver.privateKey) }), /does not verify/],
    ['the signature is not base64 of 64 bytes', () => ({ ack, signature: 'not-a-signature' }), /does not verify/],
    ['it acknowledges another packet', () => ({ ack: { ...ack, recordId: '00000000-0000-4000-8000-000000000000' }, signature: signAck({ ...ack, recordId: '00000000-0000-4000-8000-000000000000' }, receiver.privateKey) }), /another packet/],
    ['it names other bytes', () => ({ ack: { ...ack, packetSha256: 'cd'.repeat(32) }, signature: signAck({ ...ack, packetSha256: 'cd'.repeat(32) }, receiver.privateKey) }), /other bytes/],
    ['it is for another kiosk', () => ({ ack: { ...ack, kioskId: 'KIOSK-2' }, signature: signAck({ ...ack, kioskId: 'KIOSK-2' }, receiver.privateKey) }), /another kiosk/],
    ['it has a field the kiosk does not know', () => ({ ack: { ...ack, extra: 1 }, signature: signAck(ack, receiver.privateKey) }), /not one this kiosk understands/],
  ])('is refused when %s', (_what, make, reason) => {
    const r = verifyAck(make(), expected, receiver.publicKey);
    expect(r.ok ? 'accepted' : r.reason).toMatch(reason);
  });
});

describe('the signed acknowledgement, whichever way it came (network reply or a file on a stick)', () => {
  const signed = (a: Ack = ack) => ({ ack: a, signature: signAck(a, receiver.privateKey) });

  it.each([
    ['the record id', { recordId: '00000000-0000-4000-8000-000000000000' }],
    ['the packet hash', { packetSha256: 'cd'.repeat(32) }],
    ['the time', { receivedAt: '2025-03-21T10:00:00.000Z' }],
    ['the size', { size: 1 }],
  ])('changed after signing (%s) is a bad signature', (_what, change) => {
    const r = verifyAck({ ...signed(), ack: { ...ack, ...change } }, expected, receiver.publicKey);
    expect(r.ok ? 'accepted' : r.code).toBe('bad-signature');
  });

  it('signed by another receiver key is wrong-key (the kiosk trusts another key), and one claiming our key id is a bad signature', () => {
    const other = generateKeyPairSync('ed25519');
    const theirs = { ...ack, receiverKeyId: keyIdOf(other.publicKey) };
    const r1 = verifyAck({ ack: theirs, signature: signAck(theirs, other.privateKey) }, expected, receiver.publicKey);
    expect(r1.ok ? 'accepted' : [r1.code, r1.reason]).toEqual([
      'wrong-key',
      `the acknowledgement's signature does not verify with the receiver's ack key: it names receiver key ${keyIdOf(other.publicKey)}, this kiosk trusts ${keyIdOf(receiver.publicKey)}`,
    ]);
    const r2 = verifyAck({ ack, signature: signAck(ack, other.privateKey) }, expected, receiver.publicKey);
    expect(r2.ok ? 'accepted' : r2.code).toBe('bad-signature');
  });

  it.each([
    ['not an object', 'an ack'],
    ['an array', []],
    ['nothing', null],
    ['a field missing', { ...ack, size: undefined }],
    ['a hash that is no hash', { ...ack, packetSha256: 'xyz' }],
    ['a time that is no time', { ...ack, receivedAt: 'yesterday' }],
    ['another format', { ...ack, format: 'cccd-kiosk-export' }],
    ['an added field', { ...ack, acceptedBy: 'someone' }],
  ])('that is %s is malformed, never a throw', (_what, value) => {
    const r = verifyAck({ ack: value, signature: 'AAAA' }, expected, receiver.publicKey);
    expect(r.ok ? 'accepted' : r.code).toBe('malformed');
  });

  it('a signature of the wrong length, or no base64 at all, does not verify', () => {
    for (const signature of [Buffer.alloc(63).toString('base64'), '', '!!!']) {
      const r = verifyAck({ ack, signature }, expected, receiver.publicKey);
      expect(r.ok ? 'accepted' : r.code).toBe('bad-signature');
    }
  });

  it('names what does not match what the kiosk holds', () => {
    const cases: Array<[Partial<Ack>, string]> = [
      [{ recordId: '00000000-0000-4000-8000-000000000000' }, 'other-record'],
      [{ kioskId: 'KIOSK-2' }, 'other-kiosk'],
      [{ packetSha256: 'cd'.repeat(32) }, 'other-bytes'],
    ];
    for (const [change, code] of cases) {
      const r = verifyAck(signed({ ...ack, ...change }), expected, receiver.publicKey);
      expect(r.ok ? 'accepted' : r.code).toBe(code);
    }
    expect(verifyAck(signed(), expected, receiver.publicKey).ok).toBe(true);
  });
});

describe('the signed request', () => {
  const head = { seq: 12, hash: 'ef'.repeat(32) };
  const body = signedRequest({ ...expected, head, anchor: null });

  it('binds the packet, the head and the anchor: changing any breaks the signature', () => {
    const signature = signRequest(body, kiosk.privateKey);
    expect(verifyRequestSignature(body, signature, kiosk.publicKey)).toBe(true);
    for (const other of [
      signedRequest({ ...expected, head: { ...head, seq: 13 }, anchor: null }),
      signedRequest({ ...expected, head, anchor: { seq: 3, hash: 'ef'.repeat(32) } }),
      signedRequest({ ...expected, recordId: '00000000-0000-4000-8000-000000000000', head, anchor: null }),
      signedRequest({ ...expected, packetSha256: '00'.repeat(32), head, anchor: null }),
    ]) {
      expect(verifyRequestSignature(other, signature, kiosk.publicKey)).toBe(false);
    }
    expect(verifyRequestSignature(body, signature, receiver.publicKey)).toBe(false);
  });

  it('reads audit points written as seq:hash and nothing else', () => {
    expect(parseAuditPoint(`12:${'ef'.repeat(32)}`)).toEqual(head);
    for (const bad of [undefined, '', 'none', '12', `-1:${'ef'.repeat(32)}`, `12:${'EF'.repeat(32)}`, `12:${'ef'.repeat(31)}`, `1.5:${'ef'.repeat(32)}`]) {
      expect(parseAuditPoint(bad)).toBeNull();
    }
  });
});
