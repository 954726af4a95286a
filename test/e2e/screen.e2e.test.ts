import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shot } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';
import { waitForValue } from '../helpers/wait-for';

/**
 * Issue #11, one citizen, one screen, in headless Chromium against the whole kiosk: only the
 * page opened from the screen URL is served; any other page (another browser, another tab)
 * is told why in both languages and sees nothing of the session, and changes nothing.
 */

let k: E2eKiosk;
const contexts: BrowserContext[] = [];
const launchers: ChildProcess[] = [];

beforeAll(async () => {
  k = await startE2eKiosk();
}, 180_000);

afterEach(async () => {
  // A page left open would hold the one screen for the next test.
  for (const c of contexts.splice(0)) await c.close();
  for (const l of launchers.splice(0)) if (l.pid !== undefined && l.exitCode === null && l.signalCode === null) process.kill(-l.pid, 'SIGKILL');
});

afterAll(() => k?.dispose());

async function context(): Promise<BrowserContext> {
  const c = await k.browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(c);
  return c;
}

const screen = (page: Page, name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });

/** Back to the attract screen from wherever an earlier test left the kiosk. */
async function toAttract(page: Page): Promise<void> {
  const root = page.locator('[data-testid^="screen-"]').first();
  await root.waitFor({ timeout: 30_000 });
  const shown = await root.getAttribute('data-testid');
  if (shown === 'screen-out-of-service' || shown === 'screen-abandoned') return screen(page, 'attract');
  if (shown === 'screen-attract') return;
  await page.getByTestId('help').click();
  await page.getByTestId('help-quit').click();
  await screen(page, 'attract');
}

/** The kiosk's screen, started on the language screen (so a session is in progress). */
async function kioskScreenInSession(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(k.kiosk.screenUrl);
  // The secret is traded for the cookie: it does not stay in the address bar.
  expect(page.url()).toBe(k.kiosk.url);
  await toAttract(page);
  await page.getByTestId('start').click();
  await screen(page, 'language');
  return page;
}

describe('the kiosk’s own screen', () => {
  it('a browser that did not open the screen URL is told why, in both languages, and sees and changes nothing', async () => {
    const own = await kioskScreenInSession(await context());
    await shot(own, 'screen-01-authenticated');

    const other = await (await context()).newPage();
    await other.goto(k.kiosk.url);
    const refused = other.getByTestId('screen-refused');
    await refused.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await refused.getAttribute('data-reason')).toBe('not-this-screen');
    const text = (await refused.textContent()) ?? '';
    expect(text).toContain('Màn hình này chưa được kết nối với ki-ốt');
    expect(text).toContain('This screen is not connected to the kiosk');
    expect(text).toMatch(/screen URL/);
    await shot(other, 'screen-02-not-the-kiosk-screen');
    expect(await other.locator('[data-screen]').count()).toBe(0);
    // Nor can it fetch the session's images: the browser has no cookie for them.
    expect(await other.evaluate(async () => (await fetch('/session/face.jpg')).status)).toBe(401);

    expect(k.kiosk.runtime.view().screen.name).toBe('language');
    expect(await own.getByTestId('screen-language').isVisible()).toBe(true);
  }, 120_000);

  it('a second tab of the kiosk browser is refused and changes nothing; once the first closes, it takes over the session', async () => {
    const ctx = await context();
    const first = await kioskScreenInSession(ctx);
    const second = await ctx.newPage();
    await second.goto(k.kiosk.url);
    const refused = second.getByTestId('screen-refused');
    await refused.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await refused.getAttribute('data-reason')).toBe('screen-in-use');
    await shot(second, 'screen-03-second-tab');
    // Taps on the refused tab go nowhere.
    await second.mouse.click(640, 400);
    expect(k.kiosk.runtime.view().screen.name).toBe('language');

    await first.close();
    await screen(second, 'language', 30_000);
    await second.getByTestId('lang-en').click();
    await second.getByTestId('case-expired').click();
    await screen(second, 'document');
  }, 120_000);

  it('the launcher’s forwarding page gets Chromium in, and the secret stays out of its command line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-e2e-launch-'));
    try {
      const launches = path.join(dir, 'launches');
      const stand = path.join(dir, 'browser.sh');
      await writeFile(stand, `#!/bin/sh\necho "$*" >> "${launches}"\nexec sleep 600\n`);
      await chmod(stand, 0o755);
      const launcher = spawn('bash', [path.resolve('systemd/kiosk-screen.sh'), 'run', stand], {
        env: { ...process.env, KIOSK_SCREEN_URL_FILE: k.kiosk.screenUrlFile, XDG_RUNTIME_DIR: dir },
        stdio: 'ignore',
        detached: true,
      });
      launchers.push(launcher);
      const args = await waitForValue(() => readFile(launches, 'utf8').then((t) => t.trim() || undefined, () => undefined), { what: 'the launcher to start the browser' });
      expect(args).not.toContain(new URL(k.kiosk.screenUrl).searchParams.get('screen'));
      const page = await (await context()).newPage();
      await page.goto(args);
      await page.locator('.kiosk[data-screen]').waitFor({ timeout: 30_000 });
      expect(page.url()).toBe(k.kiosk.url);
      expect(await page.getByTestId('screen-refused').count()).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
