import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heardPrompt, shot } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';

/**
 * An elderly citizen at a portrait kiosk (issue #15), in headless Chromium launched as the
 * kiosk's browser unit launches it (autoplay allowed), against the whole kiosk on simulated
 * devices: each screen speaks its prompt (the page's audio element really plays it), the replay
 * and mute buttons work, "larger text" can be turned on and off, and it turns on by itself for a
 * card of someone born in 1950; the next citizen starts with neither.
 */

let k: E2eKiosk;

/** A CCCD's QR for a man born on 14 March 1950 (ID digit 4: male, 1900s; 5–6: the year). */
const QR_BORN_1950 = '001050012345|163000123|Nguyễn Văn Bảy|14031950|Nam|Số 5, phố Hàng Bông, Hoàn Kiếm, Hà Nội|10052021';

beforeAll(async () => {
  k = await startE2eKiosk({ flow: { abandonedScreenMs: 60_000 } });
}, 180_000);

afterAll(() => k?.dispose());

const screen = (page: Page, name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });

/** The page has really played `prompt`; how many prompts it has played so far. */
const spoken = async (page: Page, prompt: string): Promise<number> => (await heardPrompt(page, prompt)).plays;

const voiceState = (page: Page) => page.getByTestId('voice').evaluate((a: HTMLAudioElement) => ({ prompt: a.dataset.prompt, state: a.dataset.state, paused: a.paused, plays: Number(a.dataset.plays ?? '0') }));
const largeTextOn = (page: Page) => page.locator('.kiosk.large-text').count().then((n) => n > 0);

describe('an elderly citizen at a portrait kiosk', () => {
  it('hears every screen, can replay and mute it, and gets larger text by itself for a card of someone born in 1950', async () => {
    const page = await k.browser.newPage({ viewport: { width: 1080, height: 1920 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(k.kiosk.screenUrl);
      await screen(page, 'attract');
      // The start screen speaks before anyone has touched the page (the autoplay flag).
      await spoken(page, 'attract');
      expect(await largeTextOn(page)).toBe(false);

      await page.getByTestId('start').click();
      await screen(page, 'language');
      await spoken(page, 'language');
      await page.getByTestId('lang-vi').click();
      // Why they came (the case screen) is spoken too.
      await screen(page, 'case');
      await spoken(page, 'case-choose');
      await page.getByTestId('case-expired').click();
      await screen(page, 'document');
      const first = await spoken(page, 'document-scan');

      // Replay: the same prompt again, from the start.
      await page.getByTestId('voice-replay').click();
      await page.waitForFunction((n) => Number(document.querySelector<HTMLAudioElement>('[data-testid="voice"]')?.dataset.plays ?? '0') > n, first, { timeout: 10_000 });
      expect((await voiceState(page)).prompt).toBe('document-scan');

      // Mute: it stops at once, and the next screen says nothing.
      await page.getByTestId('voice-mute').click();
      await expect.poll(() => page.getByTestId('voice-mute').getAttribute('aria-pressed')).toBe('true');
      expect(await voiceState(page)).toMatchObject({ state: 'muted', paused: true });
      const mutedPlays = (await voiceState(page)).plays;
      await page.getByTestId('doc-type-number').click();
      await screen(page, 'document');
      await page.getByTestId('doc-scan-instead').waitFor();
      expect(await voiceState(page)).toMatchObject({ state: 'muted', paused: true, plays: mutedPlays });
      // Sound on again: the prompt of what is shown.
      await page.getByTestId('voice-mute').click();
      await spoken(page, 'document-typing');
      await page.getByTestId('doc-scan-instead').click();
      await spoken(page, 'document-scan');

      // Larger text by hand, on and off.
      await page.getByTestId('large-text').click();
      await expect.poll(() => largeTextOn(page)).toBe(true);
      await shot(page, 'access-document-large-portrait');
      await page.getByTestId('large-text').click();
      await expect.poll(() => largeTextOn(page)).toBe(false);

      // A card of someone born in 1950: larger text turns on by itself.
      await k.sim('document', { present: QR_BORN_1950 });
      await screen(page, 'document-confirm');
      await expect.poll(() => largeTextOn(page)).toBe(true);
      await spoken(page, 'document-confirm');
      await expect(page.getByTestId('large-text').getAttribute('aria-pressed')).resolves.toBe('true');
      await shot(page, 'access-confirm-elderly-portrait');
      // The citizen may turn it off; the card still on the scanner does not turn it on again.
      await page.getByTestId('large-text').click();
      await expect.poll(() => largeTextOn(page)).toBe(false);
      await k.sim('document', { present: QR_BORN_1950 });
      await page.getByTestId('doc-confirm').waitFor();
      expect(await largeTextOn(page)).toBe(false);
      await page.getByTestId('large-text').click();
      await expect.poll(() => largeTextOn(page)).toBe(true);

      // Help: the overlay speaks its own prompt.
      await page.getByTestId('voice-mute').click();
      await expect.poll(() => page.getByTestId('voice-mute').getAttribute('aria-pressed')).toBe('true');
      await page.getByTestId('help').click();
      await page.getByTestId('help-quit').waitFor();
      // Muted: the overlay says nothing either; sound on, it speaks.
      expect((await voiceState(page)).state).toBe('muted');
      await page.getByTestId('voice-mute').click();
      await spoken(page, 'overlay-help');
      await page.getByTestId('voice-mute').click();
      await expect.poll(() => page.getByTestId('voice-mute').getAttribute('aria-pressed')).toBe('true');

      // The session ends: the next citizen starts with usual text and sound on.
      await page.getByTestId('help-quit').click();
      await screen(page, 'abandoned');
      await spoken(page, 'abandoned');
      expect(await largeTextOn(page)).toBe(false);
      await expect(page.getByTestId('voice-mute').getAttribute('aria-pressed')).resolves.toBe('false');
      await shot(page, 'access-abandoned-portrait');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
