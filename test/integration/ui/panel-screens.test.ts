/**
 * What the front panel changes on the page (issue #13), in real Chromium at both screen shapes
 * and in both languages: the start screen gone quiet (the PIR wakes it, and so does a tap), and
 * the out-of-service screen when the enclosure is open (the tamper switch).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixture, fullyInView, screenRig, shot, SIZES, type Orientation } from '../../ui/screen-rig';
import type { Lang } from '../../../domain/language';
import { LABELS } from '../../../ui/common/i18n';
import { waitFor } from '../../helpers/wait-for';

const rig = screenRig();
const server = rig.server;

async function show(id: string, lang: Lang, orientation: Orientation): Promise<Page> {
  const page = await rig.show(fixture(id), lang, orientation);
  await shot(page, `${id}-${lang}-${orientation}`);
  return page;
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
