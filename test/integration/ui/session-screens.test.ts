import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fullyInView, screenRig, shot, type View } from '../../ui/screen-rig';
import { buildReceipt } from '../../../controller/receipt/receipt';
import type { ClientMessage, Intent } from '../../../domain/kiosk-channel/messages';
import type { DocumentSummary } from '../../../domain/kiosk-channel/view-model';
import type { Lang } from '../../../domain/language';
import { waitFor } from '../../helpers/wait-for';

/**
 * The session-wide parts of the page (issue #11) in real Chromium, fed view models by a fake
 * controller, at both screen shapes and in both languages: the printer's trouble told up front,
 * the panel's help button answered, the front of the card asked for, another person's card,
 * the keypad and the signature pad after a reload, the receipt screen's countdown and reprint.
 * Screenshots go to test/artifacts/ui-screens/session-*.png for a person to look at.
 */

const SHAPES = (['landscape', 'portrait'] as const).flatMap((o) => (['vi', 'en'] as const).map((l) => [o, l] as const));

const { server, show, push } = screenRig();

async function expectInView(page: Page, ids: readonly string[]): Promise<void> {
  for (const id of ids) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
}

/** The intents the page sent since `from`. */
function intentsSince(from: number): Intent[] {
  return server.received.slice(from).flatMap((m: ClientMessage) => (m.type === 'intent' ? [m.intent] : []));
}

/** Another person's card, as long as a card gets: an old ID number, a long address, a flag for staff. */
const CARD: DocumentSummary = {
  kind: 'cccd-qr',
  idNumber: '001185004321',
  oldIdNumber: '012345678',
  fullName: 'Trần Thị Bích Ngọc',
  dateOfBirth: '1985-02-03',
  sex: 'female',
  address: 'Số 12, đường Trần Hưng Đạo, phường Bà Triệu, thành phố Nam Định, tỉnh Nam Định',
  issueDate: '2021-05-10',
  flags: ['expired'],
};

describe('the start screen', () => {
  for (const [orientation, lang] of SHAPES) {
    it(`says up front that the printer is out of paper, what the citizen gets instead, and still lets them start (${orientation}, ${lang})`, async () => {
      const page = await show({ screen: { name: 'attract', printerProblem: 'paper-out' }, fromReview: false }, lang, orientation);
      await shot(page, `attract-paper-out-${lang}-${orientation}`);
      await expectInView(page, ['start', 'printer-problem']);
      const text = await page.getByTestId('printer-problem').textContent();
      expect(text).toMatch(lang === 'vi' ? /hết giấy.*mã hồ sơ sẽ hiện trên màn hình.*Cán bộ đã được báo/ : /out of paper.*tracking code will be shown on the screen.*Staff have been told/);
      await page.close();
    });

    it(`answers the panel’s help button: staff have been called (${orientation}, ${lang})`, async () => {
      const page = await show({ screen: { name: 'attract', staffCalled: true }, fromReview: false }, lang, orientation);
      await shot(page, `attract-staff-called-${lang}-${orientation}`);
      await expectInView(page, ['staff-called', 'start']);
      expect(await page.getByTestId('staff-called').textContent()).toMatch(lang === 'vi' ? /Đã gọi cán bộ/ : /staff member has been called/);
      await page.close();
    });
  }

  for (const lang of ['vi', 'en'] as const) {
    it(`keeps the start button and both messages on a landscape screen when staff were called and the printer is out of paper (${lang})`, async () => {
      const page = await show({ screen: { name: 'attract', staffCalled: true, printerProblem: 'paper-out' }, fromReview: false }, lang, 'landscape');
      await shot(page, `attract-both-${lang}-landscape`);
      await expectInView(page, ['staff-called', 'start', 'printer-problem']);
      await page.close();
    });
  }

  it('names an open cover and a printer that is down, not only paper', async () => {
    for (const [problem, words] of [['cover-open', /Nắp máy in/], ['not-ready', /không hoạt động/]] as const) {
      const page = await show({ screen: { name: 'attract', printerProblem: problem }, fromReview: false }, 'vi', 'landscape');
      expect(await page.getByTestId('printer-problem').textContent()).toMatch(words);
      await page.close();
    }
  });

  it('shows no printer notice when the printer is fine', async () => {
    const page = await show({ screen: { name: 'attract' }, fromReview: false }, 'vi', 'landscape');
    expect(await page.getByTestId('printer-problem').count()).toBe(0);
    expect(await page.getByTestId('staff-called').count()).toBe(0);
    await page.close();
  });
});

