import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';
import { KIOSK_DIST, buildUi } from '../../../ui/build';
import { launchBrowser } from '../../e2e/browser';
import { startFakeKioskServer, type FakeKioskServer } from '../../ui/fake-kiosk-server';

/**
 * Issue #12: a full or read-only disk puts the kiosk out of service like a missing device, and
 * the out-of-service screen names it for the technician ("Record storage: fault"), in both
 * languages and both orientations, in view.
 */

const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;
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

async function show(lang: Lang, orientation: keyof typeof SIZES): Promise<Page> {
  const page = await browser.newPage({ viewport: SIZES[orientation] });
  const vm: ViewModel = {
    seq: ++seq,
    lang,
    fromReview: false,
    screen: {
      name: 'out-of-service',
      devices: [
        { kind: 'fingerprint', state: 'ready' },
        { kind: 'document', state: 'ready' },
        { kind: 'camera', state: 'ready' },
        { kind: 'printer', state: 'ready' },
        { kind: 'storage', state: 'fault' },
      ],
    },
  };
  server.show(vm);
  await page.goto(server.url);
  await page.locator(`.kiosk[data-seq="${vm.seq}"] [data-testid="screen-out-of-service"]`).waitFor({ timeout: 10_000 });
  await page.evaluate(() => document.fonts.ready);
  return page;
}

async function fullyInView(page: Page, testid: string): Promise<boolean> {
  return page.getByTestId(testid).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (el === hit || el.contains(hit));
  });
}

describe('the out-of-service screen when the data directory cannot take an enrollment', () => {
  for (const [lang, text] of [
    ['vi', 'Bộ nhớ lưu hồ sơ: bị lỗi'],
    ['en', 'Record storage: fault'],
  ] as const) {
    for (const orientation of ['landscape', 'portrait'] as const) {
      it(`names the storage, and only it, in ${lang}, ${orientation}`, async () => {
        const page = await show(lang, orientation);
        const listed = await page.getByTestId('oos-devices').locator('li').evaluateAll((lis) => lis.map((li) => li.textContent?.trim() ?? ''));
        expect(listed).toEqual([text]);
        expect(await fullyInView(page, 'device-storage')).toBe(true);
        await mkdir(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, `out-of-service-storage-${lang}-${orientation}.png`) });
        await page.close();
      });
    }
  }
});
