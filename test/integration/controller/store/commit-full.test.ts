import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../../controller/store/db';
import { isStoreError, openStore } from '../../../../controller/store/store';
import { mountSmallDisk, type SmallDisk } from '../../../helpers/small-disk';

/**
 * "Acknowledged = committed" when the disk fills (issue #12): on a real small filesystem the
 * inserts of an enrollment succeed (SQLite holds the pages in its cache) and it is the COMMIT
 * that fails with SQLITE_FULL; the store then rejects, and nothing of the enrollment — packet,
 * outbox row, audit entry — is in the file.
 */

let disk: SmallDisk | undefined;
afterEach(async () => {
  await disk?.dispose();
  disk = undefined;
});

const PACKET = 600_000; // a sealed packet's size, below SQLite's default 2 MB page cache

describe('a commit on a disk that filled up', () => {
  it('fails at COMMIT itself: the inserts were taken, the commit was not', async () => {
    disk = await mountSmallDisk(8);
    const db = await openDb(join(disk.dir, 'probe.db'));
    try {
      await db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (b BLOB);');
      await disk.fill(64 * 1024);
      await db.exec('BEGIN IMMEDIATE');
      await db.run('INSERT INTO t VALUES (?)', [randomBytes(PACKET)]);
      await expect(db.exec('COMMIT')).rejects.toMatchObject({ code: 'SQLITE_FULL' });
      await db.exec('ROLLBACK').catch(() => undefined);
    } finally {
      await db.close().catch(() => undefined);
    }
  });

  it('the store rejects, keeps nothing of the enrollment, and commits the next one once there is room', async () => {
    disk = await mountSmallDisk(8);
    const file = join(disk.dir, 'kiosk.db');
    const store = await openStore(file);
    try {
      await store.commitEnrollment({ id: randomUUID(), trackingCode: 'TC-0', sealed: randomBytes(PACKET), auditDetail: { n: 0 } });
      await disk.fill(64 * 1024);
      const lost = randomUUID();
      const err = await store.commitEnrollment({ id: lost, trackingCode: 'TC-1', sealed: randomBytes(PACKET), auditDetail: { n: 1 } }).catch((e: unknown) => e);
      expect(isStoreError(err, 'io'), String(err)).toBe(true);
      expect(String(err)).toMatch(/SQLITE_FULL/);
      expect(await store.countEnrollments()).toBe(1);
      expect(await store.readSealedPacket(lost)).toBeNull();

      await disk.unfill();
      const next = randomUUID();
      await store.commitEnrollment({ id: next, trackingCode: 'TC-2', sealed: randomBytes(PACKET), auditDetail: { n: 2 } });
      expect(await store.countEnrollments()).toBe(2);
      expect(await store.verifyAuditChain()).toEqual({ ok: true, length: 2 });
    } finally {
      await store.close();
    }
    // And in the file, as another connection reads it after the store closed.
    const raw = await openDb(file);
    try {
      expect(await raw.all('SELECT tracking_code FROM enrollments ORDER BY tracking_code')).toEqual([{ tracking_code: 'TC-0' }, { tracking_code: 'TC-2' }]);
      expect(await raw.all('SELECT COUNT(*) AS n FROM outbox')).toEqual([{ n: 2 }]);
    } finally {
      await raw.close();
    }
  });
});
