/**
 * Look at every kiosk screen without the controller: builds the UI, serves it with a fake
 * controller, and saves a screenshot per screen, language and orientation into
 * test/artifacts/ui-preview/ (or test/artifacts/<--out>). Run:
 * npx tsx test/ui/preview.ts [--only ID] [--landscape-only | --portrait-only] [--out DIR] [--large-text]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { KIOSK_DIST, buildUi } from '../../ui/build';
import { startFakeKioskServer, type FakeKioskServer } from './fake-kiosk-server';
import { FIXTURES, type PreviewFixture } from './fixtures';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Lang } from '../../domain/language';

const OUT = join(process.cwd(), 'test', 'artifacts', arg('--out') ?? 'ui-preview');
const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 1080, height: 1920 } } as const;
type Orientation = keyof typeof SIZES;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

let seq = 0;

async function shoot(page: Page, server: FakeKioskServer, fixture: PreviewFixture, lang: Lang, orientation: Orientation): Promise<void> {
  const view: ViewModel = { ...fixture.view, lang, seq: ++seq, ...(process.argv.includes('--large-text') ? { largeText: true as const } : {}) };
  server.show(view);
  // A fresh load each time: it is also the "reload shows the same screen" path.
  await page.goto(server.url);
  await page.locator(`.kiosk[data-seq="${view.seq}"] [data-testid="screen-${view.screen.name}"]`).waitFor({ timeout: 5000 });
  if (fixture.prepare) await fixture.prepare(page);
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(OUT, `${fixture.id}-${lang}-${orientation}.png`) });
  // Screens taller than the display scroll inside <main>: shoot the bottom too, and say so.
  const overflow = await page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main || main.scrollHeight <= main.clientHeight + 1) return 0;
    main.scrollTop = main.scrollHeight;
    return main.scrollHeight - main.clientHeight;
  });
  if (overflow > 0) {
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(OUT, `${fixture.id}-${lang}-${orientation}-scrolled.png`) });
    console.log(`${fixture.id} ${lang} ${orientation}: scrolls by ${overflow}px`);
  }
}

/** Checks a screenshot cannot show: what the page actually sends. */
async function checkSignatureIntent(page: Page, server: FakeKioskServer): Promise<string> {
  const fixture = FIXTURES.find((f) => f.id === 'signature');
  if (!fixture?.prepare) return 'signature fixture missing';
  server.show({ ...fixture.view, lang: 'vi', seq: ++seq });
  await page.goto(server.url);
  await page.getByTestId('screen-signature').waitFor();
  await fixture.prepare(page);
  const before = server.received.length;
  await page.getByTestId('signature-done').click();
  await page.waitForTimeout(200);
  const sent = server.received.slice(before).find((m) => m.type === 'intent' && m.intent.type === 'SIGNATURE_SUBMIT');
  if (!sent || sent.type !== 'intent' || sent.intent.type !== 'SIGNATURE_SUBMIT') return 'FAIL: no SIGNATURE_SUBMIT sent';
  const { strokes, box } = sent.intent;
  const points = strokes.reduce((n, s) => n + s.length, 0);
  const inside = strokes.every((s) => s.every((p) => p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height));
  return `SIGNATURE_SUBMIT: ${strokes.length} strokes, ${points} points, box ${box.width}×${box.height}, all inside: ${inside}`;
}

async function main(): Promise<void> {
  const only = arg('--only');
  const orientations: readonly Orientation[] = process.argv.includes('--landscape-only') ? ['landscape'] : process.argv.includes('--portrait-only') ? ['portrait'] : ['landscape', 'portrait'];
  await buildUi();
  await mkdir(OUT, { recursive: true });
  const server = await startFakeKioskServer(KIOSK_DIST);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const problems: string[] = [];
  try {
    for (const orientation of orientations) {
      const page = await browser.newPage({ viewport: SIZES[orientation] });
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      for (const fixture of FIXTURES) {
        if (only && fixture.id !== only) continue;
        for (const lang of ['vi', 'en'] as const) await shoot(page, server, fixture, lang, orientation);
      }
      if (orientation === 'landscape' && !only) {
        console.log(await checkSignatureIntent(page, server));
        server.setOffline(true);
        await page.getByTestId('reconnecting').waitFor({ timeout: 5000 });
        await page.screenshot({ path: join(OUT, `reconnecting-vi-${orientation}.png`) });
        server.setOffline(false);
        await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 10_000 });
        console.log('reconnect: banner shown while offline, gone after reconnect');
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const intents = server.received.filter((m) => m.type === 'intent').map((m) => (m.type === 'intent' ? m.intent.type : ''));
  console.log(`page sent: ${server.received.filter((m) => m.type === 'hello').length} hello, intents: ${intents.join(', ') || 'none'}`);
  console.log(`screenshots in ${OUT}`);
  for (const p of problems) console.log(p);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
