import { describe, expect, it } from 'vitest';
import { fixture, fullyInView, screenRig, shot } from '../../ui/screen-rig';
import { msg } from '../../../controller/documents/messages';
import { buildReceipt } from '../../../controller/receipt/receipt';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';

/**
 * The page in real Chromium, one screen at a time, fed view models by a fake controller: what a
 * citizen can see and reach on each screen, at the two screen shapes kiosks stand in.
 */

const { server, show } = screenRig();

describe('the out-of-service screen', () => {
  it('lists only the devices that need checking, not the ones that are ready', async () => {
    const page = await show(
      {
        screen: {
          name: 'out-of-service',
          devices: [
            { kind: 'fingerprint', state: 'ready' },
            { kind: 'document', state: 'disconnected' },
            { kind: 'camera', state: 'fault' },
            { kind: 'printer', state: 'ready' },
          ],
        },
        fromReview: false,
      },
      'vi',
      'landscape',
    );
    const listed = await page.getByTestId('oos-devices').locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-testid')));
    expect(listed).toEqual(['device-document', 'device-camera']);
    await shot(page, 'out-of-service-vi-landscape');
    await page.close();
  });
});

describe('the document table', () => {
  for (const [kind, vi, en] of [
    ['cmnd-9', 'Số CMND', 'ID card (CMND) number'],
    ['cmnd-12', 'Số CMND', 'ID card (CMND) number'],
    ['cccd-qr', 'Số định danh', 'Personal ID number'],
  ] as const) {
    it(`labels the number of a ${kind} document by what it is`, async () => {
      for (const [lang, label] of [['vi', vi], ['en', en]] as const) {
        const page = await show(
          { screen: { name: 'document-confirm', document: { kind, idNumber: kind === 'cmnd-9' ? '163012345' : '036190001234', flags: [] }, checks: [] }, step: 'document', fromReview: false },
          lang,
          'landscape',
        );
        const th = await page.getByTestId('doc-id-number').evaluate((td) => td.parentElement?.querySelector('th')?.textContent ?? '');
        expect({ lang, label: th.trim() }).toEqual({ lang, label });
        await page.close();
      }
    });
  }
});

describe('what the citizen is told staff will check', () => {
  const confirm = (flags: readonly string[]): Omit<ViewModel, 'seq' | 'lang'> => ({
    screen: { name: 'document-confirm', document: { kind: 'cccd-mrz', idNumber: '036300001234', flags }, checks: [] },
    step: 'document',
    fromReview: false,
  });

  it('does not present a good reading (both sides read, an older QR layout) as a problem', async () => {
    const page = await show(confirm(['front-and-back-read', 'qr-6-field-variant']), 'vi', 'landscape');
    await page.getByTestId('document-table').waitFor();
    expect(await page.getByTestId('doc-flags').count()).toBe(0);
    await page.close();
  });

  it('names a date printed on the card that is not a real day, in words', async () => {
    for (const [lang, words] of [['vi', /Ngày hết hạn in trên thẻ/], ['en', /expiry date printed on the card/]] as const) {
      const page = await show(confirm(['front-and-back-read', 'expiry-date-not-a-real-day']), lang, 'landscape');
      const text = await page.getByTestId('doc-flags').textContent();
      expect(text).toMatch(words);
      expect(text).not.toMatch(/not-a-real-day|hai mặt|Both sides/);
      await page.close();
    }
  });
});

