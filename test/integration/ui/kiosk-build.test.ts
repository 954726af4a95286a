import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpsUi, buildTechUi, buildUi } from '../../../ui/build';

describe('kiosk page build', () => {
  it('bundles the page into app.js, app.css and index.html that load nothing from the network', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-ui-'));
    await buildUi(dir);
    const read = (f: string) => readFile(join(dir, f), 'utf8');
    const [html, css, js] = await Promise.all([read('index.html'), read('app.css'), read('app.js')]);
    const files = await readdir(dir);
    const voice = await readdir(join(dir, 'voice'));
    await rm(dir, { recursive: true, force: true });
    // The production page carries no source map (issue #11): not as a file, not inline.
    // Beside it, the spoken prompts (issue #15): audio files and their manifest, nothing else.
    expect(files.sort()).toEqual(['app.css', 'app.js', 'index.html', 'voice']);
    expect(voice.filter((f) => !f.endsWith('.ogg') && f !== 'manifest.json')).toEqual([]);
    expect(js + css).not.toMatch(/sourceMappingURL/);
    expect(html).toContain('src="app.js"');
    expect(html).toContain('href="app.css"');
    expect(html + css).not.toMatch(/https?:\/\//);
    // The only absolute URLs in the script are XML namespaces, never something fetched.
    const urls = js.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(urls.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
  });
});

/** The custom properties a stylesheet's :root rules set, with their values (a later rule wins). */
function rootDefinitions(css: string): Map<string, string> {
  const root = [...css.matchAll(/:root\s*\{([^}]*)\}/g)].map((m) => m[1] ?? '').join(';');
  return new Map([...root.matchAll(/(--[\w-]+)\s*:\s*([^;]+)/g)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]));
}

describe("the pages' palette", () => {
  it('is bundled into each page: the kiosk, the service screen and the console set every colour and font they use, and the same value for each', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pages-ui-'));
    try {
      await Promise.all([buildUi(join(dir, 'kiosk')), buildTechUi(join(dir, 'tech')), buildOpsUi(join(dir, 'ops'))]);
      const css = await Promise.all(['kiosk', 'tech', 'ops'].map(async (page) => ({ page, css: await readFile(join(dir, page, 'app.css'), 'utf8') })));
      const palette = rootDefinitions(await readFile(join('ui', 'common', 'palette.css'), 'utf8'));
      expect([...palette.keys()]).toEqual(expect.arrayContaining(['--ink', '--paper', '--paper-2', '--blue', '--green', '--amber', '--red', '--font', '--mono']));
      for (const { page, css: text } of css) {
        // No @import is left for the browser to fetch: palette.css is inside app.css.
        expect({ page, imports: text.match(/@import[^;]*;/g) ?? [] }).toEqual({ page, imports: [] });
        const set = rootDefinitions(text);
        const used = [...new Set([...text.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1] ?? ''))];
        expect({ page, unset: used.filter((v) => !set.has(v)) }).toEqual({ page, unset: [] });
        const drifted = [...palette].filter(([name, value]) => set.get(name)?.replace(/"/g, "'") !== value).map(([name]) => `${name}: ${set.get(name) ?? 'unset'}`);
        expect({ page, drifted }).toEqual({ page, drifted: [] });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('a rebuild under a page being served', () => {
  it('never leaves a file missing or half-written: every read during three rebuilds is a whole page', async () => {
    // Test files build the page into ui/dist/kiosk while another worker's kiosk serves it from
    // there: a rebuild that first emptied the folder made that page 404 and never draw a screen.
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-ui-live-'));
    try {
      await buildUi(dir);
      const whole = await Promise.all(['index.html', 'app.css', 'app.js', 'voice/manifest.json'].map(async (f) => [f, (await readFile(join(dir, f))).length] as const));
      const problems: string[] = [];
      let reads = 0;
      let building = true;
      const reader = (async () => {
        while (building) {
          for (const [f, length] of whole) {
            reads++;
            try {
              const got = (await readFile(join(dir, f))).length;
              if (got !== length) problems.push(`${f}: ${got} of ${length} bytes`);
            } catch (err) {
              problems.push(`${f}: ${err instanceof Error ? err.message : String(err)}`);
            }
          }
        }
      })();
      for (let i = 0; i < 3; i++) await buildUi(dir);
      building = false;
      await reader;
      expect(reads).toBeGreaterThan(10);
      expect(problems.slice(0, 5)).toEqual([]);
      // Nothing left over beside the page: no temporary folder.
      const base = dir.split('/').at(-1) ?? '';
      expect((await readdir(join(dir, '..'))).filter((f) => f.includes(`${base}.building-`))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
