import { describe, expect, it } from 'vitest';
import { fromCallback, fromPromise, type EventObject } from 'xstate';
import type { SubmitOutput } from '../../../../controller/enrollment/context';
import type { CaptureFingerInput, SubmitInput } from '../../../../controller/enrollment/machine';
import { TEST_FLOW, createHarness, goodFinger, handPhoto, throughFaceCountdown, walkToReview, type Harness } from '../../../helpers/enrollment-harness';
import type { FingerRecord } from '../../../../domain/enrollment-record';
import type { Screen } from '../../../../domain/kiosk-channel/view-model';

/**
 * A finger exception approved remotely (issue #14): with an officer's console connected to the
 * kiosk's ops channel, the photo of the hand waits for the officer's answer on an "an officer is
 * checking your photo" screen. Approved: recorded with the officer's name. Refused: the photo
 * is wiped and the finger asked for again. Nobody answers in time: kept, marked unanswered, for
 * staff to review. The citizen can cancel or ask for help meanwhile. No console: as before.
 */

type FingerScreen = Extract<Screen, { name: 'fingerprints' }>;
const nobodyPlacesAFinger = fromCallback<EventObject, CaptureFingerInput>(() => () => {});
const OFFICER = 'Trần Thị Bình';

function fingerScreen(h: Harness): FingerScreen {
  const s = h.view().screen;
  if (s.name !== 'fingerprints') throw new Error(`expected the fingerprint step, got ${s.name}`);
  return s;
}

async function toFingerprints(h: Harness, console = true): Promise<void> {
  if (console) h.actor.send({ type: 'OPS_CONSOLE', connected: true });
  h.actor.send({ type: 'START', at: 1 });
  h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await h.flush();
  h.actor.send({ type: 'DOC_CONFIRM' });
  await h.flush();
}

async function declareWithPhoto(h: Harness, scope: 'finger' | 'hand' = 'finger'): Promise<void> {
  h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope });
  await h.flush();
  h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
  await h.flush();
}

async function finishAndSubmit(h: Harness): Promise<readonly FingerRecord[]> {
  for (let i = 0; i < 12 && h.view().screen.name === 'fingerprints'; i++) {
    // More fingers declared than the kiosk takes alone call staff too: staff answer.
    if (h.view().overlay?.name === 'help') h.actor.send({ type: 'HELP_DONE' });
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
  }
  expect(h.view().screen.name).toBe('face');
  await throughFaceCountdown(h);
  h.actor.send({ type: 'FACE_ACCEPT' });
  h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } });
  await h.flush();
  h.actor.send({ type: 'REVIEW_CONFIRM' });
  await h.flush();
  const draft = h.script.drafts[0];
  if (!draft) throw new Error('nothing was submitted');
  return draft.fingers;
}

const waitingSlot = (h: Harness) => h.actor.getSnapshot().context.fingerExceptionPending;

