import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { publishDir } from './publish-dir';
import { buildVoice } from './voice-build';

const UI_DIR = dirname(fileURLToPath(import.meta.url));
export const KIOSK_DIST = join(UI_DIR, 'dist', 'kiosk');
/** The technician's service screen (ui/tech/), served under /tech/ and on the tech listener. */
export const TECH_DIST = join(UI_DIR, 'dist', 'tech');
/** The hall officers' console (ui/ops/), served by `npm run kiosk -- ops` (issue #14). */
export const OPS_DIST = join(UI_DIR, 'dist', 'ops');

export interface BuildOptions {
  /**
   * A developer's build: source maps inline in app.js/app.css for the browser's devtools. The
   * kiosk's build (npm start, install) has none: no map file, no sourceMappingURL (issue #11).
   */
  readonly dev?: boolean;
}

/**
 * Bundles the citizen page into ui/dist/kiosk (app.js, app.css, index.html), with its spoken
 * prompts in voice/ (voice-build.ts: rendered once, then copied from a cache). Everything the
 * page needs is in those files: no CDN, no web fonts, so the kiosk works with the network down.
 * A rebuild never pulls the page from under a server using the folder (publish-dir.ts).
 */
export async function buildUi(outDir: string = KIOSK_DIST, opts: BuildOptions = {}): Promise<void> {
  await building(outDir, async (dir) => {
    await buildPage('kiosk', dir, opts);
    await buildVoice(dir);
  });
}

/** Bundles the technician's service screen into ui/dist/tech the same way (no CDN, no map). */
export async function buildTechUi(outDir: string = TECH_DIST, opts: BuildOptions = {}): Promise<void> {
  await building(outDir, (dir) => buildPage('tech', dir, opts));
}

/** Bundles the hall officers' console into ui/dist/ops the same way (no CDN, no map). */
export async function buildOpsUi(outDir: string = OPS_DIST, opts: BuildOptions = {}): Promise<void> {
  await building(outDir, (dir) => buildPage('ops', dir, opts));
}

/** Builds into a new folder beside `outDir`, then publishes it over `outDir` file by file. */
async function building(outDir: string, make: (dir: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(outDir), { recursive: true });
  const dir = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.building-`));
  try {
    await make(dir);
    await publishDir(dir, outDir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function buildPage(page: 'kiosk' | 'tech' | 'ops', outDir: string, opts: BuildOptions): Promise<void> {
  await build({
    entryPoints: { app: join(UI_DIR, page, 'main.tsx') },
    outdir: outDir,
    bundle: true,
    minify: true,
    sourcemap: opts.dev ? 'inline' : false,
    format: 'iife',
    target: 'chrome100',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(join(UI_DIR, page, 'index.html'), join(outDir, 'index.html'));
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(entry).href) {
  // `npm run build:ui -- --dev`: with inline source maps, for a developer's browser only.
  const dev = process.argv.includes('--dev');
  Promise.all([buildUi(KIOSK_DIST, { dev }), buildTechUi(TECH_DIST, { dev }), buildOpsUi(OPS_DIST, { dev })]).then(
    () => console.log(`ui built into ${KIOSK_DIST}, ${TECH_DIST} and ${OPS_DIST}${dev ? ' (dev: inline source maps)' : ''}`),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