describe('the keypad after a reload', () => {
  it('shows the digits the controller kept, and tells it each new one', async () => {
    const view: View = { screen: { name: 'document', phase: 'typing', digits: '0792' }, step: 'document', fromReview: false };
    const page = await show(view, 'vi', 'landscape');
    expect(await page.getByTestId('keypad-display').textContent()).toMatch(/^079 2\s*4\/9$/);
    const from = server.received.length;
    await page.getByTestId('keypad-5').click();
    await page.getByTestId('keypad-del').click();
    await page.getByTestId('keypad-del').click();
    const digits = () => intentsSince(from).filter((i) => i.type === 'DOC_DIGITS');
    await waitFor(() => digits().length === 3, { what: 'three DOC_DIGITS intents' });
    expect(digits()).toEqual([
      { type: 'DOC_DIGITS', digits: '07925' },
      { type: 'DOC_DIGITS', digits: '0792' },
      { type: 'DOC_DIGITS', digits: '079' },
    ]);
    await page.close();
  });
});

describe('only the back of the card read', () => {
  for (const [orientation, lang] of SHAPES) {
    it(`asks for the front’s QR code and why, with both ways on still on screen (${orientation}, ${lang})`, async () => {
      const back: DocumentSummary = { kind: 'cccd-mrz', idNumber: '001185004321', fullName: 'TRAN THI BICH NGOC', dateOfBirth: '1985-02-03', sex: 'female', flags: [] };
      const page = await show({ screen: { name: 'document-confirm', document: back, checks: [], askFront: true }, step: 'document', fromReview: false }, lang, orientation);
      await shot(page, `confirm-ask-front-${lang}-${orientation}`);
      await expectInView(page, ['doc-ask-front', 'document-table', 'doc-confirm', 'doc-rescan']);
      expect(await page.getByTestId('doc-ask-front').textContent()).toMatch(lang === 'vi' ? /mặt trước.*có dấu.*địa chỉ.*"Đúng, tiếp tục"/ : /front.*accents.*address.*"Correct, continue"/);
      await page.close();
    });
  }
});

describe('another person’s card from review', () => {
  for (const [orientation, lang] of SHAPES) {
    it(`says a new application would start and what it erases, whose card it is, and both ways out (${orientation}, ${lang})`, async () => {
      const page = await show({ screen: { name: 'different-person', document: CARD }, step: 'document', fromReview: true }, lang, orientation);
      await shot(page, `different-person-${lang}-${orientation}`);
      await expectInView(page, ['different-person-warning', 'document-table', 'scan-own-card', 'start-over']);
      expect(await page.getByTestId('different-person-warning').textContent()).toMatch(lang === 'vi' ? /hồ sơ mới.*ảnh chân dung, vân tay và chữ ký.*xoá/ : /new application.*photo, fingerprints and signature.*deleted/);
      expect(await page.getByTestId('document-table').textContent()).toContain('Trần Thị Bích Ngọc');
      const from = server.received.length;
      await page.getByTestId('start-over').click();
      await waitFor(() => intentsSince(from).some((i) => i.type === 'START_OVER'), { what: 'START_OVER' });
      await page.close();
    });
  }
});

describe('the signature pad after a reload', () => {
  const signature = (attempt: number, error?: boolean): View => ({
    screen: { name: 'signature', signatureRev: 0, attempt, ...(error ? { error: { vi: 'Chữ ký quá ngắn. Xin ký lại.', en: 'The signature is too short. Please sign again.' } } : {}) },
    step: 'signature',
    fromReview: false,
  });

  it('does not show an error about ink that is no longer on the (blank) pad', async () => {
    const page = await show(signature(1, true), 'en', 'landscape');
    await page.getByTestId('signature-canvas').waitFor();
    expect(await page.getByTestId('signature-error').count()).toBe(0);
    await page.close();
  });

  it('shows the error about the signature this pad sent', async () => {
    const page = await show(signature(1, true), 'en', 'landscape');
    await push(page, signature(2, true), 'en');
    await page.getByTestId('signature-error').waitFor();
    expect(await page.getByTestId('signature-error').textContent()).toMatch(/too short/);
    await page.close();
  });
});

