import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkStorage, createStorageWatch, type StorageHealth } from '../../../../controller/store/storage-check';
import { waitFor } from '../../../helpers/wait-for';

/**
 * The data directory's check (issue #12): a write probe and the free space. The full and
 * read-only filesystems themselves are in test/integration/storage/ (a real tmpfs and ext4);
 * here the free space is what statfs reports, faked at its own seam.
 */

const MiB = 2 ** 20;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-storage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const statfs = (freeBytes: number) => async () => ({ bavail: BigInt(freeBytes / 4096), bsize: 4096n });

describe('the storage check', () => {
  it('a writable directory with room: ok, and the probe leaves nothing behind', async () => {
    const h = await checkStorage(dir, { minFreeBytes: 1 * MiB, statfs: statfs(500 * MiB) });
    expect(h).toMatchObject({ ok: true, freeBytes: 500 * MiB });
    expect(await readdir(dir)).toEqual([]);
  });

  it('less room than storage.minFreeMiB: low-space, with both figures in the message', async () => {
    const h = await checkStorage(dir, { minFreeBytes: 256 * MiB, statfs: statfs(100 * MiB) });
    expect(h).toMatchObject({ ok: false, problem: 'low-space', freeBytes: 100 * MiB });
    expect(h.ok ? '' : h.message).toMatch(/only 100 MiB free .* below storage\.minFreeMiB \(256 MiB\)/);
    expect(h.ok ? '' : h.message).toMatch(/packets export/);
  });

  it('counts the free pages inside the database as room (purged packets leave them)', async () => {
    const h = await checkStorage(dir, { minFreeBytes: 256 * MiB, statfs: statfs(100 * MiB), reclaimable: async () => 200 * MiB });
    expect(h).toMatchObject({ ok: true, freeBytes: 300 * MiB });
  });

  it('a directory that is not there: the probe fails (io), it does not throw', async () => {
    const h = await checkStorage(join(dir, 'gone'), { minFreeBytes: 0 });
    expect(h).toMatchObject({ ok: false, problem: 'io' });
    expect(h.ok ? '' : h.message).toMatch(/ENOENT/);
  });
});

describe('the storage watch', () => {
  it('tells when the answer turns, not on every check; overlapping checks share one run', async () => {
    let free = 500 * MiB;
    let runs = 0;
    const changes: Array<[string, string]> = [];
    const key = (h: StorageHealth) => (h.ok ? 'ok' : h.problem);
    const initial = await checkStorage(dir, { minFreeBytes: MiB, statfs: statfs(free) });
    const watch = createStorageWatch({
      initial,
      intervalMs: 3_600_000,
      check: () => {
        runs++;
        return checkStorage(dir, { minFreeBytes: 100 * MiB, statfs: async () => ({ bavail: free / 4096, bsize: 4096 }) });
      },
      onChange: (now, before) => changes.push([key(before), key(now)]),
    });
    try {
      await Promise.all([watch.check(), watch.check(), watch.check()]);
      expect(runs).toBe(1);
      expect(changes).toEqual([]);
      free = 10 * MiB;
      await watch.check();
      await watch.check();
      expect(changes).toEqual([['ok', 'low-space']]);
      expect(watch.current()).toMatchObject({ ok: false, problem: 'low-space' });
      free = 500 * MiB;
      await watch.check();
      expect(changes).toEqual([['ok', 'low-space'], ['low-space', 'ok']]);
    } finally {
      watch.stop();
    }
  });

  it('checks by itself every intervalMs', async () => {
    let runs = 0;
    const initial = await checkStorage(dir, { minFreeBytes: 0 });
    const watch = createStorageWatch({
      initial,
      intervalMs: 20,
      check: async () => {
        runs++;
        return initial;
      },
      onChange: () => undefined,
    });
    try {
      await waitFor(() => runs >= 2, { what: 'two periodic checks' });
    } finally {
      watch.stop();
    }
  });
});
