/**
 * The front panel with the whole kiosk on simulated devices and the page in headless Chromium
 * (issue #13): johnny-five over the Firmata link to the simulated board, the person at the kiosk
 * played through /api/sim/panel. The start screen goes quiet and the PIR wakes it; the enclosure
 * opened mid-session ends the session (out of service, the screen says the cover is open),
 * alerts and audits; shut, the kiosk is back; the LEDs on the board follow.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';
import { waitFor } from '../helpers/wait-for';

let k: E2eKiosk;

beforeAll(async () => {
  k = await startE2eKiosk({ flow: { attractSleepMs: 1_500, absentTimeoutMs: 1_000, promptTimeoutMs: 60_000 } });
}, 180_000);

afterAll(() => k?.dispose());

const panel = (body: unknown): Promise<void> => k.sim('panel', body);
const quiet = (page: Page) => page.locator('[data-testid="screen-attract"].asleep');
const awake = (page: Page) => page.locator('[data-testid="screen-attract"]:not(.asleep)');

describe('the front panel, end to end', () => {
  let page: Page;
  beforeAll(async () => {
    await waitFor(async () => (await k.deviceState('gpio')) === 'ready', { what: 'the panel to be ready', timeoutMs: 20_000 });
    page = await k.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(k.kiosk.screenUrl);
  });

  it('the start screen goes quiet with nobody near; someone stepping up (the PIR) wakes it', async () => {
    await quiet(page).waitFor({ timeout: 10_000 });
    await shot(page, 'panel-attract-quiet');
    await panel({ set: 'presence', active: true });
    await awake(page).waitFor({ timeout: 5_000 });
    await shot(page, 'panel-attract-woken');
    // They leave: it goes quiet again after the wait.
    await panel({ set: 'presence', active: false });
    await quiet(page).waitFor({ timeout: 10_000 });
  });

  it('a tap on the quiet start screen wakes it too', async () => {
    await quiet(page).waitFor({ timeout: 10_000 });
    await page.mouse.click(40, 760);
    await awake(page).waitFor({ timeout: 5_000 });
  });

  it('mid-session, the enclosure opened: out of service at once, the screen says the cover is open, staff are alerted; shut, back to the start', async () => {
    await page.getByTestId('start').click();
    await page.getByTestId('screen-language').waitFor({ timeout: 10_000 });
    await panel({ set: 'tamper', active: true });
    await page.getByTestId('screen-out-of-service').waitFor({ timeout: 5_000 });
    await page.getByTestId('oos-enclosure').waitFor();
    await shot(page, 'panel-tamper-out-of-service');
    await waitFor(async () => (await k.alerts()).some((a) => a.device === 'panel' && a.status === 'tamper'), { what: 'the tamper alert in /healthz' });
    expect(k.kiosk.runtime.view().screen).toMatchObject({ name: 'out-of-service', enclosureOpen: true });
    await panel({ set: 'tamper', active: false });
    await page.getByTestId('screen-attract').waitFor({ timeout: 5_000 });
  });

  it('the board unplugged and plugged back: the panel comes back by itself and the help button is heard', async () => {
    await panel({ unplug: true });
    await waitFor(async () => (await k.deviceState('gpio')) !== 'ready', { what: 'the panel to go down', timeoutMs: 5_000 });
    await panel({ replug: true });
    await waitFor(async () => (await k.deviceState('gpio')) === 'ready', { what: 'the panel to reconnect', timeoutMs: 10_000 });
    await panel({ press: 'help-button' });
    await page.getByTestId('staff-called').waitFor({ timeout: 5_000 });
    await shot(page, 'panel-help-after-replug');
  });
});
