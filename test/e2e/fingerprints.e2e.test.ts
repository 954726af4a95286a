import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePacket } from '../../controller/packet/build';
import { loadKioskKeys } from '../../controller/packet/keys';
import { openSealedPacket } from '../../controller/packet/seal';
import type { EnrollmentRecord } from '../../domain/enrollment-record';
import { MRZ_VALID, QR_VALID } from '../fixtures/documents/samples';
import { shot, signWithMouse } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';

/**
 * The fingerprint step end to end (issue #11): the whole kiosk on simulated devices, the page in
 * headless Chromium, the test playing the citizen at the touchscreen and at the simulated
 * sensor and camera (/api/sim). What the kiosk seals is opened at the end and checked.
 */

let k: E2eKiosk;

beforeAll(async () => {
  k = await startE2eKiosk({ flow: { fingerPauseMs: 400, fingerAcceptedPauseMs: 200, faceStableFrames: 3, doneTimeoutMs: 120_000, abandonedScreenMs: 1000 } });
}, 180_000);

afterAll(() => k?.dispose());

const screen = (page: Page, name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });
const phase = (page: Page, p: string, timeout = 30_000) => page.locator(`[data-testid="finger-message"][data-phase="${p}"]`).waitFor({ timeout });
const slot = (page: Page, finger: string) => page.getByTestId(`finger-slot-${finger}`);

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const page = await k.browser.newPage({ viewport });
  await page.goto(k.kiosk.screenUrl);
  const root = page.locator('[data-testid^="screen-"]').first();
  await root.waitFor();
  const shown = await root.getAttribute('data-testid');
  if (shown !== 'screen-attract') await screen(page, 'attract', 30_000);
  return page;
}

async function toFingerprints(page: Page, lang: 'vi' | 'en', card: string): Promise<void> {
  await page.getByTestId('start').click();
  await page.getByTestId(`lang-${lang}`).click();
  await page.getByTestId('case-expired').click();
  await screen(page, 'document');
  await k.sim('document', { present: card });
  await screen(page, 'document-confirm');
  await page.getByTestId('doc-confirm').click();
  await screen(page, 'fingerprints');
}

async function faceAndSignature(page: Page): Promise<void> {
  await screen(page, 'face', 90_000);
  await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 30_000 });
  await page.getByTestId('face-accept').click();
  await screen(page, 'signature');
  await signWithMouse(page, 0);
  await page.getByTestId('signature-done').click();
  await screen(page, 'review');
}

/** The newest sealed packet, opened with the test centre's private key and verified with the kiosk's. */
async function lastRecord(): Promise<EnrollmentRecord> {
  const keys = await loadKioskKeys(k.dataDir);
  if (!keys) throw new Error('kiosk keys missing');
  const id = (await k.kiosk.store.listPacketIds()).at(-1);
  const sealed = id ? await k.kiosk.store.readSealedPacket(id) : null;
  if (!sealed) throw new Error('no sealed packet');
  const opened = openSealedPacket(sealed, k.central.privateKey);
  if (!opened.ok) throw new Error(`packet does not open: ${opened.error}`);
  const parsed = parsePacket(opened.inner, keys.publicKey);
  if (!parsed.ok) throw new Error(`packet does not verify: ${parsed.error}`);
  return parsed.record;
}

