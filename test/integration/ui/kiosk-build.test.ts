import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildUi } from '../../../ui/build';

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
