import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../../controller/cli/commands';
import { exportManifestSchema, verifyExportManifest } from '../../../../controller/packet/export-manifest';
import { openDb } from '../../../../controller/store/db';
import { CITIZEN, captureIo, makeMediaKit, type MediaKit } from '../../../helpers/media-kit';
import { faceOf } from '../../../helpers/enrollment-record';

/**
 * `npm run kiosk -- packets export --to DIR` (issue #12, hand-carried media for mobile kits):
 * every pending sealed packet, as it is, and a manifest signed by the kiosk, written atomically;
 * nothing readable on the stick; nothing deleted from the kiosk.
 */

let kit: MediaKit | undefined;
afterEach(async () => {
  await kit?.dispose();
  kit = undefined;
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const exportJson = z.object({ ok: z.literal(true), exportId: z.string(), dir: z.string(), packets: z.number(), bytes: z.number(), manifestSha256: z.string() });

describe('packets export', () => {
  it('writes every pending sealed packet byte for byte, and a manifest the kiosk signed, under exports/<kioskId>/<exportId>/', async () => {
    kit = await makeMediaKit(3);
    const io = captureIo();
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(0);
    const r = exportJson.parse(JSON.parse(io.outText()));
    expect(r.packets).toBe(3);
    expect(path.dirname(r.dir)).toBe(path.join(kit.stick, 'exports', kit.kioskId));

    const manifestBytes = await readFile(path.join(r.dir, 'manifest.json'));
    const keys = kit.keys;
    const verified = await verifyExportManifest(manifestBytes, async (kioskId) => (kioskId === kit?.kioskId ? keys.publicKey : null));
    if (!verified.ok) throw new Error(verified.detail);
    expect(verified.manifest).toMatchObject({ kioskId: kit.kioskId, keyId: kit.keys.keyId, exportId: r.exportId });
    expect(verified.manifest.packets.map((p) => p.recordId).sort()).toEqual([...kit.ids].sort());
    expect(verified.manifest.auditHead?.seq).toBe(3);
    // No receiver has told this kit a head yet: no anchor (as an online request would say "none").
    expect(verified.manifest.auditAnchor).toBeNull();
    for (const p of verified.manifest.packets) {
      const held = await kit.store.readSealedPacket(p.recordId);
      const onStick = await readFile(path.join(r.dir, 'packets', `${p.recordId}.sealed`));
      expect(held && Buffer.from(held).equals(onStick)).toBe(true);
      expect(p.size).toBe(onStick.length);
    }
    // Nothing else was left behind (no temporary names, no probe file).
    expect((await filesUnder(kit.stick)).map((f) => path.relative(r.dir, f)).sort()).toEqual(['manifest.json', ...kit.ids.map((id) => `packets/${id}.sealed`)].sort());
  });

  it('puts nothing readable on the stick: no ID number, no name, no image', async () => {
    kit = await makeMediaKit(2);
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile], captureIo())).toBe(0);
    const fingerprint = kit.record.fingers.find((f) => f.status === 'captured');
    if (fingerprint?.status !== 'captured') throw new Error('no captured finger in the test record');
    const needles: Array<[string, Buffer]> = [
      ['the ID number', Buffer.from(CITIZEN.idNumber)],
      ['the name (UTF-8)', Buffer.from(CITIZEN.name)],
      ['the name (UTF-16)', Buffer.from(CITIZEN.name, 'utf16le')],
      ['the address', Buffer.from('Gio Linh')],
      ['PNG magic', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
      // (FF D8 FF alone turns up by chance in a megabyte of ciphertext: the JPEG's own first bytes)
      ['JPEG magic', Buffer.from(faceOf(kit.record).jpeg.subarray(0, 16))],
      ['a slice of a fingerprint image', Buffer.from(fingerprint.png.subarray(4000, 4032))],
      ['a slice of the face image', Buffer.from(faceOf(kit.record).jpeg.subarray(2000, 2032))],
    ];
    const files = await filesUnder(kit.stick);
    expect(files.length).toBe(3);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const [what, needle] of needles) expect(bytes.includes(needle), `${path.basename(file)} holds ${what}`).toBe(false);
    }
  });

  it('deletes nothing from the kiosk: the packets stay pending until their acks come back', async () => {
    kit = await makeMediaKit(2);
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile], captureIo())).toBe(0);
    expect(await kit.store.outboxDepth()).toBe(2);
    expect((await kit.store.listPackets()).every((p) => p.held && p.state === 'pending')).toBe(true);
    // A second export (another stick, or the same one again) writes them all again, under a new id.
    const io = captureIo();
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(0);
    expect(exportJson.parse(JSON.parse(io.outText())).packets).toBe(2);
    expect(await readdir(path.join(kit.stick, 'exports', kit.kioskId))).toHaveLength(2);
  });

  it('records the export in the audit chain, with the manifest hash and the record ids', async () => {
    kit = await makeMediaKit(2);
    const io = captureIo();
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile, '--json'], io)).toBe(0);
    const r = exportJson.parse(JSON.parse(io.outText()));
    const db = await openDb(path.join(kit.dataDir, 'kiosk.db'));
    const rows = z.array(z.object({ kind: z.string(), detail: z.string() })).parse(await db.all("SELECT kind, detail FROM audit WHERE kind = 'export'"));
    await db.close();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]?.detail ?? '{}')).toMatchObject({ exportId: r.exportId, packets: 2, manifestSha256: r.manifestSha256, recordIds: expect.arrayContaining(kit.ids) });
    expect((await kit.store.verifyAuditChain()).ok).toBe(true);
  });

  it('leaves out acknowledged packets, and says so when there is nothing to write', async () => {
    kit = await makeMediaKit(1);
    const db = await openDb(path.join(kit.dataDir, 'kiosk.db'));
    await db.run("UPDATE outbox SET state = 'acked'");
    await db.close();
    const io = captureIo();
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile], io)).toBe(0);
    expect(io.outText()).toMatch(/Nothing to export/);
    expect(await filesUnder(kit.stick)).toEqual([]);
  });

  it('skips (and reports) a packet whose bytes no longer match their hash, writing the rest', async () => {
    kit = await makeMediaKit(2);
    const [bad, good] = kit.ids;
    const db = await openDb(path.join(kit.dataDir, 'kiosk.db'));
    await db.run("UPDATE enrollments SET packet = CAST(zeroblob(100) AS BLOB) WHERE id = ?", [bad ?? '']);
    await db.close();
    const io = captureIo();
    expect(await runCli(['packets', 'export', '--to', kit.stick, '--config', kit.configFile], io)).toBe(1);
    expect(io.errText()).toContain(`left out ${bad}`);
    const dirs = await readdir(path.join(kit.stick, 'exports', kit.kioskId));
    const manifest = exportManifestSchema.parse(JSON.parse(await readFile(path.join(kit.stick, 'exports', kit.kioskId, dirs[0] ?? '', 'manifest.json'), 'utf8')));
    expect(manifest.packets.map((p) => p.recordId)).toEqual([good]);
  });

  it.each([
    ['a directory that does not exist', async (k: MediaKit) => path.join(k.stick, 'not-mounted'), /does not exist: is the USB stick mounted there/],
    ['a file, not a directory', async (k: MediaKit) => {
      const f = path.join(k.stick, 'a-file');
      await writeFile(f, 'x');
      return f;
    }, /is not a directory/],
  ])('refuses %s with a clear message, writing nothing', async (_what, target, message) => {
    kit = await makeMediaKit(1);
    const io = captureIo();
    expect(await runCli(['packets', 'export', '--to', await target(kit), '--config', kit.configFile], io)).toBe(1);
    expect(io.errText()).toMatch(message);
    expect(await kit.store.outboxDepth()).toBe(1);
  });

  it('needs --to, and says so', async () => {
    const io = captureIo();
    expect(await runCli(['packets', 'export'], io)).toBe(2);
    expect(io.errText()).toMatch(/--to DIR is required/);
  });
});