describe('the receipt screen', () => {
  const lines = (lang: Lang, copy: 'paper' | 'screen') =>
    buildReceipt({ trackingCode: 'K7M-4QX-92P', at: new Date('2026-11-30T09:41:00Z'), kioskId: 'KIOSK-036-001', fullName: 'Tôn Nữ Hoàng Thị Phương Quỳnh', idNumber: '036190001234', language: lang }, copy).lines.map((l) => l.text);

  for (const [orientation, lang] of SHAPES) {
    it(`printed: says to take the receipt and counts down to the start, visibly (${orientation}, ${lang})`, async () => {
      const page = await show({ screen: { name: 'done', trackingCode: 'K7M-4QX-92P', printed: true, receiptLines: lines(lang, 'paper'), secondsLeft: 27, canReprint: false }, fromReview: false }, lang, orientation);
      await shot(page, `done-printed-${lang}-${orientation}`);
      await expectInView(page, ['finish', 'done-returns-in', 'receipt']);
      const left = Number(await page.getByTestId('done-seconds-left').textContent());
      expect(left).toBeGreaterThan(20);
      expect(left).toBeLessThanOrEqual(27);
      expect(await page.getByTestId('reprint').count()).toBe(0);
      await page.close();
    });

    it(`not printed, printer back: offers "Print again", and no line tells the citizen to keep a paper (${orientation}, ${lang})`, async () => {
      const page = await show(
        {
          screen: { name: 'done', trackingCode: 'K7M-4QX-92P', printed: false, receiptLines: lines(lang, 'screen'), secondsLeft: 30, canReprint: true, printerMessage: { vi: 'Máy in đã hết giấy.', en: 'The printer is out of paper.' } },
          fromReview: false,
        },
        lang,
        orientation,
      );
      await shot(page, `done-reprint-${lang}-${orientation}`);
      await expectInView(page, ['reprint', 'finish', 'done-returns-in', 'receipt']);
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).not.toMatch(/giữ giấy này|Keep this receipt/);
      expect(await page.getByTestId('printer-status').textContent()).toMatch(lang === 'vi' ? /"In lại"/ : /"Print again"/);
      const from = server.received.length;
      await page.getByTestId('reprint').click();
      await waitFor(() => intentsSince(from).some((i) => i.type === 'REPRINT'), { what: 'REPRINT' });
      await page.close();
    });
  }

  it('while printing: no countdown yet', async () => {
    const page = await show({ screen: { name: 'done', trackingCode: 'K7M-4QX-92P', printed: 'pending', receiptLines: [], canReprint: false }, fromReview: false }, 'vi', 'landscape');
    expect(await page.getByTestId('done-returns-in').count()).toBe(0);
    await page.close();
  });
});

describe('the "need more time?" prompt after a reload', () => {
  it('shows the seconds the controller says are left, not the full 20', async () => {
    const page = await show({ screen: { name: 'document', phase: 'scan' }, step: 'document', fromReview: false, overlay: { name: 'timeout-prompt', secondsLeft: 7 } }, 'vi', 'landscape');
    const left = Number(await page.getByTestId('seconds-left').textContent());
    expect(left).toBeLessThanOrEqual(7);
    expect(left).toBeGreaterThan(3);
    await page.close();
  });
});

describe('the help overlay', () => {
  for (const [orientation, lang] of SHAPES) {
    it(`says staff have been told and the application is kept while the citizen waits (${orientation}, ${lang})`, async () => {
      const page = await show({ screen: { name: 'signature', signatureRev: 0 }, step: 'signature', fromReview: false, overlay: { name: 'help' } }, lang, orientation);
      await shot(page, `help-${lang}-${orientation}`);
      await expectInView(page, ['help-done', 'help-quit']);
      expect(await page.getByTestId('overlay-help').textContent()).toMatch(lang === 'vi' ? /Cán bộ đã được báo/ : /Staff have been told/);
      await page.close();
    });
  }
});
