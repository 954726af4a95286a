import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixture, fullyInView, screenRig, shot, type Orientation } from '../../ui/screen-rig';
import type { Lang } from '../../../domain/language';
import { LABELS } from '../../../ui/common/i18n';

/**
 * The fingerprint step and the fingerprints on review, in real Chromium at the two screen
 * shapes kiosks stand in, in both languages (issue #11): no "Try again" before anything was
 * tried, ticks and words instead of quality numbers, both ways on after an unreadable print, the
 * photo of the hand, and choosing which fingers to take again from review.
 */

const SHAPES = [
  ['landscape', 'vi'],
  ['landscape', 'en'],
  ['portrait', 'vi'],
  ['portrait', 'en'],
] as const satisfies ReadonlyArray<readonly [Orientation, Lang]>;

const rig = screenRig();
const server = rig.server;

const show = (id: string, lang: Lang, orientation: Orientation): Promise<Page> => rig.show(fixture(id), lang, orientation);

/** The words a citizen can read on the page (rendered text, not attributes). */
const visibleText = (page: Page): Promise<string> => page.locator('main').innerText();

describe('the fingerprint step in Chromium', () => {
  for (const [orientation, lang] of SHAPES) {
    describe(`${orientation}, ${lang}`, () => {
      it('before any attempt shows no "Try again", and only a secondary "This finger cannot be taken"', async () => {
        const page = await show('fingerprints-place', lang, orientation);
        await shot(page, `fingers-place-${lang}-${orientation}`);
        expect(await page.getByTestId('finger-retry').count()).toBe(0);
        expect(await page.locator('main .btn-primary').count()).toBe(0);
        expect(await page.getByTestId('finger-exception').getAttribute('class')).toMatch(/btn-secondary/);
        expect(await fullyInView(page, 'finger-exception')).toBe(true);
        await page.close();
      });

      it('shows ticks and words, never a quality number (the score stays in data-score for staff)', async () => {
        const page = await show('fingerprints-low-quality', lang, orientation);
        await shot(page, `fingers-low-quality-${lang}-${orientation}`);
        const text = await visibleText(page);
        // The attempt counter is the only number besides the finger count.
        expect(text.replace(/\d+\/10/, '').replace(/\d+\s*(trên|of)\s*\d+/, '')).not.toMatch(/\d/);
        expect(text).not.toContain(LABELS.quality[lang]);
        expect(await page.getByTestId('finger-slot-right_thumb').innerText()).toContain('✓');
        expect(await page.getByTestId('finger-slot-right_thumb').getAttribute('data-score')).toBe('62');
        await page.close();
      });

      it('after a round that could not be read says so, with "Try again" and "This finger cannot be taken" in view', async () => {
        const page = await show('fingerprints-unreadable', lang, orientation);
        await shot(page, `fingers-unreadable-${lang}-${orientation}`);
        expect(await page.getByTestId('finger-message').innerText()).toMatch(lang === 'vi' ? /Chưa đọc được/ : /could not be read/);
        for (const id of ['finger-retry', 'finger-exception']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        expect(await page.getByTestId('finger-keep').count()).toBe(0);
        await page.close();
      });

      it('after the last round offers "Use this print" and "This finger cannot be taken", not "Try again"', async () => {
        const page = await show('fingerprints-unreadable-last-round', lang, orientation);
        await shot(page, `fingers-unreadable-last-round-${lang}-${orientation}`);
        for (const id of ['finger-keep', 'finger-exception']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        expect(await page.getByTestId('finger-keep').innerText()).toBe(LABELS.fingerKeep[lang]);
        expect(await page.getByTestId('finger-retry').count()).toBe(0);
        await page.getByTestId('finger-keep').click();
        await expect.poll(() => server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'FINGER_KEEP' } });
        await page.close();
      });

      it('the exception dialog says a photo of the hand comes next, and counts the fingers "the whole hand" covers', async () => {
        const page = await show('fingerprints-low-quality', lang, orientation);
        await page.getByTestId('finger-exception').click();
        await page.getByTestId('exception-reason-amputated').click();
        await page.getByTestId('exception-scope-hand').click();
        await shot(page, `fingers-exception-dialog-${lang}-${orientation}`);
        expect(await page.getByTestId('exception-next').innerText()).toBe(LABELS.exceptionNext[lang]);
        // Right ring is asked for; right little is still to take: two fingers.
        expect(await page.getByTestId('exception-scope-hand').innerText()).toContain(`(2 ${LABELS.fingersWord[lang]})`);
        expect(await fullyInView(page, 'exception-submit')).toBe(true);
        await page.getByTestId('exception-submit').click();
        await expect.poll(() => server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'FINGER_EXCEPTION', reason: 'amputated', scope: 'hand' } });
        await page.close();
      });

      it('asks for the photo of the hand with the camera in view and "Take the photo" and "Cancel" in view', async () => {
        const page = await show('fingerprints-proof-photo', lang, orientation);
        await page.getByTestId('proof-preview').waitFor({ state: 'visible' });
        await page.waitForFunction(() => (document.querySelector('[data-testid="proof-preview"]') as HTMLImageElement | null)?.naturalWidth !== 0);
        await shot(page, `fingers-proof-photo-${lang}-${orientation}`);
        for (const id of ['proof-camera', 'proof-take', 'proof-cancel']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        expect(await page.getByTestId('proof-take').innerText()).toBe(LABELS.proofTake[lang]);
        expect(await page.getByTestId('proof-declared').innerText()).toContain(lang === 'vi' ? 'Mất ngón tay' : 'Finger missing');
        await page.getByTestId('proof-take').click();
        await expect.poll(() => server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'FINGER_PROOF_PHOTO' } });
        await page.close();
      });

      it('shows the help request over the step when staff are called about declared fingers', async () => {
        const page = await show('fingerprints-staff-check', lang, orientation);
        await page.getByTestId('overlay-help').waitFor({ state: 'visible' });
        await shot(page, `fingers-staff-check-${lang}-${orientation}`);
        expect(await page.locator('main .btn').count()).toBe(0);
        await page.close();
      });

      it('a print kept below the threshold reads "staff will check", not a number or "well done"', async () => {
        const page = await show('fingerprints-kept', lang, orientation);
        await shot(page, `fingers-kept-${lang}-${orientation}`);
        const slot = page.getByTestId('finger-slot-right_thumb');
        expect(await slot.innerText()).toContain(LABELS.slotToCheck[lang]);
        expect(await slot.getAttribute('data-below-threshold')).toBe('true');
        expect(await page.getByTestId('finger-message').getAttribute('class')).not.toMatch(/finger-message-ok/);
        await page.close();
      });

      it('redoing from review offers to go back to review keeping the fingers as they were', async () => {
        const page = await show('fingerprints-redo', lang, orientation);
        await shot(page, `fingers-redo-${lang}-${orientation}`);
        expect(await fullyInView(page, 'finger-redo-cancel')).toBe(true);
        await page.getByTestId('finger-redo-cancel').click();
        await expect.poll(() => server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'FINGER_REDO_CANCEL' } });
        await page.close();
      });
    });
  }
});

