import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_SEX_MISMATCH, QR_VALID } from '../fixtures/documents/samples';
import { SHOTS_DIR, shot, signWithMouse } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';
import { screenFetch } from '../helpers/screen-client';

/**
 * A citizen at the real touchscreen page in headless Chromium, against the whole kiosk on
 * simulated devices (real drivers talking to their simulators). The test plays the person:
 * it taps the page, and holds cards and fingers to the simulated devices through /api/sim.
 * Screenshots land in test/artifacts/e2e/ for a person to look at.
 */

let k: E2eKiosk;

beforeAll(async () => {
  k = await startE2eKiosk({ flow: { fingerPauseMs: 1500, fingerAcceptedPauseMs: 200, faceStableFrames: 3, doneTimeoutMs: 120_000, abandonedScreenMs: 1000 } });
}, 180_000);

// One kiosk screen at a time (issue #11): a page a failed test left open would keep the next out.
const pages: Page[] = [];
afterEach(async () => {
  for (const p of pages.splice(0)) if (!p.isClosed()) await p.close();
});

afterAll(() => k?.dispose());

const screen = (page: Page, name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });

async function newPage(): Promise<Page> {
  const page = await k.browser.newPage({ viewport: { width: 1280, height: 800 } });
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(k.kiosk.screenUrl);
  // Start from the attract screen even if an earlier test left a session open.
  const root = page.locator('[data-testid^="screen-"]').first();
  await root.waitFor();
  const shown = await root.getAttribute('data-testid');
  if (shown === 'screen-out-of-service' || shown === 'screen-abandoned') {
    // Devices still connecting after start, or a session just ended: the kiosk comes back by itself.
    await screen(page, 'attract', 30_000);
  } else if (shown !== 'screen-attract') {
    await page.getByTestId('help').click();
    await page.getByTestId('help-quit').click();
    await screen(page, 'attract');
  }
  return page;
}

/** The cooperative rest of a session after the document: ten fingers, face, signature, review. */
async function throughFace(page: Page, prefix: string): Promise<void> {
  await screen(page, 'face', 90_000);
  await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 30_000 });
  // The photo comes from /session/face.jpg, which answers the kiosk screen's cookie only.
  await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('[data-testid="face-photo"]')?.naturalWidth ?? 0) > 0, undefined, { timeout: 10_000 });
  await shot(page, `${prefix}-face-captured`);
  await page.getByTestId('face-accept').click();
  await screen(page, 'signature');
}

