import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCentralPublicKey, rawPublicKey } from '../../../../controller/packet/keys';
import { openSealedPacket, sealPacket } from '../../../../controller/packet/seal';
import { ackReplySchema, refusalSchema, verifyAck } from '../../../../controller/sync/protocol';
import { makeTestKiosk, postPacket, sealedPacket, startTestReceiver, type TestKiosk, type TestReceiver } from '../../../helpers/test-receiver';
import type { UploadOutcome } from '../../../../controller/sync/transport';

/**
 * The reference receiver over real HTTPS on loopback: what it stores, what it answers, and
 * what it refuses, with which reason.
 */

let receiver: TestReceiver;
let kiosk: TestKiosk;
let stranger: TestKiosk;

beforeAll(async () => {
  receiver = await startTestReceiver({ maxPacketBytes: 4 * 1024 * 1024 });
  kiosk = await makeTestKiosk('KIOSK-045-0007');
  stranger = await makeTestKiosk('KIOSK-999-0001');
  await receiver.register(kiosk);
});
afterAll(async () => {
  await receiver.dispose();
});

function reply(outcome: UploadOutcome): { status: number; json: unknown } {
  if (outcome.kind !== 'reply') throw new Error(`no reply: ${outcome.error} ${outcome.detail}`);
  return { status: outcome.status, json: outcome.json };
}

function refusal(outcome: UploadOutcome): { status: number; error: string; reason: string } {
  const r = reply(outcome);
  const body = refusalSchema.parse(r.json);
  return { status: r.status, ...body };
}

