import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The launcher's copy of the screen URL (issue #11): written after the server listens, removed
 * before the next start listens and when the kiosk stops, so the launcher never opens a secret
 * from an earlier start. Written to a temporary file and renamed, so a reader sees the whole
 * URL or none.
 *
 * Mode 0600: only the kiosk's user reads it. When the kiosk's user is not the desktop user who
 * runs the browser, systemd/install.sh makes a setgid directory owned by the screen group for
 * it; a file there is made 0640, so that group (and no one else) can read it too.
 */
export async function writeScreenUrlFile(file: string, url: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const shared = ((await stat(dir)).mode & 0o2000) !== 0;
  const mode = shared ? 0o640 : 0o600;
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  await rm(tmp, { force: true });
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(`${url}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await chmod(tmp, mode); // exactly this mode, whatever the umask
  await rename(tmp, file);
}

export async function removeScreenUrlFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
