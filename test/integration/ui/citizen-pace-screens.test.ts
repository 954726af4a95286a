import { describe, expect, it } from 'vitest';
import { fixture, fullyInView, screenRig, shot, type View } from '../../ui/screen-rig';

/**
 * Where the kiosk spent the citizen's time (issue #15, the 3-minute goal), in Chromium at both
 * shapes and in both languages: the fingerprint screen tells the citizen to lift the finger as
 * soon as the sensor has the image, "well done" names and lights the next finger, and the review
 * does not make the citizen read the card's details a second time (they were checked line by
 * line on the document step; "Change" goes back to them).
 */

const { show } = screenRig();

const ORIENTATIONS = ['landscape', 'portrait'] as const;
const LANGS = ['vi', 'en'] as const;

/** A fingerprint screen of the fixture set, in another phase. */
function fingers(patch: Record<string, unknown>): View {
  const base = fixture('fingerprints-place');
  if (base.screen.name !== 'fingerprints') throw new Error('fixture fingerprints-place is not the fingerprint screen');
  return { ...base, screen: { ...base.screen, ...patch } };
}

describe('the fingerprint screen', () => {
  for (const orientation of ORIENTATIONS) {
    for (const lang of LANGS) {
      it(`says to lift the finger while the print is read (${orientation}, ${lang})`, async () => {
        const page = await show(fingers({ phase: 'uploading', progress: 0.4, choices: [] }), lang, orientation);
        await shot(page, `pace-fingers-uploading-${lang}-${orientation}`);
        const text = (await page.getByTestId('finger-message').textContent()) ?? '';
        expect(text).toMatch(lang === 'vi' ? /nhấc ngón tay/ : /lift your finger/i);
        expect(text).not.toMatch(/giữ yên|hold still/i);
        expect(await fullyInView(page, 'finger-message')).toBe(true);
        await page.close();
      });

      it(`names and lights the next finger on "well done" (${orientation}, ${lang})`, async () => {
        const base = fingers({});
        const slots = base.screen.name === 'fingerprints' ? base.screen.slots.map((s) => (s.position === 'right_ring' ? { position: s.position, status: 'captured' as const, score: 78, attempts: 1, belowThreshold: false } : s)) : [];
        const page = await show(fingers({ phase: 'accepted', finger: 'right_ring', progress: 1, choices: [], nextFinger: 'right_little', slots }), lang, orientation);
        await shot(page, `pace-fingers-next-${lang}-${orientation}`);
        // The heading says which finger was just taken, not "finger to place" above the one done.
        expect(await page.getByTestId('finger-kicker').textContent()).toMatch(lang === 'vi' ? /^Vừa lấy xong:/ : /^Just taken:/);
        const next = page.getByTestId('finger-next');
        expect(await next.textContent()).toMatch(lang === 'vi' ? /Tiếp theo:\s*ngón út phải/ : /Next:\s*right little finger/);
        expect(await fullyInView(page, 'finger-next')).toBe(true);
        // The lit finger of the picture is the next one, not the one just done.
        const lit = await page.locator('.slot-current').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
        expect(lit).toEqual(['finger-slot-right_little']);
        expect(await page.locator('.finger-current').count()).toBe(1);
        await page.close();
      });
    }
  }

  it('names no next finger when there is none (the last finger done)', async () => {
    const page = await show(fingers({ phase: 'accepted', finger: 'left_little', index: 9, progress: 1, choices: [] }), 'vi', 'landscape');
    await page.getByTestId('finger-message').waitFor();
    expect(await page.getByTestId('finger-next').count()).toBe(0);
    await page.close();
  });
});

describe('the review', () => {
  for (const orientation of ORIENTATIONS) {
    for (const lang of LANGS) {
      it(`shows whose application it is (name and number), not the card's other details again (${orientation}, ${lang})`, async () => {
        const page = await show(fixture('review'), lang, orientation);
        await shot(page, `pace-review-${lang}-${orientation}`);
        const doc = page.getByTestId('review-document');
        expect(await doc.getByTestId('doc-full-name').textContent()).toBe('Nguyễn Thị Ngọc Ánh');
        expect(await doc.getByTestId('doc-id-number').textContent()).toMatch(/036\s?185\s?001\s?234/);
        for (const id of ['doc-address', 'doc-sex', 'doc-date-of-birth', 'doc-issue-date', 'doc-kind', 'doc-old-id-number']) {
          expect({ id, count: await doc.getByTestId(id).count() }).toEqual({ id, count: 0 });
        }
        // The way back to every detail stays in view.
        expect(await fullyInView(page, 'review-edit-document')).toBe(true);
        expect(await fullyInView(page, 'review-confirm')).toBe(true);
        await page.close();
      });
    }
  }

  for (const orientation of ORIENTATIONS) {
    for (const lang of LANGS) {
      it(`of a child, with larger text: the guardian named, the signature said to be the guardian's, every way on in view (${orientation}, ${lang})`, async () => {
        const review = fixture('review');
        if (review.screen.name !== 'review') throw new Error('fixture review is not the review screen');
        const guardian = { kind: 'cccd-qr', idNumber: '079185004321', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1985-02-03', sex: 'female' as const, flags: [] };
        const page = await show({ ...review, largeText: true, screen: { ...review.screen, case: 'first', guardian } }, lang, orientation);
        await shot(page, `pace-review-child-large-${lang}-${orientation}`);
        expect(await page.getByTestId('review-signature').locator('h2').textContent()).toBe(lang === 'vi' ? 'Chữ ký của người giám hộ' : "The guardian's signature");
        for (const id of ['review-guardian', 'review-case', 'review-signature-img', 'review-edit-signature', 'review-confirm']) {
          expect({ id, inView: await fullyInView(page, id) }).toEqual({ id, inView: true });
        }
        await page.close();
      });
    }
  }

  it('still tells the citizen what staff will check about the card', async () => {
    const review = fixture('review');
    if (review.screen.name !== 'review') throw new Error('fixture review is not the review screen');
    const page = await show({ ...review, screen: { ...review.screen, document: { ...review.screen.document, flags: ['mismatch-confirmed'] } } }, 'en', 'landscape');
    expect(await page.getByTestId('review-document').getByTestId('doc-flags').textContent()).toMatch(/staff/i);
    await page.close();
  });
});
