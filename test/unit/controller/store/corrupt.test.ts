import { randomBytes, randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, open as openFile, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isStoreError, openStore, type Store } from '../../../../controller/store/store';

/**
 * Issue #12, "a corrupt database at start → a clear message, the file kept aside, never
 * overwritten". Real SQLite files, damaged the ways a pulled power cord or a dying SD card damages
 * them: garbage over the header, a page in the middle overwritten, the file cut short.
 */

let dir: string;
let file: string;
const NOW = new Date('2025-03-14T08:05:00.000Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-corrupt-'));
  file = join(dir, 'kiosk.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A real kiosk database with `n` committed enrollments, closed cleanly. */
async function filledDb(n = 12, at = file): Promise<void> {
  const s = await openStore(at, { now: () => NOW });
  for (let i = 0; i < n; i++) await s.commitEnrollment({ id: randomUUID(), trackingCode: `TC-${i}`, sealed: randomBytes(6000), auditDetail: { i } });
  await s.close();
}

async function overwrite(at: number, bytes: Buffer): Promise<void> {
  const h = await openFile(file, 'r+');
  try {
    await h.write(bytes, 0, bytes.length, at);
  } finally {
    await h.close();
  }
}

async function openFails(): Promise<unknown> {
  let s: Store | undefined;
  try {
    s = await openStore(file, { now: () => NOW });
  } catch (err) {
    return err;
  }
  await s.close();
  throw new Error('the store opened a damaged file as if nothing were wrong');
}

/** Main files kept aside (their -wal and -shm go with them). */
const aside = async () => (await readdir(dir)).filter((n) => n.startsWith('kiosk.db.corrupt-') && !/-(wal|shm)$/.test(n)).sort();

describe('a damaged database file at start', () => {
  it.each([
    ['garbage over the header', async () => overwrite(0, randomBytes(100))],
    ['a page in the middle overwritten', async () => overwrite(4096, randomBytes(4096))],
    ['the file cut short', async () => truncate(file, Math.floor((await stat(file)).size / 2))],
  ])('%s: refused as corrupt, the file kept aside under a timestamped name, no new empty file in its place', async (_what, damage) => {
    await filledDb();
    await damage();
    const damaged = await readFile(file);

    const err = await openFails();
    expect(isStoreError(err, 'corrupt'), String(err)).toBe(true);
    const kept = await aside();
    expect(kept).toEqual(['kiosk.db.corrupt-2025-03-14T08-05-00Z']);
    // The message tells a technician what happened, where the file is, and what to do.
    expect(String(err)).toContain(join(dir, 'kiosk.db.corrupt-2025-03-14T08-05-00Z'));
    expect(String(err)).toMatch(/corrupt/);
    expect(String(err)).toMatch(/move it out of/);
    // Kept byte for byte; nothing was created over it.
    expect((await readFile(join(dir, kept[0] ?? ''))).equals(damaged)).toBe(true);
    expect(await stat(file).catch(() => 'absent')).toBe('absent');
  });

  it('takes the write-ahead log along, so commits not yet checkpointed are kept with their file', async () => {
    // A crash leaves kiosk.db-wal beside the file: copy both while a connection holds them open.
    const live = join(dir, 'live.db');
    await filledDb(12, live);
    const s = await openStore(live, { now: () => NOW });
    for (let i = 0; i < 3; i++) await s.commitEnrollment({ id: randomUUID(), trackingCode: `TC-late-${i}`, sealed: randomBytes(6000), auditDetail: { i } });
    await copyFile(live, file);
    await copyFile(`${live}-wal`, `${file}-wal`);
    await s.close();
    const wal = await readFile(`${file}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    // The main file loses its second half (pages the log does not hold a newer copy of).
    await truncate(file, Math.floor((await stat(file)).size / 2));

    const err = await openFails();
    expect(isStoreError(err, 'corrupt')).toBe(true);
    expect((await readFile(join(dir, 'kiosk.db.corrupt-2025-03-14T08-05-00Z-wal'))).equals(wal)).toBe(true);
    expect(await stat(`${file}-wal`).catch(() => 'absent')).toBe('absent');
  });

  it('never overwrites a file kept aside earlier, even one with the same timestamp', async () => {
    await filledDb();
    await overwrite(0, randomBytes(100));
    await writeFile(join(dir, 'kiosk.db.corrupt-2025-03-14T08-05-00Z'), 'the first one');
    // (the refusal to start beside a kept-aside file, below, is switched off to reach this case)
    const err = await openStore(file, { now: () => NOW, refuseIfKeptAside: false }).catch((e: unknown) => e);
    expect(isStoreError(err, 'corrupt')).toBe(true);
    expect(await readFile(join(dir, 'kiosk.db.corrupt-2025-03-14T08-05-00Z'), 'utf8')).toBe('the first one');
    const kept = await aside();
    expect(kept).toHaveLength(2);
    const second = kept.find((n) => n !== 'kiosk.db.corrupt-2025-03-14T08-05-00Z') ?? '';
    expect(String(err)).toContain(second);
  });

  it('keeps refusing to start while the kept-aside file is in the data directory, and starts fresh once it is moved out', async () => {
    await filledDb();
    await overwrite(0, randomBytes(100));
    await openFails();
    const second = await openFails();
    expect(isStoreError(second, 'corrupt')).toBe(true);
    expect(String(second)).toContain('kiosk.db.corrupt-2025-03-14T08-05-00Z');
    expect(await stat(file).catch(() => 'absent')).toBe('absent');

    const salvage = await mkdtemp(join(tmpdir(), 'kiosk-salvage-'));
    try {
      await copyFile(join(dir, 'kiosk.db.corrupt-2025-03-14T08-05-00Z'), join(salvage, 'kiosk.db'));
      await rm(join(dir, 'kiosk.db.corrupt-2025-03-14T08-05-00Z'));
      const s = await openStore(file, { now: () => NOW });
      expect(await s.countEnrollments()).toBe(0);
      await s.close();
    } finally {
      await rm(salvage, { recursive: true, force: true });
    }
  });

  it('a sound file opens as before', async () => {
    await filledDb(5);
    const s = await openStore(file, { now: () => NOW });
    expect(await s.countEnrollments()).toBe(5);
    await s.close();
    expect(await aside()).toEqual([]);
  });
});
