import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceDetector } from '../../controller/capture/face-detector';
import { configSchema } from '../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../controller/kiosk';
import { buildUi } from '../../ui/build';
import { MRZ_VALID, QR_SEX_MISMATCH, QR_VALID } from '../fixtures/documents/samples';
import { launchBrowser, shot, signWithMouse } from './browser';
import { failFast } from '../helpers/fail-fast';
import { waitFor, waitForValue } from '../helpers/wait-for';
import { makeTestCentral, type TestCentral } from '../helpers/test-central';
import { screenFetch } from '../helpers/screen-client';

/**
 * The session as a whole (issue #11), on the whole kiosk with simulated devices and the page in
 * headless Chromium: the language button on every screen, help that does not time out while
 * staff are coming (and that staff can see), the panel's help button on the start screen,
 * printer trouble told before the start and a reprint once it is fixed, a reload that keeps the
 * typed digits and the prompt's real countdown, a back-only scan that asks for the front, and
 * another person's card from review. Screenshots in test/artifacts/e2e/session-*.png.
 */

interface Kiosk {
  readonly kiosk: RunningKiosk;
  readonly dataDir: string;
}

let a: Kiosk; // a kiosk with the usual timings
let b: Kiosk; // a kiosk whose idle timeouts are short, to see them happen
let browser: Browser;
let central: TestCentral;

async function start(flow: Record<string, number>, faceDetector: Awaited<ReturnType<typeof createFaceDetector>>): Promise<Kiosk> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-session-e2e-'));
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    // 300 ms before each finger (not the 1.5 s of a person reading the finger's name): these walks
    // look at the fingerprint step only in passing, and 10 fingers × 1.2 s was waited out on every walk;
    // nor do they look at the photo's countdown (face.e2e does).
    flow: { fingerPauseMs: 300, fingerAcceptedPauseMs: 200, faceStableFrames: 3, faceCountdownSeconds: 0, abandonedScreenMs: 1000, printerCheckMs: 300, ...flow },
  });
  const kiosk = await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast, faceDetector });
  return { kiosk, dataDir };
}

beforeAll(async () => {
  await buildUi();
  central = await makeTestCentral();
  const detector = await createFaceDetector();
  a = await start({ doneTimeoutMs: 120_000 }, detector);
  b = await start({ idleTimeoutMs: 1_500, promptTimeoutMs: 6_000, helpWaitMs: 9_000, staffCalledScreenMs: 3_000 }, detector);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await central?.dispose();
  await browser?.close();
  for (const k of [a, b]) {
    await k?.kiosk.stop();
    if (k) await rm(k.dataDir, { recursive: true, force: true });
  }
});

async function sim(k: Kiosk, device: string, body: unknown): Promise<void> {
  const res = await screenFetch(k.kiosk.screenUrl, `/api/sim/${device}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim ${device}: ${res.status} ${await res.text()}`);
}

interface Health {
  status: string;
  why: string[];
  helpWaiting: boolean;
  alerts: Array<{ device: string; status: string }>;
}
async function health(k: Kiosk): Promise<Health> {
  const res = await fetch(new URL('/healthz', k.kiosk.url));
  const body: unknown = await res.json();
  if (typeof body !== 'object' || body === null || !('status' in body) || !('why' in body) || !('alerts' in body) || !('helpWaiting' in body)) throw new Error(`healthz without status, why, helpWaiting and alerts: ${JSON.stringify(body)}`);
  const { status, why, alerts, helpWaiting } = body;
  if (typeof status !== 'string' || !Array.isArray(why) || !Array.isArray(alerts) || typeof helpWaiting !== 'boolean') throw new Error(`healthz fields of the wrong type: ${JSON.stringify(body)}`);
  return {
    status,
    helpWaiting,
    why: why.map(String),
    alerts: alerts.flatMap((x: unknown) => (typeof x === 'object' && x !== null && 'device' in x && 'status' in x ? [{ device: String(x.device), status: String(x.status) }] : [])),
  };
}

const screen = (page: Page, name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });
const text = async (page: Page, testid: string): Promise<string> => (await page.getByTestId(testid).textContent()) ?? '';

async function openPage(k: Kiosk): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(k.kiosk.screenUrl);
  const root = page.locator('[data-testid^="screen-"]').first();
  await root.waitFor();
  const shown = await root.getAttribute('data-testid');
  if (shown === 'screen-out-of-service' || shown === 'screen-abandoned') {
    // Devices still connecting after start, or a session just ended: the kiosk comes back by itself.
    await screen(page, 'attract', 30_000);
  } else if (shown !== 'screen-attract') {
    // An earlier test left a session open.
    await page.getByTestId('help').click();
    await page.getByTestId('help-quit').click();
    await screen(page, 'attract');
  }
  return page;
}

