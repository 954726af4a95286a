import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, driven by playwright-core (no browser download). The flags keep
 * Chromium off the network: this machine has none, and its background fetches would only fail.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Autoplay as the kiosk's browser unit allows it (systemd/cccd-kiosk-browser.service): the page speaks each screen's prompt.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
}

export const SHOTS_DIR = path.resolve('test/artifacts/e2e');

/** Save a screenshot under test/artifacts/e2e/ (gitignored) for a person to look at. */
export async function shot(page: Page, name: string): Promise<string> {
  await mkdir(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The element is inside the viewport and not covered by anything else at its centre. */
export async function fullyInView(page: Page, testid: string): Promise<boolean> {
  return page.getByTestId(testid).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (el === hit || el.contains(hit));
  });
}

/** What the page's one audio element played last (ui/kiosk/parts/voice.tsx's data attributes). */
export interface HeardPrompt {
  readonly prompt: string | undefined;
  readonly lang: string | undefined;
  readonly src: string;
  /** How many prompts it has started playing since the page loaded. */
  readonly plays: number;
}

/** Waits until the page has really played `prompt` (its time advanced, or it ended): heard, not only chosen. */
export async function heardPrompt(page: Page, prompt: string, timeout = 15_000): Promise<HeardPrompt> {
  await page.waitForFunction(
    (id) => {
      const a = document.querySelector<HTMLAudioElement>('[data-testid="voice"]');
      if (!a || a.dataset.prompt !== id) return false;
      return (a.played.length > 0 && a.played.end(0) > 0.2) || a.dataset.state === 'ended';
    },
    prompt,
    { timeout },
  );
  return page.getByTestId('voice').evaluate((a: HTMLAudioElement) => ({ prompt: a.dataset.prompt, lang: a.dataset.lang, src: a.currentSrc, plays: Number(a.dataset.plays ?? '0') }));
}

/** Sign with the mouse: a few strokes across the signature box, as a person would. */
export async function signWithMouse(page: Page, variant = 0): Promise<void> {
  const canvas = page.getByTestId('signature-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('signature canvas has no box');
  const at = (fx: number, fy: number): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
  const strokes: Array<Array<[number, number]>> = [
    Array.from({ length: 24 }, (_, i) => at(0.1 + (i / 23) * 0.45, 0.5 + 0.25 * Math.sin((i / 23) * Math.PI * 3 + variant))),
    Array.from({ length: 12 }, (_, i) => at(0.6 + (i / 11) * 0.25, 0.6 - 0.3 * Math.sin((i / 11) * Math.PI))),
    Array.from({ length: 8 }, (_, i) => at(0.15 + (i / 7) * 0.7, 0.85)),
  ];
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(first[0], first[1]);
    await page.mouse.down();
    for (const [x, y] of rest) await page.mouse.move(x, y, { steps: 2 });
    await page.mouse.up();
  }
}
