import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runCli } from '../../../../controller/cli/commands';
import { openDb } from '../../../../controller/store/db';
import { captureIo, makeMediaKit, type MediaKit } from '../../../helpers/media-kit';

/** `npm run kiosk -- audit verify [--json]`: the chain verifies, or the first broken row is named. */

let kit: MediaKit | undefined;
afterEach(async () => {
  await kit?.dispose();
  kit = undefined;
});

async function sql(k: MediaKit, statement: string): Promise<void> {
  const db = await openDb(path.join(k.dataDir, 'kiosk.db'));
  try {
    await db.exec(statement);
  } finally {
    await db.close();
  }
}

const reportJson = z.union([
  z.object({ ok: z.literal(true), length: z.number(), head: z.object({ seq: z.number(), hash: z.string() }).nullable() }),
  z.object({ ok: z.literal(false), brokenAt: z.object({ seq: z.number(), reason: z.string(), expectedSeq: z.number(), what: z.string() }) }),
]);

async function verify(k: MediaKit, json = true) {
  const io = captureIo();
  const code = await runCli(['audit', 'verify', '--config', k.configFile, ...(json ? ['--json'] : [])], io);
  return { code, out: io.outText(), report: json ? reportJson.parse(JSON.parse(io.outText())) : undefined };
}

async function filled(): Promise<MediaKit> {
  const k = await makeMediaKit(2);
  await k.store.appendAudit('abandon', { from: 'fingerprints', step: 'fingerprints', timedOut: true });
  await k.store.appendAudit('tamper', { device: 'panel' });
  await k.commit();
  return k;
}

describe('audit verify', () => {
  it('a sound chain: exit 0, its length and head', async () => {
    kit = await filled();
    const head = await kit.store.outbox.auditHead();
    const { code, report } = await verify(kit);
    expect(code).toBe(0);
    expect(report).toEqual({ ok: true, length: 5, head });
    const text = await verify(kit, false);
    expect(text.out).toMatch(/5 rows, all verify\. Head: seq 5, hash [0-9a-f]{64}/);
  });

  it.each([
    ['an edited detail', "UPDATE audit SET detail = '{\"device\":\"printer\"}' WHERE seq = 4", 4, 'hash-mismatch'],
    ['an edited kind', "UPDATE audit SET kind = 'help' WHERE seq = 3", 3, 'hash-mismatch'],
    ['a detail that is no longer JSON', "UPDATE audit SET detail = '{oops' WHERE seq = 2", 2, 'detail-not-json'],
    ['a deleted row', 'DELETE FROM audit WHERE seq = 3', 4, 'seq-gap'],
    ['the first rows deleted', 'DELETE FROM audit WHERE seq <= 2', 3, 'seq-gap'],
    ['a row whose link to the one before was changed', "UPDATE audit SET prev_hash = '" + '0'.repeat(64) + "' WHERE seq = 3", 3, 'prev-hash-mismatch'],
  ])('%s: exit 1, naming the row and what is wrong', async (_what, tamper, seq, reason) => {
    kit = await filled();
    await sql(kit, tamper);
    const { code, report } = await verify(kit);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, brokenAt: { seq, reason } });
    const text = await verify(kit, false);
    expect(text.code).toBe(1);
    expect(text.out).toContain(`BROKEN at row seq ${seq}`);
  });

  it('says which rows are missing when rows were cut out of the middle', async () => {
    kit = await filled();
    await sql(kit, 'DELETE FROM audit WHERE seq IN (2, 3)');
    const text = await verify(kit, false);
    expect(text.out).toMatch(/BROKEN at row seq 4: .*rows 2–3 are missing/);
  });
});
