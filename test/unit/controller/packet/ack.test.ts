import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ackJson, signAck, verifyAck } from '../../../../controller/packet/ack';
import { canonicalJson } from '../../../../controller/packet/canonical-json';
import { keyIdOf } from '../../../../controller/packet/keys';

/** The receiver's acknowledgement (controller/packet/ack.ts): one format, online or on media. */

const receiver = generateKeyPairSync('ed25519');
const fields = { recordId: '3f1c2b0e-4a5d-4e6f-8a7b-9c0d1e2f3a4b', packetSha256: 'ab'.repeat(32), receivedAt: '2025-03-20T10:00:00.000Z' };

describe('an ack', () => {
  it('is canonical JSON with exactly the agreed fields, and verifies with the receiver key', () => {
    const ack = signAck(fields, receiver.privateKey);
    const text = ackJson(ack);
    expect(Object.keys(JSON.parse(text))).toEqual(['packetSha256', 'receivedAt', 'receiverKeyId', 'recordId', 'signature']);
    expect(ack.receiverKeyId).toBe(keyIdOf(receiver.publicKey));
    expect(verifyAck(text, receiver.publicKey)).toEqual({ ok: true, ack });
    expect(verifyAck(Buffer.from(text), receiver.publicKey).ok).toBe(true);
    // The signature is over the canonical JSON without the signature: any implementation can check it.
    const { signature: _s, ...payload } = ack;
    expect(canonicalJson(payload)).toBe(`{"packetSha256":"${fields.packetSha256}","receivedAt":"${fields.receivedAt}","receiverKeyId":"${ack.receiverKeyId}","recordId":"${fields.recordId}"}`);
  });

  it.each([
    ['the record id', { recordId: '00000000-0000-4000-8000-000000000000' }],
    ['the packet hash', { packetSha256: 'cd'.repeat(32) }],
    ['the time', { receivedAt: '2025-03-21T10:00:00.000Z' }],
    ['an added field', { acceptedBy: 'someone' }],
  ])('changed after signing (%s) does not verify', (_what, change) => {
    const ack = { ...signAck(fields, receiver.privateKey), ...change };
    expect(verifyAck(JSON.stringify(ack), receiver.publicKey)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('signed by another receiver key is refused as wrong-key, and one claiming our key id as bad-signature', () => {
    const other = generateKeyPairSync('ed25519');
    const theirs = signAck(fields, other.privateKey);
    expect(verifyAck(theirs, receiver.publicKey)).toMatchObject({ ok: false, reason: 'wrong-key' });
    expect(verifyAck({ ...theirs, receiverKeyId: keyIdOf(receiver.publicKey) }, receiver.publicKey)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    ['not JSON', '{"recordId":'],
    ['not UTF-8', Buffer.from([0xff, 0xfe, 0x00])],
    ['a field missing', JSON.stringify({ recordId: 'x', packetSha256: 'ab'.repeat(32), receivedAt: '2025-03-20T10:00:00.000Z', signature: 'AAAA' })],
    ['a hash that is no hash', JSON.stringify({ ...fields, packetSha256: 'xyz', receiverKeyId: '0'.repeat(16), signature: 'AAAA' })],
    ['a time that is no time', JSON.stringify({ ...fields, receivedAt: 'yesterday', receiverKeyId: '0'.repeat(16), signature: 'AAAA' })],
    ['an array', '[]'],
    ['nothing', ''],
  ])('that is %s is malformed, never a throw', (_what, input) => {
    expect(verifyAck(input, receiver.publicKey)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('a signature of the wrong length does not verify', () => {
    const ack = signAck(fields, receiver.privateKey);
    expect(verifyAck({ ...ack, signature: Buffer.alloc(63).toString('base64') }, receiver.publicKey)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses keys of the wrong kind, as a programming error', () => {
    const x = generateKeyPairSync('x25519');
    expect(() => signAck(fields, x.privateKey)).toThrow(/Ed25519 private key/);
    expect(() => signAck(fields, receiver.publicKey)).toThrow(/Ed25519 private key/);
    expect(() => verifyAck('{}', receiver.privateKey)).toThrow(/Ed25519 public key/);
  });
});
