import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Makes a directory's new entries durable: a file just created, renamed or linked into it. The
 * file's own fsync keeps its bytes; without this a power cut can still lose its name. Best
 * effort: some filesystems (FAT, on most USB sticks) refuse fsync on a directory, and the writer
 * has synced the file either way. One copy for the kiosk's store, its key files, the exports to a
 * stick and the central receiver.
 */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, fsConstants.O_RDONLY).catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // refused (FAT, some network filesystems): the file itself is already durable
  } finally {
    await handle.close();
  }
}

/** Node's file errors carry their errno name (`ENOENT`, `EEXIST`, …) in `code`. */
export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && 'code' in err && err.code === code;
}
