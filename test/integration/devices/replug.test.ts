/**
 * Issue #13: a device unplugged mid-session and plugged back in, through its simulator, in the
 * whole kiosk: the citizen is shown the device's fault with its way out (in Vietnamese and in
 * English: the view model carries both), /healthz says `disconnected` while the cable is out and
 * `ready` again after the replug, and the step goes on. How fast is measured in `npm run bench
 * -- devices`, not asserted here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QR_VALID } from '../../fixtures/documents/samples';
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
});