describe('a citizen at the touchscreen', () => {
  it('enrolls end to end in Vietnamese: QR scan, a finger retry and an exception, a reload mid-flow, a change from review', async () => {
    const page = await newPage();
    await screen(page, 'attract');
    await expect(page.getByTestId('start').textContent()).resolves.toContain('Chạm vào đây để bắt đầu');
    await shot(page, 'vi-01-attract');

    await page.getByTestId('start').click();
    await screen(page, 'language');
    await shot(page, 'vi-02-language');
    await page.getByTestId('lang-vi').click();
    await page.getByTestId('case-expired').click();
    await screen(page, 'document');
    await expect(page.locator('body').textContent()).resolves.toContain('Xin mời quét giấy tờ');
    await shot(page, 'vi-03-document');

    // Reload mid-flow: the page renders the controller's view, so it comes back to the same screen.
    await page.reload();
    await screen(page, 'document');
    await expect(page.getByTestId('step-document').getAttribute('aria-current')).resolves.toBe('step');

    // The citizen's first finger is smudged (a blank image), then good; the second finger is
    // bandaged: the window stays empty until the exception is recorded.
    await k.sim('fingerprint', { next: [{ kind: 'blank' }, { kind: 'seed', seed: 101 }, { kind: 'none' }] });
    await k.sim('document', { present: QR_VALID });
    await screen(page, 'document-confirm');
    await expect(page.getByTestId('document-table').textContent()).resolves.toContain('Trần Thị Bích Ngọc');
    await shot(page, 'vi-04-document-confirm');
    await page.getByTestId('doc-confirm').click();

    await screen(page, 'fingerprints');
    await page.locator('[data-testid="finger-message"][data-phase="low-quality"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('finger-message').textContent()).resolves.toMatch(/chưa rõ/);
    await shot(page, 'vi-05-finger-low-quality');
    await page.locator('[data-testid="finger-slot-right_thumb"][data-status="captured"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="finger-message"][data-phase="place"]').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('finger-name').textContent()).resolves.toMatch(/trỏ phải/);
    await shot(page, 'vi-06-finger-place');

    await page.reload();
    await screen(page, 'fingerprints');
    await expect(page.getByTestId('finger-name').textContent()).resolves.toMatch(/trỏ phải/);

    await page.getByTestId('finger-exception').click();
    await page.getByTestId('exception-reason-bandaged').click();
    await page.getByTestId('exception-scope-finger').click();
    await shot(page, 'vi-07-finger-exception');
    await page.getByTestId('exception-submit').click();
    // An exception is recorded with a photo of the hand (issue #11).
    await page.getByTestId('proof-take').click();
    await page.locator('[data-testid="finger-slot-right_index"][data-status="exception"]').waitFor({ timeout: 10_000 });
    // The citizen steps into poor light before the photo.
    await k.sim('camera', { scenario: 'dark' });
    await k.sim('fingerprint', { next: [{ kind: 'seed', seed: 103 }] });

    await screen(page, 'face', 90_000);
    await page.getByTestId('face-preview').waitFor({ state: 'visible' });
    // The guidance names what is wrong with this picture (too dark), not just any advice.
    const guidance = page.getByTestId('face-guidance');
    await guidance.waitFor({ state: 'visible' });
    await page.waitForFunction(() => /tối/i.test(document.querySelector('[data-testid="face-guidance"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await guidance.textContent()).toMatch(/Quá tối/);
    await shot(page, 'vi-08-face-guidance-dark');
    await k.sim('camera', { scenario: 'normal' });
    await throughFace(page, 'vi-09');

    await shot(page, 'vi-10-signature-empty');
    await signWithMouse(page, 0);
    await shot(page, 'vi-11-signature-drawn');
    await page.getByTestId('signature-done').click();

    await screen(page, 'review');
    const review = await page.locator('body').textContent();
    expect(review).toContain('Trần Thị Bích Ngọc');
    expect(review).toMatch(/036\s?190\s?001\s?234/);
    await expect(page.locator('[data-testid="finger-slot-right_index"]').getAttribute('data-status')).resolves.toBe('exception');
    await shot(page, 'vi-12-review');

    // Change the signature from review, and come back to review (not to the next step).
    await page.getByTestId('review-edit-signature').click();
    await screen(page, 'signature');
    await signWithMouse(page, 1.3);
    await page.getByTestId('signature-done').click();
    await screen(page, 'review');

    await page.getByTestId('review-confirm').click();
    await screen(page, 'done');
    const code = (await page.getByTestId('tracking-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    await page.locator('[data-testid="printer-status"][data-printed="true"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('body').textContent()).resolves.toContain('Hoàn tất');
    await expect(page.getByTestId('receipt').textContent()).resolves.toContain(code);
    await shot(page, 'vi-13-done');
    // What came out of the (simulated) printer, rendered from the ESC/POS bytes it received.
    const receipt = await screenFetch(k.kiosk.screenUrl, '/api/sim/printer/receipt.png');
    expect(receipt.status).toBe(200);
    await writeFile(path.join(SHOTS_DIR, 'vi-14-receipt.png'), Buffer.from(await receipt.arrayBuffer()));
    expect(await k.kiosk.store.countEnrollments()).toBe(1);

    await page.getByTestId('finish').click();
    await screen(page, 'attract');
    await page.close();
  }, 240_000);

  it('enrolls in English with the back-side MRZ', async () => {
    const page = await newPage();
    await screen(page, 'attract');
    await page.getByTestId('start').click();
    await screen(page, 'language');
    await page.getByTestId('lang-en').click();
    await page.getByTestId('case-expired').click();
    await screen(page, 'document');
    await expect(page.locator('body').textContent()).resolves.toContain('Please scan your ID card');
    await shot(page, 'en-01-document');
    await k.sim('document', { present: MRZ_VALID });
    await screen(page, 'document-confirm');
    await expect(page.getByTestId('document-table').textContent()).resolves.toMatch(/036\s?190\s?001\s?234/);
    await shot(page, 'en-02-document-confirm-mrz');
    await page.getByTestId('doc-confirm').click();
    await screen(page, 'fingerprints');
    await expect(page.locator('body').textContent()).resolves.toContain('Fingerprints');
    await shot(page, 'en-03-fingerprints');
    await throughFace(page, 'en-04');
    await signWithMouse(page, 2);
    await page.getByTestId('signature-done').click();
    await screen(page, 'review');
    await expect(page.locator('body').textContent()).resolves.toContain('Confirm and submit');
    await shot(page, 'en-05-review');
    await page.getByTestId('review-confirm').click();
    await screen(page, 'done');
    await page.locator('[data-testid="printer-status"][data-printed="true"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('body').textContent()).resolves.toContain('All done');
    await shot(page, 'en-06-done');
    expect(await k.kiosk.store.countEnrollments()).toBe(2);
    await page.getByTestId('finish').click();
    await screen(page, 'attract');
    await page.close();
  }, 240_000);

  it('takes an old CMND number on the keypad, and shows the mismatch screen for an inconsistent card', async () => {
    const page = await newPage();
    await screen(page, 'attract');
    await page.getByTestId('start').click();
    await page.getByTestId('lang-vi').click();
    await page.getByTestId('case-expired').click();
    await screen(page, 'document');
    await page.getByTestId('doc-type-number').click();
    for (const d of '163012345') await page.getByTestId(`keypad-${d}`).click();
    await shot(page, 'vi-20-keypad');
    await page.getByTestId('keypad-ok').click();
    await screen(page, 'document-confirm');
    await expect(page.getByTestId('document-table').textContent()).resolves.toMatch(/163\s?012\s?345/);
    await shot(page, 'vi-21-cmnd-confirm');

    await page.getByTestId('doc-rescan').click();
    await screen(page, 'document');
    await k.sim('document', { present: QR_SEX_MISMATCH });
    await screen(page, 'document-mismatch');
    await expect(page.locator('body').textContent()).resolves.toContain('chưa khớp');
    await shot(page, 'vi-22-mismatch');

    // Help, then leave: the session ends and nothing of it is kept.
    await page.getByTestId('help').click();
    await page.getByTestId('help-done').waitFor();
    await shot(page, 'vi-23-help');
    await page.getByTestId('help-quit').click();
    await screen(page, 'abandoned');
    await screen(page, 'attract');
    expect(await k.kiosk.store.countEnrollments()).toBe(2);
    await page.close();
  }, 120_000);
});