describe('the fingerprints on review in Chromium', () => {
  for (const [orientation, lang] of SHAPES) {
    it(`shows words, not numbers, and "Change" retakes only the fingers chosen (${orientation}, ${lang})`, async () => {
      const page = await show('review-redo-dialog', lang, orientation);
      const fingers = page.getByTestId('review-fingerprints');
      const text = await fingers.innerText();
      expect(text).not.toMatch(/\d/);
      expect(await page.getByTestId('finger-slot-right_thumb').innerText()).toContain(LABELS.slotToCheck[lang]);
      expect(await page.getByTestId('finger-slot-right_thumb').getAttribute('data-score')).toBe('31');

      await page.getByTestId('review-edit-fingerprints').click();
      await page.getByTestId('redo-dialog').waitFor({ state: 'visible' });
      // Nothing goes to the controller until fingers are chosen and confirmed.
      const before = server.received.length;
      expect(await page.getByTestId('redo-go').isDisabled()).toBe(true);
      await page.getByTestId('redo-finger-left_ring').click();
      await page.getByTestId('redo-finger-right_thumb').click();
      await page.getByTestId('redo-finger-left_thumb').click();
      await page.getByTestId('redo-finger-left_thumb').click();
      expect(await page.getByTestId('redo-finger-right_thumb').getAttribute('aria-checked')).toBe('true');
      await shot(page, `review-redo-${lang}-${orientation}`);
      for (const id of ['redo-go', 'redo-cancel', 'redo-finger-left_little', 'redo-finger-right_little']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
      expect(server.received.slice(before).flatMap((m) => (m.type === 'intent' && m.intent.type !== 'TOUCH' && m.intent.type !== 'DIALOG' ? [m.intent] : []))).toEqual([]);
      await page.getByTestId('redo-go').click();
      await expect.poll(() => server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'REVIEW_REDO_FINGERS', fingers: ['right_thumb', 'left_ring'] } });
      // The dialog is the controller's: it closes when the controller's next view comes.
      await page.getByTestId('redo-dialog').waitFor({ state: 'detached', timeout: 5_000 });
      await page.close();
    });
  }

  it('"Cancel" in the chooser sends nothing', async () => {
    const page = await show('review-redo-dialog', 'vi', 'landscape');
    const before = server.received.length;
    await page.getByTestId('review-edit-fingerprints').click();
    await page.getByTestId('redo-finger-left_ring').click();
    await page.getByTestId('redo-cancel').click();
    // The dialog is the controller's: it closes when the controller's next view comes.
    await page.getByTestId('redo-dialog').waitFor({ state: 'detached', timeout: 5_000 });
    // Only the page's keep-alive (TOUCH): nothing the controller acts on.
    expect(server.received.slice(before).flatMap((m) => (m.type === 'intent' && m.intent.type !== 'TOUCH' && m.intent.type !== 'DIALOG' ? [m.intent] : []))).toEqual([]);
    await page.close();
  });
});
