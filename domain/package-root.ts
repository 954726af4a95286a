import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the kiosk's own files are (the built UI, config/, dev-central/), found the same way
 * whether this code runs from its TypeScript source under tsx or from the bundle in dist/
 * (`npm run build`, what a Pi runs: controller/build.ts). A path relative to the importing
 * file breaks when the file is bundled, so everything asks here: the nearest folder above this
 * module holding our package.json.
 */
export function findPackageRoot(from: string): string {
  for (let dir = from; ; ) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find cccd-kiosk's package.json above ${from}: run the kiosk from its install directory`);
    dir = up;
  }
}

function isOurs(manifest: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'cccd-kiosk';
  } catch {
    return false;
  }
}

export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
