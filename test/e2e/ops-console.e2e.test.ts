import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet, type FleetKiosk } from '../../controller/ops/fleet/fleet';
import { createOpsConsole, type OpsConsole } from '../../controller/ops-console/server';
import { hashSecret } from '../../controller/tech/pin';
import { buildOpsUi } from '../../ui/build';
import { launchBrowser, shot } from './browser';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue #14: the hall officers' console in headless Chromium, against a fleet of simulated
 * kiosks (the real statechart, the kiosk's own server and ops channel) and the real ops process.
 * An officer logs in and sees the hall live; a citizen's help call is queued with its wait and
 * answered (the kiosk's help screen closes); a finger exception's photo is shown and approved
 * (the kiosk records it with the officer's name); a kiosk put out of service; a kiosk that stops
 * shows as a red alert. Both languages, both orientations; screenshots in test/artifacts/e2e/.
 */

const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;
const OFFICER = 'Trần Thị Bình';
const PASSWORD = 'mat-khau-rat-dai-2026';
let fleet: Fleet;
let ops: OpsConsole;
let url: string;
let browser: Browser;
let page: Page;
let uiDir: string;

const kiosk = (i: number): FleetKiosk => {
  const k = fleet.kiosks[i];
  if (!k) throw new Error(`no kiosk ${i}`);
  return k;
};

beforeAll(async () => {
  uiDir = await mkdtemp(path.join(os.tmpdir(), 'ops-ui-'));
  const [, hash] = await Promise.all([buildOpsUi(uiDir), hashSecret(PASSWORD, { ln: 10 })]);
  // Simulated devices answer in 0.4 s: time to declare a finger before the reader answers.
  fleet = await startFleet({ count: 5, basePort: 0, host: '127.0.0.1', heartbeatMs: 1000, citizens: 'none', speed: 4, log: pino({ level: 'silent' }), flow: { faceCountdownSeconds: 0 } });
  ops = createOpsConsole({ hall: fleet.kiosksFile('Phường Bến Nghé'), officers: [{ login: 'binh', name: OFFICER, hash }], uiRoot: uiDir, log: pino({ level: 'silent' }), auth: { minGapMs: 0 } });
  url = (await ops.listen(0, '127.0.0.1')).url;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: SIZES.landscape });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ops?.close();
  await fleet?.stop();
  await rm(uiDir, { recursive: true, force: true });
});

/** A citizen at kiosk `i` on the fingerprint step. */
async function toFingerprints(k: FleetKiosk): Promise<void> {
  k.runtime.send({ type: 'START' });
  await waitFor(() => k.runtime.view().screen.name === 'language', { what: `${k.kioskId} on the language screen` });
  k.runtime.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  k.runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await waitFor(() => k.runtime.view().screen.name === 'document-confirm', { what: `${k.kioskId} reading the card` });
  k.runtime.send({ type: 'DOC_CONFIRM' });
  await waitFor(() => k.runtime.view().screen.name === 'fingerprints', { what: `${k.kioskId} on the fingerprints` });
}

const opsAudits = (k: FleetKiosk) => k.audits.filter((a) => a.kind === 'ops-command').map((a) => a.detail);

describe('the hall officers console', () => {
  it('asks for a login first, and refuses a wrong password', async () => {
    await page.goto(url);
    await page.getByTestId('login-form').waitFor();
    await shot(page, 'ops-login-vi-landscape');
    await page.getByTestId('login').fill('binh');
    await page.getByTestId('password').fill('wrong-password-here');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('không đúng');
    // The page cannot reach the hall without the session cookie.
    const refused = await page.evaluate(async () => (await fetch('/api/me')).status);
    expect(refused).toBe(401);
  });

  it('logs in and shows every kiosk of the hall live', async () => {
    await page.getByTestId('password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('hall').waitFor();
    expect(await page.getByTestId('officer').textContent()).toContain(OFFICER);
    await waitFor(async () => (await page.locator('[data-link="up"]').count()) === 5, { what: 'five kiosks up on the console', timeoutMs: 10_000 });
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ops_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // A session starts on kiosk 1: its card follows.
    await toFingerprints(kiosk(0));
    await expect.poll(() => page.getByTestId(`kiosk-${kiosk(0).kioskId}`).getByTestId('screen').textContent(), { timeout: 5000 }).toContain('Lấy vân tay');
  });

  it('queues a help call with how long it has waited, and answers it: the kiosk\'s help screen closes', async () => {
    const k = kiosk(1);
    await toFingerprints(k);
    k.runtime.send({ type: 'HELP' });
    const item = page.getByTestId(`help-${k.kioskId}`);
    await item.waitFor({ timeout: 5000 });
    await expect.poll(() => item.getByTestId('help-wait').textContent(), { timeout: 5000 }).toMatch(/đã chờ [1-9]\d* giây/);
    await shot(page, 'ops-help-queued-vi-landscape');
    await page.getByTestId(`answer-${k.kioskId}`).click();
    await item.waitFor({ state: 'detached', timeout: 5000 });
    await waitFor(() => k.runtime.view().overlay === undefined, { what: 'the help screen on the kiosk to close' });
    expect(opsAudits(k)).toEqual([expect.objectContaining({ command: 'answer-help', officer: OFFICER, ok: true })]);
  });

  it('shows an exception with its photo, and approves it: the kiosk records it with the officer', async () => {
    const k = kiosk(2);
    await toFingerprints(k);
    k.runtime.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'finger' });
    k.runtime.send({ type: 'FINGER_PROOF_PHOTO' });
    await waitFor(() => k.runtime.exceptionRequest() !== undefined, { what: 'the photo waiting for the officer' });
    const card = page.getByTestId(`exception-${k.kioskId}`);
    await card.waitFor({ timeout: 5000 });
    // The photo only when asked for.
    expect(await card.getByTestId('exception-photo').count()).toBe(0);
    await page.getByTestId(`show-photo-${k.kioskId}`).click();
    const img = card.getByTestId('exception-photo');
    await img.waitFor({ timeout: 5000 });
    await waitFor(async () => (await img.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0))) === 480, { what: 'the photo to load' });
    await shot(page, 'ops-exception-photo-vi-landscape');
    await page.getByTestId(`approve-${k.kioskId}`).click();
    await card.waitFor({ state: 'detached', timeout: 5000 });
    const screen = k.runtime.view().screen;
    expect(screen.name === 'fingerprints' ? screen.slots[0] : undefined).toMatchObject({ status: 'exception', reason: 'bandaged' });
    expect(opsAudits(k)).toEqual([
      expect.objectContaining({ command: 'show-photo', officer: OFFICER, ok: true }),
      expect.objectContaining({ command: 'decide-exception', approve: true, officer: OFFICER, ok: true, finger: 'right_thumb' }),
    ]);
  });

  it('takes a kiosk out of service and ends a stuck session', async () => {
    const k = kiosk(3);
    await page.getByTestId(`service-${k.kioskId}`).click();
    await waitFor(() => k.runtime.view().screen.name === 'out-of-service', { what: 'the kiosk out of service' });
    await expect.poll(() => page.getByTestId(`kiosk-${k.kioskId}`).getByTestId('service').textContent(), { timeout: 5000 }).toContain(OFFICER);
    const stuck = kiosk(0);
    const end = page.getByTestId(`end-${stuck.kioskId}`);
    await end.click();
    expect(stuck.runtime.view().screen.name).toBe('fingerprints'); // one press only asks
    await end.click();
    await waitFor(() => stuck.runtime.view().screen.name === 'abandoned', { what: 'the session ended' });
    expect(opsAudits(stuck)).toEqual([expect.objectContaining({ command: 'end-session', officer: OFFICER, ok: true })]);
  });

  it('shows a kiosk that stops as a red alert, with how long since it was last heard', async () => {
    const k = kiosk(4);
    await k.stop();
    const alert = page.getByTestId(`alert-${k.kioskId}`);
    await alert.waitFor({ timeout: 10_000 });
    await expect.poll(() => alert.textContent(), { timeout: 5000 }).toMatch(/không liên lạc được từ \d+ giây/);
    expect(await page.getByTestId(`kiosk-${k.kioskId}`).getAttribute('data-link')).toBe('down');
    // Something on the other kiosks for the pictures: a help call and an exception waiting.
    const waiting = kiosk(1);
    waiting.runtime.send({ type: 'HELP' });
    const ex = kiosk(0);
    await toFingerprints(ex);
    ex.runtime.send({ type: 'FINGER_EXCEPTION', reason: 'injured', scope: 'hand' });
    ex.runtime.send({ type: 'FINGER_PROOF_PHOTO' });
    await page.getByTestId(`exception-${ex.kioskId}`).waitFor({ timeout: 5000 });
    await page.getByTestId(`show-photo-${ex.kioskId}`).click();
    await page.getByTestId(`exception-${ex.kioskId}`).getByTestId('exception-photo').waitFor({ timeout: 5000 });
    await page.getByTestId(`help-${waiting.kioskId}`).waitFor({ timeout: 5000 });
    await shot(page, 'ops-hall-alert-vi-landscape');
    await page.getByTestId('lang').click();
    await expect.poll(() => alert.textContent()).toMatch(/not heard from for/);
    await shot(page, 'ops-hall-alert-en-landscape');
    await page.setViewportSize(SIZES.portrait);
    await shot(page, 'ops-hall-alert-en-portrait');
    await page.getByTestId('lang').click();
    await shot(page, 'ops-hall-alert-vi-portrait');
  });
});
