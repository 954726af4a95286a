/**
 * The front panel with the whole kiosk on simulated devices and the page in headless Chromium
 * (issue #13): johnny-five over the Firmata link to the simulated board, the person at the kiosk
 * played through /api/sim/panel. The start screen goes quiet and the PIR wakes it; the enclosure
 * opened mid-session ends the session (out of service, the screen says the cover is open),
 * alerts and audits; shut, the kiosk is back; the LEDs on the board follow.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../controller/kiosk';
import { buildUi } from '../../ui/build';
import { launchBrowser, shot } from './browser';
import { failFast } from '../helpers/fail-fast';
import { screenFetch } from '../helpers/screen-client';
import { makeTestCentral, type TestCentral } from '../helpers/test-central';
import { waitFor } from '../helpers/wait-for';

let kiosk: RunningKiosk;
let dataDir: string;
let browser: Browser;
let central: TestCentral;

beforeAll(async () => {
  await buildUi();
  central = await makeTestCentral();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-panel-e2e-'));
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { attractSleepMs: 1_500, absentTimeoutMs: 1_000, promptTimeoutMs: 60_000 },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'warn' }), onFatal: failFast });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  await central?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function panel(body: unknown): Promise<void> {
  const res = await screenFetch(kiosk.screenUrl, '/api/sim/panel', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim panel: ${res.status} ${await res.text()}`);
}
const healthz = async (): Promise<{ alerts: Array<{ device?: string; status?: string }>; devices: Record<string, { state: string }> }> => (await fetch(new URL('/healthz', kiosk.url))).json();
const quiet = (page: Page) => page.locator('[data-testid="screen-attract"].asleep');
const awake = (page: Page) => page.locator('[data-testid="screen-attract"]:not(.asleep)');

describe('the front panel, end to end', () => {
  let page: Page;
  beforeAll(async () => {
    await waitFor(async () => (await healthz()).devices.gpio?.state === 'ready', { what: 'the panel to be ready', timeoutMs: 20_000 });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(kiosk.screenUrl);
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
    await waitFor(async () => (await healthz()).alerts.some((a) => a.device === 'panel' && a.status === 'tamper'), { what: 'the tamper alert in /healthz' });
    expect(kiosk.runtime.view().screen).toMatchObject({ name: 'out-of-service', enclosureOpen: true });
    await panel({ set: 'tamper', active: false });
    await page.getByTestId('screen-attract').waitFor({ timeout: 5_000 });
  });

  it('the board unplugged and plugged back: the panel comes back by itself and the help button is heard', async () => {
    await panel({ unplug: true });
    await waitFor(async () => (await healthz()).devices.gpio?.state !== 'ready', { what: 'the panel to go down', timeoutMs: 5_000 });
    await panel({ replug: true });
    await waitFor(async () => (await healthz()).devices.gpio?.state === 'ready', { what: 'the panel to reconnect', timeoutMs: 10_000 });
    await panel({ press: 'help-button' });
    await page.getByTestId('staff-called').waitFor({ timeout: 5_000 });
    await shot(page, 'panel-help-after-replug');
  });
});
