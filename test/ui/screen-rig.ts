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
 * not a timing: a fast machine returns at once. Two waits (a crashed page is tried once more)
 * stay inside the integration project's 60 s test bound.
 */
export const SCREEN_WAIT_MS = 25_000;

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
      for (let attempt = 1; ; attempt++) {
        const page = await browser.newPage({ viewport: SIZES[orientation] });
        const watch = watchPage(page);
        const vm: ViewModel = { ...view, lang, seq: ++seq };
        server.show(vm);
        try {
          await page.goto(server.url);
          await drawn(page, vm, watch);
          await page.evaluate(() => document.fonts.ready);
          return page;
        } catch (err) {
          const seen = await pageState(page);
          await page.close().catch(() => undefined);
          // A renderer that crashed is the loaded machine's, not the screen's: one more page.
          // Anything else fails with what the page showed. (Pages that drew nothing were the
          // rebuild of ui/dist under them, now fixed in ui/publish-dir.ts.)
          if (attempt === 1 && watch.crashed) {
            console.warn(`screen rig: ${vm.screen.name} not drawn (${explain(seen, watch)}); trying a new page once`);
            continue;
          }
          throw new Error(`screen "${vm.screen.name}" (seq ${vm.seq}) was not drawn: ${explain(seen, watch)}`, { cause: err });
        }
      }
    },
    async push(page, view, lang) {
      const vm: ViewModel = { ...view, lang, seq: ++seq };
      server.show(vm);
      try {
        await page.locator(`.kiosk[data-seq="${vm.seq}"]`).waitFor({ timeout: SCREEN_WAIT_MS });
      } catch (err) {
        throw new Error(`view seq ${vm.seq} (${vm.screen.name}) was not drawn: ${explain(await pageState(page), undefined)}`, { cause: err });
      }
    },
  };
}

interface PageWatch {
  crashed: boolean;
  readonly errors: string[];
}

/** What went wrong on a page, for the message of a screen that never showed. */
function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { crashed: false, errors: [] };
  page.on('crash', () => {
    watch.crashed = true;
  });
  page.on('pageerror', (e) => watch.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') watch.errors.push(m.text());
  });
  return watch;
}

/** The view seq the page drew, or the page's crash, whichever comes first. */
async function drawn(page: Page, vm: ViewModel, watch: PageWatch): Promise<void> {
  const crashed = new Promise<never>((_, reject) => page.once('crash', () => reject(new Error('the page crashed'))));
  crashed.catch(() => undefined);
  await Promise.race([page.locator(`.kiosk[data-seq="${vm.seq}"] [data-testid="screen-${vm.screen.name}"]`).waitFor({ timeout: SCREEN_WAIT_MS }), crashed]);
  if (watch.crashed) throw new Error('the page crashed');
}

interface PageState {
  /** The view seq the page shows, if it has drawn any. */
  readonly seq: string | undefined;
  readonly screens: readonly string[];
  readonly text: string;
}

async function pageState(page: Page): Promise<PageState> {
  try {
    return await page.evaluate(() => ({
      seq: document.querySelector<HTMLElement>('.kiosk')?.dataset.seq,
      screens: [...document.querySelectorAll('[data-testid^="screen-"]')].map((e) => e.getAttribute('data-testid') ?? ''),
      text: (document.body?.innerText ?? '').replace(/\s+/g, ' ').slice(0, 200),
    }));
  } catch (err) {
    return { seq: undefined, screens: [], text: `(the page cannot be read: ${err instanceof Error ? err.message : String(err)})` };
  }
}

function explain(seen: PageState, watch: PageWatch | undefined): string {
  const parts = [seen.seq === undefined ? 'the page drew no view' : `the page shows seq ${seen.seq} [${seen.screens.join(', ')}]`, `text "${seen.text}"`];
  if (watch?.crashed) parts.push('the renderer crashed');
  if (watch && watch.errors.length > 0) parts.push(`page errors: ${watch.errors.slice(-5).join(' | ')}`);
  return parts.join('; ');
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

