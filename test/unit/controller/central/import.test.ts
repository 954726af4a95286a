import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importMedia, type ImportReport } from '../../../../controller/central/import';
import { loadCentralPrivateKey, loadKioskRegistry } from '../../../../controller/central/import-keys';
import { openFsCentralStore } from '../../../../controller/central/import-store';
import { exportPackets } from '../../../../controller/cli/packets-export';
import { verifyAck } from '../../../../controller/packet/ack';
import { buildPacket } from '../../../../controller/packet/build';
import { canonicalJson } from '../../../../controller/packet/canonical-json';
import { exportManifestBytes, exportManifestSchema, signExportManifest, sha256Hex, type ExportManifest } from '../../../../controller/packet/export-manifest';
import { keyIdOf, type KioskKeys } from '../../../../controller/packet/keys';
import { sealPacket } from '../../../../controller/packet/seal';
import { makeMediaKit, type MediaKit } from '../../../helpers/media-kit';

/**
 * The receiver's side of hand-carried media (`npm run central -- import DIR`): it takes each
 * packet exactly once and acks it, and refuses tampered, replayed-as-something-else, foreign,
 * malformed and truncated ones with a reason, and no ack.
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

async function receive(k: MediaKit, now = () => new Date('2025-03-20T10:00:00.000Z')): Promise<ImportReport> {
  return importMedia({
    from: k.stick,
    centralPrivateKey: await loadCentralPrivateKey(k.central.dir),
    ackKey: k.ackKey,
    kiosks: await loadKioskRegistry(k.registry),
    store: await openFsCentralStore(k.receiverStore),
    now,
  });
}

const acksOnStick = async (k: MediaKit) => (await readdir(path.join(k.stick, 'acks', k.kioskId)).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
const storedRecords = async (k: MediaKit) => (await readdir(path.join(k.receiverStore, 'packets'))).filter((n) => n.endsWith('.json')).sort();

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
    expect(await storedRecords(kit)).toEqual(kit.ids.map((id) => `${id}.json`).sort());
    expect(await acksOnStick(kit)).toEqual(kit.ids.map((id) => `${id}.json`).sort());
    for (const id of kit.ids) {
      const checked = verifyAck(await readFile(path.join(kit.stick, 'acks', kit.kioskId, `${id}.json`)), kit.ackKey.publicKey);
      if (!checked.ok) throw new Error(checked.detail);
      const held = await kit.store.readSealedPacket(id);
      expect(checked.ack).toMatchObject({ recordId: id, packetSha256: sha256Hex(held ?? new Uint8Array()), receivedAt: '2025-03-20T10:00:00.000Z', receiverKeyId: kit.ackKey.keyId });
    }
  });

  it('stores nothing twice when the same stick is imported again (or the kit exports again): the same acks, byte for byte', async () => {
    kit = await makeMediaKit(2);
    await exported(kit);
    await receive(kit);
    const ackOf = (id: string | undefined) => readFile(path.join(kit?.stick ?? '', 'acks', kit?.kioskId ?? '', `${id ?? ''}.json`), 'utf8');
    const first = await Promise.all(kit.ids.map(ackOf));
    const storedBefore = (await readdir(path.join(kit.receiverStore, 'packets'))).sort();
    // The kit exports again before the acks came home, and one more enrollment joins.
    await kit.commit();
    await exported(kit);
    const again = await receive(kit, () => new Date('2025-03-21T09:00:00.000Z'));
    expect(again).toMatchObject({ stored: 1, duplicates: 2 + 2, refused: 0 });
    const after = (await readdir(path.join(kit.receiverStore, 'packets'))).sort();
    expect(after.filter((n) => !storedBefore.includes(n))).toHaveLength(2); // the new one's record and bytes only
    const second = await Promise.all(kit.ids.slice(0, 2).map(ackOf));
    expect(second).toEqual(first);
  });

  it('refuses a packet whose bytes were changed on the stick (hash-mismatch), and acks the rest', async () => {
    kit = await makeMediaKit(2);
    const dir = await exported(kit);
    const [victim, other] = kit.ids;
    const file = path.join(dir, 'packets', `${victim}.sealed`);
    const bytes = await readFile(file);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual(expect.objectContaining({ recordId: victim, result: 'hash-mismatch' }));
    expect(r).toMatchObject({ stored: 1, refused: 1, acksWritten: 1 });
    expect(await acksOnStick(kit)).toEqual([`${other}.json`]);
  });

  it('refuses a changed packet even when the manifest was re-signed to match it: the envelope does not open', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    const [id] = kit.ids;
    const file = path.join(dir, 'packets', `${id}.sealed`);
    const bytes = await readFile(file);
    bytes[200] = (bytes[200] ?? 0) ^ 0x40;
    await writeFile(file, bytes);
    await resign(dir, kit.keys, (m) => ({ ...m, packets: m.packets.map((p) => ({ ...p, sha256: sha256Hex(bytes) })) }));
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toEqual([{ recordId: id, result: 'open-failed', detail: 'decrypt-failed' }]);
    expect(await acksOnStick(kit)).toEqual([]);
  });

  it('refuses a truncated packet (size-mismatch), and one truncated with its manifest re-signed (open-failed)', async () => {
    kit = await makeMediaKit(2);
    const dir = await exported(kit);
    const [a, b] = kit.ids;
    await truncate(path.join(dir, 'packets', `${a}.sealed`), 1000);
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual(expect.objectContaining({ recordId: a, result: 'size-mismatch' }));

    const fileB = path.join(dir, 'packets', `${b}.sealed`);
    await truncate(fileB, 40);
    const cut = await readFile(fileB);
    await resign(dir, kit.keys, (m) => ({ ...m, packets: m.packets.filter((p) => p.recordId === b).map((p) => ({ ...p, size: cut.length, sha256: sha256Hex(cut) })) }));
    await rm(path.join(dir, 'packets', `${a}.sealed`));
    const r2 = await receive(kit);
    expect(r2.exports[0]?.packets).toContainEqual({ recordId: b, result: 'open-failed', detail: 'truncated' });
  });

  it('refuses a foreign kiosk: an export signed by a key not in the registry, even one that says it is a known kiosk', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    const stranger = generateKeyPairSync('ed25519');
    await resign(dir, { ...stranger, keyId: keyIdOf(stranger.publicKey) }, (m) => m);
    const r = await receive(kit);
    expect(r.exports[0]?.refused).toMatchObject({ reason: 'unknown-kiosk' });
    expect(r).toMatchObject({ stored: 0, acksWritten: 0 });
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

  it('refuses a sound packet put in under another record id (record-mismatch), and a different packet under a record id it holds (conflict)', async () => {
    kit = await makeMediaKit(2);
    const dir = await exported(kit);
    const [a, b] = kit.ids;
    // The kiosk's key signs a manifest that lists b's packet as a's.
    const bBytes = await readFile(path.join(dir, 'packets', `${b}.sealed`));
    await writeFile(path.join(dir, 'packets', `${a}.sealed`), bBytes);
    await resign(dir, kit.keys, (m) => ({ ...m, packets: m.packets.map((p) => (p.recordId === a ? { ...p, sha256: sha256Hex(bBytes), size: bBytes.length } : p)) }));
    const r = await receive(kit);
    expect(r.exports[0]?.packets).toContainEqual(expect.objectContaining({ recordId: a, result: 'record-mismatch' }));
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
    expect(later?.packets).toEqual([expect.objectContaining({ recordId: b, result: 'conflict' })]);
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

  it('notices an audit-chain head lower than the one the kiosk sent before', async () => {
    kit = await makeMediaKit(1);
    const dir = await exported(kit);
    await receive(kit);
    await resign(dir, kit.keys, (m) => ({ ...m, auditHead: m.auditHead ? { seq: 1, hash: m.auditHead.hash } : null }));
    const store = await openFsCentralStore(kit.receiverStore);
    await store.recordAuditHead(kit.kioskId, { seq: 40, hash: 'f'.repeat(64) });
    const r = await receive(kit);
    expect(r.exports[0]?.auditHead).toEqual({ seq: 1, previousSeq: 40, wentBack: true });
  });
});
