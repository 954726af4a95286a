import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFsCentralStore } from '../../../../controller/central/fs-store';
import type { CentralStore, StoredPacket } from '../../../../controller/central/store';

let dir: string;
let store: CentralStore;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'central-store-'));
  store = openFsCentralStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function packet(recordId: string = randomUUID(), bytes: Uint8Array = randomBytes(3000)): { meta: StoredPacket; bytes: Uint8Array } {
  const packetSha256 = createHash('sha256').update(bytes).digest('hex');
  const receivedAt = '2025-03-14T08:05:00.000Z';
  return {
    bytes,
    meta: {
      recordId,
      kioskId: 'KIOSK-1',
      packetSha256,
      size: bytes.length,
      receivedAt,
      kioskKeyId: '0123456789abcdef',
      ack: { format: 'cccd-central-ack', version: 1, recordId, kioskId: 'KIOSK-1', packetSha256, size: bytes.length, receivedAt, receiverKeyId: 'fedcba9876543210' },
      ackSignature: 'c2ln',
    },
  };
}

describe('the filesystem central store', () => {
  it('stores a packet once: the second put of the id gets the first record back', async () => {
    const a = packet();
    expect(await store.put(a.meta, a.bytes)).toEqual({ created: true });
    const again = packet(a.meta.recordId);
    expect(await store.put(again.meta, again.bytes)).toEqual({ created: false, existing: a.meta });
    const got = await store.get(a.meta.recordId);
    expect(got && Buffer.from(got.sealed).equals(a.bytes)).toBe(true);
    expect(await store.has(a.meta.recordId)).toBe(true);
    expect(await store.has(randomUUID())).toBe(false);
  });

  it('of many concurrent puts of one id with different bytes, exactly one wins and no loser bytes stay behind', async () => {
    const id = randomUUID();
    const tries = Array.from({ length: 8 }, () => packet(id));
    const results = await Promise.all(tries.map((t) => store.put(t.meta, t.bytes)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = await store.meta(id);
    for (const r of results) if (!r.created) expect(r.existing).toEqual(winner);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    expect(files.sort()).toEqual([`${id}.${winner?.packetSha256}.sealed`, `${id}.json`].sort());
  });

  it('refuses to hand back bytes that no longer hash to their record', async () => {
    const a = packet();
    await store.put(a.meta, a.bytes);
    await writeFile(path.join(dir, 'packets', a.meta.recordId.slice(0, 2), `${a.meta.recordId}.${a.meta.packetSha256}.sealed`), randomBytes(10));
    await expect(store.get(a.meta.recordId)).rejects.toThrow(/damaged/);
  });

  it('lists every stored record, ignoring bytes whose record never committed', async () => {
    const a = packet();
    const b = packet();
    await store.put(a.meta, a.bytes);
    await store.put(b.meta, b.bytes);
    // A crash between the bytes and the record leaves an orphan: not a stored packet.
    await mkdir(path.join(dir, 'packets', 'ff'), { recursive: true });
    await writeFile(path.join(dir, 'packets', 'ff', `${randomUUID()}.${'0'.repeat(64)}.sealed`), 'x');
    const ids: string[] = [];
    for await (const m of store.list()) ids.push(m.recordId);
    expect(ids.sort()).toEqual([a.meta.recordId, b.meta.recordId].sort());
  });

  it('keeps audit heads per kiosk and flags in order', async () => {
    expect(await store.auditHeads('KIOSK-1')).toBeNull();
    const heads = { highest: { seq: 4, hash: 'a'.repeat(64), at: '2025-03-14T08:05:00.000Z' }, recent: [{ seq: 4, hash: 'a'.repeat(64) }] };
    await store.saveAuditHeads('KIOSK-1', heads);
    expect(await store.auditHeads('KIOSK-1')).toEqual(heads);
    expect(await store.auditHeads('KIOSK-2')).toBeNull();
    await store.flag({ at: '2025-03-14T08:05:00.000Z', kioskId: 'KIOSK-1', kind: 'audit-rollback', detail: 'one' });
    await store.flag({ at: '2025-03-14T08:06:00.000Z', kioskId: 'KIOSK-1', kind: 'audit-rollback', detail: 'two' });
    expect((await store.flags()).map((f) => f.detail)).toEqual(['one', 'two']);
  });

  it('refuses ids that would leave its directory', async () => {
    const a = packet('../../etc/passwd');
    await expect(store.put(a.meta, a.bytes)).rejects.toThrow(/not a record id/);
    expect(await store.meta('../x')).toBeNull();
    await expect(store.saveAuditHeads('../k', { highest: { seq: 1, hash: 'a'.repeat(64), at: 'x' }, recent: [] })).rejects.toThrow(/not a kiosk id/);
  });
});
