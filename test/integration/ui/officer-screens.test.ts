import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../ui/common/i18n';
import type { FingerSlotView, Screen } from '../../../domain/kiosk-channel/view-model';
import { FINGER_POSITIONS } from '../../../domain/fingers';
import type { Lang } from '../../../domain/language';
import { fullyInView, screenRig, shot, type Orientation } from '../../ui/screen-rig';

/**
 * Issue #14, the citizen's side of the hall officer's console: while the officer checks the
 * photo of the hand, the screen says so (no camera), with "Cancel" in view; a kiosk the officer
 * took out of service sends the citizen to the staff desk, without a device list.
 */

const rig = screenRig();

const slots: FingerSlotView[] = FINGER_POSITIONS.map((position, i) => (i < 1 ? { position, status: 'captured', score: 80, attempts: 1, belowThreshold: false } : { position, status: 'pending' }));

const OFFICER_CHECK: Screen = {
  name: 'fingerprints',
  phase: 'officer-check',
  finger: 'right_index',
  index: 1,
  attempt: 1,
  maxAttempts: 3,
  progress: 0,
  threshold: 40,
  slots,
  choices: ['cancel-exception'],
  exception: { reason: 'bandaged', scope: 'finger', hand: 'right' },
  message: {
    vi: 'Cán bộ đang xem ảnh bàn tay của bạn. Xin chờ một chút. Nếu muốn thử lại ngón tay, bấm "Huỷ".',
    en: 'An officer is checking the photo of your hand. Please wait a moment. To try the finger instead, press "Cancel".',
  },
};
const OFFICER_OUT: Screen = { name: 'out-of-service', officer: true, devices: [{ kind: 'fingerprint', state: 'ready' }, { kind: 'printer', state: 'fault' }] };

const show = (screen: Screen, lang: Lang, orientation: Orientation) =>
  rig.show({ fromReview: false, screen, ...(screen.name === 'fingerprints' ? { step: 'fingerprints' } : {}) }, lang, orientation);

describe('the citizen while an officer checks the photo of the hand', () => {
  for (const lang of ['vi', 'en'] as const) {
    for (const orientation of ['landscape', 'portrait'] as const) {
      it(`says an officer is checking, shows no camera, and keeps "Cancel" and "Help" in view (${lang}, ${orientation})`, async () => {
        const page = await show(OFFICER_CHECK, lang, orientation);
        await shot(page, `fingers-officer-check-${lang}-${orientation}`);
        expect(await page.getByTestId('proof-title').innerText()).toBe(LABELS.officerCheckTitle[lang]);
        expect(await page.getByTestId('officer-check').isVisible()).toBe(true);
        expect(await page.getByTestId('proof-preview').count()).toBe(0);
        for (const id of ['officer-check', 'proof-cancel', 'finger-message', 'help']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        expect(await page.getByTestId('proof-cancel').innerText()).toBe(LABELS.cancel[lang]);
        await page.getByTestId('proof-cancel').click();
        await expect.poll(() => rig.server.received.at(-1)).toMatchObject({ type: 'intent', intent: { type: 'FINGER_EXCEPTION_CANCEL' } });
        await page.close();
      });
    }
  }
});

describe('the out-of-service screen when the hall officer took the kiosk out', () => {
  for (const [lang, text] of [
    ['vi', LABELS.oosOfficer.vi],
    ['en', LABELS.oosOfficer.en],
  ] as const) {
    for (const orientation of ['landscape', 'portrait'] as const) {
      it(`sends the citizen to the staff desk, with no device list (${lang}, ${orientation})`, async () => {
        const page = await show(OFFICER_OUT, lang, orientation);
        await shot(page, `out-of-service-officer-${lang}-${orientation}`);
        expect(await page.getByTestId('oos-text').textContent()).toBe(text);
        expect(await page.getByTestId('oos-devices').count()).toBe(0);
        await page.close();
      });
    }
  }
});
