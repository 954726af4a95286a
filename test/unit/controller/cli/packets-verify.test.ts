import { createHash, generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../../controller/cli/commands';
import { buildPacket } from '../../../../controller/packet/build';
import { sealPacket } from '../../../../controller/packet/seal';
import { openDb } from '../../../../controller/store/db';
import { CITIZEN, captureIo, makeMediaKit, type MediaKit } from '../../../helpers/media-kit';

/**
 * `npm run kiosk -- packets verify [--json]`: what a kiosk that cannot decrypt can check about
 * its stored packets — the bytes still hash to what was committed, the header is a sealed
 * packet's, sealed to the configured centre — metadata only.
 */

let kit: MediaKit | undefined;
afterEach(async () => {
  await kit?.dispose();
  kit = undefined;
});

const reportJson = z.object({
  ok: z.boolean(),
  packets: z.number(),
  pending: z.number(),
  ackedHeld: z.number(),
  purged: z.number(),
  problems: z.array(z.object({ recordId: z.string(), problem: z.string(), detail: z.string() })),
  database: z.array(z.string()),
});

async function sql(k: MediaKit, statement: string, params: (string | Buffer)[] = []): Promise<void> {
  const db = await openDb(path.join(k.dataDir, 'kiosk.db'));
  try {
    await db.run(statement, params);
  } finally {
    await db.close();
  }
}

async function verify(k: MediaKit): Promise<{ code: number; report: z.infer<typeof reportJson>; text: string }> {
  const io = captureIo();
  const code = await runCli(['packets', 'verify', '--config', k.configFile, '--json'], io);
  return { code, report: reportJson.parse(JSON.parse(io.outText())), text: io.outText() };
}

describe('packets verify', () => {
  it('finds sound packets sound (exit 0), and counts them by state, printing no citizen data', async () => {
    kit = await makeMediaKit(3);
    // ids[0] acked and still held; ids[1] acked long ago and purged (the store's own ack and purge paths).
    for (const [id, storedAt] of [[kit.ids[0], '2025-03-20T10:00:00.000Z'], [kit.ids[1], '2025-01-01T00:00:00.000Z']] as const) {
      const held = await kit.store.readSealedPacket(id ?? '');
      const packetSha256 = createHash('sha256').update(held ?? new Uint8Array()).digest('hex');
      await kit.store.outbox.recordAck(
        id ?? '',
        { packetSha256, receivedAt: storedAt, receiverKeyId: '0000000000000000', ackJson: '{}', signature: 'c2ln', via: 'media', receiverHeadSeq: null },
        new Date(storedAt),
      );
    }
    expect(await kit.store.outbox.purgeAcked(new Date('2025-02-01T00:00:00.000Z'), new Date('2025-03-20T10:00:00.000Z'))).toEqual([kit.ids[1]]);
    const { code, report, text } = await verify(kit);
    expect(code).toBe(0);
    expect(report).toMatchObject({ ok: true, packets: 3, pending: 1, ackedHeld: 1, purged: 1, problems: [], database: [] });
    expect(text).not.toContain(CITIZEN.idNumber);
    expect(text).not.toMatch(/T-\d-/); // no tracking codes
  });

  it('names a packet whose bytes changed in the database (hash-mismatch), exit 1', async () => {
    kit = await makeMediaKit(2);
    const [victim] = kit.ids;
    const held = await kit.store.readSealedPacket(victim ?? '');
    const changed = Buffer.from(held ?? new Uint8Array());
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1;
    await sql(kit, 'UPDATE enrollments SET packet = ? WHERE id = ?', [changed, victim ?? '']);
    const { code, report } = await verify(kit);
    expect(code).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ recordId: victim, problem: 'hash-mismatch' })]);
  });

  it('names a packet whose header is not a sealed packet’s even when its recorded hash was rewritten to match', async () => {
    kit = await makeMediaKit(1);
    const [victim] = kit.ids;
    const bytes = Buffer.from((await kit.store.readSealedPacket(victim ?? '')) ?? new Uint8Array());
    bytes.write('NOTASEAL', 0, 'latin1');
    await sql(kit, 'UPDATE enrollments SET packet = ?, packet_sha256 = ? WHERE id = ?', [bytes, createHash('sha256').update(bytes).digest('hex'), victim ?? '']);
    const { report } = await verify(kit);
    expect(report.problems).toEqual([{ recordId: victim, problem: 'bad-header', detail: 'bad-magic' }]);
  });

  it('names a packet sealed to another centre key than the configured one', async () => {
    kit = await makeMediaKit(1);
    const elsewhere = generateKeyPairSync('x25519');
    const sealed = Buffer.from(sealPacket(buildPacket({ ...kit.record, id: kit.ids[0] ?? '' }, kit.keys), elsewhere.publicKey));
    await sql(kit, 'UPDATE enrollments SET packet = ?, packet_sha256 = ?, size = ? WHERE id = ?', [sealed, createHash('sha256').update(sealed).digest('hex'), String(sealed.length), kit.ids[0] ?? '']);
    const { report } = await verify(kit);
    expect(report.problems).toEqual([expect.objectContaining({ problem: 'other-recipient' })]);
  });

  it('names a packet whose bytes are gone though the centre never acknowledged it', async () => {
    kit = await makeMediaKit(2);
    await sql(kit, 'UPDATE enrollments SET packet = NULL WHERE id = ?', [kit.ids[1] ?? '']);
    const { code, report } = await verify(kit);
    expect(code).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ recordId: kit.ids[1], problem: 'missing-bytes' })]);
  });

  it('says where it looked when there is no database there', async () => {
    kit = await makeMediaKit(0);
    const io = captureIo();
    expect(await runCli(['packets', 'verify', '--config', kit.configFile, '--data-dir', path.join(kit.root, 'elsewhere')], io)).toBe(1);
    expect(io.errText()).toMatch(/no kiosk database at .*elsewhere/);
  });
});
