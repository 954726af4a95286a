import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenRig, shot, type Orientation } from '../../ui/screen-rig';
import type { Lang } from '../../../domain/language';

/**
 * Issue #13: a technician took the kiosk out of service from the service screen. The citizen
 * sees that it is being serviced and what to do (come back, or ask staff), not a device list;
 * the technician's hidden corner (a long press opens the service screen) shows nothing.
 */

const rig = screenRig();

function show(lang: Lang, orientation: Orientation): Promise<Page> {
  return rig.show(
    {
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
    },
    lang,
    orientation,
  );
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
        await shot(page, `out-of-service-maintenance-${lang}-${orientation}`);
        await page.close();
      });
    }
  }
});