describe('a finger exception with an officer console connected', () => {
  it('waits on "an officer is checking your photo", nothing recorded, until the officer approves; the record names the officer', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    const photo = handPhoto(42);
    h.script.proofs.push(photo);
    await toFingerprints(h);
    await declareWithPhoto(h);
    const waiting = fingerScreen(h);
    expect(waiting).toMatchObject({ phase: 'officer-check', finger: 'right_thumb', choices: ['cancel-exception'], exception: { reason: 'bandaged', scope: 'finger' } });
    expect(waiting.slots[0]).toEqual({ position: 'right_thumb', status: 'pending' });
    expect(waiting.message?.en).toMatch(/officer is checking/);
    expect(waitingSlot(h)?.proof?.jpeg).toBe(photo.jpeg);
    // Waiting is not a hang, but a long wait is not over before its time either.
    await h.advance(TEST_FLOW.fingerExceptionApprovalWaitMs - 1);
    expect(fingerScreen(h).phase).toBe('officer-check');

    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: true, officer: OFFICER });
    await h.flush();
    const noted = fingerScreen(h);
    expect(noted).toMatchObject({ phase: 'accepted', finger: 'right_thumb' });
    expect(noted.slots[0]).toEqual({ position: 'right_thumb', status: 'exception', reason: 'bandaged' });
    expect(noted.message?.en).toMatch(/officer looked at the photo and agreed/);
    // The photo is kept (not wiped): it goes into the packet.
    expect([...photo.jpeg]).toEqual([0xff, 0xd8, 0xff, 42]);

    h.actor.stop();
  });

  it('the approval and the officer go into the submitted record', async () => {
    const h = createHarness();
    h.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(h);
    await declareWithPhoto(h, 'hand');
    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: true, officer: OFFICER });
    await h.flush();
    const fingers = await finishAndSubmit(h);
    expect(fingers.slice(0, 5).map((f) => f.status)).toEqual(Array(5).fill('exception'));
    expect(fingers[0]).toMatchObject({ status: 'exception', approval: { outcome: 'approved', officer: OFFICER } });
    expect(fingers[4]).toMatchObject({ status: 'exception', approval: { outcome: 'approved', officer: OFFICER } });
    expect(fingers[5]).toMatchObject({ status: 'captured' });
  });

  it('refused: the photo is wiped, nothing recorded, the same finger is asked for again and the screen says an officer asked', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    const photo = handPhoto(43);
    h.script.proofs.push(photo);
    await toFingerprints(h);
    await declareWithPhoto(h);
    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: false, officer: OFFICER });
    await h.flush();
    const again = fingerScreen(h);
    expect(again).toMatchObject({ phase: 'place', finger: 'right_thumb', choices: ['exception'] });
    expect(again.slots[0]).toEqual({ position: 'right_thumb', status: 'pending' });
    expect(again.exception).toBeUndefined();
    expect(again.message?.en).toMatch(/officer looked at the photo and asks you to try this finger/);
    expect(again.message?.vi).toMatch(/Trợ giúp/);
    expect([...photo.jpeg].every((b) => b === 0)).toBe(true);
    expect(waitingSlot(h)).toBeUndefined();
  });

  it('refused, then declared again and approved: the record keeps who refused before', async () => {
    const h = createHarness();
    h.script.fingers.push({ kind: 'no-finger' }, { kind: 'no-finger' });
    await toFingerprints(h);
    await declareWithPhoto(h);
    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: false, officer: 'Lê Văn Cường' });
    await h.flush();
    await h.flush();
    expect(fingerScreen(h).phase).toBe('no-finger');
    await declareWithPhoto(h);
    expect(fingerScreen(h).phase).toBe('officer-check');
    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: true, officer: OFFICER });
    await h.flush();
    const fingers = await finishAndSubmit(h);
    expect(fingers[0]).toMatchObject({ status: 'exception', approval: { outcome: 'approved', officer: OFFICER, refusedBy: ['Lê Văn Cường'] } });
    expect(fingers[1]).toMatchObject({ status: 'captured' });
  });

  it('refused after the last round: back to the same question, not a free round', async () => {
    const h = createHarness();
    h.script.fingers.push(goodFinger(5, 2), goodFinger(6, 3), goodFinger(7, 4), goodFinger(5, 5), goodFinger(6, 6), goodFinger(7, 7));
    await toFingerprints(h);
    for (let round = 0; round < TEST_FLOW.fingerRounds; round++) {
      for (let i = 1; i < TEST_FLOW.fingerAttempts; i++) await h.advance(TEST_FLOW.fingerPauseMs);
      if (round + 1 < TEST_FLOW.fingerRounds) {
        h.actor.send({ type: 'FINGER_RETRY' });
        await h.flush();
      }
    }
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', choices: ['keep', 'exception'] });
    await declareWithPhoto(h);
    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: false, officer: OFFICER });
    await h.flush();
    const s = fingerScreen(h);
    expect(s).toMatchObject({ phase: 'unreadable', choices: ['keep', 'exception'] });
    expect(s.message?.en).toMatch(/did not agree/);
  });

  it('nobody answers in time: kept, marked unanswered for staff, and the citizen goes on', async () => {
    const h = createHarness();
    h.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(h);
    await declareWithPhoto(h);
    expect(fingerScreen(h).phase).toBe('officer-check');
    await h.advance(TEST_FLOW.fingerExceptionApprovalWaitMs);
    const noted = fingerScreen(h);
    expect(noted).toMatchObject({ phase: 'accepted', finger: 'right_thumb' });
    expect(noted.message?.en).toMatch(/staff will check it later/);
    // A late answer changes nothing.
    expect(h.actor.getSnapshot().can({ type: 'OPS_EXCEPTION_DECISION', approve: false, officer: OFFICER })).toBe(false);
    const fingers = await finishAndSubmit(h);
    expect(fingers[0]).toMatchObject({ status: 'exception', approval: { outcome: 'unanswered' } });
    expect(fingers[0]?.status === 'exception' ? fingers[0].approval?.officer : 'x').toBeUndefined();
  });

  it('the citizen cancels while waiting: the photo is wiped, back to the finger, a late answer is refused', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    const photo = handPhoto(44);
    h.script.proofs.push(photo);
    await toFingerprints(h);
    await declareWithPhoto(h);
    h.actor.send({ type: 'FINGER_EXCEPTION_CANCEL' });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'right_thumb' });
    expect(fingerScreen(h).slots[0]?.status).toBe('pending');
    expect([...photo.jpeg].every((b) => b === 0)).toBe(true);
    expect(h.actor.getSnapshot().can({ type: 'OPS_EXCEPTION_DECISION', approve: true, officer: OFFICER })).toBe(false);
  });

  it('help while waiting comes back to the same wait, the photo still held; the officer can answer after', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await toFingerprints(h);
    await declareWithPhoto(h);
    h.actor.send({ type: 'HELP' });
    await h.flush();
    expect(h.view().overlay?.name).toBe('help');
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    expect(fingerScreen(h).phase).toBe('officer-check');
    expect(waitingSlot(h)?.proof).toBeDefined();
    h.actor.send({ type: 'OPS_EXCEPTION_DECISION', approve: true, officer: OFFICER });
    await h.flush();
    expect(fingerScreen(h).slots[0]).toMatchObject({ status: 'exception' });
  });

  it('a session abandoned while waiting wipes the held photo', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    const photo = handPhoto(45);
    h.script.proofs.push(photo);
    await toFingerprints(h);
    await declareWithPhoto(h);
    h.actor.send({ type: 'QUIT' });
    await h.flush();
    expect(h.view().screen.name).toBe('abandoned');
    expect([...photo.jpeg].every((b) => b === 0)).toBe(true);
  });
});

