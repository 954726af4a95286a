/**
 * Issue #13: a device unplugged mid-session and plugged back in, through its simulator, in the
 * whole kiosk: the citizen is shown the device's fault with its way out (in Vietnamese and in
 * English: the view model carries both), /healthz says `disconnected` while the cable is out and
 * `ready` again after the replug, and the step goes on. A device the session can do without (the
 * receipt printer, the front panel) does not stop it: staff are told, and the citizen is told
 * what it means for them where it matters (no paper receipt: on the review, before they submit).
 * How fast is measured in `npm run bench -- devices`, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QR_VALID } from '../../fixtures/documents/samples';
import { viewWhere, walkTo } from '../../helpers/kiosk-walk';
import { allReady, openScreen, startSimKiosk, type Screen, type SimKiosk } from '../../helpers/sim-kiosk';
import { waitFor } from '../../helpers/wait-for';
import type { ViewModel } from '../../../domain/kiosk-channel/view-model';

let k: SimKiosk;
beforeAll(async () => {
  k = await startSimKiosk();
  await allReady(k);
}, 120_000);
afterAll(async () => {
  await k?.dispose();
});

const working = (state: string | undefined): boolean => state === 'ready' || state === 'busy';
const docNotice = (v: ViewModel) => (v.screen.name === 'document' ? v.screen.error : undefined);
const fingerScreen = (v: ViewModel) => (v.screen.name === 'fingerprints' ? v.screen : undefined);

async function toDocumentStep(screen: Screen, lang: 'vi' | 'en'): Promise<void> {
  await screen.until((v) => v.screen.name === 'attract', 'the start screen');
  screen.send({ type: 'START' });
  await screen.until((v) => v.screen.name === 'language', 'the language screen');
  screen.send({ type: 'SET_LANGUAGE', lang });
  screen.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await screen.until((v) => v.screen.name === 'document', 'the document step');
}

describe('a device pulled out mid-session and plugged back in', () => {
  it('the scanner on the document step, then the fingerprint reader on the fingerprint step', async () => {
    const screen = await openScreen(k.kiosk);
    await toDocumentStep(screen, 'vi');

    // The scanner's cable is pulled while the citizen is asked for their card.
    await k.sim('document', { unplug: true });
    const down = await screen.until((v) => /ngắt kết nối/.test(docNotice(v)?.vi ?? ''), 'the scanner-disconnected notice');
    expect(docNotice(down)?.en).toMatch(/disconnected.*"Help"/);
    expect(down.screen.name === 'document' && down.screen.phase).toBe('scan');
    await waitFor(async () => (await k.deviceState('document')) === 'disconnected', { what: 'health: document disconnected' });
    // Staff are told (the screen says so): an alert in /healthz.
    await waitFor(async () => (await k.alerts()).some((a) => a.device === 'document' && ['fault', 'disconnected'].includes(a.status)), { what: 'a staff alert: the scanner disconnected' });
    // It stays out: still disconnected after reopens have been tried.
    await waitFor(async () => (await k.deviceState('document')) === 'disconnected', { what: 'health: document still disconnected' });

    await k.sim('document', { replug: true });
    // Ready again: `busy` while the step is waiting for a card (ready ⇄ busy).
    await waitFor(async () => working(await k.deviceState('document')), { what: 'health: document ready after the replug' });
    const back = await screen.until((v) => /hoạt động lại/.test(docNotice(v)?.vi ?? ''), 'the scanner-back notice');
    expect(docNotice(back)?.en).toMatch(/working again/);
    await k.sim('fingerprint', { next: [{ kind: 'none' }] });
    await k.sim('document', { present: QR_VALID });
    await screen.until((v) => v.screen.name === 'document-confirm', 'the card read after the replug');
    screen.send({ type: 'DOC_CONFIRM' });
    await screen.until((v) => fingerScreen(v)?.phase === 'place', 'the fingerprint step, waiting for a finger');

    // The reader's cable is pulled while it waits for the finger.
    await k.sim('fingerprint', { unplug: true });
    const fault = await screen.until((v) => fingerScreen(v)?.phase === 'fault', 'the reader fault');
    expect(fingerScreen(fault)).toMatchObject({ faultReason: 'unplugged', choices: ['retry'] });
    expect(fingerScreen(fault)?.message?.vi).toMatch(/ngắt kết nối/);
    expect(fingerScreen(fault)?.message?.en).toMatch(/disconnected.*"Try again"/);
    await waitFor(async () => (await k.deviceState('fingerprint')) === 'disconnected', { what: 'health: fingerprint disconnected' });
    // The screen says "Staff have been told": they are.
    await waitFor(async () => (await k.alerts()).some((a) => a.device === 'fingerprint' && ['fault', 'disconnected'].includes(a.status)), { what: 'a staff alert: the fingerprint reader disconnected' });
    // "Try again" while it is out: the same fault, at once, no hang.
    screen.send({ type: 'FINGER_RETRY' });
    await screen.until((v) => fingerScreen(v)?.phase === 'fault' && fingerScreen(v)?.faultReason === 'unplugged', 'the fault again');

    await k.sim('fingerprint', { replug: true });
    await waitFor(async () => working(await k.deviceState('fingerprint')), { what: 'health: fingerprint ready after the replug' });
    const ready = await screen.until((v) => /working again/.test(fingerScreen(v)?.message?.en ?? ''), 'the reader-back message');
    expect(fingerScreen(ready)?.message?.vi).toMatch(/hoạt động lại.*"Thử lại"/);
    await k.sim('fingerprint', { next: [{ kind: 'seed', seed: 77 }] });
    screen.send({ type: 'FINGER_RETRY' });
    await screen.until((v) => fingerScreen(v)?.slots[0]?.status === 'captured', 'the thumb taken after the replug', 20_000);
    screen.client.ws.close();
  }, 120_000);

  it('the receipt printer on the fingerprint step: the session goes on, the review says there will be no paper, and plugged back the receipt prints', async () => {
    await walkTo(k.kiosk, { lang: 'en', card: QR_VALID, until: (v) => fingerScreen(v)?.phase === 'place' });
    await k.sim('printer', { unplug: true });
    await waitFor(async () => (await k.deviceState('printer')) === 'disconnected', { what: 'health: printer disconnected' });
    await waitFor(async () => (await k.alerts()).some((a) => a.device === 'printer'), { what: 'a staff alert: the printer' });
    // Nothing the citizen is doing needs the printer: the fingers are still being taken.
    expect(k.kiosk.runtime.view().screen.name).toBe('fingerprints');
    const review = await walkTo(k.kiosk, { lang: 'en', card: QR_VALID, goOn: true, until: (v) => v.screen.name === 'review' });
    expect(review.screen).toMatchObject({ name: 'review', printerProblem: 'not-ready' });
    // It stays out until plugged back in.
    await waitFor(async () => (await k.deviceState('printer')) === 'disconnected', { what: 'health: printer still disconnected' });

    await k.sim('printer', { replug: true });
    await waitFor(async () => working(await k.deviceState('printer')), { what: 'health: printer ready after the replug' });
    await viewWhere(k.kiosk, (v) => v.screen.name === 'review' && v.screen.printerProblem === undefined, 'the review without the printer notice');
    k.kiosk.runtime.send({ type: 'REVIEW_CONFIRM' });
    const done = await viewWhere(k.kiosk, (v) => v.screen.name === 'done' && v.screen.printed !== 'pending', 'the receipt printed');
    expect(done.screen).toMatchObject({ name: 'done', printed: true });
  }, 120_000);

  it('the receipt printer pulled out on the review: the notice comes, and goes when it is back', async () => {
    await walkTo(k.kiosk, { lang: 'vi', card: QR_VALID, until: (v) => v.screen.name === 'review' });
    expect(k.kiosk.runtime.view().screen).not.toHaveProperty('printerProblem');
    await k.sim('printer', { unplug: true });
    await viewWhere(k.kiosk, (v) => v.screen.name === 'review' && v.screen.printerProblem === 'not-ready', 'the printer notice on the review');
    await k.sim('printer', { replug: true });
    await viewWhere(k.kiosk, (v) => v.screen.name === 'review' && v.screen.printerProblem === undefined, 'the notice gone after the replug');
  }, 120_000);

  it('the front panel on the fingerprint step: the session goes on, staff are told, and plugged back its help button is heard', async () => {
    await walkTo(k.kiosk, { lang: 'en', card: QR_VALID, until: (v) => fingerScreen(v)?.phase === 'place' });
    await k.sim('panel', { unplug: true });
    await waitFor(async () => (await k.deviceState('gpio')) === 'disconnected', { what: 'health: panel disconnected' });
    await waitFor(async () => (await k.alerts()).some((a) => a.device === 'panel' && ['fault', 'disconnected'].includes(a.status)), { what: 'a staff alert: the panel' });
    // The session is not ended and the kiosk is not out of service: the screen's own Help still works.
    expect(k.kiosk.runtime.view().screen.name).toBe('fingerprints');
    expect(k.kiosk.runtime.send({ type: 'HELP' }).ok).toBe(true);
    await viewWhere(k.kiosk, (v) => v.overlay?.name === 'help', 'help from the screen');
    k.kiosk.runtime.send({ type: 'HELP_DONE' });
    await viewWhere(k.kiosk, (v) => v.overlay === undefined && v.screen.name === 'fingerprints', 'back to the fingers');

    await k.sim('panel', { replug: true });
    await waitFor(async () => (await k.deviceState('gpio')) === 'ready', { what: 'health: panel ready after the replug' });
    await k.sim('panel', { press: 'help-button' });
    await viewWhere(k.kiosk, (v) => v.overlay?.name === 'help', 'help from the panel button after the replug');
    k.kiosk.runtime.send({ type: 'HELP_DONE' });
  }, 120_000);
});
