import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../controller/documents/dates';
import { shot, signWithMouse } from './browser';
import { startE2eKiosk, type E2eKiosk } from '../helpers/e2e-kiosk';
import { makeTestStation } from '../helpers/invitations';

/**
 * The application as the police take it (issue #15), at the real touchscreen page in headless
 * Chromium against the whole kiosk on simulated devices: a lost card, a child with a guardian,
 * an elderly citizen arriving with an invitation; each in landscape (1280×800) and portrait
 * (1080×1920). One kiosk and one page for the file; each walk goes only as far as its case
 * changes anything, except the elderly citizen's, which goes to the receipt, and the child under
 * 6's, which is short (no biometrics). Screenshots land in test/artifacts/e2e/ (cases-*).
 */

const LANDSCAPE = { width: 1280, height: 800 };
const PORTRAIT = { width: 1080, height: 1920 };

/** Made-up people, their chip CCCD front QR codes (ID|old CMND|name|dob|sex|address|issued). */
const ELDERLY = '036050001234||Nguyễn Văn Thành|14031950|Nam|Xã Hải Anh, Huyện Hải Hậu, Nam Định|10052021';
const CHILD_10 = '079216001234||Nguyễn Minh Khoa|02032016|Nam|Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|15082024';
const CHILD_4 = '079322004321||Nguyễn Ngọc Vy|01062022|Nữ|Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|20072024';
const PARENT = '079185004321||Trần Thị Bích Ngọc|03021985|Nữ|Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh|10052021';

const station = makeTestStation();
let k: E2eKiosk;
let keyDir: string;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  // The police station's invitation key, as an installer puts it beside the kiosk.
  keyDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-e2e-cases-'));
  const stationKey = path.join(keyDir, 'station-invitation.pub.pem');
  await writeFile(stationKey, station.publicPem);
  k = await startE2eKiosk({
    // 300 ms before each finger (not the 1.5 s of a person reading the finger's name): these walks
    // look at the fingerprint step only in passing, and 10 fingers × 1.2 s was waited out on every walk.
    flow: { fingerPauseMs: 300, fingerAcceptedPauseMs: 200, faceStableFrames: 3, faceCountdownSeconds: 0, doneTimeoutMs: 120_000, abandonedScreenMs: 1000 },
    config: { invitations: { publicKeys: [stationKey] } },
  });
  page = await k.browser.newPage({ viewport: LANDSCAPE });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(k.kiosk.screenUrl);
}, 180_000);

