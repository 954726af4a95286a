import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../ui/common/i18n';

/**
 * A message that tells the citizen to press a button must name a button the page has, in the
 * same language ("Take again", not "Retake"). Every quoted phrase in a Vietnamese or English
 * text of the controller is checked against the page's own labels.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const sources = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'controller/*.ts', 'domain/*.ts'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.ts'));

const labels = { vi: new Set<string>(Object.values(LABELS).map((l) => l.vi)), en: new Set<string>(Object.values(LABELS).map((l) => l.en)) };

/** Every ("vi" | "en", quoted phrase, where) in the controller's citizen-facing texts. */
function quotedPhrases(): Array<{ lang: 'vi' | 'en'; phrase: string; where: string }> {
  const out: Array<{ lang: 'vi' | 'en'; phrase: string; where: string }> = [];
  const text = /\b(vi|en):\s*(['`])((?:\\.|(?!\2).)*)\2/g;
  for (const file of sources) {
    const src = readFileSync(`${ROOT}/${file}`, 'utf8');
    for (const m of src.matchAll(text)) {
      const lang = m[1] === 'vi' ? 'vi' : 'en';
      for (const q of (m[3] ?? '').matchAll(/"([^"]+)"/g)) out.push({ lang, phrase: q[1] ?? '', where: file });
    }
  }
  return out;
}

describe('button names in what the kiosk tells the citizen', () => {
  it('finds quoted button names to check (the scan itself works)', () => {
    expect(quotedPhrases().length).toBeGreaterThan(5);
  });

  it('names only buttons the page shows, in the same language', () => {
    const unknown = quotedPhrases().filter(({ lang, phrase }) => !labels[lang].has(phrase));
    expect(unknown).toEqual([]);
  });
});
