import { execFile } from 'node:child_process';
import { rmSync, statfsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real small filesystem for fault tests (test/README.md: the disk may be faked only as "a
 * read-only or full temp dir"), so SQLite and the kiosk meet real ENOSPC and EROFS errors, not
 * mocks:
 *  - `tmpfs`: a few MiB to fill to the last byte; `readOnly()` remounts it read-only, which Linux
 *    allows only while no file on it is open for writing (before the kiosk starts);
 *  - `ext4`: an ext4 image on a loop device mounted `errors=remount-ro`, as a kiosk's SD card is;
 *    `readOnly()` makes ext4 report an error of its own (/sys/fs/ext4/<dev>/trigger_fs_error),
 *    and ext4 remounts itself read-only under the running kiosk, exactly as a failing card does.
 * Mounting needs root or CAP_SYS_ADMIN (CI runs as root); without it the test fails saying so.
 */
export interface SmallDisk {
  readonly dir: string;
  /** Write a filler file so that only `leaveBytes` stay free. */
  fill(leaveBytes: number): Promise<void>;
  /** The same, synchronously: from inside a listener, before anything else may run. */
  fillSync(leaveBytes: number): void;
  /** Remove the filler. */
  unfill(): Promise<void>;
  readOnly(): Promise<void>;
  writable(): Promise<void>;
  freeBytes(): Promise<number>;
  dispose(): Promise<void>;
}

export async function mountSmallDisk(sizeMiB: number, kind: 'tmpfs' | 'ext4' = 'tmpfs'): Promise<SmallDisk> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'small-disk-'));
  const image = `${dir}.img`;
  try {
    if (kind === 'tmpfs') {
      await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir]);
    } else {
      await writeFile(image, Buffer.alloc(0));
      await run('truncate', ['-s', `${sizeMiB}M`, image]);
      // -m 0: no blocks reserved for root (the tests run as root and would write into them).
      await run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
      await run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    await rm(image, { force: true });
    throw new Error(
      `this test needs a small real filesystem it can fill and remount read-only: mounting a tmpfs failed (${err instanceof Error ? err.message : String(err)}). ` +
        'Run the integration tests as root (CI does) or with CAP_SYS_ADMIN.',
    );
  }
  const filler = path.join(dir, '.filler');
  const free = async () => {
    const s = await statfs(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    async fill(leaveBytes) {
      // Grow the filler in steps (a tmpfs rounds to pages): stop where at most leaveBytes remain.
      await rm(filler, { force: true });
      const want = (await free()) - leaveBytes;
      if (want > 0) await writeFile(filler, Buffer.alloc(want)).catch(() => undefined);
    },
    fillSync(leaveBytes) {
      rmSync(filler, { force: true });
      const s = statfsSync(dir);
      const want = s.bavail * s.bsize - leaveBytes;
      if (want > 0) writeFileSync(filler, Buffer.alloc(want));
    },
    unfill: () => rm(filler, { force: true }),
    async readOnly() {
      if (kind === 'tmpfs') {
        await run('mount', ['-o', 'remount,ro', dir]);
        return;
      }
      const source = (await run('findmnt', ['-n', '-o', 'SOURCE', dir])).stdout.trim();
      await writeFile(`/sys/fs/ext4/${path.basename(source)}/trigger_fs_error`, 'cccd-kiosk test: a failing card\n');
    },
    writable: async () => void (await run('mount', ['-o', 'remount,rw', dir])),
    freeBytes: free,
    async dispose() {
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      await rm(image, { force: true });
    },
  };
}