describe('the two sides of the card disagree', () => {
  const checks = (['idNumber', 'dateOfBirth', 'sex', 'fullName', 'expiryDate'] as const).map((f) => ({ name: `cross-${f}`, ok: false, message: msg.crossMismatch(f) }));
  const mismatch: Omit<ViewModel, 'seq' | 'lang'> = {
    screen: {
      name: 'document-mismatch',
      document: { kind: 'cccd-qr', idNumber: '036190001234', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1990-08-12', sex: 'female', address: 'Xóm 3, Nam Điền, Nam Trực, Nam Định', issueDate: '2021-05-10', flags: [] },
      checks: [...checks, { name: 'id-sex', ok: false, message: msg.idSex() }, { name: 'id-birth-year', ok: false, message: msg.idBirthYear(1990, '1991') }],
    },
    step: 'document',
    fromReview: false,
  };
  for (const orientation of ['landscape', 'portrait'] as const) {
    for (const lang of ['vi', 'en'] as const) {
      it(`shows one short line per field and keeps every way out on screen (${orientation}, ${lang})`, async () => {
        const page = await show(mismatch, lang, orientation);
        await shot(page, `mismatch-${lang}-${orientation}`);
        for (const id of ['doc-rescan', 'doc-accept-mismatch', 'mismatch-help']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        const lines = await page.getByTestId('mismatch-list').locator('li').allTextContents();
        expect(lines).toHaveLength(7);
        expect(new Set(lines).size).toBe(7);
        for (const line of lines) expect(line).not.toMatch(/MRZ|quét lại|scan again/i);
        await page.close();
      });
    }
  }
});

describe('when the controller goes away', () => {
  for (const orientation of ['landscape', 'portrait'] as const) {
    it(`covers the whole page with "the kiosk is restarting" in both languages, so nothing behind it can be tapped (${orientation})`, async () => {
      const page = await show(fixture('review'), 'vi', orientation);
      server.setOffline(true);
      try {
        const cover = page.getByTestId('restarting');
        await cover.waitFor({ state: 'visible', timeout: 10_000 });
        await shot(page, `restarting-${orientation}`);
        expect(await cover.textContent()).toMatch(/khởi động lại[\s\S]*restarting/);
        // Every control of the screen behind is covered: a tap lands on the cover, not on it.
        for (const id of ['review-confirm', 'review-edit-document', 'lang-toggle', 'help']) {
          expect({ id, reachable: await fullyInView(page, id) }).toEqual({ id, reachable: false });
        }
      } finally {
        server.setOffline(false);
      }
      // And it goes away by itself once the controller answers again.
      await page.getByTestId('restarting').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await fullyInView(page, 'review-confirm')).toBe(true);
      await page.close();
    });
  }
});

describe('review and done fit the screen', () => {
  for (const orientation of ['landscape', 'portrait'] as const) {
    for (const lang of ['vi', 'en'] as const) {
      it(`review shows the document, every finger, the photo, the signature and the submit button without scrolling (${orientation}, ${lang})`, async () => {
        const page = await show(fixture('review'), lang, orientation);
        await shot(page, `review-${lang}-${orientation}`);
        for (const id of ['review-document', 'review-face', 'review-signature', 'review-confirm']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        const slots = await page.locator('[data-testid^="finger-slot-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
        expect(slots).toHaveLength(10);
        for (const id of slots) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        await page.close();
      });

      it(`review with the printer out says there will be no paper, and still shows everything and the submit button, also in larger text (${orientation}, ${lang})`, async () => {
        for (const large of [false, true]) await reviewWithPrinterOut(large);
      });

      async function reviewWithPrinterOut(large: boolean): Promise<void> {
        const page = await show({ ...fixture('review-printer-out'), ...(large ? { largeText: true as const } : {}) }, lang, orientation);
        await shot(page, `review-printer-out-${lang}-${orientation}${large ? '-large' : ''}`);
        const notice = (await page.getByTestId('printer-problem').textContent()) ?? '';
        expect(notice).toMatch(lang === 'vi' ? /Máy in biên nhận đang không hoạt động.*mã hồ sơ sẽ hiện trên màn hình/ : /receipt printer is not working.*tracking code will be shown on the screen/);
        for (const id of ['printer-problem', 'review-document', 'review-face', 'review-signature', 'review-confirm']) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        const slots = await page.locator('[data-testid^="finger-slot-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
        expect(slots).toHaveLength(10);
        for (const id of slots) expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        await page.close();
      }

      it(`done shows the whole receipt copy and the finish button without scrolling (${orientation}, ${lang})`, async () => {
        // The copy of the real receipt, for a long name, with the printer out of paper (the
        // case where the on-screen copy is all the citizen takes home).
        const receipt = buildReceipt({ trackingCode: 'K7M-4QX-92P', at: new Date('2026-11-30T09:41:00Z'), kioskId: 'KIOSK-036-001', fullName: 'Tôn Nữ Hoàng Thị Phương Quỳnh', idNumber: '036190001234', language: lang });
        const done = fixture('done-not-printed');
        if (done.screen.name !== 'done') throw new Error('fixture done-not-printed is not a done screen');
        const page = await show({ ...done, screen: { ...done.screen, receiptLines: receipt.lines.map((l) => l.text) } }, lang, orientation);
        await shot(page, `done-${lang}-${orientation}`);
        expect(await fullyInView(page, 'receipt')).toBe(true);
        expect(await fullyInView(page, 'finish')).toBe(true);
        await page.close();
      });
    }
  }
});
