/**
 * What the panel's tamper switch and PIR do in the statechart (issue #13), on the real machine
 * with scripted services and a simulated clock (the enrollment harness).
 */
import { describe, expect, it } from 'vitest';
import type { FingerOutcome } from '../../../../controller/enrollment/context';
import { TEST_FLOW, createHarness, facePhoto, goodFinger, validSignature, walkToReview, walkToFingerprints } from '../../../helpers/enrollment-harness';

const zeroed = (b: Uint8Array): boolean => b.length > 0 && b.every((x) => x === 0);
const intact = (b: Uint8Array): boolean => b.some((x) => x !== 0);
function fingerBytes(o: FingerOutcome): Uint8Array[] {
  if (o.kind !== 'captured') throw new Error('not a captured finger');
  return [o.png, o.image.pixels];
}

const FLOW = { ...TEST_FLOW, attractSleepMs: 60_000, absentTimeoutMs: 5_000 };

describe('the tamper switch', () => {
  it('mid-session: ends the session, overwrites every biometric held, and keeps the kiosk out of service until the enclosure is shut', async () => {
    const h = createHarness({ flow: FLOW });
    const fingers = Array.from({ length: 10 }, (_, i) => goodFinger(80, i + 1));
    const face = facePhoto(7);
    const signature = validSignature(9);
    h.script.fingers.push(...fingers);
    h.script.faces.push(face);
    h.script.signatures.push(signature);
    await walkToReview(h);
    const held = [...fingers.flatMap(fingerBytes), face.jpeg, signature.png];
    expect(held.every(intact)).toBe(true);

    h.actor.send({ type: 'ENCLOSURE', open: true });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'out-of-service', enclosureOpen: true });
    expect(held.every(zeroed)).toBe(true);
    const ctx = h.actor.getSnapshot().context;
    expect(ctx.doc.accepted).toBeUndefined();
    expect(ctx.face.accepted).toBeUndefined();
    expect(ctx.fingers.every((f) => f.status === 'pending')).toBe(true);

    // Nobody can start while it is open: the start screen is not there to be touched.
    expect(h.actor.getSnapshot().can({ type: 'START', at: 2 })).toBe(false);
    h.actor.send({ type: 'ENCLOSURE', open: false });
    await h.flush();
    expect(h.view().screen.name).toBe('attract');
    expect(h.errors).toEqual([]);
  });

  it('on a step with a finger on the sensor: the fingerprint taken so far is overwritten too', async () => {
    const h = createHarness({ flow: FLOW });
    const first = goodFinger(80, 3);
    h.script.fingers.push(first);
    await walkToFingerprints(h);
    await h.advance(FLOW.fingerAcceptedPauseMs);
    expect(h.view().screen).toMatchObject({ name: 'fingerprints' });
    h.actor.send({ type: 'ENCLOSURE', open: true });
    await h.flush();
    expect(h.view().screen.name).toBe('out-of-service');
    expect(fingerBytes(first).every(zeroed)).toBe(true);
  });

  it('on the start screen and on the "session ended" screen: out of service at once, back when shut', async () => {
    for (const where of ['attract', 'abandoned'] as const) {
      const h = createHarness({ flow: FLOW });
      if (where === 'abandoned') {
        h.actor.send({ type: 'START', at: 1 });
        h.actor.send({ type: 'QUIT' });
        await h.flush();
      }
      expect(h.view().screen.name, where).toBe(where);
      h.actor.send({ type: 'ENCLOSURE', open: true });
      await h.flush();
      expect(h.view().screen.name, where).toBe('out-of-service');
      h.actor.send({ type: 'ENCLOSURE', open: false });
      await h.flush();
      expect(h.view().screen.name, where).toBe('attract');
    }
  });

  it('stays out of service while the enclosure is open even when every device comes back', async () => {
    const h = createHarness({ flow: FLOW });
    h.actor.send({ type: 'ENCLOSURE', open: true });
    h.actor.send({ type: 'DEVICES', states: { camera: 'fault' } });
    h.actor.send({ type: 'DEVICES', states: { camera: 'ready' } });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'out-of-service', enclosureOpen: true });
    // … and a device down keeps it out of service after the enclosure is shut.
    h.actor.send({ type: 'DEVICES', states: { camera: 'fault' } });
    h.actor.send({ type: 'ENCLOSURE', open: false });
    await h.flush();
    expect(h.view().screen.name).toBe('out-of-service');
    expect('enclosureOpen' in h.view().screen).toBe(false);
  });
});

