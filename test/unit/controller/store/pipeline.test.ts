import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPacket, parsePacket } from '../../../../controller/packet/build';
import { loadOrCreateKioskKeys, type KioskKeys } from '../../../../controller/packet/keys';
import { openSealedPacket, sealPacket } from '../../../../controller/packet/seal';
import { makeRecord, faceOf } from '../../../helpers/enrollment-record';
import { openStore } from '../../../../controller/store/store';
import type { EnrollmentRecord } from '../../../../domain/enrollment-record';

// The whole path an enrollment takes on "confirm": build → sign → seal → one transaction.
let dir: string;
let keys: KioskKeys;
let record: EnrollmentRecord;
const central = generateKeyPairSync('x25519');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-pipeline-'));
  keys = await loadOrCreateKioskKeys(dir);
  record = await makeRecord();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('a sealed enrollment read back from the store opens and verifies to the same record, and no image byte is on disk unsealed', async () => {
  const file = join(dir, 'kiosk.sqlite');
  const store = await openStore(file);
  const timings: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const r = { ...record, id: `${record.id.slice(0, -1)}${i}` };
    const started = performance.now();
    const sealed = sealPacket(buildPacket(r, keys), central.publicKey);
    await store.commitEnrollment({ id: r.id, trackingCode: `T-${i}`, sealed, auditDetail: { kioskId: r.kioskId } });
    timings.push(performance.now() - started);
    ids.push(r.id);
  }
  timings.sort((a, b) => a - b);
  console.log(`build+seal+commit of a ${Math.round(buildPacket(record, keys).length / 1024)} KiB record: median ${timings[2]?.toFixed(1)} ms`);

  const stored = await store.readSealedPacket(ids[0] ?? '');
  await store.close();
  if (!stored) throw new Error('packet missing');
  const opened = openSealedPacket(stored, central.privateKey);
  if (!opened.ok) throw new Error(opened.error);
  const parsed = parsePacket(opened.inner, keys.publicKey);
  if (!parsed.ok) throw new Error(parsed.error);
  expect(parsed.record.id).toBe(ids[0]);
  // Builds are deterministic, so the inner packet must be byte-for-byte what was built.
  expect(Buffer.from(opened.inner).equals(buildPacket({ ...record, id: parsed.record.id }, keys))).toBe(true);

  // Every file SQLite wrote (db, -wal, -shm): no PNG signature, no slice of any image.
  const files = (await readdir(dir)).filter((f) => f.startsWith('kiosk.sqlite'));
  expect(files).toContain('kiosk.sqlite');
  for (const f of files) {
    const bytes = await readFile(join(dir, f));
    expect(bytes.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), f).toBe(-1);
    expect(bytes.indexOf(Buffer.from(faceOf(record).jpeg.subarray(0, 16))), f).toBe(-1);
    for (const finger of record.fingers) {
      if (finger.status === 'captured') expect(bytes.indexOf(Buffer.from(finger.png.subarray(5000, 5032))), `${f} ${finger.position}`).toBe(-1);
    }
  }
});
