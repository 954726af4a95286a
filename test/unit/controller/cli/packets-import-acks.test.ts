import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../../controller/cli/commands';
import { exportPackets } from '../../../../controller/cli/packets-export';
import { importAcks } from '../../../../controller/cli/packets-import-acks';
import { syncSection } from '../../../../controller/config/schema';
import { canonicalJson } from '../../../../controller/packet/canonical-json';
import { sha256Hex } from '../../../../controller/packet/export-manifest';
import { keyIdOf } from '../../../../controller/packet/keys';
import { openDb } from '../../../../controller/store/db';
import { signAck, verifyAck, type Ack } from '../../../../controller/sync/protocol';
import { setUpSync } from '../../../../controller/sync/start';
import { captureIo, makeMediaKit, type MediaKit } from '../../../helpers/media-kit';
import { startTestReceiver } from '../../../helpers/test-receiver';

/**
 * `npm run kiosk -- packets import-acks DIR`: the centre's acks brought home on the stick (each
 * the very reply the HTTPS receiver gives) are checked with the sync code against the receiver's
 * key, stored by the sync store path, and their packets purged by the sync purge path after the
 * retention period. Export → import → ack → purge, end to end.
 */

const HOUR = 60 * 60 * 1000;

let kit: MediaKit | undefined;
afterEach(async () => {
  await kit?.dispose();
  kit = undefined;
});

/** The kit exports, the receiver imports and writes acks to the stick. */
async function roundTrip(k: MediaKit): Promise<void> {
  const r = await exportPackets({ store: k.store, keys: k.keys, kioskId: k.kioskId, to: k.stick });
  if (!r.ok) throw new Error(r.message);
  await k.receive();
}

