import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../controller/documents/dates';
import type { RunningKiosk } from '../../controller/kiosk';
import { loadKioskKeys } from '../../controller/packet/keys';
import { parsePacket } from '../../controller/packet/parse';
import { openSealedPacket } from '../../controller/packet/seal';
import type { EnrollmentRecord } from '../../domain/enrollment-record';
import { FINGER_POSITIONS } from '../../domain/fingers';
import { heardPrompt, shot, signWithMouse } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';

/**
 * A child of 6 to 13 applies with a guardian (issue #15, Luật Căn cước 2023): the whole kiosk on
 * simulated devices, the real page in headless Chromium, in landscape (1280×800, Vietnamese) and
 * portrait (1080×1920, English). The child's card says the age (by its birth date, at both ends
 * of the band: 6 today, and 13 the day before turning 14); a card that cannot be the guardian's
 * (the child's own, someone under 18) is refused with why; the guardian scans their own card,
 * every finger of the child and the photo are taken, the guardian signs as guardian; the review
 * and the receipt on the done screen name the guardian, and the signature is said (on screen,
 * aloud, and on the review) to be the guardian's; the sealed packet holds both documents,
 * says who signed, and has all ten fingers with their quality. Screenshots: test/artifacts/e2e/
 * (child-*).
 */

const LANDSCAPE = { width: 1280, height: 800 } as const;
const PORTRAIT = { width: 1080, height: 1920 } as const;

const PARENT = { id: '079185004321', name: 'Trần Thị Bích Ngọc', qr: '079185004321||Trần Thị Bích Ngọc|03021985|Nữ|Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|10052021' };
/** The day `years` years and `days` days before today (Vietnam's day, as the kiosk counts it), ISO. */
function yearsBefore(years: number, days = 0): string {
  const t = new Date(`${todayIso(new Date())}T00:00:00Z`);
  t.setUTCFullYear(t.getUTCFullYear() - years);
  t.setUTCDate(t.getUTCDate() - days);
  return t.toISOString().slice(0, 10);
}
const ddmmyyyy = (iso: string): string => `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(0, 4)}`;
/** The personal ID number's 4th digit: century and sex (0/1 the 1900s, 2/3 the 2000s; even for men). */
const centuryCode = (iso: string, sex: 'Nam' | 'Nữ'): number => 2 * Math.floor((Number(iso.slice(0, 4)) - 1900) / 100) + (sex === 'Nữ' ? 1 : 0);

/** A child's chip CCCD front QR: born on `born`, the number's birth year agreeing with it. */
function childCard(name: string, born: string, sex: 'Nam' | 'Nữ', tail: string): { readonly id: string; readonly name: string; readonly qr: string } {
  const id = `079${centuryCode(born, sex)}${born.slice(2, 4)}${tail}`;
  const issued = ddmmyyyy(yearsBefore(0, 30));
  return { id, name, qr: `${id}||${name}|${ddmmyyyy(born)}|${sex}|Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|${issued}` };
}

/** A sibling of 16: not old enough to be a guardian. */
const SIBLING_16 = ((): string => {
  const born = yearsBefore(16, 40);
  return `079${centuryCode(born, 'Nam')}${born.slice(2, 4)}007788||Nguyễn Minh Đức|${ddmmyyyy(born)}|Nam|Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|${ddmmyyyy(yearsBefore(0, 60))}`;
})();

let k: E2eKiosk;
let kiosk: RunningKiosk;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  // 300 ms before each finger (not the 1.5 s of a person reading the finger's name): these walks
  // look at the fingerprint step only in passing, and 10 fingers × 1.2 s was waited out on every walk.
  k = await startE2eKiosk({ flow: { fingerPauseMs: 300, fingerAcceptedPauseMs: 200, faceStableFrames: 3, faceCountdownSeconds: 0, doneTimeoutMs: 120_000, abandonedScreenMs: 1000 } });
  kiosk = k.kiosk;
  page = await k.browser.newPage({ viewport: LANDSCAPE });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(kiosk.screenUrl);
}, 180_000);

afterAll(async () => {
  await page?.close();
  await k?.dispose();
});

