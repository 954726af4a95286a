import { describe, expect, it } from 'vitest';
import { fromCallback, type EventObject } from 'xstate';
import type { CaptureFingerInput } from '../../../../controller/enrollment/machine';
import { TEST_FLOW, createHarness, goodFinger, handPhoto, type Harness, throughFaceCountdown, walkToFingerprints } from '../../../helpers/enrollment-harness';
import type { FingerRecord } from '../../../../domain/enrollment-record';
import { FINGER_POSITIONS, type FingerPosition } from '../../../../domain/fingers';
import type { Screen } from '../../../../domain/kiosk-channel/view-model';

/**
 * The fingerprint step (issue #11): a print below the quality threshold is never taken as done
 * without the citizen's explicit choice, an exception is proved by a photo of the hand and
 * calls staff once more than two fingers are declared, and a redo from review retakes only the
 * fingers chosen.
 */

type FingerScreen = Extract<Screen, { name: 'fingerprints' }>;

/** A sensor waiting for a finger that is never placed: the screen stays as a new finger starts. */
const nobodyPlacesAFinger = fromCallback<EventObject, CaptureFingerInput>(() => () => {});

function fingerScreen(h: Harness): FingerScreen {
  const s = h.view().screen;
  if (s.name !== 'fingerprints') throw new Error(`expected the fingerprint step, got ${s.name}`);
  return s;
}

/** Scores for `n` attempts, each a fresh image. */
const prints = (...scores: number[]) => scores.map((score, i) => goodFinger(score, i + 11));

/** Declare an exception for the finger on screen and take the photo of the hand. */
async function declare(h: Harness, reason: 'amputated' | 'bandaged' | 'injured' | 'cannot-capture', scope: 'finger' | 'hand'): Promise<void> {
  h.actor.send({ type: 'FINGER_EXCEPTION', reason, scope });
  await h.flush();
  expect(fingerScreen(h)).toMatchObject({ phase: 'proof-photo', exception: { reason, scope } });
  h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
  await h.flush();
}

/** Confirm the rest of the session (photo, signature) once the fingerprint step is done. */
async function faceAndSignature(h: Harness): Promise<void> {
  await h.flush();
  expect(h.view().screen.name).toBe('face');
  await throughFaceCountdown(h);
  h.actor.send({ type: 'FACE_ACCEPT' });
  h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } });
  await h.flush();
}

async function submitted(h: Harness): Promise<readonly FingerRecord[]> {
  expect(h.view().screen.name).toBe('review');
  h.actor.send({ type: 'REVIEW_CONFIRM' });
  await h.flush();
  const draft = h.script.drafts[0];
  if (!draft) throw new Error('nothing was submitted');
  return draft.fingers;
}

