import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReceipt } from '../../../controller/receipt/receipt';
import type { DocumentSummary, ViewModel } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';
import { KIOSK_DIST, buildUi } from '../../../ui/build';
import { launchBrowser } from '../../e2e/browser';
import { startFakeKioskServer, type FakeKioskServer } from '../../ui/fake-kiosk-server';
import { SCREEN_WAIT_MS } from '../../ui/screen-rig';
import { waitFor } from '../../helpers/wait-for';

/**
 * The application's own screens (issue #15) in real Chromium, fed view models by a fake
 * controller, at both screen shapes and in both languages: every choice and every way on is on
 * the screen without scrolling, the case pictures are large to touch, and a tap sends the intent.
 * Screenshots land in test/artifacts/ui-screens/ for a person to look at.
 */

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
  for (const page of pages.values()) await page.close();
  await browser?.close();
  await server?.close();
});

type View = Omit<ViewModel, 'seq' | 'lang'>;

/** One page per screen shape, fed one view after another (as the kiosk's own page is). */
const pages = new Map<Orientation, Page>();

async function show(view: View, lang: Lang, orientation: Orientation, name: string): Promise<Page> {
  const vm: ViewModel = { ...view, lang, seq: ++seq };
  server.show(vm);
  let page = pages.get(orientation);
  if (!page) {
    page = await browser.newPage({ viewport: SIZES[orientation] });
    pages.set(orientation, page);
    await page.goto(server.url);
  }
  await page.locator(`.kiosk[data-seq="${vm.seq}"] [data-testid="screen-${vm.screen.name}"]`).waitFor({ timeout: SCREEN_WAIT_MS });
  await page.evaluate(() => document.fonts.ready);
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `application-${name}-${orientation}-${lang}.png`) });
  return page;
}

/** Inside the viewport and not covered by anything else at its centre. */
async function fullyInView(page: Page, testid: string): Promise<boolean> {
  return page.getByTestId(testid).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (el === hit || el.contains(hit));
  });
}

async function allInView(page: Page, ids: readonly string[]): Promise<void> {
  for (const id of ids) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
}

const CHILD: DocumentSummary = { kind: 'cccd-qr', idNumber: '079216001234', fullName: 'Nguyễn Minh Khoa', dateOfBirth: '2016-03-02', sex: 'male', flags: [] };
const PARENT: DocumentSummary = {
  kind: 'cccd-qr',
  idNumber: '001185004321',
  fullName: 'Trần Thị Bích Ngọc',
  dateOfBirth: '1985-02-03',
  sex: 'female',
  address: 'Số 12, đường Trần Hưng Đạo, phường Bà Triệu, quận Hoàn Kiếm, Hà Nội',
  issueDate: '2021-07-20',
  flags: [],
};
const CASES = ['case-first', 'case-damaged', 'case-expired', 'case-lost', 'case-changed', 'case-other'];

