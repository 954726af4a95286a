import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Moves a freshly built folder's files over a folder that may be in use, one rename(2) per file,
 * then removes what the new build no longer has.
 *
 * Why: the kiosk (and, in the suite, another test file's page) serves ui/dist while a rebuild
 * runs. Emptying the folder first left a window where index.html or app.js was missing, and the
 * page that loaded in it never drew a screen. A rename replaces a file whole, so a reader gets the
 * old file or the new one, never none and never half. Both builds are of the same kind of page,
 * so a page that loaded the old index.html and the new app.js still works.
 */
export async function publishDir(built: string, live: string): Promise<void> {
  await mkdir(live, { recursive: true });
  const fresh = new Set<string>();
  for (const entry of await readdir(built, { withFileTypes: true })) {
    fresh.add(entry.name);
    const from = join(built, entry.name);
    const to = join(live, entry.name);
    if (entry.isDirectory()) {
      await publishDir(from, to);
    } else {
      await rename(from, to);
    }
  }
  for (const entry of await readdir(live, { withFileTypes: true })) {
    if (!fresh.has(entry.name)) await rm(join(live, entry.name), { recursive: true, force: true });
  }
  await rm(built, { recursive: true, force: true });
}