describe('a print below the quality threshold', () => {
  it('is not taken as done after the last attempt: the citizen is told it could not be read and asked what to do', async () => {
    const h = createHarness();
    h.script.fingers.push(...prints(0, 0, 0));
    await walkToFingerprints(h);
    await h.advance(TEST_FLOW.fingerPauseMs);
    await h.advance(TEST_FLOW.fingerPauseMs);
    const s = fingerScreen(h);
    expect(s).toMatchObject({ phase: 'unreadable', finger: 'right_thumb', choices: ['retry', 'exception'] });
    expect(s.message?.en).toMatch(/could not be read/);
    expect(s.message?.en).not.toMatch(/done/i);
    expect(s.slots[0]).toEqual({ position: 'right_thumb', status: 'pending' });
    // It waits for the citizen: no timer moves on to the next finger.
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs * 10);
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', finger: 'right_thumb' });
  });

  it('"Try again" gives one more round of attempts, and the rounds are bounded', async () => {
    const h = createHarness();
    expect(TEST_FLOW.fingerRounds).toBe(2);
    h.script.fingers.push(...prints(0, 0, 0, 0, 0, 0));
    await walkToFingerprints(h);
    await h.advance(TEST_FLOW.fingerPauseMs);
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', choices: ['retry', 'exception'] });
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    // The second round counts its own attempts from 1.
    expect(fingerScreen(h)).toMatchObject({ phase: 'low-quality', attempt: 1, maxAttempts: TEST_FLOW.fingerAttempts });
    await h.advance(TEST_FLOW.fingerPauseMs);
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', finger: 'right_thumb' });
    expect(fingerScreen(h).choices).not.toContain('retry');
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', finger: 'right_thumb' });
    expect(h.script.fingerInputs).toHaveLength(TEST_FLOW.fingerAttempts * TEST_FLOW.fingerRounds);
  });

  it('is kept only when the citizen chooses "Use this print", and goes to staff marked below the threshold', async () => {
    const h = createHarness();
    h.script.fingers.push(...prints(10, 25, 15, 5, 12, 18));
    await walkToFingerprints(h);
    for (let i = 0; i < 2; i++) await h.advance(TEST_FLOW.fingerPauseMs);
    // Not after the first round: there is still a round to try.
    h.actor.send({ type: 'FINGER_KEEP' });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', choices: ['retry', 'exception'] });
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    for (let i = 0; i < 2; i++) await h.advance(TEST_FLOW.fingerPauseMs);
    const asked = fingerScreen(h);
    expect(asked).toMatchObject({ phase: 'unreadable', choices: ['keep', 'exception'] });
    expect(asked.message?.vi).toContain('"Dùng bản này"');
    h.actor.send({ type: 'FINGER_KEEP' });
    await h.flush();
    const kept = fingerScreen(h);
    expect(kept).toMatchObject({ phase: 'accepted', finger: 'right_thumb' });
    expect(kept.slots[0]).toEqual({ position: 'right_thumb', status: 'captured', score: 25, attempts: 6, belowThreshold: true });
    // Not "well done": kept for staff to check.
    expect(kept.message?.en).toMatch(/staff will check/i);
    expect(kept.message?.en).not.toMatch(/well done/i);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(fingerScreen(h)).toMatchObject({ finger: 'right_index' });

    for (let i = 0; i < 9; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await faceAndSignature(h);
    const fingers = await submitted(h);
    expect(fingers[0]).toMatchObject({ position: 'right_thumb', status: 'captured', score: 25, attempts: 6, belowThreshold: true, threshold: TEST_FLOW.fingerQualityThreshold });
    expect(fingers[1]).toMatchObject({ position: 'right_index', status: 'captured', belowThreshold: false });
  });

  it('cannot be kept when it is blank (quality 0): the only way on is to say the finger cannot be taken', async () => {
    const h = createHarness();
    h.script.fingers.push(...prints(0, 0, 0, 0, 0, 0));
    await walkToFingerprints(h);
    for (let i = 0; i < 2; i++) await h.advance(TEST_FLOW.fingerPauseMs);
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    for (let i = 0; i < 2; i++) await h.advance(TEST_FLOW.fingerPauseMs);
    const s = fingerScreen(h);
    expect(s).toMatchObject({ phase: 'unreadable', choices: ['exception'] });
    expect(s.message?.vi).toContain('"Ngón này không lấy được"');
    h.actor.send({ type: 'FINGER_KEEP' });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', finger: 'right_thumb' });
  });

  it('a print at the threshold is taken at once, "well done"', async () => {
    const h = createHarness();
    h.script.fingers.push(goodFinger(TEST_FLOW.fingerQualityThreshold, 3));
    await walkToFingerprints(h);
    const s = fingerScreen(h);
    expect(s).toMatchObject({ phase: 'accepted', choices: [] });
    expect(s.slots[0]).toMatchObject({ status: 'captured', belowThreshold: false });
    expect(s.message?.en).toMatch(/well done/i);
  });
});

describe('what the citizen may press on the fingerprint step', () => {
  it('before any attempt only "This finger cannot be taken": no "Try again" for something not yet tried', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await walkToFingerprints(h);
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', attempt: 1, choices: ['exception'] });
  });

  it('offers "Try again" after nothing was placed, a duplicate or a low-quality print, and only "Try again" after a reader fault', async () => {
    const cases: Array<[string, Parameters<Harness['script']['fingers']['push']>[0], FingerScreen['phase'], FingerScreen['choices']]> = [
      ['no finger', { kind: 'no-finger' }, 'no-finger', ['retry', 'exception']],
      ['low quality', goodFinger(5, 2), 'low-quality', ['retry', 'exception']],
      ['a reader fault', { kind: 'fault', reason: 'unplugged', message: 'unplugged' }, 'fault', ['retry']],
    ];
    for (const [what, outcome, phase, choices] of cases) {
      const h = createHarness();
      h.script.fingers.push(outcome);
      await walkToFingerprints(h);
      expect({ what, ...pick(fingerScreen(h)) }).toEqual({ what, phase, choices });
    }
    const dup = createHarness();
    dup.script.fingers.push(goodFinger(), { kind: 'duplicate', of: 'right_thumb' });
    await walkToFingerprints(dup);
    await dup.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(pick(fingerScreen(dup))).toEqual({ phase: 'duplicate', choices: ['retry', 'exception'] });
  });
});

const pick = (s: FingerScreen) => ({ phase: s.phase, choices: s.choices });