async function ackKey() {
  return createPublicKey(await readFile(receiver.ackPublicKeyPath, 'utf8'));
}

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(path.join(receiver.dir, 'store', 'packets'), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('the central receiver accepts a packet', () => {
  it('stores it and answers an ack signed by its ack key naming the record, the hash, the time and the key', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const before = Date.now();
    const r = reply(await postPacket(receiver, { kiosk, packet: p }));
    expect(r.status).toBe(201);
    const body = ackReplySchema.parse(r.json);
    const checked = verifyAck(body, { recordId: p.id, kioskId: kiosk.kioskId, packetSha256: p.sha256 }, await ackKey());
    if (!checked.ok) throw new Error(checked.reason);
    expect(checked.value.ack).toMatchObject({ recordId: p.id, kioskId: kiosk.kioskId, packetSha256: p.sha256, size: p.sealed.length });
    expect(Date.parse(checked.value.ack.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    const stored = await receiver.store.get(p.id);
    expect(stored && Buffer.from(stored.sealed).equals(p.sealed)).toBe(true);
  });

  it('keeps the packet sealed at rest: no image or ID number in the store, yet it opens with the centre key', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    expect(reply(await postPacket(receiver, { kiosk, packet: p })).status).toBe(201);
    const files = await readdir(path.join(receiver.dir, 'store'), { recursive: true, withFileTypes: true });
    for (const f of files.filter((e) => e.isFile())) {
      const bytes = await readFile(path.join(f.parentPath, f.name));
      expect(bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(false); // PNG
      expect(bytes.includes(Buffer.from('045201001234'))).toBe(false); // the ID number
    }
    const stored = await receiver.store.get(p.id);
    const { loadOrCreateCentralKeys } = await import('../../../../controller/central/keys');
    const keys = await loadOrCreateCentralKeys(receiver.dir);
    expect(stored && openSealedPacket(stored.sealed, keys.privateKey).ok).toBe(true);
  });

  it('stores a retried packet once and answers the same ack', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const first = reply(await postPacket(receiver, { kiosk, packet: p }));
    const second = reply(await postPacket(receiver, { kiosk, packet: p }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(ackReplySchema.parse(second.json).ack).toEqual(ackReplySchema.parse(first.json).ack);
    expect(ackReplySchema.parse(second.json).signature).toBe(ackReplySchema.parse(first.json).signature);
    expect((await storedFiles()).filter((n) => n.startsWith(p.id))).toHaveLength(2); // its record and its bytes
  });

  it('stores one copy when the same packet arrives on several connections at once', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const replies = await Promise.all(Array.from({ length: 6 }, () => postPacket(receiver, { kiosk, packet: p })));
    const statuses = replies.map((o) => reply(o).status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 201]);
    const acks = new Set(replies.map((o) => JSON.stringify(ackReplySchema.parse(reply(o).json).ack)));
    expect(acks.size).toBe(1);
    let n = 0;
    for await (const m of receiver.store.list()) if (m.recordId === p.id) n++;
    expect(n).toBe(1);
  });
});

describe('the central receiver refuses, with a reason', () => {
  it('a replay: the same record id with other bytes (409), keeping the first', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    expect(reply(await postPacket(receiver, { kiosk, packet: p })).status).toBe(201);
    const other = await sealedPacket(kiosk, receiver.centralPublicKey, { id: p.id });
    expect(other.sha256).not.toBe(p.sha256);
    const r = refusal(await postPacket(receiver, { kiosk, packet: other }));
    expect(r).toMatchObject({ status: 409, error: 'replayed' });
    expect(r.reason).toMatch(/already stored with other bytes/);
    expect((await receiver.store.meta(p.id))?.packetSha256).toBe(p.sha256);
  });

  it('a body that is not the one the kiosk declared and signed (422 tampered)', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const body = Uint8Array.from(p.sealed);
    body[100] = (body[100] ?? 0) ^ 0x01;
    expect(refusal(await postPacket(receiver, { kiosk, packet: p, body }))).toMatchObject({ status: 422, error: 'tampered' });
    expect(await receiver.store.has(p.id)).toBe(false);
  });

  it('a ciphertext changed before the kiosk hashed and signed it (422 tampered: it does not decrypt)', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const body = Uint8Array.from(p.sealed);
    body[body.length - 200] = (body[body.length - 200] ?? 0) ^ 0x80;
    const forged = { ...p, sealed: body, sha256: createHash('sha256').update(body).digest('hex') };
    const r = refusal(await postPacket(receiver, { kiosk, packet: forged }));
    expect(r).toMatchObject({ status: 422, error: 'tampered' });
    expect(r.reason).toMatch(/does not decrypt/);
    expect(await receiver.store.has(p.id)).toBe(false);
  });

  it('an image that does not match its manifest hash, even under a valid kiosk signature (422 tampered)', async () => {
    const central = await loadCentralKeysPrivate();
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const opened = openSealedPacket(p.sealed, central);
    if (!opened.ok) throw new Error(opened.error);
    const inner = Uint8Array.from(opened.inner);
    inner[inner.length - 64 - 10] = (inner[inner.length - 64 - 10] ?? 0) ^ 0xff; // inside the last blob
    inner.set(sign(null, inner.subarray(0, inner.length - 64), kiosk.keys.privateKey), inner.length - 64);
    const sealed = sealPacket(inner, receiver.centralPublicKey);
    const forged = { id: p.id, sealed, sha256: createHash('sha256').update(sealed).digest('hex') };
    const r = refusal(await postPacket(receiver, { kiosk, packet: forged }));
    expect(r).toMatchObject({ status: 422, error: 'tampered' });
    expect(r.reason).toMatch(/does not match its hash/);
  });

  it('an unknown kiosk (403 foreign)', async () => {
    const p = await sealedPacket(stranger, receiver.centralPublicKey);
    const r = refusal(await postPacket(receiver, { kiosk: stranger, packet: p }));
    expect(r).toMatchObject({ status: 403, error: 'foreign' });
    expect(r.reason).toMatch(/KIOSK-999-0001 is not registered/);
  });

  it('a request for a registered kiosk signed by another key (403 foreign)', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const r = refusal(await postPacket(receiver, { kiosk, packet: p, signWith: stranger.keys.privateKey }));
    expect(r).toMatchObject({ status: 403, error: 'foreign' });
    expect(await receiver.store.has(p.id)).toBe(false);
  });

  it("a packet signed by another kiosk's key, sent under a registered kiosk's name (403 foreign)", async () => {
    // The stranger's packet claims the registered kiosk's id; only the request is signed right.
    const p = await sealedPacket({ ...stranger, kioskId: kiosk.kioskId }, receiver.centralPublicKey);
    const r = refusal(await postPacket(receiver, { kiosk, packet: p }));
    expect(r).toMatchObject({ status: 403, error: 'foreign' });
    expect(r.reason).toMatch(/packet is not signed by the key registered/);
  });

  it('a packet sealed to another centre key (422 wrong-recipient)', async () => {
    const p = await sealedPacket(kiosk, generateKeyPairSync('x25519').publicKey);
    expect(refusal(await postPacket(receiver, { kiosk, packet: p }))).toMatchObject({ status: 422, error: 'wrong-recipient' });
  });

  it.each([
    ['cut to its first 40 bytes', (s: Uint8Array) => s.subarray(0, 40), 'truncated'],
    ['bytes that are not a sealed packet', (s: Uint8Array) => new TextEncoder().encode(`hello ${s.length}`), 'malformed'],
    ['an empty body', () => new Uint8Array(0), 'truncated'],
  ])('%s (400)', async (_what, cut, error) => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const sealed = cut(p.sealed);
    const forged = { id: p.id, sealed, sha256: createHash('sha256').update(sealed).digest('hex') };
    expect(refusal(await postPacket(receiver, { kiosk, packet: forged }))).toMatchObject({ status: 400, error });
    expect(await receiver.store.has(p.id)).toBe(false);
  });

  it('a packet cut short in the middle (422: it does not decrypt, nothing stored)', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const sealed = p.sealed.subarray(0, Math.floor(p.sealed.length / 2));
    const forged = { id: p.id, sealed, sha256: createHash('sha256').update(sealed).digest('hex') };
    const r = refusal(await postPacket(receiver, { kiosk, packet: forged }));
    expect(r.status).toBe(422);
    expect(r.reason).toMatch(/cut short/);
  });

  it.each([
    ['no packet hash header', { 'x-cccd-packet-sha256': undefined }, /x-cccd-packet-sha256/],
    ['no audit head', { 'x-cccd-audit-head': undefined }, /x-cccd-audit-head/],
    ['an audit head that is not seq:hash', { 'x-cccd-audit-head': '12' }, /x-cccd-audit-head/],
    ['no request signature', { 'x-cccd-request-signature': undefined }, /x-cccd-request-signature/],
  ])('a request with %s (400 malformed)', async (_what, headers, reason) => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const r = refusal(await postPacket(receiver, { kiosk, packet: p, headers }));
    expect(r).toMatchObject({ status: 400, error: 'malformed' });
    expect(r.reason).toMatch(reason);
  });

  it('a packet sent under another record id than its manifest names (400 malformed)', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const r = refusal(await postPacket(receiver, { kiosk, packet: p, recordId: '00000000-0000-4000-8000-000000000001' }));
    expect(r).toMatchObject({ status: 400, error: 'malformed' });
    expect(r.reason).toMatch(/sent as 00000000-0000-4000-8000-000000000001/);
  });

  it('a path that is not a packet upload (404)', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    expect(refusal(await postPacket(receiver, { kiosk, packet: p, recordId: 'not-a-uuid' })).status).toBe(404);
  });

  it('a body larger than the limit (413), before reading it', async () => {
    const p = await sealedPacket(kiosk, receiver.centralPublicKey);
    const body = new Uint8Array(5 * 1024 * 1024);
    const r = await postPacket(receiver, { kiosk, packet: p, body });
    // The receiver may answer before the upload finished and close: a refusal, or a cut.
    if (r.kind === 'reply') expect(r.status).toBe(413);
    else expect(r.error).toBe('connection');
    expect(await receiver.store.has(p.id)).toBe(false);
  });
});

