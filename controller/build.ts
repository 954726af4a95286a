import { rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../domain/package-root';

/**
 * `npm run build`: the kiosk's three programs as plain JavaScript in dist/, so a Pi starts them
 * with `node dist/kiosk.mjs` and does not transpile TypeScript at every boot (tsx is for
 * development and tests). Packages stay in node_modules (`packages: 'external'`): the native
 * ones (sqlite3, serialport, node-hid, sharp) cannot be bundled, and the others load as they do
 * under tsx. No source maps: stack traces name bundle lines, which is what a journal needs to
 * be read against the same build (`npm run build -- --sourcemap` for a developer's build).
 */

export const DIST = path.join(PACKAGE_ROOT, 'dist');

export const ENTRY_POINTS = {
  kiosk: 'controller/main.ts',
  cli: 'controller/cli/main.ts',
  central: 'controller/central/main.ts',
} as const;

export async function buildController(opts: { readonly outDir?: string; readonly sourcemap?: boolean } = {}): Promise<string> {
  const outDir = opts.outDir ?? DIST;
  await rm(outDir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, file]) => [name, path.join(PACKAGE_ROOT, file)])),
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // The CLI loads each command when it is asked for (import() in cli/commands.ts): shared
    // code goes in chunks so `kiosk --help` does not load the face model.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: opts.sourcemap ? 'linked' : false,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outDir;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  const out = await buildController({ sourcemap: process.argv.includes('--sourcemap') });
  process.stdout.write(`controller built into ${out}: node ${path.relative(process.cwd(), path.join(out, 'kiosk.mjs'))}\n`);
}