describe('a finger declared as cannot be taken', () => {
  it('is recorded only with a photo of the hand from the camera, and its reason', async () => {
    const h = createHarness();
    const photo = handPhoto(42);
    h.script.proofs.push(photo);
    h.script.fingers.push(goodFinger(), { kind: 'no-finger' });
    await walkToFingerprints(h);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs); // right thumb taken → right index, not placed
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'finger' });
    await h.flush();
    const aim = fingerScreen(h);
    expect(aim).toMatchObject({ phase: 'proof-photo', finger: 'right_index', exception: { reason: 'bandaged', scope: 'finger', hand: 'right' }, choices: ['take-photo', 'cancel-exception'] });
    // Nothing recorded until the photo is taken.
    expect(aim.slots[1]).toEqual({ position: 'right_index', status: 'pending' });
    expect(aim.message?.en).toMatch(/right hand/);
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    const noted = fingerScreen(h);
    expect(noted).toMatchObject({ phase: 'accepted', finger: 'right_index' });
    expect(noted.slots[1]).toEqual({ position: 'right_index', status: 'exception', reason: 'bandaged' });
    expect(noted.message?.en).not.toMatch(/well done/i);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(fingerScreen(h)).toMatchObject({ finger: 'right_middle' });
    expect(h.view().overlay).toBeUndefined();

    for (let i = 0; i < 8; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await faceAndSignature(h);
    const fingers = await submitted(h);
    expect(fingers[1]).toMatchObject({ position: 'right_index', status: 'exception', reason: 'bandaged', scope: 'finger', proof: { width: 640, height: 480 } });
    const proof = fingers[1]?.status === 'exception' ? fingers[1].proof : undefined;
    expect(proof?.jpeg).toBe(photo.jpeg);
  });

  it('can be cancelled at the photo: back to the same finger, nothing recorded', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await walkToFingerprints(h);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'injured', scope: 'hand' });
    await h.flush();
    expect(fingerScreen(h).phase).toBe('proof-photo');
    h.actor.send({ type: 'FINGER_EXCEPTION_CANCEL' });
    await h.flush();
    const s = fingerScreen(h);
    expect(s).toMatchObject({ phase: 'place', finger: 'right_thumb' });
    expect(s.exception).toBeUndefined();
    expect(s.slots.every((x) => x.status === 'pending')).toBe(true);
  });

  it('cancelled after the last round goes back to the same question, not to a free round', async () => {
    const h = createHarness();
    h.script.fingers.push(...prints(20, 20, 20, 20, 20, 20));
    await walkToFingerprints(h);
    for (let i = 0; i < 2; i++) await h.advance(TEST_FLOW.fingerPauseMs);
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    for (let i = 0; i < 2; i++) await h.advance(TEST_FLOW.fingerPauseMs);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'cannot-capture', scope: 'finger' });
    h.actor.send({ type: 'FINGER_EXCEPTION_CANCEL' });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'unreadable', choices: ['keep', 'exception'] });
  });

  it('help while the photo is asked for comes back to the same photo, the declaration intact', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await walkToFingerprints(h);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'injured', scope: 'hand' });
    await h.flush();
    h.actor.send({ type: 'HELP' });
    expect(h.view().overlay).toEqual({ name: 'help' });
    expect(fingerScreen(h)).toMatchObject({ phase: 'proof-photo', exception: { reason: 'injured', scope: 'hand' } });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'proof-photo', exception: { reason: 'injured', scope: 'hand', hand: 'right' } });
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    expect(fingerScreen(h).slots.slice(0, 5).map((x) => x.status)).toEqual(Array(5).fill('exception'));
  });

  it('says so when the camera cannot take the photo, and lets the citizen take it again', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    h.script.proofs.push({ kind: 'fault', reason: 'timeout', message: 'no frame arrived for the still' });
    await walkToFingerprints(h);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'amputated', scope: 'finger' });
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    const s = fingerScreen(h);
    expect(s).toMatchObject({ phase: 'proof-photo', choices: ['take-photo', 'cancel-exception'] });
    expect(s.message?.vi).toMatch(/máy ảnh/i);
    expect(s.message?.vi).toContain('"Chụp ảnh"');
    expect(s.slots[0]?.status).toBe('pending');
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    expect(fingerScreen(h).slots[0]).toEqual({ position: 'right_thumb', status: 'exception', reason: 'amputated' });
  });

  it('one or two fingers declared do not call staff', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await walkToFingerprints(h);
    for (let i = 0; i < 2; i++) {
      await declare(h, 'injured', 'finger');
      await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
      expect(h.view().overlay).toBeUndefined();
    }
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'right_middle' });
  });

  it('two taps on "the whole hand" call staff, and the citizen reaches review only after staff answer', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await walkToFingerprints(h);
    await declare(h, 'amputated', 'hand');
    expect(fingerScreen(h).slots.slice(0, 5).map((s) => s.status)).toEqual(['exception', 'exception', 'exception', 'exception', 'exception']);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    // Five fingers declared: staff are called (the help request), with the step behind it.
    expect(h.view().overlay).toEqual({ name: 'help' });
    expect(fingerScreen(h)).toMatchObject({ phase: 'staff-check' });
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs * 4);
    expect(h.view().overlay).toEqual({ name: 'help' });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'left_thumb' });

    await declare(h, 'amputated', 'hand');
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().overlay).toEqual({ name: 'help' });
    expect(fingerScreen(h)).toMatchObject({ phase: 'staff-check' });
    // Not through to the next step while staff have not answered.
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs * 4);
    expect(h.view().step).toBe('fingerprints');
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await faceAndSignature(h);
    const fingers = await submitted(h);
    expect(fingers.map((f) => f.status)).toEqual(Array(10).fill('exception'));
    // One photo per declaration, each kept with every finger it covers.
    const photos = new Set(fingers.map((f) => (f.status === 'exception' ? f.proof?.jpeg : undefined)));
    expect(photos.size).toBe(2);
    expect(photos.has(undefined)).toBe(false);
    expect(fingers[4]).toMatchObject({ scope: 'hand', reason: 'amputated' });
  });

  it('a third single finger declared calls staff too', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: nobodyPlacesAFinger } }) });
    await walkToFingerprints(h);
    for (let i = 0; i < 2; i++) {
      await declare(h, 'bandaged', 'finger');
      await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    }
    expect(h.view().overlay).toBeUndefined();
    await declare(h, 'bandaged', 'finger');
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().overlay).toEqual({ name: 'help' });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'right_ring' });
  });
});

