import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../ui/common/i18n';
import { TECH_LABELS } from '../../../ui/tech/labels';

/**
 * A message that tells the citizen to press a button must name a button the page has, in the
 * same language ("Take again", not "Retake"). Every quoted phrase in a Vietnamese or English
 * text of the controller is checked against the page's own labels. What the kiosk tells a
 * technician (controller/tech/, the tech channel) names the service screen's buttons
 * (ui/tech/labels.ts), and so do the service screen's own hints. The page's own labels are
 * checked too (ui/common/i18n.ts: its hints, and what the kiosk says aloud, issue #15).
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const sources = execFileSync('git', ['ls-files', '-co', '--exclude-standard', 'controller/*.ts', 'domain/*.ts', 'ui/tech/labels.ts', 'ui/common/i18n.ts'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.ts'));

const labelSet = (all: ReadonlyArray<{ vi: string; en: string }>) => ({ vi: new Set<string>(all.map((l) => l.vi)), en: new Set<string>(all.map((l) => l.en)) });
const labels = labelSet(Object.values(LABELS));
const techLabels = labelSet(Object.values(TECH_LABELS));
/** Texts for the technician: the service screen's buttons. */
const forTechnician = (file: string): boolean => file.startsWith('controller/tech/') || file === 'controller/server/tech-channel.ts' || file === 'ui/tech/labels.ts';

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
    const unknown = quotedPhrases().filter(({ lang, phrase, where }) => !(forTechnician(where) ? techLabels : labels)[lang].has(phrase));
    expect(unknown).toEqual([]);
  });

  it('checks what the kiosk tells a technician too (the scan finds those texts)', () => {
    const tech = quotedPhrases().filter(({ where }) => forTechnician(where));
    expect(tech.some(({ where }) => where === 'ui/tech/labels.ts')).toBe(true);
    expect(tech.some(({ where }) => where.startsWith('controller/tech/'))).toBe(true);
  });
});