afterAll(async () => {
  await page?.close();
  await k?.dispose();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

const screen = (name: string, timeout = 30_000) => page.getByTestId(`screen-${name}`).waitFor({ state: 'visible', timeout });
const text = async (testid: string) => (await page.getByTestId(testid).first().textContent()) ?? '';

/** The start screen, at this shape; the walk before may have left a session on screen. */
async function atStart(viewport: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(viewport);
  if (!(await page.getByTestId('screen-attract').isVisible())) {
    if (await page.getByTestId('help').isVisible()) {
      await page.getByTestId('help').click();
      await page.getByTestId('help-quit').click();
    }
  }
  await screen('attract');
}

/** Leave the session the way a citizen does (help, then "end now"), back to the start. */
async function quit(): Promise<void> {
  await page.getByTestId('help').click();
  await page.getByTestId('help-quit').click();
  await screen('attract');
}

async function typeDigits(digits: string): Promise<void> {
  for (const d of digits) await page.getByTestId(`keypad-${d}`).click();
}

describe('the application as the police take it', () => {
  it('an elderly citizen (born 1950) with an invitation, landscape: the case is the invitation’s, the card is checked against it, the receipt names it; the invitation is then used', async () => {
    await atStart(LANDSCAPE);
    const invitation = station.make({ id: 'GM-E2E-0001', idNumber: '036050001234', case: 'expired', priority: 'elderly', validFrom: todayIso(new Date()), validUntil: todayIso(new Date(Date.now() + 7 * 86_400_000)) });
    await k.sim('document', { present: invitation });
    await screen('language');
    await page.getByTestId('lang-vi').click();
    // No case screen: the invitation named it. The document step says whose card to scan.
    await screen('document');
    expect(await text('doc-invited')).toContain('người được mời');
    await shot(page, 'cases-elderly-invited-document-landscape');
    await k.sim('document', { present: ELDERLY });
    await screen('document-confirm');
    expect(await text('document-table')).toContain('Nguyễn Văn Thành');
    await page.getByTestId('doc-confirm').click();
    await screen('fingerprints');
    await screen('face', 90_000);
    await page.getByTestId('face-photo').waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByTestId('face-accept').click();
    await screen('signature');
    expect(await page.getByTestId('signature-hint').getAttribute('data-signer')).toBe('applicant');
    await signWithMouse(page, 0);
    await page.getByTestId('signature-done').click();
    await screen('review');
    expect(await page.getByTestId('review-case').getAttribute('data-case')).toBe('expired');
    await shot(page, 'cases-elderly-review-landscape');
    await page.getByTestId('review-confirm').click();
    await screen('done');
    await page.locator('[data-testid="printer-status"][data-printed="true"]').waitFor({ timeout: 30_000 });
    const receipt = await text('receipt');
    expect(receipt).toContain('Giấy mời / Invitation: GM-E2E-0001');
    expect(receipt).toContain('Lý do / Reason: Thẻ hết hạn / Card expired');
    await shot(page, 'cases-elderly-done-landscape');
    expect(await k.kiosk.store.countEnrollments()).toBe(1);
    expect(await k.kiosk.store.invitationUsed('GM-E2E-0001')).toBe(true);
    const audited = (await k.kiosk.store.recentAudit({ kind: 'invitation' })).map((e) => e.detail);
    expect(audited).toContainEqual({ outcome: 'accepted', invitationId: 'GM-E2E-0001', case: 'expired', priority: 'elderly' });
    expect(JSON.stringify(audited)).not.toContain('036050001234');
    await page.getByTestId('finish').click();
    await screen('attract');
  }, 180_000);

  it('an elderly citizen with an invitation, portrait: the used one is refused with its reason; a new one for a lost card refuses another number, then takes the invited card', async () => {
    await atStart(PORTRAIT);
    const days = { validFrom: todayIso(new Date()), validUntil: todayIso(new Date(Date.now() + 7 * 86_400_000)) };
    await k.sim('document', { present: station.make({ id: 'GM-E2E-0001', idNumber: '036050001234', case: 'expired', priority: 'elderly', ...days }) });
    await page.getByTestId('invitation-refused').waitFor();
    expect(await page.getByTestId('invitation-refused').getAttribute('data-reason')).toBe('used');
    expect(await text('invitation-refused')).toContain('already been used');
    await shot(page, 'cases-elderly-invitation-used-portrait');

    await k.sim('document', { present: station.make({ id: 'GM-E2E-0002', idNumber: '036050001234', case: 'lost', priority: 'elderly', ...days }) });
    await screen('language');
    await page.getByTestId('lang-en').click();
    // A lost card: the number is typed; here, by mistake, someone else's.
    await screen('document');
    expect(await text('doc-lost-note')).toContain('match your face and fingerprints');
    await typeDigits('079185004321');
    await page.getByTestId('keypad-ok').click();
    await screen('invitation-mismatch');
    expect(await text('invited-number')).toBe('1234');
    await shot(page, 'cases-elderly-not-invited-portrait');
    await page.getByTestId('not-invited-rescan').click();
    await screen('document');
    await k.sim('document', { present: ELDERLY });
    await screen('document-confirm');
    expect(await text('document-table')).toContain('Nguyễn Văn Thành');
    await page.getByTestId('doc-confirm').click();
    await screen('fingerprints');
    await shot(page, 'cases-elderly-fingerprints-portrait');
    await quit();
  }, 120_000);

  it('a lost card, landscape: the case pictures, the keypad with the note that police will match face and fingers, the number checked', async () => {
    await atStart(LANDSCAPE);
    await page.getByTestId('start').click();
    await page.getByTestId('lang-vi').click();
    await screen('case');
    await shot(page, 'cases-lost-case-landscape');
    await page.getByTestId('case-lost').click();
    await screen('document');
    expect(await text('doc-lost-note')).toContain('đối chiếu ảnh khuôn mặt và vân tay');
    await typeDigits('036050001234');
    await shot(page, 'cases-lost-typing-landscape');
    await page.getByTestId('keypad-ok').click();
    await screen('document-confirm');
    expect(await text('document-table')).toMatch(/036\s?050\s?001\s?234/);
    await shot(page, 'cases-lost-confirm-landscape');
    await page.getByTestId('doc-confirm').click();
    await screen('fingerprints');
    await quit();
  }, 120_000);

  it('a lost card, portrait: a number whose birth year is still to come is refused at once with what to do', async () => {
    await atStart(PORTRAIT);
    await page.getByTestId('start').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('case-lost').click();
    await screen('document');
    await typeDigits('036450001234');
    await page.getByTestId('keypad-ok').click();
    await page.getByTestId('doc-error').waitFor();
    expect(await text('doc-error')).toContain('year of birth still to come');
    await shot(page, 'cases-lost-impossible-portrait');
    for (let i = 0; i < 12; i++) await page.getByTestId('keypad-del').click();
    await typeDigits('036050001234');
    await page.getByTestId('keypad-ok').click();
    await screen('document-confirm');
    await quit();
  }, 120_000);

  it('a child of 10 with a guardian, landscape: the child’s own card is refused as the guardian’s, the parent’s is taken, then the fingers', async () => {
    await atStart(LANDSCAPE);
    await page.getByTestId('start').click();
    await page.getByTestId('lang-vi').click();
    await page.getByTestId('case-first').click();
    // A first card: the number is asked for; this child has a card to scan (issued on request).
    await screen('document');
    await page.getByTestId('doc-scan-instead').click();
    await k.sim('document', { present: CHILD_10 });
    await screen('document-confirm');
    await page.getByTestId('doc-confirm').click();
    await screen('guardian');
    expect(await text('guardian-child')).toMatch(/Nguyễn Minh Khoa \(\d+ tuổi\)/);
    await shot(page, 'cases-child-guardian-scan-landscape');
    await k.sim('document', { present: CHILD_10 });
    await page.getByTestId('guardian-error').waitFor();
    expect(await text('guardian-error')).toContain('Đây là thẻ của cháu');
    await k.sim('document', { present: PARENT });
    await page.getByTestId('guardian-confirm').waitFor();
    expect(await text('screen-guardian')).toContain('Trần Thị Bích Ngọc');
    await shot(page, 'cases-child-guardian-confirm-landscape');
    await page.getByTestId('guardian-confirm').click();
    await screen('fingerprints');
    await quit();
  }, 120_000);

  it('a child of 4 with a guardian, portrait: no biometrics; the guardian signs, the application is recorded and the receipt says where to finish', async () => {
    await atStart(PORTRAIT);
    await page.getByTestId('start').click();
    await page.getByTestId('lang-en').click();
    await page.getByTestId('case-first').click();
    await screen('document');
    await page.getByTestId('doc-scan-instead').click();
    await k.sim('document', { present: CHILD_4 });
    await screen('document-confirm');
    await page.getByTestId('doc-confirm').click();
    await screen('guardian');
    await page.getByTestId('guardian-no-biometrics').waitFor();
    await shot(page, 'cases-infant-guardian-portrait');
    await k.sim('document', { present: PARENT });
    await page.getByTestId('guardian-confirm').click();
    await screen('signature');
    expect(await page.getByTestId('signature-hint').getAttribute('data-signer')).toBe('guardian');
    expect(await text('screen-signature')).toContain("The guardian's signature");
    await signWithMouse(page, 1);
    await page.getByTestId('signature-done').click();
    await screen('review');
    await page.getByTestId('review-no-biometrics').waitFor();
    expect(await page.getByTestId('review-fingerprints').count()).toBe(0);
    await shot(page, 'cases-infant-review-portrait');
    await page.getByTestId('review-confirm').click();
    await screen('done');
    await page.locator('[data-testid="printer-status"]:not([data-printed="pending"])').waitFor({ timeout: 60_000 });
    await shot(page, 'cases-infant-done-portrait');
    expect({ printed: await page.getByTestId('printer-status').getAttribute('data-printed'), says: await text('printer-status') }).toEqual({ printed: 'true', says: expect.any(String) });
    expect(await text('done-finish-at')).toContain('birth certificate');
    expect(await text('receipt')).toContain('Người giám hộ / Guardian: Trần Thị Bích Ngọc');
    expect(await k.kiosk.store.countEnrollments()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('finish').click();
    await screen('attract');
    expect(errors).toEqual([]);
  }, 120_000);
});
