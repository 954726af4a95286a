import { describe, expect, it } from 'vitest';
import type { CapturedFace, FingerOutcome, SignatureOutcome } from '../../../../controller/enrollment/context';
import { TEST_FLOW, createHarness, facePhoto, goodFinger, handPhoto, throughFaceCountdown, validSignature, walkToReview, type Harness, walkToFingerprints } from '../../../helpers/enrollment-harness';

/**
 * Every biometric buffer the statechart lets go of is overwritten first. Each test holds the
 * Uint8Arrays it handed to the machine and looks at them after the transition that drops them.
 */

const zeroed = (b: Uint8Array): boolean => b.length > 0 && b.every((x) => x === 0);
const intact = (b: Uint8Array): boolean => b.some((x) => x !== 0);

function fingerBytes(o: FingerOutcome): Uint8Array[] {
  if (o.kind !== 'captured') throw new Error('not a captured finger');
  return [o.png, o.image.pixels];
}
const faceBytes = (f: CapturedFace): Uint8Array[] => [f.jpeg];
function signatureBytes(s: SignatureOutcome): Uint8Array[] {
  if (s.kind !== 'valid') throw new Error('not a valid signature');
  return [s.png];
}

/** A citizen at review whose every finger, photo and signature the test holds. */
async function reviewWithHeldBiometrics(h: Harness) {
  const fingers = Array.from({ length: 10 }, (_, i) => goodFinger(80, i + 1));
  const face = facePhoto(7);
  const signature = validSignature(9);
  h.script.fingers.push(...fingers);
  h.script.faces.push(face);
  h.script.signatures.push(signature);
  await walkToReview(h);
  expect(h.view().screen.name).toBe('review');
  const all = [...fingers.flatMap(fingerBytes), ...faceBytes(face), ...signatureBytes(signature)];
  expect(all.every(intact)).toBe(true);
  return { fingers, face, signature, all };
}

