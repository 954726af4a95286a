import { describe, expect, it } from 'vitest';
import { heardPrompt } from '../../e2e/browser';
import { fixture, screenRig, type View } from '../../ui/screen-rig';
import type { FingerPosition } from '../../../domain/fingers';

/**
 * The fingerprint screen's spoken prompt names the finger (issue #15): an elderly citizen who
 * cannot read hears "right index finger". In Chromium (with the kiosk browser's autoplay flag),
 * fed views by the fake controller: the page plays the finger's own prompt, and plays it again
 * when the finger changes, in both languages; a new view of the same finger says nothing new.
 */

const { show, push } = screenRig();

function placing(finger: FingerPosition, index: number, progress = 0): View {
  const base = fixture('fingerprints-place');
  if (base.screen.name !== 'fingerprints') throw new Error('fixture fingerprints-place is not the fingerprint screen');
  return { ...base, screen: { ...base.screen, phase: 'place', finger, index, progress } };
}

describe('the spoken prompt of the fingerprint screen', () => {
  for (const lang of ['vi', 'en'] as const) {
    it(`names the finger, and is said again when the finger changes (${lang})`, async () => {
      const page = await show(placing('right_thumb', 0), lang, 'landscape');
      const first = await heardPrompt(page, 'fingerprints-place-right_thumb');
      expect(first).toMatchObject({ lang });
      expect(first.src).toMatch(new RegExp(`/voice/fingerprints-place-right_thumb\\.${lang}\\.ogg$`));

      await push(page, placing('right_index', 1), lang);
      const second = await heardPrompt(page, 'fingerprints-place-right_index');
      expect(second.src).toMatch(new RegExp(`/voice/fingerprints-place-right_index\\.${lang}\\.ogg$`));
      expect(second.plays).toBeGreaterThan(first.plays);

      // Another view of the same finger says nothing again: the next prompt heard (the print
      // being read) is the very next play.
      await push(page, placing('right_index', 1, 0), lang);
      const base = fixture('fingerprints-place');
      if (base.screen.name !== 'fingerprints') throw new Error('fixture fingerprints-place is not the fingerprint screen');
      await push(page, { ...base, screen: { ...base.screen, phase: 'uploading', finger: 'right_index', index: 1, progress: 0.3, choices: [] } }, lang);
      const third = await heardPrompt(page, 'fingerprints-uploading');
      expect(third.plays).toBe(second.plays + 1);
      await page.close();
    });
  }
});
