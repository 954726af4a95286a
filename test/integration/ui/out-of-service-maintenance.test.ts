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
 * Issue #13: a technician took the kiosk out of service from the service screen. The citizen
 * sees that it is being serviced and what to do (come back, or ask staff), not a device list;
 * the technician's hidden corner (a long press opens the service screen) shows nothing.
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
      maintenance: true,
      // A device the technician unplugged while testing: not the citizen's business.
      devices: [
        { kind: 'fingerprint', state: 'ready' },
        { kind: 'document', state: 'ready' },
        { kind: 'camera', state: 'ready' },
        { kind: 'printer', state: 'fault' },
      ],
    },
  };
  server.show(vm);
  await page.goto(server.url);
  await page.locator(`.kiosk[data-seq="${vm.seq}"] [data-testid="screen-out-of-service"]`).waitFor({ timeout: 10_000 });
  await page.evaluate(() => document.fonts.ready);
  return page;
}

describe('the out-of-service screen while a technician services the kiosk', () => {
  for (const [lang, text] of [
    ['vi', 'Cán bộ kỹ thuật đang bảo trì máy. Xin quay lại sau ít phút, hoặc liên hệ cán bộ.'],
    ['en', 'A technician is servicing the kiosk. Please come back in a few minutes, or ask a staff member.'],
  ] as const) {
    for (const orientation of ['landscape', 'portrait'] as const) {
      it(`says it is being serviced, with no device list, in ${lang}, ${orientation}`, async () => {
        const page = await show(lang, orientation);
        expect(await page.getByTestId('oos-text').textContent()).toBe(text);
        expect(await page.getByTestId('oos-devices').count()).toBe(0);
        // The hidden corner is there, top left, and shows nothing.
        const corner = await page.getByTestId('service-corner').evaluate((el) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return { left: r.left, top: r.top, width: r.width, text: el.textContent, background: s.backgroundColor, border: s.borderStyle };
        });
        expect(corner).toEqual({ left: 0, top: 0, width: 96, text: '', background: 'rgba(0, 0, 0, 0)', border: 'none' });
        await mkdir(SHOTS, { recursive: true });
        await page.screenshot({ path: path.join(SHOTS, `out-of-service-maintenance-${lang}-${orientation}.png`) });
        await page.close();
      });
    }
  }
});
