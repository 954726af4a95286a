import { describe, expect, it } from 'vitest';
import { fromCallback, type EventObject } from 'xstate';
import { GUIDANCE } from '../../../../controller/capture/face-guidance';
import type { CapturedFace } from '../../../../controller/enrollment/context';
import type { FaceSessionInput } from '../../../../controller/enrollment/machine';
import type { FaceSessionEvent } from '../../../../controller/enrollment/services';
import { TEST_FLOW, createHarness, facePhoto, throughFaceCountdown, type Harness } from '../../../helpers/enrollment-harness';
import type { FlowConfig } from '../../../../controller/config/schema';
import type { Screen } from '../../../../domain/kiosk-channel/view-model';

/**
 * The photo step of the statechart, with the camera played by the test: the face service's
 * events are sent by hand, and what the machine asks of it (take the still now) is recorded.
 * The countdown runs on the harness's simulated clock.
 */

interface PlayedCamera {
  /** Sends an event as the face service would. */
  send(e: FaceSessionEvent): void;
  /** How many times the machine asked for the still. */
  stillsAsked: number;
  /** How many face sessions the machine started. */
  sessions: number;
  inputs: FaceSessionInput[];
}

function harnessWithCamera(flow: FlowConfig = TEST_FLOW): { h: Harness; cam: PlayedCamera } {
  let sendBack: ((e: EventObject) => void) | undefined;
  const cam: PlayedCamera = {
    send: (e) => {
      if (!sendBack) throw new Error(`${e.type} sent while no face session is running`);
      sendBack(e);
    },
    stillsAsked: 0,
    sessions: 0,
    inputs: [],
  };
  const h = createHarness({
    flow,
    provide: (m) =>
      m.provide({
        actors: {
          faceSession: fromCallback<EventObject, FaceSessionInput>(({ sendBack: back, receive, input }) => {
            cam.sessions++;
            cam.inputs.push(input);
            sendBack = back;
            receive((e) => {
              if (e.type === 'FACE_TAKE_STILL') cam.stillsAsked++;
            });
            return () => {
              if (sendBack === back) sendBack = undefined;
            };
          }),
        },
      }),
  });
  return { h, cam };
}

type FaceScreen = Extract<Screen, { name: 'face' }>;
function faceScreen(h: Harness): FaceScreen {
  const s = h.view().screen;
  if (s.name !== 'face') throw new Error(`expected the face screen, got ${s.name}`);
  return s;
}