describe.each(['landscape', 'portrait'] as const)('the application screens (%s)', (orientation) => {
  describe.each(['vi', 'en'] as const)('in %s', (lang) => {
    it('why did you come: six large pictures, all on screen; a tap sends the case', async () => {
      const page = await show({ screen: { name: 'case', phase: 'choose' }, fromReview: false }, lang, orientation, 'case');
      await allInView(page, CASES);
      for (const id of CASES) {
        const box = await page.getByTestId(id).boundingBox();
        // Large touch targets: far above the 9 mm (~48 px) minimum, for unsteady hands.
        expect({ id, big: (box?.width ?? 0) >= 250 && (box?.height ?? 0) >= 180 }).toEqual({ id, big: true });
      }
      const before = server.received.length;
      await page.getByTestId('case-lost').click();
      await waitFor(() => server.received.slice(before).some((m) => m.type === 'intent' && m.intent.type === 'CASE_CHOOSE'), { what: 'CASE_CHOOSE' });
      expect(server.received.slice(before).find((m) => m.type === 'intent' && m.intent.type === 'CASE_CHOOSE')).toMatchObject({ intent: { case: 'lost' } });
    });

    it('what changed: every choice and both ways on are on screen; Continue only once something is chosen', async () => {
      const page = await show({ screen: { name: 'case', phase: 'changes', chosen: 'changed' }, fromReview: false }, lang, orientation, 'case-changes');
      await allInView(page, ['change-name', 'change-birth-date', 'change-address', 'change-origin', 'change-other', 'changes-continue', 'changes-back']);
      expect(await page.getByTestId('changes-continue').isDisabled()).toBe(true);
      await page.getByTestId('change-address').click();
      await page.getByTestId('change-name').click();
      await page.screenshot({ path: path.join(SHOTS, `application-case-changes-chosen-${orientation}-${lang}.png`) });
      const before = server.received.length;
      await page.getByTestId('changes-continue').click();
      await waitFor(() => server.received.slice(before).some((m) => m.type === 'intent' && m.intent.type === 'CASE_CHANGES'), { what: 'CASE_CHANGES' });
      expect(server.received.slice(before).find((m) => m.type === 'intent' && m.intent.type === 'CASE_CHANGES')).toMatchObject({ intent: { changes: ['address', 'name'] } });
    });

    it('a lost card: the keypad, and the note that the police will match the face and fingers', async () => {
      const page = await show({ screen: { name: 'document', phase: 'typing', digits: '0792', case: 'lost' }, step: 'document', fromReview: false }, lang, orientation, 'document-lost');
      await allInView(page, ['doc-lost-note', 'keypad-display', 'keypad-0', 'keypad-ok', 'doc-scan-instead']);
      expect(await page.getByTestId('doc-lost-note').textContent()).toMatch(lang === 'vi' ? /đối chiếu/ : /match your face and fingerprints/);
    });

    it('a damaged card: scanning, with "type the number instead" offered at once', async () => {
      const page = await show({ screen: { name: 'document', phase: 'scan', case: 'damaged' }, step: 'document', fromReview: false }, lang, orientation, 'document-damaged');
      await allInView(page, ['doc-damaged-note', 'doc-type-number']);
      expect(await page.getByTestId('doc-type-number').textContent()).toBe(lang === 'vi' ? 'Nhập số thay vì quét' : 'Type the number instead');
    });

    it('an invitation refused on the start screen: why, in both languages, and the start button still there (with a printer notice too)', async () => {
      const page = await show({ screen: { name: 'attract', invitationRefused: 'expired', printerProblem: 'paper-out' }, fromReview: false }, lang, orientation, 'attract-invitation-expired');
      await allInView(page, ['invitation-refused', 'start', 'printer-problem']);
      const text = (await page.getByTestId('invitation-refused').textContent()) ?? '';
      expect(text).toContain('Giấy mời này đã hết hạn');
      expect(text).toContain('This invitation has expired');
    });

    it('the card is not the invited one: whose number it was for, the card read, and both ways on', async () => {
      const page = await show({ screen: { name: 'invitation-mismatch', expected: '••••••••1234', document: PARENT }, step: 'document', fromReview: false }, lang, orientation, 'invitation-mismatch');
      await allInView(page, ['not-invited-warning', 'not-invited-rescan', 'not-invited-drop']);
      expect(await page.getByTestId('invited-number').textContent()).toBe('1234');
    });

    it('a child: the guardian scans their own card; under 6 it says no biometrics are taken', async () => {
      const page = await show(
        { screen: { name: 'guardian', phase: 'scan', child: { fullName: CHILD.fullName ?? '', age: 4 }, noBiometrics: true }, step: 'document', fromReview: false },
        lang,
        orientation,
        'guardian-scan-under-6',
      );
      await allInView(page, ['guardian-child', 'guardian-no-biometrics']);
    });

    it('the guardian checks their details: both ways on are on screen', async () => {
      const page = await show(
        { screen: { name: 'guardian', phase: 'confirm', child: { fullName: CHILD.fullName ?? '', age: 10 }, noBiometrics: false, guardian: PARENT }, step: 'document', fromReview: false },
        lang,
        orientation,
        'guardian-confirm',
      );
      await allInView(page, ['guardian-child', 'guardian-confirm', 'guardian-rescan']);
    });

    it('the guardian signs: the screen says whose signature it is', async () => {
      const page = await show({ screen: { name: 'signature', signatureRev: 0, signer: 'guardian' }, step: 'signature', fromReview: false }, lang, orientation, 'signature-guardian');
      expect(await page.getByTestId('signature-hint').getAttribute('data-signer')).toBe('guardian');
      await allInView(page, ['signature-canvas', 'signature-done']);
    });

    it('under 6: review without fingers or photo, the guardian named, and the submit button on screen', async () => {
      const page = await show(
        { screen: { name: 'review', document: CHILD, slots: [], photoRev: 1, signatureRev: 1, case: 'first', guardian: PARENT, noBiometrics: true }, step: 'review', fromReview: false },
        lang,
        orientation,
        'review-under-6',
      );
      await allInView(page, ['review-case', 'review-guardian', 'review-no-biometrics', 'review-signature', 'review-confirm']);
      expect(await page.getByTestId('review-fingerprints').count()).toBe(0);
      expect(await page.getByTestId('review-face').count()).toBe(0);
    });

    it('under 6: the receipt screen says where to finish the application', async () => {
      const finishAt = { vi: 'Xin mang giấy khai sinh của cháu đến bàn tiếp dân của Công an phường, xã nơi cư trú để hoàn tất hồ sơ.', en: "Please bring the child's birth certificate to the reception desk of the ward or commune police where you live to finish the application." };
      const receiptLines = buildReceipt({ trackingCode: 'K7Q-4MX-92P', at: new Date('2026-11-30T03:00:00Z'), kioskId: 'KIOSK-079-01', fullName: 'Nguyễn Ngọc Vy', idNumber: '079322004321', language: lang, case: 'first', guardianName: 'Trần Thị Bích Ngọc', guardianIdNumber: '001185004321', finishAt }, 'paper').lines.map((l) => l.text);
      const page = await show({ screen: { name: 'done', trackingCode: 'K7Q-4MX-92P', printed: true, receiptLines, secondsLeft: 30, finishAt }, fromReview: false }, lang, orientation, 'done-under-6');
      await allInView(page, ['done-finish-at', 'finish']);
    });

    it('the iris step (a kiosk with an iris camera): its way on is on screen', async () => {
      const page = await show({ screen: { name: 'iris' }, step: 'fingerprints', fromReview: false }, lang, orientation, 'iris');
      await allInView(page, ['iris-done']);
    });
  });
});
