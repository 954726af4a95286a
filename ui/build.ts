import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
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
 * Tests pass their own `outDir` so they never pull the page from under a running server.
 */
export async function buildUi(outDir: string = KIOSK_DIST, opts: BuildOptions = {}): Promise<void> {
  await buildPage('kiosk', outDir, opts);
  await buildVoice(outDir);
}

/** Bundles the technician's service screen into ui/dist/tech the same way (no CDN, no map). */
export async function buildTechUi(outDir: string = TECH_DIST, opts: BuildOptions = {}): Promise<void> {
  await buildPage('tech', outDir, opts);
}

/** Bundles the hall officers' console into ui/dist/ops the same way (no CDN, no map). */
export async function buildOpsUi(outDir: string = OPS_DIST, opts: BuildOptions = {}): Promise<void> {
  await buildPage('ops', outDir, opts);
}

async function buildPage(page: 'kiosk' | 'tech' | 'ops', outDir: string, opts: BuildOptions): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
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