describe('biometric buffers the statechart drops are overwritten first', () => {
  it('a retry that scores worse than the best attempt so far', async () => {
    const h = createHarness();
    const first = goodFinger(30, 1);
    const worse = goodFinger(20, 2);
    h.script.fingers.push(first, worse);
    await walkToFingerprints(h);
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(h.view().screen).toMatchObject({ name: 'fingerprints', phase: 'low-quality', lastScore: 20 });
    expect(fingerBytes(worse).every(zeroed)).toBe(true);
    expect(fingerBytes(first).every(intact)).toBe(true);
  });

  it('the best attempt so far, when a retry scores higher', async () => {
    const h = createHarness();
    const first = goodFinger(20, 1);
    const better = goodFinger(30, 2);
    const good = goodFinger(90, 3);
    h.script.fingers.push(first, better, good);
    await walkToFingerprints(h);
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(fingerBytes(first).every(zeroed)).toBe(true);
    expect(fingerBytes(better).every(intact)).toBe(true);
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(h.view().screen).toMatchObject({ name: 'fingerprints', phase: 'accepted' });
    expect(fingerBytes(better).every(zeroed)).toBe(true);
    expect(fingerBytes(good).every(intact)).toBe(true);
  });

  it('the best attempt kept during retries, when the citizen declares an exception for that finger (once its photo is taken)', async () => {
    const h = createHarness();
    const low = goodFinger(20, 1);
    h.script.fingers.push(low);
    await walkToFingerprints(h);
    expect(h.view().screen).toMatchObject({ name: 'fingerprints', phase: 'low-quality' });
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'injured', scope: 'finger' });
    // Not yet: the citizen may still cancel at the photo and go on trying.
    expect(fingerBytes(low).every(intact)).toBe(true);
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    expect(fingerBytes(low).every(zeroed)).toBe(true);
    expect(h.actor.getSnapshot().context.fingers[0]).toMatchObject({ status: 'exception', reason: 'injured' });
  });

  it('a finger just accepted, when an exception replaces it', async () => {
    const h = createHarness();
    const taken = goodFinger(80, 1);
    h.script.fingers.push(taken);
    await walkToFingerprints(h);
    expect(h.view().screen).toMatchObject({ name: 'fingerprints', phase: 'accepted', finger: 'right_thumb' });
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'hand' });
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    expect(fingerBytes(taken).every(zeroed)).toBe(true);
    expect(h.actor.getSnapshot().context.fingers[0]).toMatchObject({ status: 'exception', reason: 'bandaged' });
  });

  it('the photo of a hand, once every finger it proves has been retaken from review', async () => {
    const h = createHarness();
    const photo = handPhoto(33);
    h.script.proofs.push(photo);
    await walkToFingerprints(h);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'hand' });
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    // Five fingers declared: staff are called and answer.
    expect(h.view().overlay).toEqual({ name: 'help' });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    for (let i = 0; i < 7; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await throughFaceCountdown(h);
    h.actor.send({ type: 'FACE_ACCEPT' });
    h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }]], box: { width: 600, height: 200 } });
    await h.flush();
    expect(h.view().screen.name).toBe('review');
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_thumb', 'right_index'] });
    for (let i = 0; i < 3; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen.name).toBe('review');
    // Three fingers still refer to it.
    expect(intact(photo.jpeg)).toBe(true);
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_middle', 'right_ring', 'right_little'] });
    for (let i = 0; i < 4; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen.name).toBe('review');
    expect(zeroed(photo.jpeg)).toBe(true);
  });

  it('the photos of hands, when the citizen quits', async () => {
    const h = createHarness();
    const photo = handPhoto(34);
    h.script.proofs.push(photo);
    await walkToFingerprints(h);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'amputated', scope: 'finger' });
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    expect(intact(photo.jpeg)).toBe(true);
    h.actor.send({ type: 'QUIT' });
    expect(zeroed(photo.jpeg)).toBe(true);
  });

  it('the best attempt kept during retries, when help interrupts and the finger starts over', async () => {
    const h = createHarness();
    const low = goodFinger(20, 1);
    h.script.fingers.push(low, goodFinger(90, 2));
    await walkToFingerprints(h);
    expect(h.view().screen).toMatchObject({ name: 'fingerprints', phase: 'low-quality' });
    h.actor.send({ type: 'HELP' });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    expect(fingerBytes(low).every(zeroed)).toBe(true);
  });

  it('the earlier print of each finger redone from review, once its new print is taken', async () => {
    const h = createHarness();
    const { fingers, face, signature } = await reviewWithHeldBiometrics(h);
    h.script.fingers.push({ kind: 'no-finger' });
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_middle', 'left_ring'] });
    await h.flush();
    // Kept while the citizen may still go back to review without retaking.
    expect(fingers.flatMap(fingerBytes).every(intact)).toBe(true);
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    const replaced = [fingers[2], fingers[8]].flatMap((f) => (f ? fingerBytes(f) : []));
    const others = fingers.filter((_, i) => i !== 2 && i !== 8).flatMap(fingerBytes);
    expect(replaced.slice(0, 2).every(zeroed)).toBe(true);
    expect(replaced.slice(2).every(intact)).toBe(true);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen.name).toBe('review');
    expect(replaced.every(zeroed)).toBe(true);
    // Only those two: the other fingers, the photo and the signature are still needed.
    expect([...others, ...faceBytes(face), ...signatureBytes(signature)].every(intact)).toBe(true);
  });

  it('every earlier finger, as each is retaken, when the citizen redoes all ten from review', async () => {
    const h = createHarness();
    const { fingers } = await reviewWithHeldBiometrics(h);
    h.actor.send({ type: 'REVIEW_EDIT', step: 'fingerprints' });
    await h.flush();
    expect(fingers.slice(1).flatMap(fingerBytes).every(intact)).toBe(true);
    for (let i = 0; i < 10; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen.name).toBe('review');
    expect(fingers.flatMap(fingerBytes).every(zeroed)).toBe(true);
  });

  it('the attempt in progress, when the citizen goes back to review without retaking', async () => {
    const h = createHarness();
    const { fingers } = await reviewWithHeldBiometrics(h);
    const low = goodFinger(10, 77);
    h.script.fingers.push(low);
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['left_thumb'] });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'fingerprints', phase: 'low-quality' });
    h.actor.send({ type: 'FINGER_REDO_CANCEL' });
    await h.flush();
    expect(h.view().screen.name).toBe('review');
    expect(fingerBytes(low).every(zeroed)).toBe(true);
    expect(fingers.flatMap(fingerBytes).every(intact)).toBe(true);
  });

  it('of a photo retaken and the best one kept so far, the worse one', async () => {
    // Retaken photos are kept, the best one only, in case the retakes run out.
    const h = createHarness();
    const first = { ...facePhoto(5), score: 60 };
    const better = { ...facePhoto(6), score: 80 };
    h.script.faces.push(first, better);
    await walkToFace(h);
    expect(h.view().screen).toMatchObject({ name: 'face', phase: 'captured' });
    h.actor.send({ type: 'FACE_RETAKE' });
    expect(faceBytes(first).every(intact)).toBe(true);
    await h.flush();
    await throughFaceCountdown(h);
    h.actor.send({ type: 'FACE_RETAKE' });
    expect(faceBytes(first).every(zeroed)).toBe(true);
    expect(faceBytes(better).every(intact)).toBe(true);
  });

  it('the best photo kept during retakes, when the citizen accepts a later one', async () => {
    const h = createHarness();
    const kept = { ...facePhoto(5), score: 90 };
    const chosen = { ...facePhoto(6), score: 60 };
    h.script.faces.push(kept, chosen);
    await walkToFace(h);
    h.actor.send({ type: 'FACE_RETAKE' });
    await h.flush();
    await throughFaceCountdown(h);
    h.actor.send({ type: 'FACE_ACCEPT' });
    expect(h.view().screen.name).toBe('signature');
    expect(faceBytes(kept).every(zeroed)).toBe(true);
    expect(faceBytes(chosen).every(intact)).toBe(true);
  });

  it('at the retake limit, the photo that is not the best', async () => {
    const h = createHarness({ flow: { ...TEST_FLOW, faceAttempts: 2 } });
    const best = { ...facePhoto(5), score: 90 };
    const last = { ...facePhoto(6), score: 60 };
    h.script.faces.push(best, last);
    await walkToFace(h);
    h.actor.send({ type: 'FACE_RETAKE' });
    await h.flush();
    await throughFaceCountdown(h);
    expect(h.view().screen).toMatchObject({ name: 'face', phase: 'captured', retakesLeft: 0 });
    expect(faceBytes(last).every(zeroed)).toBe(true);
    expect(faceBytes(best).every(intact)).toBe(true);
    expect(h.actor.getSnapshot().context.face.pending?.jpeg).toBe(best.jpeg);
  });

  it('the photo kept during retakes, when the citizen quits', async () => {
    const h = createHarness();
    const kept = { ...facePhoto(5), score: 90 };
    h.script.faces.push(kept);
    await walkToFace(h);
    h.actor.send({ type: 'FACE_RETAKE' });
    h.actor.send({ type: 'QUIT' });
    expect(h.view().screen.name).toBe('abandoned');
    expect(faceBytes(kept).every(zeroed)).toBe(true);
  });

  it('the photo accepted earlier, when a new one is accepted from review', async () => {
    const h = createHarness();
    const { face: first } = await reviewWithHeldBiometrics(h);
    const second = facePhoto(8);
    h.script.faces.push(second);
    h.actor.send({ type: 'REVIEW_EDIT', step: 'face' });
    await h.flush();
    await throughFaceCountdown(h);
    expect(faceBytes(first).every(intact)).toBe(true);
    h.actor.send({ type: 'FACE_ACCEPT' });
    expect(h.view().screen.name).toBe('review');
    expect(faceBytes(first).every(zeroed)).toBe(true);
    expect(faceBytes(second).every(intact)).toBe(true);
  });

  it('the signature accepted earlier, when the citizen signs again', async () => {
    const h = createHarness();
    const { signature: first } = await reviewWithHeldBiometrics(h);
    const second = validSignature(4);
    h.script.signatures.push(second);
    h.actor.send({ type: 'REVIEW_EDIT', step: 'signature' });
    h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }]], box: { width: 600, height: 200 } });
    await h.flush();
    expect(h.view().screen.name).toBe('review');
    expect(signatureBytes(first).every(zeroed)).toBe(true);
    expect(signatureBytes(second).every(intact)).toBe(true);
  });

  it('everything, when the citizen quits', async () => {
    const h = createHarness();
    const { all } = await reviewWithHeldBiometrics(h);
    h.actor.send({ type: 'QUIT' });
    expect(h.view().screen.name).toBe('abandoned');
    expect(all.every(zeroed)).toBe(true);
  });

  it('everything, once the packet is sealed and committed', async () => {
    const h = createHarness();
    const { all } = await reviewWithHeldBiometrics(h);
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    expect(h.view().screen.name).toBe('done');
    expect(h.script.drafts).toHaveLength(1);
    expect(all.every(zeroed)).toBe(true);
  });

  it('and nothing but the wipe action writes zeros: without it, every buffer survives a whole session', async () => {
    const h = createHarness({ provide: (m) => m.provide({ actions: { wipeBiometrics: () => {} } }) });
    const worse = goodFinger(10, 2);
    const fingers = [goodFinger(20, 1), worse, ...Array.from({ length: 10 }, (_, i) => goodFinger(80, i + 3))];
    const face = facePhoto(7);
    h.script.fingers.push(...fingers);
    h.script.faces.push(face);
    await walkToFace(h);
    h.actor.send({ type: 'FACE_ACCEPT' });
    h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }]], box: { width: 600, height: 200 } });
    await h.flush();
    expect(h.view().screen.name).toBe('review');
    h.actor.send({ type: 'REVIEW_EDIT', step: 'fingerprints' });
    h.actor.send({ type: 'QUIT' });
    expect(h.view().screen.name).toBe('abandoned');
    expect([...fingers.flatMap(fingerBytes), ...faceBytes(face)].every(intact)).toBe(true);
  });
});

/** Through the fingerprints (retries included) on the simulated clock, to the face step. */
async function walkToFace(h: Harness): Promise<void> {
  await walkToFingerprints(h);
  for (let i = 0; i < 40 && h.view().screen.name === 'fingerprints'; i++) await h.advance(TEST_FLOW.fingerPauseMs);
  expect(h.view().screen.name).toBe('face');
  await throughFaceCountdown(h);
}
