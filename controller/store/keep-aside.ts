import { constants as fsConstants } from 'node:fs';
import { access, link, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncDir } from './sync-dir';

/**
 * A damaged database is never written over (issue #12): it is renamed aside, with its
 * write-ahead log (which may hold commits not yet copied into the file) and its shared-memory
 * file, to `<file>.corrupt-<UTC time>` (`kiosk.db.corrupt-2025-03-14T08-05-00Z`, its log
 * `…-wal`), a number added if that name is taken. The names are claimed with link() + unlink(), which
 * fail rather than replace an existing file.
 */

export interface KeptAside {
  /** Where the main file is now. */
  readonly main: string;
  /** Where its -wal / -shm files are now, if it had them. */
  readonly others: readonly string[];
}

const SIDE_FILES = ['-wal', '-shm'] as const;

export async function keepAside(file: string, at: Date): Promise<KeptAside> {
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  for (let n = 0; ; n++) {
    const target = `${file}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}`;
    if ((await exists(target)) || (await exists(`${target}-wal`)) || (await exists(`${target}-shm`))) continue;
    if (!(await moveNoReplace(file, target))) continue;
    const others: string[] = [];
    for (const side of SIDE_FILES) {
      if (!(await exists(`${file}${side}`))) continue;
      if (await moveNoReplace(`${file}${side}`, `${target}${side}`)) others.push(`${target}${side}`);
    }
    await syncDir(dirname(file));
    return { main: target, others };
  }
}

/** Files kept aside beside `file` at earlier starts (main files only, not their -wal/-shm). */
export async function keptAsideFiles(file: string): Promise<string[]> {
  const prefix = `${basename(file)}.corrupt-`;
  let names: string[];
  try {
    names = await readdir(dirname(file));
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && !SIDE_FILES.some((s) => n.endsWith(s)))
    .sort()
    .map((n) => join(dirname(file), n));
}

/** Move `from` to `to` unless `to` exists; false if it does. */
async function moveNoReplace(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
  } catch (err) {
    if (errno(err) === 'EEXIST') return false;
    // A filesystem without hard links: check, then rename (the data dir is ours alone).
    if (await exists(to)) return false;
    await rename(from, to);
    return true;
  }
  await unlink(from);
  return true;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}


function errno(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