const sim = (device: string, body: unknown): Promise<void> => k.sim(device, body);

const spoken = (prompt: string): Promise<unknown> => heardPrompt(page, prompt);

const screen = (name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });
const text = async (testid: string) => (await page.getByTestId(testid).first().textContent()) ?? '';

/** The sealed packets committed so far, opened as the central receiver opens them. */
async function packets(): Promise<EnrollmentRecord[]> {
  const keys = await loadKioskKeys(k.dataDir);
  if (!keys) throw new Error('kiosk keys missing');
  const out: EnrollmentRecord[] = [];
  for (const id of await kiosk.store.listPacketIds()) {
    const sealed = await kiosk.store.readSealedPacket(id);
    if (!sealed) throw new Error(`packet ${id} missing`);
    const opened = openSealedPacket(sealed, k.central.privateKey);
    if (!opened.ok) throw new Error(`packet ${id} does not open: ${opened.error}`);
    const parsed = parsePacket(opened.inner, keys.publicKey);
    if (!parsed.ok) throw new Error(`packet ${id} does not verify: ${parsed.error}`);
    out.push(parsed.record);
  }
  return out;
}

interface Walk {
  readonly shape: 'landscape' | 'portrait';
  readonly lang: 'vi' | 'en';
  readonly child: ReturnType<typeof childCard>;
  readonly age: number;
  readonly case: 'first' | 'damaged';
  /** A card scanned first as the guardian's, and the reason it is refused. */
  readonly refused: { readonly qr: string; readonly says: RegExp };
  readonly words: {
    readonly childAge: RegExp;
    readonly guardianSigns: string;
    readonly signatureTitle: string;
    readonly reviewGuardian: string;
  };
}

const WALKS: readonly Walk[] = [
  {
    shape: 'landscape',
    lang: 'vi',
    // 6 today: the youngest child whose fingers and photo are taken.
    child: childCard('Nguyễn Minh Khoa', yearsBefore(6), 'Nam', '001234'),
    age: 6,
    case: 'first',
    refused: { qr: '', says: /Đây là thẻ của cháu/ },
    words: { childAge: /Nguyễn Minh Khoa \(6 tuổi\)/, guardianSigns: 'Người giám hộ sẽ ký tên thay cho cháu.', signatureTitle: 'Chữ ký của người giám hộ', reviewGuardian: 'Người giám hộ' },
  },
  {
    shape: 'portrait',
    lang: 'en',
    // 13, turning 14 tomorrow: the oldest who still needs a guardian.
    child: childCard('Nguyễn Ngọc Hân', yearsBefore(14, -1), 'Nữ', '004567'),
    age: 13,
    case: 'damaged',
    refused: { qr: SIBLING_16, says: /must be 18 or over/ },
    words: { childAge: /Nguyễn Ngọc Hân \(13 years old\)/, guardianSigns: 'The guardian will sign for the child.', signatureTitle: "The guardian's signature", reviewGuardian: 'Guardian' },
  },
];

