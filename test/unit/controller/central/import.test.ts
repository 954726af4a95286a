import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFsCentralStore } from '../../../../controller/central/fs-store';
import { exportPackets } from '../../../../controller/cli/packets-export';
import { buildPacket } from '../../../../controller/packet/build';
import { canonicalJson } from '../../../../controller/packet/canonical-json';
import { exportManifestBytes, exportManifestSchema, signExportManifest, sha256Hex, type ExportManifest } from '../../../../controller/packet/export-manifest';
import { keyIdOf, type KioskKeys } from '../../../../controller/packet/keys';
import { sealPacket } from '../../../../controller/packet/seal';
import { ackReplySchema, verifyAck } from '../../../../controller/sync/protocol';
import { makeMediaKit, type MediaKit } from '../../../helpers/media-kit';
import { postPacket, startTestReceiver } from '../../../helpers/test-receiver';

/**
 * The receiver's side of hand-carried media (`npm run central -- import DIR`): it takes each
 * packet exactly once and acks it, and refuses tampered, replayed-as-something-else, foreign,
 * malformed and truncated ones with a reason, and no ack. The packets go through the very intake
 * the HTTPS receiver answers with (central/intake.ts), so the reasons are its reasons and the
 * acks its acks.
 */

let kit: MediaKit | undefined;
afterEach(async () => {
  await kit?.dispose();
  kit = undefined;
});

async function exported(k: MediaKit): Promise<string> {
  const r = await exportPackets({ store: k.store, keys: k.keys, kioskId: k.kioskId, to: k.stick });
  if (!r.ok || !r.dir) throw new Error(r.ok ? 'nothing exported' : r.message);
  return r.dir;
}

const receive = (k: MediaKit, now?: () => Date) => k.receive(now);

