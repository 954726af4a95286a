import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The photo the simulated camera shows by default: a citizen standing well in front of a plain
 * wall. Derived from the public-domain NASA astronaut portrait by test/fixtures/faces/derive.ts.
 */
export async function simCameraSource(): Promise<Uint8Array> {
  return new Uint8Array(await readFile(fileURLToPath(new URL('../../test/fixtures/faces/astronaut.png', import.meta.url))));
}