describe('the audit head each request carries', () => {
  const hash = (n: number) => createHash('sha256').update(`entry ${n}`).digest('hex');

  it('refuses a new packet whose head is lower than one seen before (rows cut off the end), and flags the kiosk', async () => {
    const k = await makeTestKiosk('KIOSK-HEAD-01');
    await receiver.register(k);
    const a = await sealedPacket(k, receiver.centralPublicKey);
    expect(reply(await postPacket(receiver, { kiosk: k, packet: a, head: { seq: 10, hash: hash(10) } })).status).toBe(201);
    const b = await sealedPacket(k, receiver.centralPublicKey);
    const r = refusal(await postPacket(receiver, { kiosk: k, packet: b, head: { seq: 7, hash: hash(7) } }));
    expect(r).toMatchObject({ status: 409, error: 'audit-rollback' });
    expect(r.reason).toMatch(/ends at entry 7.*reach 10/);
    expect(await receiver.store.has(b.id)).toBe(false);
    expect(await receiver.store.flags()).toContainEqual(expect.objectContaining({ kioskId: 'KIOSK-HEAD-01', kind: 'audit-rollback' }));
    // The same packet with a head that went on is taken.
    expect(reply(await postPacket(receiver, { kiosk: k, packet: b, head: { seq: 12, hash: hash(12) } })).status).toBe(201);
  });

  it('refuses a head at a seen seq with another hash (rewritten), and an anchor that differs (cut, then grown again)', async () => {
    const k = await makeTestKiosk('KIOSK-HEAD-02');
    await receiver.register(k);
    const a = await sealedPacket(k, receiver.centralPublicKey);
    const first = reply(await postPacket(receiver, { kiosk: k, packet: a, head: { seq: 5, hash: hash(5) } }));
    expect(ackReplySchema.parse(first.json).auditHead).toEqual({ seq: 5, hash: hash(5) });
    const b = await sealedPacket(k, receiver.centralPublicKey);
    expect(refusal(await postPacket(receiver, { kiosk: k, packet: b, head: { seq: 5, hash: hash(55) } })).error).toBe('audit-rollback');
    const grown = refusal(await postPacket(receiver, { kiosk: k, packet: b, head: { seq: 40, hash: hash(40) }, anchor: { seq: 5, hash: hash(55) } }));
    expect(grown).toMatchObject({ status: 409, error: 'audit-rollback' });
    expect(grown.reason).toMatch(/grew again/);
    // With its true anchor the kiosk's next packet goes through.
    expect(reply(await postPacket(receiver, { kiosk: k, packet: b, head: { seq: 40, hash: hash(40) }, anchor: { seq: 5, hash: hash(5) } })).status).toBe(201);
  });

  it('answers a retry of a stored packet with its ack even when its head is old (a lost reply is not an attack)', async () => {
    const k = await makeTestKiosk('KIOSK-HEAD-03');
    await receiver.register(k);
    const a = await sealedPacket(k, receiver.centralPublicKey);
    const b = await sealedPacket(k, receiver.centralPublicKey);
    expect(reply(await postPacket(receiver, { kiosk: k, packet: a, head: { seq: 3, hash: hash(3) } })).status).toBe(201);
    expect(reply(await postPacket(receiver, { kiosk: k, packet: b, head: { seq: 9, hash: hash(9) } })).status).toBe(201);
    expect(reply(await postPacket(receiver, { kiosk: k, packet: a, head: { seq: 3, hash: hash(3) } })).status).toBe(200);
  });

  it('does not let a request signed by another key move a kiosk head', async () => {
    const k = await makeTestKiosk('KIOSK-HEAD-04');
    await receiver.register(k);
    const a = await sealedPacket(k, receiver.centralPublicKey);
    expect(refusal(await postPacket(receiver, { kiosk: k, packet: a, head: { seq: 1_000_000, hash: hash(1) }, signWith: stranger.keys.privateKey })).error).toBe('foreign');
    expect(await receiver.store.auditHeads(k.kioskId)).toBeNull();
    expect(reply(await postPacket(receiver, { kiosk: k, packet: a, head: { seq: 2, hash: hash(2) } })).status).toBe(201);
  });
});

describe('the receiver keys', () => {
  it('keeps its ack key, its TLS key and its central key across restarts in the same directory', async () => {
    const again = await startTestReceiver({ dir: receiver.dir });
    try {
      expect(again.pin).toBe(receiver.pin);
      expect(await readFile(again.ackPublicKeyPath, 'utf8')).toBe(await readFile(receiver.ackPublicKeyPath, 'utf8'));
      expect(rawPublicKey(await loadCentralPublicKey(again.centralPublicKeyPath))).toEqual(rawPublicKey(receiver.centralPublicKey));
    } finally {
      await again.close();
    }
  });
});

async function loadCentralKeysPrivate() {
  const { loadOrCreateCentralKeys } = await import('../../../../controller/central/keys');
  return (await loadOrCreateCentralKeys(receiver.dir)).privateKey;
}
