import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAMERA_FAULT } from '../../controller/enrollment/view';
import { LABELS } from '../../ui/common/i18n';
import type { Lang } from '../../domain/language';
import { MRZ_VALID, QR_VALID } from '../fixtures/documents/samples';
import { fullyInView, shot } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';
import { walkTo } from '../helpers/kiosk-walk';
import { waitFor } from '../helpers/wait-for';

/**
 * The camera's cable pulled during the photo and plugged back, on the whole kiosk with simulated
 * devices and the page in headless Chromium: the citizen sees the camera fault and its way out
 * at once, in their language, in both orientations; after the replug "Take again" takes the
 * photo. The way to the photo step is played through the kiosk's runtime (the same intents the
 * page sends); the fault screen is used through the page. Timings: `npm run bench -- camera`.
 */

let k: E2eKiosk;

beforeAll(async () => {
  k = await startE2eKiosk({ flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0, abandonedScreenMs: 300 } });
}, 180_000);

afterAll(() => k?.dispose());

const LANDSCAPE = { width: 1280, height: 800 };
const PORTRAIT = { width: 1080, height: 1920 };

describe('the camera pulled out during the photo, at the touchscreen', () => {
  for (const [lang, card] of [
    ['vi', QR_VALID],
    ['en', MRZ_VALID],
  ] as const satisfies ReadonlyArray<readonly [Lang, string]>) {
    it(`in ${lang === 'vi' ? 'Vietnamese' : 'English'}: the camera fault and its way out at once, then a photo after the replug`, async () => {
      const page = await k.browser.newPage({ viewport: LANDSCAPE });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(k.kiosk.screenUrl);
      await walkTo(k.kiosk, { lang, card, until: (v) => v.screen.name === 'face' && v.screen.phase === 'live' });
      await page.getByTestId('face-preview').waitFor({ state: 'visible', timeout: 30_000 });

      await k.sim('camera', { unplug: true });
      const fault = page.getByTestId('face-fault');
      await fault.waitFor({ state: 'visible', timeout: 30_000 });
      // What to do next, naming the two buttons the screen shows.
      expect(await fault.textContent()).toBe(CAMERA_FAULT[lang]);
      expect(await page.getByTestId('face-retake').textContent()).toBe(LABELS.faceRetake[lang]);
      expect(await page.getByTestId('face-help').textContent()).toBe(LABELS.callStaff[lang]);
      for (const [orientation, viewport] of [
        ['landscape', LANDSCAPE],
        ['portrait', PORTRAIT],
      ] as const) {
        await page.setViewportSize(viewport);
        for (const id of ['face-fault', 'face-retake', 'face-help']) expect({ orientation, id, inView: await fullyInView(page, id) }).toEqual({ orientation, id, inView: true });
        await shot(page, `camera-unplugged-${lang}-${orientation}`);
      }
      await page.setViewportSize(LANDSCAPE);

      await k.sim('camera', { replug: true });
      await waitFor(async () => (await k.deviceState('camera')) === 'ready', { what: 'the camera to be back after the replug', timeoutMs: 30_000 });
      await page.getByTestId('face-retake').click();
      await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 90_000 });
      await shot(page, `camera-replugged-photo-${lang}`);
      expect(errors).toEqual([]);

      await page.getByTestId('help').click();
      await page.getByTestId('help-quit').click();
      await page.getByTestId('screen-abandoned').waitFor({ state: 'visible' });
      await page.close();
    }, 240_000);
  }
});