/** An ack as the receiver writes it to a stick: its reply to the packet, in the sync format. */
function replyFile(ack: Ack, key: KeyObject): string {
  return `${canonicalJson({ ack, signature: signAck(ack, key), auditHead: null })}\n`;
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
    const first = await importAcks({ store: kit.store, receiverKey, kioskId: kit.kioskId, from: kit.stick, retentionMs: 7 * 24 * HOUR, now: () => now });
    if (!first.ok) throw new Error(first.message);
    expect([...first.stored].sort()).toEqual([...kit.ids].sort());
    expect(first.refused).toEqual([]);
    expect(first.purged).toEqual([]); // acknowledged just now: kept for the retention period
    expect(await kit.store.outboxDepth()).toBe(0);
    expect((await kit.store.listPackets()).every((p) => p.state === 'acked' && p.held)).toBe(true);

    // Eight days later the same import (or any later one) purges them.
    now = new Date('2025-03-28T10:00:01.000Z');
    const later = await importAcks({ store: kit.store, receiverKey, kioskId: kit.kioskId, from: kit.stick, retentionMs: 7 * 24 * HOUR, now: () => now });
    if (!later.ok) throw new Error(later.message);
    expect(later.stored).toEqual([]);
    expect([...later.already].sort()).toEqual([...kit.ids].sort());
    expect([...later.purged].sort()).toEqual([...kit.ids].sort());
    for (const id of kit.ids) expect(await kit.store.readSealedPacket(id)).toBeNull();
    // The rows, the acks and the chain stay: what was sent, when, and that the centre holds it.
    expect(await kit.store.countEnrollments()).toBe(3);
    expect(await table(kit, 'SELECT COUNT(*) AS n FROM acks')).toEqual([{ n: 3 }]);
    const kinds = (await table(kit, 'SELECT kind FROM audit ORDER BY seq')).map((r) => z.object({ kind: z.string() }).parse(r).kind);
    const each = (kind: string) => [kind, kind, kind];
    expect(kinds).toEqual([...each('enrollment-committed'), 'export', ...each('packet-acked'), 'ack-import', 'ack-import', ...each('packet-purged')]);
    expect((await kit.store.verifyAuditChain()).ok).toBe(true);
  });

  it('as a command: reads the receiver key from the config, and with retention 0 purges at once', async () => {
    kit = await makeMediaKit(2, { retentionHours: 0 });
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
    kit = await makeMediaKit(3, { retentionHours: 0 });
    await roundTrip(kit);
    const [a, b, c] = kit.ids;
    const ackDir = path.join(kit.stick, 'acks', kit.kioskId);
    const held = await kit.store.readSealedPacket(c ?? '');
    const genuine: Ack = {
      format: 'cccd-central-ack',
      version: 1,
      recordId: b ?? '',
      kioskId: kit.kioskId,
      packetSha256: sha256Hex(held ?? new Uint8Array()),
      size: held?.length ?? 0,
      receivedAt: '2025-03-20T10:00:00.000Z',
      receiverKeyId: kit.ackKey.keyId,
    };
    // a: its ack edited after signing. b: an ack signed by another key. c: left as it is.
    const aFile = path.join(ackDir, `${a}.json`);
    await writeFile(aFile, (await readFile(aFile, 'utf8')).replace(/"receivedAt":"[^"]+"/, '"receivedAt":"2020-01-01T00:00:00.000Z"'));
    const forger = generateKeyPairSync('ed25519');
    await writeFile(path.join(ackDir, `${b}.json`), replyFile({ ...genuine, receiverKeyId: keyIdOf(forger.publicKey) }, forger.privateKey));
    // A genuine ack, but for another kiosk's record, one naming other bytes than c's, and one for another kiosk.
    await writeFile(path.join(ackDir, 'stray.json'), replyFile({ ...genuine, recordId: '11111111-2222-4333-8444-555555555555', packetSha256: 'ab'.repeat(32) }, kit.ackKey.privateKey));
    await writeFile(path.join(ackDir, 'other-bytes.json'), replyFile({ ...genuine, recordId: c ?? '', packetSha256: 'cd'.repeat(32) }, kit.ackKey.privateKey));
    await writeFile(path.join(ackDir, 'other-kiosk.json'), replyFile({ ...genuine, recordId: a ?? '', kioskId: 'KIOSK-OTHER-01' }, kit.ackKey.privateKey));
    await writeFile(path.join(ackDir, 'junk.json'), 'not an ack');
    // The old bare-ack shape (no reply around it) is not the receiver's reply.
    await writeFile(path.join(ackDir, 'bare.json'), canonicalJson({ ...genuine, signature: signAck(genuine, kit.ackKey.privateKey) }));

    const io = captureIo();
    expect(await runCli(['packets', 'import-acks', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(1);
    const r = resultJson.parse(JSON.parse(io.outText()));
    expect(r.stored).toEqual([c]);
    expect(Object.fromEntries(r.refused.map((x) => [x.file, x.reason]))).toEqual({
      [`${a}.json`]: 'bad-signature',
      [`${b}.json`]: 'wrong-key',
      'stray.json': 'unknown-record',
      'other-bytes.json': 'hash-mismatch',
      'other-kiosk.json': 'other-kiosk',
      'junk.json': 'malformed',
      'bare.json': 'malformed',
    });
    // Only c is acknowledged (and, with retention 0, purged); a and b stay pending, still held.
    expect(r.purged).toEqual([c]);
    expect(await kit.store.outboxDepth()).toBe(2);
    expect(await kit.store.readSealedPacket(a ?? '')).not.toBeNull();
    expect(await kit.store.readSealedPacket(b ?? '')).not.toBeNull();
  });

  it('stores an ack from the stick exactly as one received over the network: the same row, only via differs', async () => {
    kit = await makeMediaKit(1, { retentionHours: 1 });
    const [overNetwork] = kit.ids;
    let onMedia = '';
    const receiver = await startTestReceiver({ dir: kit.central.dir });
    try {
      // The first packet goes to the receiver over HTTPS, by the sync loop.
      const setup = await setUpSync(syncSection.parse({ url: receiver.url, pinnedSpkiSha256: receiver.pin, receiverAckPublicKey: receiver.ackPublicKeyPath }), {
        store: kit.store,
        keys: kit.keys,
        kioskId: kit.kioskId,
        log: pino({ level: 'silent' }),
        softwareVersion: 'test',
      });
      if (!setup.ok) throw new Error(setup.problem);
      await setup.loop.runOnce();
      // The second leaves on a stick, to the same receiver, and its ack comes home.
      onMedia = await kit.commit();
      await roundTrip(kit);
      const io = captureIo();
      expect(await runCli(['packets', 'import-acks', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(0);
    } finally {
      await receiver.dispose();
    }
    const rows = z
      .array(z.object({ enrollment_id: z.string(), packet_sha256: z.string(), received_at: z.string(), receiver_key_id: z.string(), ack: z.string(), signature: z.string(), via: z.string(), receiver_head_seq: z.number().nullable(), stored_at: z.string() }))
      .parse(await table(kit, 'SELECT * FROM acks ORDER BY stored_at'));
    expect(rows.map((r) => [r.enrollment_id, r.via])).toEqual([
      [overNetwork, 'network'],
      [onMedia, 'media'],
    ]);
    for (const row of rows) {
      // Each holds the exact JSON the receiver signed and its signature, which verify as they are.
      const ack: unknown = JSON.parse(row.ack);
      expect(canonicalJson(ack)).toBe(row.ack);
      const checked = verifyAck({ ack, signature: row.signature }, { recordId: row.enrollment_id, kioskId: kit.kioskId, packetSha256: row.packet_sha256 }, kit.ackKey.publicKey);
      expect(checked.ok).toBe(true);
      expect(row.receiver_key_id).toBe(kit.ackKey.keyId);
      expect(row.receiver_head_seq).toEqual(expect.any(Number));
    }
    const [network, media] = rows;
    // Every column filled alike (same kinds of value, nothing left empty); only via tells them apart.
    const shape = (r: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(r ?? {}).map(([k, v]) => [k, k === 'via' ? v : v === null ? null : typeof v]));
    expect(shape(media)).toEqual({ ...shape(network), via: 'media' });
    expect(Object.keys(JSON.parse(media?.ack ?? '{}')).sort()).toEqual(Object.keys(JSON.parse(network?.ack ?? '{}')).sort());
    // The chain says the same of both, and the outbox shows both acked.
    const acked = (await kit.store.recentAudit({ kind: 'packet-acked' })).map((e) => ({ id: e.enrollmentId, detail: e.detail }));
    expect(acked).toEqual([
      { id: overNetwork, detail: { packetSha256: network?.packet_sha256, receiverKeyId: kit.ackKey.keyId, receivedAt: network?.received_at, via: 'network' } },
      { id: kit.ids[1], detail: { packetSha256: media?.packet_sha256, receiverKeyId: kit.ackKey.keyId, receivedAt: media?.received_at, via: 'media' } },
    ]);
    expect((await kit.store.outbox.list()).map((p) => [p.state, p.ackedVia])).toEqual([
      ['acked', 'network'],
      ['acked', 'media'],
    ]);
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
