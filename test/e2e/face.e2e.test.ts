import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../domain/language';
import { MRZ_VALID, QR_VALID } from '../fixtures/documents/samples';
import { fullyInView, shot } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';
import { waitFor } from '../helpers/wait-for';

/**
 * The photo step on the whole kiosk with simulated devices, the page in headless Chromium: the
 * simulated camera plays the citizen (POST /api/sim/camera {"scenario": …}). The face settings
 * are the shipped ones (stable frames, liveness frames, the 3-second countdown); only the number
 * of photos is lowered so the limit is reached quickly.
 */

const FACE_ATTEMPTS = 2;
let k: E2eKiosk;

beforeAll(async () => {
  k = await startE2eKiosk({ flow: { fingerPauseMs: 300, fingerAcceptedPauseMs: 100, faceAttempts: FACE_ATTEMPTS, abandonedScreenMs: 1000 } });
}, 180_000);

afterAll(() => k?.dispose());

const cameraState = async (): Promise<string> => (await k.deviceState('camera')) ?? 'unknown';

const screen = (page: Page, name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });

/** From the attract screen through the document and ten (simulated, good) fingers to the photo. */
async function toThePhoto(lang: Lang, card: string): Promise<Page> {
  const page = await k.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(k.kiosk.screenUrl);
  // Start from the attract screen even if an earlier test left a session open.
  const root = page.locator('[data-testid^="screen-"]').first();
  await root.waitFor();
  const shown = await root.getAttribute('data-testid');
  if (shown !== 'screen-attract' && shown !== 'screen-out-of-service' && shown !== 'screen-abandoned') {
    await page.getByTestId('help').click();
    await page.getByTestId('help-quit').click();
  }
  await screen(page, 'attract', 60_000);
  await page.getByTestId('start').click();
  await page.getByTestId(`lang-${lang}`).click();
  await page.getByTestId('case-expired').click();
  await screen(page, 'document');
  await k.sim('document', { present: card });
  await screen(page, 'document-confirm');
  await page.getByTestId('doc-confirm').click();
  await screen(page, 'fingerprints');
  await screen(page, 'face', 90_000);
  expect(errors).toEqual([]);
  return page;
}

const guidanceMatches = (page: Page, re: RegExp) =>
  page.waitForFunction((src) => new RegExp(src, 'i').test(document.querySelector('[data-testid="face-guidance"]')?.textContent ?? ''), re.source, { timeout: 30_000 });

async function leave(page: Page): Promise<void> {
  await page.getByTestId('help').click();
  await page.getByTestId('help-quit').click();
  await screen(page, 'abandoned');
  await page.close();
}

describe('the photo step at the touchscreen', () => {
  it('in Vietnamese: a turned head is asked to look straight, a countdown runs before each photo, and at the limit only the kept photo or staff are offered', async () => {
    await k.sim('camera', { scenario: 'turned-head' });
    const page = await toThePhoto('vi', QR_VALID);
    await page.getByTestId('face-preview').waitFor({ state: 'visible' });
    await guidanceMatches(page, /nhìn thẳng vào máy ảnh/);
    expect(await page.getByTestId('face-guidance').textContent()).not.toMatch(/khung hình bầu dục/);
    expect(await page.getByTestId('face-countdown').count()).toBe(0);
    await shot(page, 'face-vi-01-turned-head');

    await k.sim('camera', { scenario: 'normal' });
    for (let photo = 1; photo <= FACE_ATTEMPTS; photo++) {
      // The countdown is on screen before the photo is taken.
      await page.getByTestId('face-countdown-number').waitFor({ state: 'visible', timeout: 30_000 });
      expect(await page.getByTestId('face-countdown-number').textContent()).toMatch(/^[1-3]$/);
      if (photo === 1) await shot(page, 'face-vi-02-countdown');
      await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 30_000 });
      expect(await page.getByTestId('face-attempt').textContent()).toMatch(new RegExp(`${photo}\\D+${FACE_ATTEMPTS}`));
      if (photo < FACE_ATTEMPTS) await page.getByTestId('face-retake').click();
    }
    // The last photo: told plainly, no "Take again", the kept photo or staff.
    await page.getByTestId('face-limit').waitFor({ state: 'visible' });
    expect(await page.getByTestId('face-limit').textContent()).toMatch(/lần chụp cuối/);
    expect(await page.getByTestId('face-retake').count()).toBe(0);
    for (const id of ['face-accept', 'face-help']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
    await shot(page, 'face-vi-03-last-photo');
    await page.getByTestId('face-accept').click();
    await screen(page, 'signature');
    await leave(page);
  }, 240_000);

  it('in English: a camera that stops shows the fault and its way out as soon as the camera is known to have failed', async () => {
    await k.sim('camera', { scenario: 'normal' });
    const page = await toThePhoto('en', MRZ_VALID);
    await guidanceMatches(page, /\w/);
    await k.sim('camera', { scenario: 'stopped' });
    // The moment the kiosk's health says the camera is down, the step has already moved on.
    await waitFor(async () => !['ready', 'busy'].includes(await cameraState()), { what: '/healthz to report the camera down', timeoutMs: 30_000 });
    expect(k.kiosk.runtime.view().screen).toMatchObject({ name: 'face', phase: 'fault' });
    await page.getByTestId('face-fault').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('face-fault').textContent()).toMatch(/"Take again".*"Call staff"/);
    for (const id of ['face-retake', 'face-help']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
    await shot(page, 'face-en-01-camera-stopped');

    // The camera comes back; "Take again" starts the picture again.
    await k.sim('camera', { scenario: 'normal' });
    await waitFor(async () => (await cameraState()) === 'ready', { what: 'the camera to be back', timeoutMs: 60_000 });
    await page.getByTestId('face-retake').click();
    await page.getByTestId('face-preview').waitFor({ state: 'visible' });
    await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 60_000 });
    // A camera fault is not one of the citizen's photos.
    expect(await page.getByTestId('face-attempt').textContent()).toMatch(new RegExp(`1\\D+${FACE_ATTEMPTS}`));
    await leave(page);
  }, 240_000);
});
