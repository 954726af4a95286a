import { describe, expect, it } from 'vitest';
import { fixture, fullyInView, screenRig, shot } from '../../ui/screen-rig';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';
import { LABELS } from '../../../ui/common/i18n';

/**
 * The photo step's screen in real Chromium, fed view models by a fake controller: the countdown,
 * the last photo at the retake limit, and the camera fault, at both screen shapes and in both
 * languages, with screenshots in test/artifacts/ui-screens/ to look at.
 */

const { server, show } = screenRig();

const withCountdown = (countdown: number): Omit<ViewModel, 'seq' | 'lang'> => {
  const v = fixture('face-countdown');
  if (v.screen.name !== 'face') throw new Error('fixture face-countdown is not the face screen');
  return { ...v, screen: { ...v.screen, countdown } };
};

for (const orientation of ['landscape', 'portrait'] as const) {
  for (const lang of ['vi', 'en'] as const) {
    describe(`the photo screen (${orientation}, ${lang})`, () => {
      it('shows the countdown as one big number beside the live picture, with what it means in words', async () => {
        for (const n of [3, 2, 1]) {
          const page = await show(withCountdown(n), lang, orientation);
          const countdown = page.getByTestId('face-countdown');
          expect((await page.getByTestId('face-countdown-number').textContent())?.trim()).toBe(String(n));
          expect(await countdown.textContent()).toContain(LABELS.faceCountdown[lang]);
          const px = await page.getByTestId('face-countdown-number').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
          expect(px).toBeGreaterThanOrEqual(120);
          expect(await fullyInView(page, 'face-countdown-number')).toBe(true);
          expect(await fullyInView(page, 'face-preview')).toBe(true);
          if (n === 3) await shot(page, `face-countdown-${lang}-${orientation}`);
          await page.close();
        }
      });

      it('says the photo is being taken when the countdown reaches zero', async () => {
        const page = await show(withCountdown(0), lang, orientation);
        expect(await page.getByTestId('face-countdown').textContent()).toContain(LABELS.faceTakingPhoto[lang]);
        expect(await page.getByTestId('face-countdown-number').count()).toBe(0);
        await page.close();
      });

      it('shows no countdown while the face is not yet good', async () => {
        const page = await show(fixture('face-live'), lang, orientation);
        expect(await page.getByTestId('face-countdown').count()).toBe(0);
        expect(await fullyInView(page, 'face-guidance')).toBe(true);
        await shot(page, `face-live-${lang}-${orientation}`);
        await page.close();
      });

      it('offers "Take again" while retakes are left', async () => {
        const page = await show(fixture('face-captured'), lang, orientation);
        for (const id of ['face-photo', 'face-accept', 'face-retake']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        expect(await page.getByTestId('face-attempt').textContent()).toMatch(/1\D+3/);
        await page.close();
      });

      it('at the retake limit, says so plainly and offers only the kept photo or staff', async () => {
        const page = await show(fixture('face-last-photo'), lang, orientation);
        await shot(page, `face-last-photo-${lang}-${orientation}`);
        expect(await page.getByTestId('face-retake').count()).toBe(0);
        for (const id of ['face-photo', 'face-limit', 'face-accept', 'face-help']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        const notice = (await page.getByTestId('face-limit').textContent()) ?? '';
        const v = fixture('face-last-photo');
        if (v.screen.name !== 'face' || !v.screen.notice) throw new Error('fixture face-last-photo has no notice');
        expect(notice).toContain(v.screen.notice[lang]);
        expect(await page.getByTestId('face-accept').textContent()).toContain(LABELS.faceAccept[lang]);
        expect(await page.getByTestId('face-help').textContent()).toContain(LABELS.callStaff[lang]);
        expect(await page.getByTestId('face-attempt').textContent()).toMatch(/3\D+3/);
        await page.getByTestId('face-help').click();
        await expect.poll(() => server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'HELP' } });
        await page.close();
      });

      it('shows the camera fault with both ways out on screen', async () => {
        const page = await show(fixture('face-fault'), lang, orientation);
        await shot(page, `face-fault-${lang}-${orientation}`);
        for (const id of ['face-fault', 'face-retake', 'face-help']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        await page.close();
      });
    });
  }
}