async function walkToFace(h: Harness): Promise<void> {
  h.actor.send({ type: 'START', at: 1 });
  h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await h.flush();
  h.actor.send({ type: 'DOC_CONFIRM' });
  await h.flush();
  for (let i = 0; i < 40 && h.view().screen.name === 'fingerprints'; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
  expect(h.view().screen.name).toBe('face');
}

const ALL_PASS = ['face-count', 'face-size', 'centred', 'roll', 'yaw', 'eyes-open', 'brightness'].map((name) => ({ name, pass: true }));
const GOOD: FaceSessionEvent = { type: 'FACE_GUIDANCE', guidance: GUIDANCE.allGood, checks: ALL_PASS, steady: true };
const TURNED: FaceSessionEvent = {
  type: 'FACE_GUIDANCE',
  guidance: GUIDANCE.lookStraight,
  checks: ALL_PASS.map((c) => (c.name === 'yaw' ? { ...c, pass: false } : c)),
  steady: false,
};

async function send(h: Harness, cam: PlayedCamera, e: FaceSessionEvent): Promise<void> {
  cam.send(e);
  await h.flush();
}

/** The face is good, the countdown runs out, the still is asked for and comes back as `face`. */
async function takePhoto(h: Harness, cam: PlayedCamera, face: CapturedFace, flow: FlowConfig = TEST_FLOW): Promise<void> {
  const asked = cam.stillsAsked;
  await send(h, cam, GOOD);
  for (let s = 0; s < flow.faceCountdownSeconds; s++) await h.advance(1000);
  expect(cam.stillsAsked).toBe(asked + 1);
  await send(h, cam, { type: 'FACE_CAPTURED', face });
  expect(faceScreen(h).phase).toBe('captured');
}

const scored = (seed: number, score: number): CapturedFace => ({ ...facePhoto(seed), score });

describe('the photo step: a countdown before the photo', () => {
  it('counts down 3, 2, 1 on screen once the face is good, and only then asks the camera for the photo', async () => {
    const { h, cam } = harnessWithCamera();
    await walkToFace(h);
    expect(faceScreen(h).countdown).toBeUndefined();
    await send(h, cam, GOOD);
    expect(faceScreen(h)).toMatchObject({ phase: 'live', countdown: 3 });
    await h.advance(1000);
    expect(faceScreen(h).countdown).toBe(2);
    await send(h, cam, GOOD);
    expect(faceScreen(h).countdown).toBe(2);
    await h.advance(1000);
    expect(faceScreen(h).countdown).toBe(1);
    expect(cam.stillsAsked).toBe(0);
    await h.advance(1000);
    expect(cam.stillsAsked).toBe(1);
    // The still is being taken: the screen says so rather than showing a stale number.
    expect(faceScreen(h)).toMatchObject({ phase: 'live', countdown: 0 });
  });

  it('starts the countdown over when the face stops being good, and takes no photo meanwhile', async () => {
    const { h, cam } = harnessWithCamera();
    await walkToFace(h);
    await send(h, cam, GOOD);
    await h.advance(1000);
    expect(faceScreen(h).countdown).toBe(2);
    await send(h, cam, TURNED);
    expect(faceScreen(h).countdown).toBeUndefined();
    expect(faceScreen(h).guidance).toEqual(GUIDANCE.lookStraight);
    for (let i = 0; i < 5; i++) await h.advance(1000);
    expect(cam.stillsAsked).toBe(0);
    expect(faceScreen(h).countdown).toBeUndefined();
    await send(h, cam, GOOD);
    expect(faceScreen(h).countdown).toBe(3);
  });

  it('counts the configured number of seconds', async () => {
    const flow = { ...TEST_FLOW, faceCountdownSeconds: 5 };
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    await send(h, cam, GOOD);
    expect(faceScreen(h).countdown).toBe(5);
    for (let i = 0; i < 4; i++) await h.advance(1000);
    expect(cam.stillsAsked).toBe(0);
    await h.advance(1000);
    expect(cam.stillsAsked).toBe(1);
  });

  it('asks for the photo as soon as the face is steady when no countdown is configured (tests and benchmarks)', async () => {
    const { h, cam } = harnessWithCamera({ ...TEST_FLOW, faceCountdownSeconds: 0 });
    await walkToFace(h);
    await send(h, cam, GOOD);
    expect(cam.stillsAsked).toBe(1);
    expect(faceScreen(h)).toMatchObject({ phase: 'live', countdown: 0 });
  });

  it('goes back to waiting for a good face when the still fails its check', async () => {
    const { h, cam } = harnessWithCamera();
    await walkToFace(h);
    await send(h, cam, GOOD);
    for (let i = 0; i < 3; i++) await h.advance(1000);
    expect(cam.stillsAsked).toBe(1);
    await send(h, cam, { type: 'FACE_GUIDANCE', guidance: { vi: 'Ảnh chụp chưa đạt.', en: 'The photo did not pass.' }, checks: [{ name: 'sharpness', pass: false }], steady: false });
    expect(faceScreen(h)).toMatchObject({ phase: 'live' });
    expect(faceScreen(h).countdown).toBeUndefined();
    await takePhoto(h, cam, facePhoto(3));
    expect(cam.stillsAsked).toBe(2);
  });

  it('hands the face service the frames it needs before a photo, from the config', async () => {
    const { h, cam } = harnessWithCamera({ ...TEST_FLOW, faceStableFrames: 4, faceLivenessFrames: 12 });
    await walkToFace(h);
    expect(cam.inputs).toEqual([{ stableFrames: 4, livenessFrames: 12 }]);
  });
});

describe('the photo step: a limit on retakes', () => {
  const flow = { ...TEST_FLOW, faceAttempts: 3 };

  it('never shows more attempts than allowed, however often "Take again" is pressed', async () => {
    // The harness's cooperative camera: a good face at once, a photo whenever asked.
    const h = createHarness();
    await walkToFace(h);
    for (let press = 0; press < TEST_FLOW.faceAttempts + 3; press++) {
      await throughFaceCountdown(h);
      const s = faceScreen(h);
      expect(s.phase).toBe('captured');
      expect(s.attempt).toBeLessThanOrEqual(s.maxAttempts);
      h.actor.send({ type: 'FACE_RETAKE' });
      await h.flush();
    }
    expect(faceScreen(h)).toMatchObject({ phase: 'captured', attempt: TEST_FLOW.faceAttempts, maxAttempts: TEST_FLOW.faceAttempts });
  });

  it('offers "Take again" until the last attempt, then refuses it: never "attempt 4 of 3"', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(faceScreen(h)).toMatchObject({ phase: 'live', attempt, maxAttempts: 3 });
      await takePhoto(h, cam, scored(attempt, 70), flow);
      expect(faceScreen(h)).toMatchObject({ phase: 'captured', attempt, maxAttempts: 3, retakesLeft: 3 - attempt });
      if (attempt < 3) h.actor.send({ type: 'FACE_RETAKE' });
    }
    h.actor.send({ type: 'FACE_RETAKE' });
    await h.flush();
    expect(faceScreen(h)).toMatchObject({ phase: 'captured', attempt: 3, maxAttempts: 3, retakesLeft: 0 });
    expect(cam.sessions).toBe(3);
  });

  it('says plainly at the limit that the best photo is kept for staff to check, or staff can be called', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    for (let attempt = 1; attempt <= 2; attempt++) {
      await takePhoto(h, cam, scored(attempt, 70), flow);
      expect(faceScreen(h).notice).toBeUndefined();
      h.actor.send({ type: 'FACE_RETAKE' });
    }
    await takePhoto(h, cam, scored(3, 70), flow);
    const notice = faceScreen(h).notice;
    expect(notice?.vi).toMatch(/lần chụp cuối/);
    expect(notice?.vi).toContain('"Dùng ảnh này"');
    expect(notice?.vi).toContain('"Gọi cán bộ"');
    expect(notice?.en).toMatch(/last/);
    expect(notice?.en).toContain('"Use this photo"');
    expect(notice?.en).toContain('"Call staff"');
    h.actor.send({ type: 'HELP' });
    expect(h.view().overlay).toEqual({ name: 'help' });
  });

  it('keeps the best of the photos taken when the last attempt is used, and flags it for staff', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    const photos = [scored(1, 55), scored(2, 91), scored(3, 40)];
    for (const [i, p] of photos.entries()) {
      await takePhoto(h, cam, p, flow);
      if (i < photos.length - 1) h.actor.send({ type: 'FACE_RETAKE' });
    }
    // The photo on screen (and the one kept) is the best one, not the last one.
    expect(h.actor.getSnapshot().context.face.pending?.score).toBe(91);
    h.actor.send({ type: 'FACE_ACCEPT' });
    await h.flush();
    expect(h.view().screen.name).toBe('signature');
    const accepted = h.actor.getSnapshot().context.face.accepted;
    expect(accepted?.score).toBe(91);
    expect(accepted?.measurements).toMatchObject({ 'photo-attempts': 3, 'retake-limit-reached': true });
  });

  it('does not flag a photo the citizen chose before the limit', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    await takePhoto(h, cam, scored(1, 60), flow);
    h.actor.send({ type: 'FACE_RETAKE' });
    await takePhoto(h, cam, scored(2, 50), flow);
    h.actor.send({ type: 'FACE_ACCEPT' });
    await h.flush();
    const accepted = h.actor.getSnapshot().context.face.accepted;
    // The citizen chose this one, even though an earlier photo measured better.
    expect(accepted?.score).toBe(50);
    expect(accepted?.measurements).toMatchObject({ 'photo-attempts': 2, 'retake-limit-reached': false });
  });

  it('does not count a camera fault as one of the citizen’s attempts', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    for (let i = 0; i < 4; i++) {
      await send(h, cam, { type: 'FACE_FAULT', message: 'no frame' });
      expect(faceScreen(h)).toMatchObject({ phase: 'fault', attempt: 1 });
      h.actor.send({ type: 'FACE_RETAKE' });
      await h.flush();
      expect(faceScreen(h)).toMatchObject({ phase: 'live', attempt: 1 });
    }
  });

  it('gives a change of photo from the review screen a fresh count', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await takePhoto(h, cam, scored(attempt, 70), flow);
      if (attempt < 3) h.actor.send({ type: 'FACE_RETAKE' });
    }
    h.actor.send({ type: 'FACE_ACCEPT' });
    h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } });
    await h.flush();
    expect(h.view().screen.name).toBe('review');
    h.actor.send({ type: 'REVIEW_EDIT', step: 'face' });
    await h.flush();
    expect(faceScreen(h)).toMatchObject({ phase: 'live', attempt: 1, maxAttempts: 3 });
  });

  it('keeps the count through a visit to help', async () => {
    const { h, cam } = harnessWithCamera(flow);
    await walkToFace(h);
    await takePhoto(h, cam, scored(1, 70), flow);
    h.actor.send({ type: 'FACE_RETAKE' });
    h.actor.send({ type: 'HELP' });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    expect(faceScreen(h)).toMatchObject({ phase: 'live', attempt: 2 });
  });
});