describe('the PIR on the start screen', () => {
  it('the start screen goes quiet after a while with nobody near, and someone stepping up wakes it', async () => {
    const h = createHarness({ flow: FLOW });
    await h.advance(FLOW.attractSleepMs - 1);
    expect(h.view().screen).toEqual({ name: 'attract' });
    await h.advance(1);
    expect(h.view().screen).toEqual({ name: 'attract', asleep: true });
    h.actor.send({ type: 'PRESENCE', present: true });
    await h.flush();
    expect(h.view().screen).toEqual({ name: 'attract' });
  });

  it('someone standing in front keeps it awake for as long as they stay (the PIR holds its output)', async () => {
    const h = createHarness({ flow: FLOW });
    h.actor.send({ type: 'PRESENCE', present: true });
    await h.advance(FLOW.attractSleepMs * 3);
    expect(h.view().screen).toEqual({ name: 'attract' });
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(FLOW.attractSleepMs - 1);
    expect(h.view().screen).toEqual({ name: 'attract' });
    await h.advance(1);
    expect(h.view().screen).toEqual({ name: 'attract', asleep: true });
  });

  it('someone passing keeps it awake; a touch wakes it; a touch on Start starts', async () => {
    const h = createHarness({ flow: FLOW });
    await h.advance(FLOW.attractSleepMs - 1000);
    h.actor.send({ type: 'PRESENCE', present: true });
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(FLOW.attractSleepMs - 1000);
    expect(h.view().screen).toEqual({ name: 'attract' });
    await h.advance(1000);
    expect(h.view().screen).toEqual({ name: 'attract', asleep: true });
    h.actor.send({ type: 'TOUCH' });
    await h.flush();
    expect(h.view().screen).toEqual({ name: 'attract' });
    await h.advance(FLOW.attractSleepMs);
    h.actor.send({ type: 'START', at: 5 });
    await h.flush();
    expect(h.view().screen.name).toBe('language');
  });

  it('never goes quiet with attractSleepMs 0', async () => {
    const h = createHarness({ flow: { ...FLOW, attractSleepMs: 0 } });
    await h.advance(24 * 3600 * 1000);
    expect(h.view().screen).toEqual({ name: 'attract' });
  });

  it('the panel help button works on the quiet screen too', async () => {
    const h = createHarness({ flow: FLOW });
    await h.advance(FLOW.attractSleepMs);
    h.actor.send({ type: 'HELP', source: 'panel' });
    await h.flush();
    expect(h.view().screen).toEqual({ name: 'attract', staffCalled: true });
  });
});

describe('the PIR in a session', () => {
  it('nobody in front any more: the "need more time?" prompt comes after absentTimeoutMs, not idleTimeoutMs, and the session ends wiped if nobody answers', async () => {
    const h = createHarness({ flow: FLOW });
    const first = goodFinger(80, 3);
    h.script.fingers.push(first);
    // On the review screen nothing moves by itself: only the idle watch can end the session.
    await walkToReview(h);
    expect(h.view().screen.name).toBe('review');
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(FLOW.absentTimeoutMs - 1);
    expect(h.view().overlay).toBeUndefined();
    await h.advance(1);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
    await h.advance(FLOW.promptTimeoutMs);
    expect(h.view().screen.name).toBe('abandoned');
    expect(fingerBytes(first).every(zeroed)).toBe(true);
    // FLOW.absentTimeoutMs + promptTimeoutMs, where without the PIR it took idleTimeoutMs + promptTimeoutMs.
    expect(FLOW.absentTimeoutMs).toBeLessThan(FLOW.idleTimeoutMs);
  });

  it('a PIR that misses someone sitting still costs nothing: a touch answers the prompt and the session goes on', async () => {
    const h = createHarness({ flow: FLOW });
    await walkToFingerprints(h);
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(FLOW.absentTimeoutMs);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
    h.actor.send({ type: 'TOUCH' });
    await h.flush();
    expect(h.view().overlay).toBeUndefined();
    expect(h.view().screen.name).toBe('fingerprints');
  });

  it('someone back in front, or a touch, brings back the full idle time', async () => {
    for (const back of [{ type: 'PRESENCE', present: true }, { type: 'TOUCH' }] as const) {
      const h = createHarness({ flow: FLOW });
      await walkToReview(h);
      h.actor.send({ type: 'PRESENCE', present: false });
      await h.advance(FLOW.absentTimeoutMs - 1);
      h.actor.send(back);
      await h.advance(FLOW.idleTimeoutMs - 1);
      expect(h.view().overlay, back.type).toBeUndefined();
      await h.advance(1);
      expect(h.view().overlay?.name, back.type).toBe('timeout-prompt');
    }
  });

  it('does not hurry a citizen who asked for help (they may have gone to find staff)', async () => {
    const h = createHarness({ flow: FLOW });
    await walkToFingerprints(h);
    h.actor.send({ type: 'HELP' });
    await h.flush();
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(FLOW.absentTimeoutMs * 2);
    expect(h.view().overlay?.name).toBe('help');
  });

  it('does not hurry the receipt screen', async () => {
    const h = createHarness({ flow: FLOW });
    await walkToReview(h);
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    expect(h.view().screen.name).toBe('done');
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(FLOW.absentTimeoutMs);
    expect(h.view().overlay).toBeUndefined();
  });
});
