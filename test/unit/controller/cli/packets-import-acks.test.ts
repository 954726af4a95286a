import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importMedia } from '../../../../controller/central/import';
import { loadCentralPrivateKey, loadKioskRegistry } from '../../../../controller/central/import-keys';
import { openFsCentralStore } from '../../../../controller/central/import-store';
import { runCli } from '../../../../controller/cli/commands';
import { exportPackets } from '../../../../controller/cli/packets-export';
import { importAcks } from '../../../../controller/cli/packets-import-acks';
import { ackJson, signAck } from '../../../../controller/packet/ack';
import { sha256Hex } from '../../../../controller/packet/export-manifest';
import { openDb } from '../../../../controller/store/db';
import { captureIo, makeMediaKit, type MediaKit } from '../../../helpers/media-kit';

/**
 * `npm run kiosk -- packets import-acks DIR`: the centre's acks brought home on the stick are
 * checked against the receiver's key, stored, and their packets purged as after an online sync
 * (after the retention period). Export → import → ack → purge, end to end.
 */

let kit: MediaKit | undefined;
afterEach(async () => {
  await kit?.dispose();
  kit = undefined;
});

/** The kit exports, the receiver imports and writes acks to the stick. */
async function roundTrip(k: MediaKit): Promise<void> {
  const r = await exportPackets({ store: k.store, keys: k.keys, kioskId: k.kioskId, to: k.stick });
  if (!r.ok) throw new Error(r.message);
  await importMedia({
    from: k.stick,
    centralPrivateKey: await loadCentralPrivateKey(k.central.dir),
    ackKey: k.ackKey,
    kiosks: await loadKioskRegistry(k.registry),
    store: await openFsCentralStore(k.receiverStore),
  });
}

async function table(k: MediaKit, sql: string): Promise<unknown[]> {
  const db = await openDb(path.join(k.dataDir, 'kiosk.db'));
  try {
    return await db.all(sql);
  } finally {
    await db.close();
  }
}

const resultJson = z.object({ ok: z.literal(true), stored: z.array(z.string()), already: z.array(z.string()), refused: z.array(z.object({ file: z.string(), reason: z.string() })), purged: z.array(z.string()) });