describe('the photo step: a camera that stops', () => {
  it('shows the fault and its way out as soon as the camera is reported failed, with no wait of its own', async () => {
    const { h } = harnessWithCamera();
    await walkToFace(h);
    h.actor.send({ type: 'DEVICES', states: { camera: 'fault' } });
    // No clock advance: the device state itself is the signal.
    expect(faceScreen(h)).toMatchObject({ phase: 'fault' });
    expect(faceScreen(h).guidance?.en).toMatch(/"Take again".*"Call staff"/);
  });

  it('does the same for a camera that is unplugged', async () => {
    const { h } = harnessWithCamera();
    await walkToFace(h);
    h.actor.send({ type: 'DEVICES', states: { camera: 'disconnected' } });
    expect(faceScreen(h)).toMatchObject({ phase: 'fault' });
  });

  it('shows the fault at once when the step starts with the camera already failed', async () => {
    const { h, cam } = harnessWithCamera();
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    h.actor.send({ type: 'DEVICES', states: { camera: 'fault' } });
    for (let i = 0; i < 40 && h.view().screen.name === 'fingerprints'; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(faceScreen(h)).toMatchObject({ phase: 'fault' });
    // "Take again" while the camera is still down stays on the fault, with its way out.
    h.actor.send({ type: 'FACE_RETAKE' });
    await h.flush();
    expect(faceScreen(h)).toMatchObject({ phase: 'fault' });
    // Once the camera is back, "Take again" starts the camera again.
    h.actor.send({ type: 'DEVICES', states: { camera: 'ready' } });
    h.actor.send({ type: 'FACE_RETAKE' });
    await h.flush();
    expect(faceScreen(h)).toMatchObject({ phase: 'live' });
    expect(cam.sessions).toBeGreaterThanOrEqual(1);
  });

  it('stops the countdown when the camera fails during it', async () => {
    const { h, cam } = harnessWithCamera();
    await walkToFace(h);
    await send(h, cam, GOOD);
    h.actor.send({ type: 'DEVICES', states: { camera: 'fault' } });
    for (let i = 0; i < 5; i++) await h.advance(1000);
    expect(faceScreen(h)).toMatchObject({ phase: 'fault' });
    expect(cam.stillsAsked).toBe(0);
  });

  it('carries on when another device reports a fault during the photo', async () => {
    const { h } = harnessWithCamera();
    await walkToFace(h);
    h.actor.send({ type: 'DEVICES', states: { printer: 'fault' } });
    expect(faceScreen(h)).toMatchObject({ phase: 'live' });
  });
});