describe('a finger exception without an officer console', () => {
  it('no console connected: recorded at once, as before, with no approval', async () => {
    const h = createHarness();
    h.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(h, false);
    await declareWithPhoto(h);
    expect(fingerScreen(h)).toMatchObject({ phase: 'accepted' });
    const fingers = await finishAndSubmit(h);
    expect(fingers[0]).toMatchObject({ status: 'exception', reason: 'bandaged' });
    expect(fingers[0]?.status === 'exception' ? fingers[0].approval : 'x').toBeUndefined();
  });

  it('the console went away (disconnected) before the declaration: as before', async () => {
    const h = createHarness();
    h.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(h);
    h.actor.send({ type: 'OPS_CONSOLE', connected: false });
    await declareWithPhoto(h);
    expect(fingerScreen(h)).toMatchObject({ phase: 'accepted' });
  });

  it('approval switched off in the config (flow.fingerExceptionApproval false): as before, console or not', async () => {
    const h = createHarness({ flow: { ...TEST_FLOW, fingerExceptionApproval: false } });
    h.script.fingers.push({ kind: 'no-finger' });
    await toFingerprints(h);
    await declareWithPhoto(h);
    expect(fingerScreen(h)).toMatchObject({ phase: 'accepted' });
  });
});

describe('the officer ends a session or takes the kiosk out of service', () => {
  it('ends a session in progress: the session is wiped and the citizen sees the ended screen', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    const photo = handPhoto(46);
    h.script.proofs.push(photo);
    await toFingerprints(h);
    await declareWithPhoto(h);
    h.actor.send({ type: 'OPS_END_SESSION', officer: OFFICER });
    await h.flush();
    expect(h.view().screen.name).toBe('abandoned');
    expect([...photo.jpeg].every((b) => b === 0)).toBe(true);
  });

  it('cannot end a session while its packet is being committed; after the commit it goes back to the start', async () => {
    let commit: ((v: { trackingCode: string }) => void) | undefined;
    const h = createHarness({ provide: (m) => m.provide({ actors: { submitEnrollment: fromPromise<SubmitOutput, SubmitInput>(() => new Promise((resolve) => (commit = resolve))) } }) });
    expect(h.actor.getSnapshot().can({ type: 'OPS_END_SESSION', officer: OFFICER })).toBe(false); // no session
    await walkToReview(h);
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    expect(h.view().screen.name).toBe('submitting');
    expect(h.actor.getSnapshot().can({ type: 'OPS_END_SESSION', officer: OFFICER })).toBe(false);
    commit?.({ trackingCode: 'K7Q-4MX-92P' });
    await h.flush();
    expect(h.view().screen.name).toBe('done');
    h.actor.send({ type: 'OPS_END_SESSION', officer: OFFICER });
    await h.flush();
    expect(h.view().screen.name).toBe('attract');
  });

  it('out of service: no new session starts, the screen says an officer did it; back in service: the start screen', async () => {
    const h = createHarness();
    h.actor.send({ type: 'OPS_SERVICE', on: true, officer: OFFICER });
    await h.flush();
    const s = h.view().screen;
    expect(s).toMatchObject({ name: 'out-of-service', officer: true });
    expect(s.name === 'out-of-service' ? s.maintenance : 'x').toBeUndefined();
    h.actor.send({ type: 'START', at: 2 });
    await h.flush();
    expect(h.view().screen.name).toBe('out-of-service');
    // The technician's switch as well: "maintenance" wins while it is on.
    h.actor.send({ type: 'MAINTENANCE', on: true });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'out-of-service', maintenance: true });
    h.actor.send({ type: 'MAINTENANCE', on: false });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'out-of-service', officer: true });
    h.actor.send({ type: 'OPS_SERVICE', on: false, officer: OFFICER });
    await h.flush();
    expect(h.view().screen.name).toBe('attract');
  });

  it('out of service during a session: the session finishes first', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await toFingerprints(h);
    h.actor.send({ type: 'OPS_SERVICE', on: true, officer: OFFICER });
    await h.flush();
    expect(h.view().screen.name).toBe('fingerprints');
    h.actor.send({ type: 'QUIT' });
    await h.flush();
    await h.advance(TEST_FLOW.abandonedScreenMs);
    expect(h.view().screen).toMatchObject({ name: 'out-of-service', officer: true });
  });
});