describe('a child of 6 to 13 with a guardian', () => {
  for (const w of WALKS) {
    it(`aged ${w.age}, ${w.shape} (${w.lang}): the guardian scans their own card and signs as guardian; the review and the receipt name them; the packet holds both`, async () => {
      await page.setViewportSize(w.shape === 'landscape' ? LANDSCAPE : PORTRAIT);
      // A walk before that stopped half-way leaves its session: end it as a citizen does.
      if (!(await page.getByTestId('screen-attract').isVisible()) && (await page.getByTestId('help').isVisible())) {
        await page.getByTestId('help').click();
        await page.getByTestId('help-quit').click();
      }
      await screen('attract');
      const before = (await packets()).length;
      await page.getByTestId('start').click();
      await page.getByTestId(`lang-${w.lang}`).click();
      await screen('case');
      await page.getByTestId(`case-${w.case}`).click();
      await screen('document');
      // A first card starts on the keypad (no card in hand); this child has one to scan.
      if (w.case === 'first') await page.getByTestId('doc-scan-instead').click();
      await sim('document', { present: w.child.qr });
      await screen('document-confirm');
      expect(await text('document-table')).toContain(w.child.name);
      await page.getByTestId('doc-confirm').click();

      // The guardian's step: for whom, and a card that cannot be the guardian's refused with why.
      await screen('guardian');
      expect(await text('guardian-child')).toMatch(w.words.childAge);
      await shot(page, `child-${w.age}-guardian-scan-${w.shape}`);
      await sim('document', { present: w.refused.qr || w.child.qr });
      await page.getByTestId('guardian-error').waitFor();
      expect(await text('guardian-error')).toMatch(w.refused.says);
      await shot(page, `child-${w.age}-guardian-refused-${w.shape}`);
      await sim('document', { present: PARENT.qr });
      await page.getByTestId('guardian-confirm').waitFor();
      expect(await text('screen-guardian')).toContain(PARENT.name);
      expect(await text('screen-guardian')).toContain(w.words.guardianSigns);
      await shot(page, `child-${w.age}-guardian-confirm-${w.shape}`);
      await page.getByTestId('guardian-confirm').click();

      // 6 and over: the child's fingers and photo are taken.
      await screen('fingerprints');
      await screen('face', 90_000);
      await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 30_000 });
      await page.getByTestId('face-accept').click();

      // The guardian signs, as guardian.
      await screen('signature');
      expect(await page.getByTestId('signature-hint').getAttribute('data-signer')).toBe('guardian');
      expect(await text('screen-signature')).toContain(w.words.signatureTitle);
      // A guardian who cannot read hears it too: the guardian's prompt, not "Please sign your name".
      await spoken('signature-guardian');
      await shot(page, `child-${w.age}-signature-${w.shape}`);
      await signWithMouse(page, w.age);
      await page.getByTestId('signature-done').click();

      await screen('review');
      expect(await text('review-guardian')).toContain(`${w.words.reviewGuardian}: ${PARENT.name}`);
      // The signature on the review is said to be the guardian's, as it was when they signed.
      expect(await page.getByTestId('review-signature').locator('h2').textContent()).toBe(w.words.signatureTitle);
      expect(await page.getByTestId('review-document').getByTestId('doc-full-name').textContent()).toBe(w.child.name);
      expect(await page.getByTestId('review-case').getAttribute('data-case')).toBe(w.case);
      expect(await page.locator('[data-testid^="finger-slot-"][data-status="captured"]').count()).toBe(10);
      await shot(page, `child-${w.age}-review-${w.shape}`);
      await page.getByTestId('review-confirm').click();

      await screen('done');
      await page.locator('[data-testid="printer-status"][data-printed="true"]').waitFor({ timeout: 60_000 });
      const receipt = await text('receipt');
      expect(receipt).toContain(`Họ tên / Name: ${w.child.name}`);
      expect(receipt).toContain(`Người giám hộ / Guardian: ${PARENT.name} (********4321)`);
      expect(receipt).not.toContain(PARENT.id);
      await shot(page, `child-${w.age}-done-${w.shape}`);

      // The packet, as the receiver opens it: the child's card and the guardian's, who signed,
      // the age branch, and every finger with its quality, the photo and the signature.
      const all = await packets();
      expect(all).toHaveLength(before + 1);
      const record = all.find((r) => r.document.idNumber === w.child.id);
      if (!record) throw new Error(`no packet for ${w.child.id}`);
      expect(record.application).toMatchObject({ case: w.case, ageGroup: 'child', ageBasis: 'birth-date', biometrics: 'collected', signedBy: 'guardian' });
      expect(record.guardian?.document.idNumber).toBe(PARENT.id);
      expect(record.guardian?.document.fields['fullName']).toBe(PARENT.name);
      expect(record.fingers.map((f) => f.position)).toEqual([...FINGER_POSITIONS]);
      for (const f of record.fingers) {
        expect({ finger: f.position, status: f.status }).toEqual({ finger: f.position, status: 'captured' });
        if (f.status === 'captured') expect(f.score, f.position).toBeGreaterThan(0);
      }
      expect(record.face).toBeDefined();
      expect(record.signature.png.length).toBeGreaterThan(0);

      await page.getByTestId('finish').click();
      await screen('attract');
      expect(errors).toEqual([]);
    }, 240_000);
  }
});
