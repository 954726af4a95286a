/**
 * What the front panel changes on the page (issue #13), in real Chromium at both screen shapes
 * and in both languages: the start screen gone quiet (the PIR wakes it, and so does a tap), and
 * the out-of-service screen when the enclosure is open (the tamper switch).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';
import { LABELS } from '../../../ui/common/i18n';
import { KIOSK_DIST, buildUi } from '../../../ui/build';
import { launchBrowser } from '../../e2e/browser';
import { startFakeKioskServer, type FakeKioskServer } from '../../ui/fake-kiosk-server';
import { FIXTURES } from '../../ui/fixtures';
import { waitFor } from '../../helpers/wait-for';

const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;
type Orientation = keyof typeof SIZES;
const SHOTS = path.resolve('test/artifacts/ui-screens');

let browser: Browser;
let server: FakeKioskServer;
let seq = 0;

beforeAll(async () => {
  await buildUi();
  server = await startFakeKioskServer(KIOSK_DIST);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function fixture(id: string): Omit<ViewModel, 'seq' | 'lang'> {
  const f = FIXTURES.find((x) => x.id === id);
  if (!f) throw new Error(`no UI fixture "${id}"`);
  return f.view;
}

async function show(id: string, lang: Lang, orientation: Orientation): Promise<Page> {
  const page = await browser.newPage({ viewport: SIZES[orientation] });
  const vm: ViewModel = { ...fixture(id), lang, seq: ++seq };
  server.show(vm);
  await page.goto(server.url);
  await page.locator(`.kiosk[data-seq="${vm.seq}"] [data-testid="screen-${vm.screen.name}"]`).waitFor({ timeout: 10_000 });
  await page.evaluate(() => document.fonts.ready);
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${id}-${lang}-${orientation}.png`) });
  return page;
}

/** The element is inside the viewport and not covered by anything else at its centre. */
async function fullyInView(page: Page, testid: string): Promise<boolean> {
  return page.getByTestId(testid).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (el === hit || el.contains(hit));
  });
}

const touches = () => server.received.filter((m) => m.type === 'intent' && m.intent.type === 'TOUCH').length;

for (const orientation of ['landscape', 'portrait'] as const) {
  for (const lang of ['vi', 'en'] as const) {
    describe(`${orientation}, ${lang}`, () => {
      it('the quiet start screen is dark, keeps the start button in view, and a tap anywhere on it says someone is there', async () => {
        const page = await show('attract-asleep', lang, orientation);
        const bg = await page.getByTestId('screen-attract').evaluate((el) => getComputedStyle(el).backgroundColor);
        expect(bg).toBe('rgb(11, 26, 51)');
        expect(await fullyInView(page, 'start')).toBe(true);
        const before = touches();
        await page.mouse.click(40, SIZES[orientation].height - 40);
        await waitFor(() => touches() > before, { what: 'a tap on the quiet start screen to be sent as TOUCH' });
        await page.close();
      });

      it('the awake start screen sends no TOUCH on a tap (nobody is in a session)', async () => {
        const page = await show('attract', lang, orientation);
        const from = server.received.length;
        await page.mouse.click(40, SIZES[orientation].height - 40);
        // Then Start: once START has arrived, anything the first tap sent has arrived before it.
        await page.getByTestId('start').click();
        await waitFor(() => server.received.slice(from).some((m) => m.type === 'intent' && m.intent.type === 'START'), { what: 'START to arrive' });
        expect(server.received.slice(from).map((m) => (m.type === 'intent' ? m.intent.type : m.type))).toEqual(['START']);
        await page.close();
      });

      it('out of service with the enclosure open: says so, and what the technician does', async () => {
        const page = await show('out-of-service-enclosure-open', lang, orientation);
        expect(await fullyInView(page, 'oos-enclosure')).toBe(true);
        expect(await page.getByTestId('oos-enclosure').textContent()).toBe(LABELS.oosEnclosureOpen[lang]);
        // Every device is ready: none is listed as to check.
        expect(await page.getByTestId('oos-devices').count()).toBe(0);
        await page.close();
      });
    });
  }
}