describe('the fingerprint step at the touchscreen', () => {
  it('never takes an unreadable print as done, proves a declared hand with a photo and calls staff, and redoes one finger from review (vi, landscape)', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    // Three blank captures (quality 0) on the right thumb.
    await k.sim('fingerprint', { next: [{ kind: 'blank' }, { kind: 'blank' }, { kind: 'blank' }] });
    await toFingerprints(page, 'vi', QR_VALID);

    await phase(page, 'unreadable');
    await shot(page, 'fingers-vi-01-unreadable');
    await expect(page.getByTestId('finger-message').innerText()).resolves.toMatch(/Chưa đọc được vân tay/);
    await expect(page.getByTestId('finger-name').innerText()).resolves.toMatch(/ngón cái phải/);
    expect(await slot(page, 'right_thumb').getAttribute('data-status')).toBe('pending');
    expect(await page.getByTestId('finger-retry').isVisible()).toBe(true);
    expect(await page.getByTestId('finger-keep').count()).toBe(0);

    // A second round, smudged: after it the citizen may keep the clearest print for staff.
    await k.sim('fingerprint', { next: [301, 302, 303].map((seed) => ({ kind: 'seed', seed, variant: 'smudged' })) });
    await page.getByTestId('finger-retry').click();
    await phase(page, 'unreadable');
    await page.getByTestId('finger-keep').waitFor({ state: 'visible' });
    expect(await page.getByTestId('finger-retry').count()).toBe(0);
    await shot(page, 'fingers-vi-02-last-round');
    // Nobody at the window for the next finger until it is declared.
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await page.getByTestId('finger-keep').click();
    await page.locator('[data-testid="finger-slot-right_thumb"][data-status="captured"]').waitFor();
    expect(await slot(page, 'right_thumb').getAttribute('data-below-threshold')).toBe('true');
    expect(await slot(page, 'right_thumb').innerText()).toContain('Cán bộ sẽ kiểm tra');

    // The right index cannot be taken: the whole right hand is missing.
    await phase(page, 'place');
    await expect(page.getByTestId('finger-name').innerText()).resolves.toMatch(/ngón trỏ phải/);
    expect(await page.getByTestId('finger-retry').count()).toBe(0);
    await page.getByTestId('finger-exception').click();
    await page.getByTestId('exception-reason-amputated').click();
    await page.getByTestId('exception-scope-hand').click();
    await page.getByTestId('exception-submit').click();
    await phase(page, 'proof-photo');
    await page.waitForFunction(() => (document.querySelector('[data-testid="proof-preview"]') as HTMLImageElement | null)?.naturalWidth !== 0);
    await shot(page, 'fingers-vi-03-proof-photo');
    expect(await slot(page, 'right_index').count()).toBe(0); // the camera replaces the hands while the photo is taken
    // The left hand gives good prints once staff have checked.
    await k.sim('fingerprint', { next: [311, 312, 313, 314, 315].map((seed) => ({ kind: 'seed', seed })) });
    await page.getByTestId('proof-take').click();

    // Four fingers declared: staff are called, and the citizen waits for them.
    // (That it waits however long staff take is tested on a simulated clock: machine.fingerprints.test.ts.)
    await page.getByTestId('overlay-help').waitFor({ state: 'visible', timeout: 10_000 });
    await shot(page, 'fingers-vi-04-staff-called');
    await expect(page.getByTestId('step-fingerprints').getAttribute('aria-current')).resolves.toBe('step');
    expect(await slot(page, 'left_thumb').getAttribute('data-status')).toBe('pending');
    await page.getByTestId('help-done').click(); // the staff member, having looked

    await faceAndSignature(page);
    const fingers = page.getByTestId('review-fingerprints');
    expect(await fingers.innerText()).not.toMatch(/\d/);
    for (const f of ['right_index', 'right_middle', 'right_ring', 'right_little']) expect(await slot(page, f).getAttribute('data-status')).toBe('exception');
    for (const f of ['left_thumb', 'left_index', 'left_middle', 'left_ring', 'left_little']) expect(await slot(page, f).getAttribute('data-status')).toBe('captured');
    await shot(page, 'fingers-vi-05-review');

    // Redo only the left ring finger: only it is asked for, then back to review.
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await page.getByTestId('review-edit-fingerprints').click();
    await page.getByTestId('redo-finger-left_ring').click();
    await shot(page, 'fingers-vi-06-redo-choose');
    await page.getByTestId('redo-go').click();
    await screen(page, 'fingerprints');
    await phase(page, 'place');
    await expect(page.getByTestId('finger-name').innerText()).resolves.toMatch(/ngón áp út trái/);
    await page.getByTestId('finger-redo-cancel').waitFor({ state: 'visible' });
    await shot(page, 'fingers-vi-07-redo');
    await k.sim('fingerprint', { next: [{ kind: 'seed', seed: 399 }] });
    await screen(page, 'review', 60_000);
    expect(await slot(page, 'left_ring').getAttribute('data-status')).toBe('captured');
    for (const f of ['right_index', 'right_middle', 'right_ring', 'right_little']) expect(await slot(page, f).getAttribute('data-status')).toBe('exception');
    expect(await slot(page, 'right_thumb').getAttribute('data-below-threshold')).toBe('true');

    await page.getByTestId('review-confirm').click();
    await screen(page, 'done');
    const record = await lastRecord();
    expect(record.fingers[0]).toMatchObject({ position: 'right_thumb', status: 'captured', attempts: 6, belowThreshold: true, threshold: 40 });
    const thumb = record.fingers[0];
    expect(thumb?.status === 'captured' && thumb.score > 0 && thumb.score < 40).toBe(true);
    const declared = record.fingers.slice(1, 5);
    for (const f of declared) expect(f).toMatchObject({ status: 'exception', reason: 'amputated', scope: 'hand' });
    const photos = new Set(declared.map((f) => (f.status === 'exception' ? f.proof?.jpeg : undefined)));
    expect(photos.size).toBe(1);
    const [photo] = [...photos];
    expect(photo && Array.from(photo.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    expect(record.fingers.slice(5).every((f) => f.status === 'captured' && f.belowThreshold === false)).toBe(true);
    await page.getByTestId('finish').click();
    await screen(page, 'attract');
    await page.close();
  }, 300_000);

  it('cancels a declaration at the photo, and goes back from a redo to review keeping the earlier print (en, portrait)', async () => {
    const page = await newPage({ width: 1080, height: 1920 });
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await toFingerprints(page, 'en', MRZ_VALID);
    await phase(page, 'place');
    await page.getByTestId('finger-exception').click();
    await page.getByTestId('exception-reason-bandaged').click();
    await page.getByTestId('exception-submit').click();
    await phase(page, 'proof-photo');
    await expect(page.getByTestId('proof-title').innerText()).resolves.toBe('A photo of your right hand');
    await shot(page, 'fingers-en-01-proof-photo-portrait');
    await page.getByTestId('proof-cancel').click();
    await phase(page, 'place');
    await expect(page.getByTestId('finger-name').innerText()).resolves.toBe('right thumb');
    expect(await slot(page, 'right_thumb').getAttribute('data-status')).toBe('pending');
    await k.sim('fingerprint', { next: Array.from({ length: 10 }, (_, i) => ({ kind: 'seed', seed: 501 + i })) });

    await faceAndSignature(page);
    const indexScore = await slot(page, 'right_index').getAttribute('data-score');
    await page.getByTestId('review-edit-fingerprints').click();
    await page.getByTestId('redo-finger-right_index').click();
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await page.getByTestId('redo-go').click();
    await screen(page, 'fingerprints');
    await phase(page, 'place');
    await page.getByTestId('finger-redo-cancel').click();
    await screen(page, 'review');
    expect(await slot(page, 'right_index').getAttribute('data-score')).toBe(indexScore);
    await shot(page, 'fingers-en-02-review-after-redo-cancel');
    await k.sim('fingerprint', { next: [{ kind: 'seed', seed: 600 }] }); // clears "nobody there"

    await page.getByTestId('review-confirm').click();
    await screen(page, 'done');
    const record = await lastRecord();
    expect(record.fingers.every((f) => f.status === 'captured' && f.belowThreshold === false)).toBe(true);
    await page.getByTestId('finish').click();
    await screen(page, 'attract');
    await page.close();
  }, 300_000);

  it('a reload keeps an open dialog and what was chosen in it (en, landscape)', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    // Nobody touches the reader: "this finger cannot be taken" is offered.
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await toFingerprints(page, 'en', QR_VALID);
    await page.getByTestId('finger-exception').click();
    await page.getByTestId('exception-reason-injured').click();
    await page.getByTestId('exception-scope-hand').click();
    await page.locator('[data-testid="exception-scope-hand"][aria-checked="true"]').waitFor();
    await page.reload();
    const dialog = page.getByTestId('exception-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('exception-reason-injured').getAttribute('aria-checked')).toBe('true');
    expect(await page.getByTestId('exception-scope-hand').getAttribute('aria-checked')).toBe('true');
    await shot(page, 'fingers-en-reload-dialog');
    await page.getByTestId('exception-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await page.reload();
    await screen(page, 'fingerprints');
    expect(await page.getByTestId('exception-dialog').count()).toBe(0);
    await page.getByTestId('help').click();
    await page.getByTestId('help-quit').click();
    await page.close();
  });
});
