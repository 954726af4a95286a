/**
 * Issue #13, in Chromium: the scanner and the fingerprint reader pulled out mid-session and
 * plugged back in, through their simulators (/api/sim), with the whole kiosk on simulated
 * devices. The citizen sees the device's fault with its way out, in Vietnamese and English, at
 * 1280×800 and 1080×1920, then that it works again, and the step goes on. Screenshots under
 * test/artifacts/e2e/replug-*.png. Speed is in `npm run bench -- devices`.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUi } from '../../ui/build';
import { QR_VALID } from '../fixtures/documents/samples';
import { allReady, startSimKiosk, type SimKiosk } from '../helpers/sim-kiosk';
import { waitFor } from '../helpers/wait-for';
import { fullyInView, launchBrowser, shot } from './browser';

let k: SimKiosk;
let browser: Browser;

beforeAll(async () => {
  await buildUi();
  k = await startSimKiosk({ flow: { fingerPauseMs: 400, fingerAcceptedPauseMs: 200 } });
  await allReady(k);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await k?.dispose();
});

const working = (state: string | undefined): boolean => state === 'ready' || state === 'busy';

const WALKS = [
  { lang: 'vi', viewport: { width: 1280, height: 800 }, orientation: 'landscape', down: /ngắt kết nối/, back: /hoạt động lại/ },
  { lang: 'en', viewport: { width: 1080, height: 1920 }, orientation: 'portrait', down: /disconnected/, back: /working again/ },
] as const;

describe('a device pulled out mid-session and plugged back in, at the touchscreen', () => {
  for (const w of WALKS) {
    it(`the scanner, then the fingerprint reader (${w.lang}, ${w.orientation})`, async () => {
      const page = await browser.newPage({ viewport: w.viewport });
      await page.goto(k.kiosk.screenUrl);
      await page.getByTestId('screen-attract').waitFor({ timeout: 30_000 });
      await page.getByTestId('start').click();
      await page.getByTestId(`lang-${w.lang}`).click();
      await page.getByTestId('case-expired').click();
      await page.getByTestId('screen-document').waitFor();
      const name = (step: string) => `replug-${w.lang}-${w.orientation}-${step}`;

      // The document step: the scanner's cable comes out, and stays out.
      await k.sim('document', { unplug: true });
      const notice = page.getByTestId('doc-error');
      await notice.filter({ hasText: w.down }).waitFor();
      expect(await fullyInView(page, 'doc-error')).toBe(true);
      expect(await fullyInView(page, 'doc-type-number')).toBe(true);
      expect(await fullyInView(page, 'help')).toBe(true);
      await shot(page, name('1-scanner-disconnected'));
      await waitFor(async () => (await k.deviceState('document')) === 'disconnected', { what: 'health: document disconnected' });

      await k.sim('document', { replug: true });
      await notice.filter({ hasText: w.back }).waitFor();
      await waitFor(async () => working(await k.deviceState('document')), { what: 'health: document ready again' });
      await shot(page, name('2-scanner-back'));
      await k.sim('fingerprint', { next: [{ kind: 'none' }] });
      await k.sim('document', { present: QR_VALID });
      await page.getByTestId('screen-document-confirm').waitFor();
      await page.getByTestId('doc-confirm').click();
      await page.locator('[data-testid="finger-message"][data-phase="place"]').waitFor();

      // The fingerprint step: the reader's cable comes out while it waits for the finger.
      await k.sim('fingerprint', { unplug: true });
      const message = page.locator('[data-testid="finger-message"][data-phase="fault"]');
      await message.filter({ hasText: w.down }).waitFor();
      expect(await fullyInView(page, 'finger-message')).toBe(true);
      expect(await fullyInView(page, 'finger-retry')).toBe(true);
      expect(await page.getByTestId('finger-exception').count()).toBe(0);
      await shot(page, name('3-reader-disconnected'));
      await waitFor(async () => (await k.deviceState('fingerprint')) === 'disconnected', { what: 'health: fingerprint disconnected' });

      await k.sim('fingerprint', { replug: true });
      await message.filter({ hasText: w.back }).waitFor();
      await waitFor(async () => working(await k.deviceState('fingerprint')), { what: 'health: fingerprint ready again' });
      expect(await fullyInView(page, 'finger-retry')).toBe(true);
      await shot(page, name('4-reader-back'));
      await k.sim('fingerprint', { next: [{ kind: 'seed', seed: w.lang === 'vi' ? 81 : 82 }] });
      await page.getByTestId('finger-retry').click();
      await page.locator('[data-testid="finger-slot-right_thumb"][data-status="captured"]').waitFor({ timeout: 30_000 });
      await shot(page, name('5-thumb-taken'));

      // Leave the session for the next walk.
      await page.getByTestId('help').click();
      await page.getByTestId('help-quit').click();
      await page.getByTestId('screen-attract').waitFor({ timeout: 30_000 });
      await page.close();
    }, 180_000);
  }
});
