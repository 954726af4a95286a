import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixture, screenRig } from '../../ui/screen-rig';

/**
 * Mute (issue #15) silences the prompt in the same frame the button shows it pressed: a citizen
 * who pressed it and sees it pressed must not hear the rest of the sentence. The page learns it is
 * muted from the controller's view; the sound must stop as that view is drawn, not a frame later.
 */

const rig = screenRig();

const audio = (page: Page) =>
  page.getByTestId('voice').evaluate((a: HTMLAudioElement) => ({ state: a.dataset.state, paused: a.paused, prompt: a.dataset.prompt }));

/**
 * Watches the mute button: the audio element's state at the moment the page marks it pressed
 * (a MutationObserver runs before the browser paints that change).
 */
async function watchMute(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { muteSeen?: { state: string | undefined; paused: boolean } };
    const button = document.querySelector('[data-testid="voice-mute"]');
    const player = document.querySelector<HTMLAudioElement>('[data-testid="voice"]');
    if (!button || !player) throw new Error('no mute button or voice element on the page');
    new MutationObserver(() => {
      if (button.getAttribute('aria-pressed') === 'true' && !w.muteSeen) w.muteSeen = { state: player.dataset.state, paused: player.paused };
    }).observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
  });
}

const seenAtMute = (page: Page) => page.evaluate(() => (window as unknown as { muteSeen?: { state: string | undefined; paused: boolean } }).muteSeen);

describe('mute', () => {
  for (const lang of ['vi', 'en'] as const) {
    it(`stops the prompt as the button shows pressed, and the next screen stays silent (${lang})`, async () => {
      const scan = fixture('document-scan');
      const page = await rig.show(scan, lang, 'landscape');
      await expect.poll(() => audio(page), { timeout: 20_000 }).toMatchObject({ state: 'playing', paused: false, prompt: 'document-scan' });
      await watchMute(page);
      await rig.push(page, { ...scan, voiceMuted: true }, lang);
      expect(await seenAtMute(page)).toEqual({ state: 'muted', paused: true });
      expect(await audio(page)).toMatchObject({ state: 'muted', paused: true });
      // Another screen while muted: nothing plays.
      await rig.push(page, { ...fixture('document-typing'), voiceMuted: true }, lang);
      expect(await audio(page)).toMatchObject({ state: 'muted', paused: true });
      await page.close();
    });
  }
});