/** From the first finger to the signature screen, a cooperative citizen. */
async function fingersAndFace(page: Page): Promise<void> {
  await screen(page, 'fingerprints');
  await screen(page, 'face', 90_000);
  await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 30_000 });
  await page.getByTestId('face-accept').click();
  await screen(page, 'signature');
}

describe('the session as a whole', () => {
  it('paper out while idle: told before starting, staff see it; a back-only scan asks for the front; the language switches mid-way; the receipt screen says no more than is true, counts down, and prints again once the paper is back', async () => {
    await sim(a, 'printer', { paperOut: true });
    const page = await openPage(a);
    await page.getByTestId('printer-problem').waitFor({ timeout: 10_000 });
    expect(await text(page, 'printer-problem')).toMatch(/hết giấy/);
    await shot(page, 'session-01-attract-paper-out');
    const h = await health(a);
    expect(h.status).toBe('degraded');
    expect(h.why).toContain('printer: paper-out');
    expect(h.alerts).toContainEqual({ device: 'printer', status: 'paper-out' });

    await page.getByTestId('start').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('case-expired').click();
    await screen(page, 'document');
    // The back of the card first: the kiosk asks for the front, and why.
    await sim(a, 'document', { present: MRZ_VALID });
    await screen(page, 'document-confirm');
    expect(await text(page, 'doc-ask-front')).toMatch(/front of your card.*accents.*address/);
    await shot(page, 'session-02-confirm-ask-front');
    // The language button works in the middle of a step, and back.
    await page.getByTestId('lang-toggle').click();
    await page.locator('.kiosk[data-lang="vi"]').waitFor();
    expect(await text(page, 'doc-ask-front')).toMatch(/mặt trước thẻ/);
    await page.getByTestId('lang-toggle').click();
    await page.locator('.kiosk[data-lang="en"]').waitFor();
    // The front: the name with its accents, the address; nothing more to ask.
    await sim(a, 'document', { present: QR_VALID });
    await page.getByTestId('doc-ask-front').waitFor({ state: 'detached' });
    expect(await text(page, 'document-table')).toContain('Trần Thị Bích Ngọc');
    await page.getByTestId('doc-confirm').click();

    await screen(page, 'fingerprints');
    await page.getByTestId('lang-toggle').click();
    await page.locator('.kiosk[data-lang="vi"]').waitFor();
    expect(await page.locator('main').textContent()).toMatch(/Tay trái/);
    await page.getByTestId('lang-toggle').click();
    await page.locator('.kiosk[data-lang="en"]').waitFor();
    await fingersAndFace(page);

    // A signature too small: the error; after a reload the pad is blank and the error about the
    // old ink is gone.
    const box = await page.getByTestId('signature-canvas').boundingBox();
    if (!box) throw new Error('no signature box');
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 46, box.y + 42, { steps: 2 });
    await page.mouse.up();
    await page.getByTestId('signature-done').click();
    await page.getByTestId('signature-error').waitFor();
    await page.reload();
    await screen(page, 'signature');
    await page.getByTestId('signature-canvas').waitFor();
    expect(await page.getByTestId('signature-error').count()).toBe(0);
    await signWithMouse(page, 0);
    await page.getByTestId('signature-done').click();
    await screen(page, 'review');
    await page.getByTestId('review-confirm').click();

    await screen(page, 'done');
    await page.locator('[data-testid="printer-status"]:not([data-printed])').waitFor({ timeout: 30_000 });
    const unprinted = (await page.locator('main').textContent()) ?? '';
    expect(unprinted).not.toMatch(/Keep this receipt|giữ giấy này|has been sent|đã được gửi/);
    expect(unprinted).toMatch(/Write down or take a photo of this tracking code/);
    expect(Number(await text(page, 'done-seconds-left'))).toBeGreaterThan(60);
    await page.getByTestId('lang-toggle').click();
    await page.locator('.kiosk[data-lang="vi"]').waitFor();
    expect(await text(page, 'done-returns-in')).toMatch(/trở về trang đầu/);
    await shot(page, 'session-03-done-not-printed');

    // Staff put paper in: the kiosk offers to print again, and prints.
    await sim(a, 'printer', { paperOut: false });
    await page.getByTestId('reprint').waitFor({ timeout: 60_000 });
    await shot(page, 'session-04-done-reprint');
    await page.getByTestId('reprint').click();
    await page.locator('[data-testid="printer-status"][data-printed="true"]').waitFor({ timeout: 30_000 });
    expect(await text(page, 'receipt')).toMatch(/Hãy giữ giấy này/);
    await waitForValue(async () => ((await health(a)).status === 'ok' ? true : undefined), { what: 'health ok again', timeoutMs: 10_000 });
    await page.getByTestId('finish').click();
    await screen(page, 'attract');
    expect(await page.getByTestId('printer-problem').count()).toBe(0);
    await page.close();
  }, 300_000);

  it('keeps the typed digits over a reload; another person’s card from review warns, and starting over erases the photo', async () => {
    const page = await openPage(a);
    await page.getByTestId('start').click();
    await page.getByTestId('lang-vi').click();
    await page.getByTestId('case-expired').click();
    await screen(page, 'document');
    await page.getByTestId('doc-type-number').click();
    for (const d of '0361') await page.getByTestId(`keypad-${d}`).click();
    await page.reload();
    await screen(page, 'document');
    await waitFor(async () => /^036 1/.test(await text(page, 'keypad-display')), { what: 'the typed digits after the reload' });
    for (const d of '90001234') await page.getByTestId(`keypad-${d}`).click();
    await page.getByTestId('keypad-ok').click();
    await screen(page, 'document-confirm');
    await page.getByTestId('doc-confirm').click();
    await fingersAndFace(page);
    await signWithMouse(page, 1);
    await page.getByTestId('signature-done').click();
    await screen(page, 'review');

    await page.getByTestId('review-edit-document').click();
    await screen(page, 'document');
    await sim(a, 'document', { present: QR_SEX_MISMATCH });
    await screen(page, 'different-person');
    expect(await text(page, 'different-person-warning')).toMatch(/hồ sơ mới/);
    expect(await text(page, 'document-table')).toContain('Phạm Thị Hoa');
    await shot(page, 'session-05-different-person');
    // (The kiosk's own view of the session's photo, as /session/face.jpg serves it.)
    const photo = () => a.kiosk.runtime.sessionImage('face');
    expect(photo()).toBeDefined();
    await page.getByTestId('start-over').click();
    // The new person's card, to be checked as any first card is; the first person's photo is gone.
    await screen(page, 'document-mismatch');
    expect(photo()).toBeUndefined();
    await page.getByTestId('help').click();
    await page.getByTestId('help-quit').click();
    await screen(page, 'attract');
    await page.close();
  }, 240_000);

  it('waiting for staff is not being idle: the session stays past the idle timeout and the prompt; after the help wait the prompt shows over help, with its real seconds after a reload; staff see the request', async () => {
    const page = await openPage(b);
    await page.getByTestId('start').click();
    await page.getByTestId('lang-vi').click();
    await page.getByTestId('case-expired').click();
    await screen(page, 'document');
    await page.getByTestId('help').click();
    await page.getByTestId('overlay-help').waitFor();
    const h = await health(b);
    expect(h.helpWaiting).toBe(true);
    expect(h.alerts).toContainEqual({ device: 'screen', status: 'help' });
    const audit = await b.kiosk.store.recentAudit({ kind: 'help-requested' });
    expect(audit.map((e) => e.detail)).toContainEqual({ source: 'screen', inSession: true, screen: 'document' });

    // Idle (1.5 s) and prompt (6 s) pass; the help wait (9 s) ends with the prompt over help.
    await page.getByTestId('overlay-timeout').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('screen-document').count()).toBe(1);
    await shot(page, 'session-06-prompt-over-help');
    await waitFor(async () => Number(await text(page, 'seconds-left')) <= 4, { what: 'the prompt to count down to 4', timeoutMs: 10_000 });
    await page.reload();
    await page.getByTestId('overlay-timeout').waitFor();
    expect(Number(await text(page, 'seconds-left'))).toBeLessThanOrEqual(4);
    await page.getByTestId('still-here').click();
    await page.getByTestId('overlay-help').waitFor();
    await page.getByTestId('help-done').click();
    await page.getByTestId('overlay-help').waitFor({ state: 'detached' });
    await page.getByTestId('overlay-timeout').waitFor({ timeout: 10_000 });
    await page.getByTestId('quit').click();
    await screen(page, 'attract');
    await page.close();
  }, 120_000);

  it('the panel’s help button on the start screen: the screen says staff have been called, and staff see it', async () => {
    const page = await openPage(b);
    await sim(b, 'panel', { press: 'help-button' });
    await page.getByTestId('staff-called').waitFor({ timeout: 10_000 });
    await shot(page, 'session-07-attract-staff-called');
    expect((await health(b)).alerts).toContainEqual({ device: 'panel', status: 'help' });
    await page.getByTestId('staff-called').waitFor({ state: 'detached', timeout: 10_000 });
    await page.close();
  }, 60_000);
});