describe('packets import-acks', () => {
  it('export → import → ack → purge: the acks are stored, the packets acknowledged, then purged after the retention period', async () => {
    let now = new Date('2025-03-20T10:00:00.000Z');
    kit = await makeMediaKit(3, { now: () => now });
    await roundTrip(kit);
    const receiverKey = kit.ackKey.publicKey;
    const first = await importAcks({ store: kit.store, receiverKey, kioskId: kit.kioskId, from: kit.stick, retentionDays: 7, now: () => now });
    if (!first.ok) throw new Error(first.message);
    expect([...first.stored].sort()).toEqual([...kit.ids].sort());
    expect(first.refused).toEqual([]);
    expect(first.purged).toEqual([]); // acknowledged just now: kept for the retention period
    expect(await kit.store.outboxDepth()).toBe(0);
    expect((await kit.store.listPackets()).every((p) => p.state === 'acked' && p.held)).toBe(true);

    // Eight days later the same import (or any later one) purges them.
    now = new Date('2025-03-28T10:00:01.000Z');
    const later = await importAcks({ store: kit.store, receiverKey, kioskId: kit.kioskId, from: kit.stick, retentionDays: 7, now: () => now });
    if (!later.ok) throw new Error(later.message);
    expect(later.stored).toEqual([]);
    expect([...later.already].sort()).toEqual([...kit.ids].sort());
    expect([...later.purged].sort()).toEqual([...kit.ids].sort());
    for (const id of kit.ids) expect(await kit.store.readSealedPacket(id)).toBeNull();
    // The rows, the acks and the chain stay: what was sent, when, and that the centre holds it.
    expect(await kit.store.countEnrollments()).toBe(3);
    expect(await table(kit, 'SELECT COUNT(*) AS n FROM acks')).toEqual([{ n: 3 }]);
    const kinds = (await table(kit, 'SELECT kind FROM audit ORDER BY seq')).map((r) => z.object({ kind: z.string() }).parse(r).kind);
    expect(kinds).toEqual(['enrollment-committed', 'enrollment-committed', 'enrollment-committed', 'export', 'ack-import', 'ack-import', 'purge']);
    expect((await kit.store.verifyAuditChain()).ok).toBe(true);
  });

  it('as a command: reads the receiver key from the config, and with retention 0 purges at once', async () => {
    kit = await makeMediaKit(2, { retentionDays: 0 });
    await roundTrip(kit);
    const io = captureIo();
    expect(await runCli(['packets', 'import-acks', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(0);
    const r = resultJson.parse(JSON.parse(io.outText()));
    expect(r.stored).toHaveLength(2);
    expect([...r.purged].sort()).toEqual([...kit.ids].sort());
    // A new export after that has nothing to write.
    const again = captureIo();
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile], again)).toBe(0);
    expect(again.outText()).toMatch(/Nothing to export/);
  });

  it('refuses acks that are not the receiver’s, not for this kiosk’s packets, or changed; stores the valid ones', async () => {
    kit = await makeMediaKit(3, { retentionDays: 0 });
    await roundTrip(kit);
    const [a, b, c] = kit.ids;
    const ackDir = path.join(kit.stick, 'acks', kit.kioskId);
    const held = await kit.store.readSealedPacket(c ?? '');
    // a: its ack edited after signing. b: an ack signed by another key. c: left as it is.
    const aFile = path.join(ackDir, `${a}.json`);
    await writeFile(aFile, (await readFile(aFile, 'utf8')).replace(/"receivedAt":"[^"]+"/, '"receivedAt":"2020-01-01T00:00:00.000Z"'));
    const forger = generateKeyPairSync('ed25519');
    await writeFile(path.join(ackDir, `${b}.json`), ackJson(signAck({ recordId: b ?? '', packetSha256: sha256Hex(held ?? new Uint8Array()), receivedAt: '2025-03-20T10:00:00.000Z' }, forger.privateKey)));
    // A genuine ack, but for another kiosk's record, and one naming other bytes than c's.
    await writeFile(path.join(ackDir, 'stray.json'), ackJson(signAck({ recordId: '11111111-2222-4333-8444-555555555555', packetSha256: 'ab'.repeat(32), receivedAt: '2025-03-20T10:00:00.000Z' }, kit.ackKey.privateKey)));
    await writeFile(path.join(ackDir, 'other-bytes.json'), ackJson(signAck({ recordId: c ?? '', packetSha256: 'cd'.repeat(32), receivedAt: '2025-03-20T10:00:00.000Z' }, kit.ackKey.privateKey)));
    await writeFile(path.join(ackDir, 'junk.json'), 'not an ack');

    const io = captureIo();
    expect(await runCli(['packets', 'import-acks', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(1);
    const r = resultJson.parse(JSON.parse(io.outText()));
    expect(r.stored).toEqual([c]);
    expect(Object.fromEntries(r.refused.map((x) => [x.file, x.reason]))).toEqual({
      [`${a}.json`]: 'bad-signature',
      [`${b}.json`]: 'wrong-key',
      'stray.json': 'unknown-record',
      'other-bytes.json': 'hash-mismatch',
      'junk.json': 'malformed',
    });
    // Only c is acknowledged (and, with retention 0, purged); a and b stay pending, still held.
    expect(r.purged).toEqual([c]);
    expect(await kit.store.outboxDepth()).toBe(2);
    expect(await kit.store.readSealedPacket(a ?? '')).not.toBeNull();
    expect(await kit.store.readSealedPacket(b ?? '')).not.toBeNull();
  });

  it('--receiver-key beats the config; with neither it says what to set', async () => {
    kit = await makeMediaKit(1);
    await roundTrip(kit);
    const other = generateKeyPairSync('ed25519');
    const otherPem = path.join(kit.root, 'other.pub.pem');
    await writeFile(otherPem, other.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const io = captureIo();
    expect(await runCli(['packets', 'import-acks', kit.stick, '--config', kit.configFile, '--receiver-key', otherPem, '--json'], io)).toBe(1);
    expect(resultJson.parse(JSON.parse(io.outText())).refused).toEqual([expect.objectContaining({ reason: 'wrong-key' })]);

    const bare = path.join(kit.root, 'bare.json');
    await writeFile(bare, JSON.stringify({ kioskId: kit.kioskId, dataDir: kit.dataDir }));
    const none = captureIo();
    expect(await runCli(['packets', 'import-acks', kit.stick, '--config', bare], none)).toBe(2);
    expect(none.errText()).toMatch(/sync\.receiverAckPublicKey/);
    expect(none.errText()).toMatch(/--receiver-key/);
  });

  it('says so when the stick holds no acks for this kiosk', async () => {
    kit = await makeMediaKit(1);
    await mkdir(path.join(kit.stick, 'acks', 'SOME-OTHER-KIOSK'), { recursive: true });
    const io = captureIo();
    expect(await runCli(['packets', 'import-acks', kit.stick, '--config', kit.configFile], io)).toBe(1);
    expect(io.errText()).toMatch(new RegExp(`no acks for kiosk ${kit.kioskId}`));
  });
});