describe('changing the fingerprints from review', () => {
  /** At review with the right index declared (bandaged, with its photo) and nine fingers taken. */
  async function reviewWithAnException(h: Harness) {
    h.script.fingers.push(goodFinger(80, 1));
    await walkToFingerprints(h);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await declare(h, 'bandaged', 'finger');
    for (let i = 0; i < 9; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await faceAndSignature(h);
    expect(h.view().screen.name).toBe('review');
    return h.actor.getSnapshot().context.fingers;
  }

  it('retakes only the fingers chosen, keeps every other finger and exception, and comes back to review', async () => {
    const h = createHarness();
    const before = await reviewWithAnException(h);
    h.script.fingerInputs.length = 0;
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_ring', 'left_little'] });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'accepted', finger: 'right_ring' });
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen.name).toBe('review');
    expect(h.script.fingerInputs).toEqual(['right_ring', 'left_little']);
    const after = h.actor.getSnapshot().context.fingers;
    FINGER_POSITIONS.forEach((p: FingerPosition, i) => {
      if (p === 'right_ring' || p === 'left_little') expect(after[i], p).not.toBe(before[i]);
      else expect(after[i], p).toBe(before[i]);
    });
    expect(after[1]).toMatchObject({ status: 'exception', reason: 'bandaged' });
  });

  it('can go back to review without retaking, keeping the earlier prints', async () => {
    const h = createHarness();
    const before = await reviewWithAnException(h);
    h.script.fingers.push({ kind: 'no-finger' });
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_index', 'left_thumb'] });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ finger: 'right_index', choices: ['retry', 'exception', 'cancel-redo'] });
    h.actor.send({ type: 'FINGER_REDO_CANCEL' });
    await h.flush();
    expect(h.view().screen.name).toBe('review');
    expect(h.actor.getSnapshot().context.fingers).toEqual(before);
    const bytes = before.flatMap((s) => (s.status === 'captured' ? [s.png] : []));
    expect(bytes.every((b) => b.some((x) => x !== 0))).toBe(true);
  });

  it('a finger redone and declared again asks for a new photo, and keeps the other exceptions', async () => {
    const h = createHarness();
    await reviewWithAnException(h);
    h.script.fingers.push({ kind: 'no-finger' });
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['left_index'] });
    await h.flush();
    await declare(h, 'injured', 'finger');
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen.name).toBe('review');
    const fingers = h.actor.getSnapshot().context.fingers;
    expect(fingers.filter((f) => f.status === 'exception').map((f) => f.position)).toEqual(['right_index', 'left_index']);
  });
});