const acksOnStick = async (k: MediaKit) => (await readdir(path.join(k.stick, 'acks', k.kioskId)).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
async function storedRecords(k: MediaKit): Promise<string[]> {
  const ids: string[] = [];
  for await (const p of openFsCentralStore(k.receiverStore).list()) ids.push(p.recordId);
  return ids.sort();
}
/** Every file the receiver's store holds, records and sealed bytes. */
const storedFiles = async (k: MediaKit) =>
  (await readdir(path.join(k.receiverStore, 'packets'), { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort();
const ackFile = (k: MediaKit, id: string | undefined) => readFile(path.join(k.stick, 'acks', k.kioskId, `${id ?? ''}.json`), 'utf8');

async function readManifest(dir: string): Promise<ExportManifest> {
  return exportManifestSchema.parse(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')));
}

/** Re-sign a manifest after changing it, with the kiosk's own key (a kiosk bug, or a stolen key). */
async function resign(dir: string, keys: KioskKeys, change: (m: ExportManifest) => ExportManifest): Promise<void> {
  const { signature: _s, format: _f, version: _v, keyId: _k, software: _w, ...unsigned } = change(await readManifest(dir));
  await writeFile(path.join(dir, 'manifest.json'), exportManifestBytes(signExportManifest(unsigned, keys)));
}

describe('central import of a USB stick', () => {
  it('stores every packet once and writes a signed ack for each that the kiosk can verify', async () => {
    kit = await makeMediaKit(3);
    await exported(kit);
    const r = await receive(kit);
    expect(r).toMatchObject({ stored: 3, duplicates: 0, refused: 0, acksWritten: 3 });
    expect(await storedRecords(kit)).toEqual([...kit.ids].sort());
    expect(await acksOnStick(kit)).toEqual(kit.ids.map((id) => `${id}.json`).sort());
    for (const id of kit.ids) {
      // The very reply the HTTPS receiver gives: { ack, signature, auditHead }, the ack in the sync format.
      const reply = ackReplySchema.parse(JSON.parse(await ackFile(kit, id)));
      expect(Object.keys(JSON.parse(await ackFile(kit, id))).sort()).toEqual(['ack', 'auditHead', 'signature']);
      const held = await kit.store.readSealedPacket(id);
      const sha = sha256Hex(held ?? new Uint8Array());
      const checked = verifyAck(reply, { recordId: id, kioskId: kit.kioskId, packetSha256: sha }, kit.ackKey.publicKey);
      if (!checked.ok) throw new Error(checked.reason);
      expect(checked.value.ack).toEqual({
        format: 'cccd-central-ack',
        version: 1,
        recordId: id,
        kioskId: kit.kioskId,
        packetSha256: sha,
        size: held?.length,
        receivedAt: '2025-03-20T10:00:00.000Z',
        receiverKeyId: kit.ackKey.keyId,
      });
      // The receiver now holds the kit's audit head the export carried: the kit's next anchor.
      expect(reply.auditHead).toMatchObject({ seq: 3 });
    }
  });

  it('stores nothing twice when the same stick is imported again (or the kit exports again): the same acks, byte for byte', async () => {
    kit = await makeMediaKit(2);
    await exported(kit);
    await receive(kit);
    // The signed part of each ack (the ack and its signature; auditHead is an unsigned hint that moves on).
    const k = kit;
    const ackOf = async (id: string | undefined) => {
      const { ack, signature } = ackReplySchema.parse(JSON.parse(await ackFile(k, id)));
      return canonicalJson({ ack, signature });
    };
    const first = await Promise.all(kit.ids.map(ackOf));
    const storedBefore = await storedFiles(kit);
    // The kit exports again before the acks came home, and one more enrollment joins.
    await kit.commit();
    await exported(kit);
    const again = await receive(kit, () => new Date('2025-03-21T09:00:00.000Z'));
    expect(again).toMatchObject({ stored: 1, duplicates: 2 + 2, refused: 0 });
    const after = await storedFiles(kit);
    expect(after.filter((n) => !storedBefore.includes(n))).toHaveLength(2); // the new one's record and bytes only
    const second = await Promise.all(kit.ids.slice(0, 2).map(ackOf));
    expect(second).toEqual(first);
  });

  it('refuses a packet whose bytes were changed on the stick (tampered: not the hash the kiosk signed for), and acks the rest', async () => {
    kit = await makeMediaKit(2);
    const dir = await exported(kit);
    const [victim, other] = kit.ids;
    const file = path.join(dir, 'packets', `${victim}.sealed`);
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual({ recordId: victim, result: 'tampered', detail: expect.stringMatching(/do not hash to the SHA-256 the kiosk signed for/) });
    expect(r).toMatchObject({ stored: 1, refused: 1, acksWritten: 1 });
    expect(await acksOnStick(kit)).toEqual([`${other}.json`]);
  });

  it('refuses a changed packet even when the manifest was re-signed to match it: the envelope does not open (tampered)', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    const [id] = kit.ids;
    const file = path.join(dir, 'packets', `${id}.sealed`);
    const bytes = await readFile(file);
    bytes[200] = (bytes[200] ?? 0) ^ 0x40;
    await writeFile(file, bytes);
    await resign(dir, kit.keys, (m) => ({ ...m, packets: m.packets.map((p) => ({ ...p, sha256: sha256Hex(bytes) })) }));
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toEqual([{ recordId: id, result: 'tampered', detail: 'the sealed packet does not decrypt: its bytes were changed or cut short' }]);
    expect(await acksOnStick(kit)).toEqual([]);
  });

  it('refuses a packet cut short on the stick, and one cut short with its manifest re-signed (truncated, both)', async () => {
    kit = await makeMediaKit(2);
    const dir = await exported(kit);
    const [a, b] = kit.ids;
    await truncate(path.join(dir, 'packets', `${a}.sealed`), 1000);
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual({ recordId: a, result: 'truncated', detail: expect.stringMatching(/^1000 bytes on the stick, \d+ in the manifest/) });

    const fileB = path.join(dir, 'packets', `${b}.sealed`);
    await truncate(fileB, 40);
    const cut = await readFile(fileB);
    await resign(dir, kit.keys, (m) => ({ ...m, packets: m.packets.filter((p) => p.recordId === b).map((p) => ({ ...p, size: cut.length, sha256: sha256Hex(cut) })) }));
    await rm(path.join(dir, 'packets', `${a}.sealed`));
    // At a centre that has not stored b yet (one that has answers `replayed` before opening anything, as over HTTPS).
    await rm(kit.receiverStore, { recursive: true, force: true });
    const r2 = await receive(kit);
    expect(r2.exports[0]?.packets).toContainEqual({ recordId: b, result: 'truncated', detail: 'the sealed packet is cut short' });
  });

  it('refuses a foreign kiosk: an export signed by a key not in the registry, even one that says it is a known kiosk', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    const stranger = generateKeyPairSync('ed25519');
    await resign(dir, { ...stranger, keyId: keyIdOf(stranger.publicKey) }, (m) => m);
    const r = await receive(kit);
    expect(r.exports[0]?.refused).toMatchObject({ reason: 'unknown-kiosk', detail: expect.stringMatching(/not the key registered for kiosk/) });
    expect(r).toMatchObject({ stored: 0, acksWritten: 0 });
    // And a kiosk the registry does not know at all.
    await rm(path.join(kit.registry, `${kit.kioskId}.pem`));
    await resign(dir, kit.keys, (m) => m);
    expect((await receive(kit)).exports[0]?.refused).toMatchObject({ reason: 'unknown-kiosk', detail: expect.stringMatching(/not in the kiosk registry/) });
  });

  it('refuses a manifest changed after signing (bad-signature), and one that is not JSON (malformed)', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    const m = await readManifest(dir);
    await writeFile(path.join(dir, 'manifest.json'), canonicalJson({ ...m, createdAt: '2020-01-01T00:00:00.000Z' }));
    expect((await receive(kit)).exports[0]?.refused).toMatchObject({ reason: 'bad-signature' });
    await writeFile(path.join(dir, 'manifest.json'), '{"format": "cccd-kiosk-export", ');
    expect((await receive(kit)).exports[0]?.refused).toMatchObject({ reason: 'malformed' });
    await rm(path.join(dir, 'manifest.json'));
    expect((await receive(kit)).exports[0]?.refused).toMatchObject({ reason: 'no-manifest' });
    expect(await acksOnStick(kit)).toEqual([]);
  });

  it('refuses a sound packet put in under another record id (malformed), and a different packet under a record id it holds (replayed)', async () => {
    kit = await makeMediaKit(2);
    const dir = await exported(kit);
    const [a, b] = kit.ids;
    // The kiosk's key signs a manifest that lists b's packet as a's.
    const bBytes = await readFile(path.join(dir, 'packets', `${b}.sealed`));
    await writeFile(path.join(dir, 'packets', `${a}.sealed`), bBytes);
    await resign(dir, kit.keys, (m) => ({ ...m, packets: m.packets.map((p) => (p.recordId === a ? { ...p, sha256: sha256Hex(bBytes), size: bBytes.length } : p)) }));
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual({ recordId: a, result: 'malformed', detail: `the packet is record ${b ?? ''}, sent as ${a ?? ''}` });
    expect(r.exports[0]?.packets).toContainEqual({ recordId: b, result: 'stored' });

    // Now a re-sealed (different bytes) copy of b's record arrives on another export.
    const resealed = sealPacket(buildPacket({ ...kit.record, id: b ?? '' }, kit.keys), kit.central.publicKey);
    const exportDir = path.join(kit.stick, 'exports', kit.kioskId, '20990101T000000Z-00000000');
    await mkdir(path.join(exportDir, 'packets'), { recursive: true });
    await writeFile(path.join(exportDir, 'packets', `${b}.sealed`), resealed);
    const m = await readManifest(dir);
    const { signature: _s, format: _f, version: _v, keyId: _k, software: _w, ...rest } = m;
    await writeFile(
      path.join(exportDir, 'manifest.json'),
      exportManifestBytes(signExportManifest({ ...rest, exportId: '20990101T000000Z-00000000', packets: [{ recordId: b ?? '', sha256: sha256Hex(resealed), size: resealed.length }] }, kit.keys)),
    );
    const r2 = await receive(kit);
    const later = r2.exports.find((e) => e.exportId === '20990101T000000Z-00000000');
    expect(later?.packets).toEqual([expect.objectContaining({ recordId: b, result: 'replayed' })]);
  });

  it('takes nothing that is not in the signed manifest, and skips an export that was never finished', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    await writeFile(path.join(dir, 'packets', 'smuggled.sealed'), 'not listed');
    await rename(dir, path.join(path.dirname(dir), `.${path.basename(dir)}.partial`));
    expect((await receive(kit)).exports).toEqual([]);
    await rename(path.join(path.dirname(dir), `.${path.basename(dir)}.partial`), dir);
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual(expect.objectContaining({ recordId: 'smuggled', result: 'not-in-manifest' }));
    expect(r.stored).toBe(1);
  });

  it('notices an audit-chain head lower than the one the kiosk sent before; packets held already are acked as over HTTPS', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    await receive(kit);
    await resign(dir, kit.keys, (m) => ({ ...m, auditHead: m.auditHead ? { seq: 1, hash: m.auditHead.hash } : null }));
    const store = openFsCentralStore(kit.receiverStore);
    await store.saveAuditHeads(kit.kioskId, { highest: { seq: 40, hash: 'f'.repeat(64), at: '2025-03-20T10:00:00.000Z' }, recent: [] });
    const r = await receive(kit);
    expect(r.exports[0]?.auditHead).toEqual({ seq: 1, previousSeq: 40, wentBack: true });
    // A stick that travelled slowly: its packets are at the centre already, and are acked again.
    expect(r.exports[0]?.packets).toEqual([{ recordId: kit.ids[0], result: 'duplicate' }]);
  });

  it('refuses a new packet under an audit head lower than the centre has seen (audit-rollback, flagged), as the HTTPS receiver does', async () => {
    kit = await makeMediaKit(1);
    await exported(kit);
    const store = openFsCentralStore(kit.receiverStore);
    await store.saveAuditHeads(kit.kioskId, { highest: { seq: 40, hash: 'f'.repeat(64), at: '2025-03-20T10:00:00.000Z' }, recent: [] });
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toEqual([{ recordId: kit.ids[0], result: 'audit-rollback', detail: expect.stringMatching(/entries were removed from its end/) }]);
    expect(await acksOnStick(kit)).toEqual([]);
    expect(await storedRecords(kit)).toEqual([]);
    expect(await store.flags()).toEqual([expect.objectContaining({ kioskId: kit.kioskId, kind: 'audit-rollback' })]);
  });

  it('refuses a new packet whose manifest anchor contradicts the head the centre remembers (rows cut, chain grown again)', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    await receive(kit);
    await kit.commit();
    const again = await exported(kit);
    await rm(dir, { recursive: true });
    // The kit's manifest says its row at the centre's last head (seq 1) is another one than the centre saw.
    await resign(again, kit.keys, (m) => ({ ...m, auditAnchor: { seq: 1, hash: 'e'.repeat(64) } }));
    const r = await receive(kit);
    const fresh = kit.ids[1];
    expect(r.exports[0]?.packets).toContainEqual({ recordId: fresh, result: 'audit-rollback', detail: expect.stringMatching(/chain grew again/) });
  });

  it('a packet is one packet whichever way it comes: over HTTPS after the stick, or on the stick after HTTPS, stored once with the same ack', async () => {
    kit = await makeMediaKit(2);
    const [viaStickFirst, viaHttpsFirst] = kit.ids;
    const receiver = await startTestReceiver({ dir: kit.central.dir });
    try {
      const packetOf = async (id: string | undefined) => {
        const sealed = (await kit?.store.readSealedPacket(id ?? '')) ?? new Uint8Array();
        return { id: id ?? '', sealed, sha256: sha256Hex(sealed) };
      };
      const sender = { kioskId: kit.kioskId, keys: kit.keys, dataDir: kit.dataDir };
      const head = await kit.store.outbox.auditHead();
      // One packet goes over the network first.
      const first = await postPacket(receiver, { kiosk: sender, packet: await packetOf(viaHttpsFirst), head });
      if (first.kind !== 'reply') throw new Error(first.detail);
      expect(first.status).toBe(201);
      // Then the stick, with both.
      await exported(kit);
      const r = await receive(kit);
      expect(r.exports[0]?.packets).toEqual([
        { recordId: viaStickFirst, result: 'stored' },
        { recordId: viaHttpsFirst, result: 'duplicate' },
      ]);
      const onStick = ackReplySchema.parse(JSON.parse(await ackFile(kit, viaHttpsFirst)));
      const overHttps = ackReplySchema.parse(first.json);
      expect(canonicalJson({ ack: onStick.ack, signature: onStick.signature })).toBe(canonicalJson({ ack: overHttps.ack, signature: overHttps.signature }));
      // And the one the stick brought first, sent again over the network: the stick's ack, nothing stored twice.
      const files = await storedFiles(kit);
      const retry = await postPacket(receiver, { kiosk: sender, packet: await packetOf(viaStickFirst), head });
      if (retry.kind !== 'reply') throw new Error(retry.detail);
      expect(retry.status).toBe(200);
      const stickAck = ackReplySchema.parse(JSON.parse(await ackFile(kit, viaStickFirst)));
      const httpsAck = ackReplySchema.parse(retry.json);
      expect(canonicalJson({ ack: httpsAck.ack, signature: httpsAck.signature })).toBe(canonicalJson({ ack: stickAck.ack, signature: stickAck.signature }));
      expect(await storedFiles(kit)).toEqual(files);
      expect(await storedRecords(kit)).toEqual([...kit.ids].sort());
    } finally {
      await receiver.dispose();
    }
  });
});
