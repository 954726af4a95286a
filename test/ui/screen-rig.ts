import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Lang } from '../../domain/language';
import { KIOSK_DIST, buildUi } from '../../ui/build';
import { launchBrowser } from '../e2e/browser';

export { fullyInView } from '../e2e/browser';
import { startFakeKioskServer, type FakeKioskServer } from './fake-kiosk-server';
import { FIXTURES } from './fixtures';

/**
 * The page in real Chromium fed view models by the fake controller, one screen at a time: what
 * the screen tests under test/integration/ui/ share (the two shapes kiosks stand in, a screen
 * shown and waited for, screenshots, "is it on screen and uncovered").
 */

export const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;
export type Orientation = keyof typeof SIZES;
export type View = Omit<ViewModel, 'seq' | 'lang'>;

/** Where screenshots go for a person to look at (test/artifacts is git-ignored). */
export const SHOTS = path.resolve('test/artifacts/ui-screens');

/**
 * How long a screen may take to appear: a first page load builds fonts and layout, and the
 * suite runs two files at once on CI's two cores, so a loaded machine takes seconds. A wait,
 * not a timing: a fast machine returns at once.
 */
const SCREEN_WAIT_MS = 30_000;

export interface ScreenRig {
  /** The fake controller (valid inside tests: it starts in beforeAll). */
  readonly server: FakeKioskServer;
  /** A new page at this shape showing this view, once the page has drawn it. */
  show(view: View, lang: Lang, orientation: Orientation): Promise<Page>;
  /** Push another view to a page already open, and wait until it is drawn. */
  push(page: Page, view: View, lang: Lang): Promise<void>;
}

/** Registers beforeAll/afterAll in the calling test file: one build, one server, one browser. */
export function screenRig(): ScreenRig {
  let browser: Browser | undefined;
  let started: FakeKioskServer | undefined;
  let seq = 0;
  beforeAll(async () => {
    await buildUi();
    started = await startFakeKioskServer(KIOSK_DIST);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await started?.close();
  });
  const need = (): FakeKioskServer => {
    if (!started) throw new Error('the fake kiosk server is not started: use the rig inside a test');
    return started;
  };
  const server: FakeKioskServer = {
    get url() {
      return need().url;
    },
    get received() {
      return need().received;
    },
    show: (view) => need().show(view),
    setOffline: (offline) => need().setOffline(offline),
    close: () => need().close(),
  };
  return {
    server,
    async show(view, lang, orientation) {
      if (!browser) throw new Error('the browser is not started: use the rig inside a test');
      const page = await browser.newPage({ viewport: SIZES[orientation] });
      const vm: ViewModel = { ...view, lang, seq: ++seq };
      server.show(vm);
      await page.goto(server.url);
      await page.locator(`.kiosk[data-seq="${vm.seq}"] [data-testid="screen-${vm.screen.name}"]`).waitFor({ timeout: SCREEN_WAIT_MS });
      await page.evaluate(() => document.fonts.ready);
      return page;
    },
    async push(page, view, lang) {
      const vm: ViewModel = { ...view, lang, seq: ++seq };
      server.show(vm);
      await page.locator(`.kiosk[data-seq="${vm.seq}"]`).waitFor({ timeout: SCREEN_WAIT_MS });
    },
  };
}

/** A view from test/ui/fixtures.ts by its id. */
export function fixture(id: string): View {
  const f = FIXTURES.find((x) => x.id === id);
  if (!f) throw new Error(`no UI fixture "${id}"`);
  return f.view;
}

/** Saved under test/artifacts/ui-screens/ for a person to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

