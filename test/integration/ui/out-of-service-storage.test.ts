import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fullyInView, screenRig, shot, type Orientation } from '../../ui/screen-rig';
import type { Lang } from '../../../domain/language';

/**
 * Issue #12: a full or read-only disk puts the kiosk out of service like a missing device, and
 * the out-of-service screen names it for the technician ("Record storage: fault"), in both
 * languages and both orientations, in view.
 */

const rig = screenRig();

function show(lang: Lang, orientation: Orientation): Promise<Page> {
  return rig.show(
    {
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
    },
    lang,
    orientation,
  );
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
        await shot(page, `out-of-service-storage-${lang}-${orientation}`);
        await page.close();
      });
    }
  }
});
