/**
 * Test helper: what an e2e file starts with. The citizen's page built, the whole kiosk on
 * simulated devices (startSimKiosk, at the shipped flow timings and logging warnings unless the
 * file says otherwise), and headless Chromium to show its pages in.
 */
import type { Browser } from 'playwright-core';
import { buildUi } from '../../ui/build';
import { launchBrowser } from '../e2e/browser';
import { startSimKiosk, type SimKiosk, type SimKioskOptions } from './sim-kiosk';

export interface E2eKiosk extends SimKiosk {
  readonly browser: Browser;
  /** Closes the browser, then stops the kiosk and removes its files. */
  dispose(): Promise<void>;
}

export async function startE2eKiosk(o: SimKioskOptions = {}): Promise<E2eKiosk> {
  await buildUi();
  const k = await startSimKiosk({ timings: 'shipped', log: 'warn', ...o });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await k.dispose();
    throw e;
  }
  return {
    ...k,
    browser,
    async dispose() {
      await browser.close();
      await k.dispose();
    },
  };
}
