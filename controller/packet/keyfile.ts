import { constants as fsConstants } from 'node:fs';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { syncDir, isErrno } from '../store/sync-dir';

/**
 * Private-key files on disk: written so that no other user can ever read them, and refused
 * when someone loosened their permissions later (a copied backup, a careless `chmod 644`).
 */

/** A key file exists but must not be used as it is; the message says how to fix it. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIR_MODE = 0o700;

/** Create `dir` (and parents) readable only by us; tightens it if we just made it. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const info = await stat(dir);
  // mkdir's mode is filtered by the umask and ignored for a directory that already existed.
  // Tighten a directory we own; an operator's own tree above it is left alone.
  if ((info.mode & 0o077) !== 0 && info.uid === process.getuid?.()) {
    await chmod(dir, PRIVATE_DIR_MODE);
  }
}

/**
 * Read a private PEM file, or `null` when it does not exist. Throws KeyFileError when group or
 * others have any permission on it: a key that may have leaked is not a key to sign with.
 */
export async function readPrivatePem(path: string): Promise<string | null> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
  if (!info.isFile()) {
    throw new KeyFileError(`${path} is not a regular file; move it away and run "keys init" again.`, path);
  }
  const loose = info.mode & 0o077;
  if (loose !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    throw new KeyFileError(
      `private key ${path} has mode ${mode}; other users may read it. ` +
        `If no one else could have copied it, fix with: chmod 600 ${path} ` +
        `(otherwise delete it and create a new key with "keys init").`,
      path,
    );
  }
  return readFile(path, 'utf8');
}

/**
 * Write a private PEM file with mode 0600 without ever replacing an existing one. Returns
 * false when the file already existed (another process won the race): the caller loads it.
 *
 * The key goes to a temporary name first and is hard-linked into place, so a crash leaves
 * either no key file or a complete one, never a half-written key that later fails to parse.
 */
export async function writePrivatePemExclusive(path: string, pem: string): Promise<boolean> {
  await ensurePrivateDir(dirname(path));
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(pem, 'utf8');
    await handle.chmod(PRIVATE_FILE_MODE); // the umask could only have narrowed it; be explicit
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
    await syncDir(dirname(path));
    return true;
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    throw err;
  } finally {
    await unlink(tmp);
  }
}
