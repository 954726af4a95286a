import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';
import { LANGS } from '../../../domain/language';
import { buildUi } from '../../../ui/build';
import { launchBrowser } from '../../e2e/browser';
import { startFakeKioskServer, type FakeKioskServer } from '../../ui/fake-kiosk-server';
import { SCREEN_WAIT_MS } from '../../ui/screen-rig';
import { FIXTURES, type PreviewFixture } from '../../ui/fixtures';

/**
 * Every screen (issue #15) in both orientations, both languages, with and without "larger text,
 * stronger contrast": nothing scrolls, nothing runs off the screen, every button the citizen may
 * press is on screen and not covered; the accessibility buttons are on every screen; in portrait
 * the screen's content uses the height (no half-empty screens). A screen that fails is saved in
 * test/artifacts/ui-access/; every screen: `npx tsx test/ui/preview.ts [--large-text]`.
 */

const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;
type Orientation = keyof typeof SIZES;
const OUT = path.resolve('test/artifacts/ui-access');
const DIST = path.resolve('test/artifacts/ui-access-dist');

let browser: Browser;
let server: FakeKioskServer;
let seq = 0;

beforeAll(async () => {
  await buildUi(DIST);
  server = await startFakeKioskServer(DIST);
  browser = await launchBrowser();
  await mkdir(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Layout {
  readonly scrolls: number;
  readonly wide: number;
  /** Buttons that can be pressed (and steps of the step bar) but are off screen or covered, by test id or text. */
  readonly unreachable: readonly string[];
  /** The empty height below the screen's last thing and above its first, as fractions of the height. */
  readonly below: number;
  readonly above: number;
  readonly largeTextOn: boolean;
}

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const overlay = document.querySelector('.overlay');
    const scope = overlay ?? document.body;
    const inView = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return true; // not shown
      if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) return false;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit !== null && (el === hit || el.contains(hit));
    };
    const buttons = [...scope.querySelectorAll('button')].filter((b) => !b.closest('.service-corner') && getComputedStyle(b).visibility !== 'hidden');
    // The step bar stays visible too (the header sits above an overlay).
    const steps = [...document.querySelectorAll('.steps .step')];
    const unreachable = [...buttons, ...steps].filter((b) => !inView(b)).map((b) => (b instanceof HTMLElement ? b.dataset.testid : undefined) ?? b.textContent ?? '?');
    let below = 0;
    let above = 0;
    if (main) {
      const box = main.getBoundingClientRect();
      const leaves = [...main.querySelectorAll('*')].filter((e) => (e.children.length === 0 || e.tagName === 'svg' || e.tagName === 'BUTTON') && !e.closest('.service-corner'));
      const rects = leaves.map((e) => e.getBoundingClientRect()).filter((r) => r.height > 0 && r.width > 0);
      below = (box.bottom - Math.max(...rects.map((r) => r.bottom))) / box.height;
      above = (Math.min(...rects.map((r) => r.top)) - box.top) / box.height;
    }
    return {
      scrolls: main ? main.scrollHeight - main.clientHeight : 0,
      wide: document.documentElement.scrollWidth - window.innerWidth,
      unreachable,
      below,
      above,
      largeTextOn: document.querySelector('.kiosk.large-text') !== null,
    };
  });
}

async function open(page: Page, fixture: PreviewFixture, lang: (typeof LANGS)[number], largeText: boolean): Promise<void> {
  // A dialog the last fixture opened may still reach the fake controller, which then pushes a view
  // of its own: show this fixture again (a newer view) until the page shows exactly it.
  for (let attempt = 1; ; attempt++) {
    seq += 100;
    const view: ViewModel = { ...fixture.view, lang, seq, ...(largeText ? { largeText: true as const } : {}) };
    server.show(view);
    // The page already open is sent the new view, as the controller does; one whose fixture acts
    // on the page first (typing, drawing) starts from a fresh load.
    if (attempt === 1 && (fixture.prepare || !page.url().startsWith(server.url))) await page.goto(server.url);
    await page.waitForFunction((s) => Number(document.querySelector('.kiosk')?.getAttribute('data-seq') ?? '0') >= s, seq, { timeout: SCREEN_WAIT_MS });
    if ((await page.locator(`.kiosk[data-seq="${seq}"] [data-testid="screen-${view.screen.name}"]`).count()) === 1) break;
    if (attempt === 3) throw new Error(`the page did not settle on the fixture "${fixture.id}"`);
  }
  if (fixture.prepare) await fixture.prepare(page);
  await page.evaluate(() => document.fonts.ready);
}

for (const orientation of ['landscape', 'portrait'] as const satisfies readonly Orientation[]) {
  for (const largeText of [false, true]) {
    const mode = largeText ? 'larger text' : 'usual text';
    describe(`every screen, ${orientation}, ${mode}`, () => {
      for (const lang of LANGS) {
        it(`fits without scrolling, every button on screen, the accessibility buttons on every screen (${lang})`, async () => {
          const page = await browser.newPage({ viewport: SIZES[orientation] });
          const problems: string[] = [];
          try {
            for (const fixture of FIXTURES) {
              await open(page, fixture, lang, largeText);
              const l = await layout(page);
              const name = `${fixture.id}-${lang}-${orientation}${largeText ? '-large' : ''}`;
              const before = problems.length;
              if (l.largeTextOn !== largeText) problems.push(`${name}: larger text is ${l.largeTextOn ? 'on' : 'off'}`);
              if (l.scrolls > 0) problems.push(`${name}: scrolls by ${l.scrolls}px`);
              if (l.wide > 0) problems.push(`${name}: ${l.wide}px wider than the screen`);
              if (l.unreachable.length > 0) problems.push(`${name}: off screen or covered: ${l.unreachable.join(', ')}`);
              for (const id of ['large-text', 'voice-replay', 'voice-mute', 'lang-toggle']) {
                if ((await page.getByTestId(id).count()) !== 1) problems.push(`${name}: no "${id}" button`);
              }
              // Half empty: more than a third of the height left bare below, unless the content is
              // centred on purpose (a few lines or one big choice, as on the start screen).
              const centred = Math.abs(l.above - l.below) < 0.1;
              if (orientation === 'portrait' && !centred && l.below > 0.34) problems.push(`${name}: half empty (${Math.round(l.below * 100)}% of the height bare below)`);
              // What went wrong, for a person to look at (every screen: npx tsx test/ui/preview.ts [--large-text]).
              if (problems.length > before) await page.screenshot({ path: path.join(OUT, `${name}.png`) });
            }
          } finally {
            await page.close();
          }
          expect(problems).toEqual([]);
        }, 120_000);
      }
    });
  }
}
