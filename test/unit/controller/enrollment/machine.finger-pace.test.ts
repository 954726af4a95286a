import { describe, expect, it } from 'vitest';
import { fromCallback, type EventObject } from 'xstate';
import type { CaptureFingerInput } from '../../../../controller/enrollment/machine';
import { TEST_FLOW, createHarness, goodFinger, walkToReview, type Harness, walkToFingerprints } from '../../../helpers/enrollment-harness';
import type { FingerPosition } from '../../../../domain/fingers';
import type { Screen } from '../../../../domain/kiosk-channel/view-model';

/**
 * The citizen's time at the fingerprint step (issue #15, the 3-minute goal): the kiosk does not
 * keep the citizen waiting on things the sensor does not need. The R30x takes the image into its
 * own buffer at GenImg and sends it afterwards (docs/facts/fingerprint-r30x.md), so the finger
 * may be lifted while the image is sent; and "well done" names the next finger, so the citizen
 * can move to it while the tick is shown. Every finger is still captured and scored as before.
 */

type FingerScreen = Extract<Screen, { name: 'fingerprints' }>;

function fingerScreen(h: Harness): FingerScreen {
  const s = h.view().screen;
  if (s.name !== 'fingerprints') throw new Error(`expected the fingerprint step, got ${s.name}`);
  return s;
}

/** A sensor the test plays: it reports progress and results when told. */
function playedSensor() {
  const sensor: { send?: (e: EventObject) => void; asked: FingerPosition[] } = { asked: [] };
  const actor = fromCallback<EventObject, CaptureFingerInput>(({ sendBack, input }) => {
    sensor.asked.push(input.position);
    sensor.send = sendBack;
    return () => {};
  });
  return { sensor, actor };
}

function harnessWithSensor() {
  const { sensor, actor } = playedSensor();
  const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: actor } }) });
  return { h, sensor };
}

const progress = (fraction: number) => ({ type: 'FINGER_PROGRESS', fraction });
const result = (score = 80, seed = 1) => ({ type: 'FINGER_RESULT', outcome: goodFinger(score, seed) });

describe('while the image of a finger is sent', () => {
  it('tells the citizen to lift the finger, in both languages: the sensor already holds the image', async () => {
    const { h, sensor } = harnessWithSensor();
    await walkToFingerprints(h);
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'right_thumb' });
    sensor.send?.(progress(0.2));
    await h.flush();
    const s = fingerScreen(h);
    expect(s.phase).toBe('uploading');
    expect(s.message?.en).toMatch(/lift your finger/i);
    expect(s.message?.vi).toMatch(/nhấc ngón tay/i);
    expect(s.message?.en).not.toMatch(/hold still/i);
  });

  it('still says lift when the image is sent again after a damaged transfer (it is still in the sensor)', async () => {
    const { h, sensor } = harnessWithSensor();
    await walkToFingerprints(h);
    sensor.send?.(progress(0.6));
    await h.flush();
    // upload.ts reports 0 when it asks the module for the same image again.
    sensor.send?.(progress(0));
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'uploading', progress: 0 });
    expect(fingerScreen(h).message?.en).toMatch(/lift your finger/i);
  });

  it('asks for the finger again (place) on the next attempt, not lift', async () => {
    const { h, sensor } = harnessWithSensor();
    await walkToFingerprints(h);
    sensor.send?.(progress(0.5));
    sensor.send?.(result(TEST_FLOW.fingerQualityThreshold - 10, 2));
    await h.flush();
    expect(fingerScreen(h).phase).toBe('low-quality');
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'right_thumb' });
  });
});

describe('"well done" on a finger', () => {
  it('names the next finger, and the next finger is the one asked for after the pause', async () => {
    const { h, sensor } = harnessWithSensor();
    await walkToFingerprints(h);
    sensor.send?.(result(80, 3));
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'accepted', finger: 'right_thumb', nextFinger: 'right_index' });
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'right_index' });
    expect(sensor.asked).toEqual(['right_thumb', 'right_index']);
  });

  it('names none after the last finger', async () => {
    const { h, sensor } = harnessWithSensor();
    await walkToFingerprints(h);
    for (let i = 0; i < 9; i++) {
      sensor.send?.(result(80, 10 + i));
      await h.flush();
      await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    }
    expect(fingerScreen(h)).toMatchObject({ phase: 'place', finger: 'left_little' });
    sensor.send?.(result(80, 30));
    await h.flush();
    const s = fingerScreen(h);
    expect(s.phase).toBe('accepted');
    expect(s.nextFinger).toBeUndefined();
  });

  it('names none when staff are about to be called about the fingers (the next screen is theirs)', async () => {
    const flow = { ...TEST_FLOW, fingerExceptionsWithoutStaff: 0, fingerExceptionApproval: false };
    const { sensor, actor } = playedSensor();
    const h = createHarness({ flow, provide: (m) => m.provide({ actors: { captureFinger: actor } }) });
    await walkToFingerprints(h);
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'finger' });
    await h.flush();
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    const s = fingerScreen(h);
    expect(s.phase).toBe('accepted');
    expect(s.nextFinger).toBeUndefined();
    await h.advance(flow.fingerAcceptedPauseMs);
    expect(fingerScreen(h).phase).toBe('staff-check');
    expect(sensor.asked).toEqual(['right_thumb']);
  });

  it('in a redo from review, names the next finger chosen, and none after the last one chosen', async () => {
    const h = createHarness();
    await walkToReview(h);
    expect(h.view().screen.name).toBe('review');
    h.actor.send({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_ring', 'left_little'] });
    await h.flush();
    expect(fingerScreen(h)).toMatchObject({ phase: 'accepted', finger: 'right_ring', nextFinger: 'left_little' });
    await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    const last = fingerScreen(h);
    expect(last).toMatchObject({ phase: 'accepted', finger: 'left_little' });
    expect(last.nextFinger).toBeUndefined();
  });
});
