import { describe, expect, it } from 'vitest';
import { createSessionTracker, type SessionEvent } from '../../../../controller/ops/session-events';
import { TEST_FLOW, createHarness, walkToReview, type Harness } from '../../../helpers/enrollment-harness';

/**
 * Session events read off the real statechart's view models (the harness's simulated clock is
 * the time): what /metrics counts.
 */

let tracker = createSessionTracker();

function track(h: Harness): SessionEvent[] {
  tracker = createSessionTracker();
  const events: SessionEvent[] = [];
  const see = () => events.push(...tracker.observe(h.view(), h.clock.now()));
  see();
  h.actor.subscribe(see);
  return events;
}

const kinds = (events: readonly SessionEvent[]) => events.map((e) => e.kind);

describe('session events from the view models', () => {
  it('a citizen who finishes: each step once with its time, ten fingers with their scores, one photo, completed', async () => {
    const h = createHarness();
    const events = track(h);
    await walkToReview(h);
    await h.advance(7_000); // reading the review screen
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    expect(h.view().screen.name).toBe('done');
    const steps = events.flatMap((e) => (e.kind === 'step' ? [e.step] : []));
    expect(steps).toEqual(['document', 'fingerprints', 'face', 'signature', 'review']);
    const review = events.find((e) => e.kind === 'step' && e.step === 'review');
    expect(review).toMatchObject({ seconds: 7 });
    const fingers = events.flatMap((e) => (e.kind === 'finger-captured' ? [e] : []));
    expect(fingers).toHaveLength(10);
    expect(fingers.every((f) => f.score === 80 && f.attempts === 1 && !f.belowThreshold)).toBe(true);
    expect(events.filter((e) => e.kind === 'face-photo')).toEqual([{ kind: 'face-photo', failed: [] }]);
    expect(kinds(events).filter((k) => k === 'completed')).toHaveLength(1);
    expect(kinds(events)).not.toContain('abandoned');
    // The receipt screen going away is not a second completion.
    h.actor.send({ type: 'FINISH' });
    await h.flush();
    expect(kinds(events).filter((k) => k === 'completed')).toHaveLength(1);
  });

  it('a citizen who walks away on the document step: abandoned there, once', async () => {
    const h = createHarness();
    const events = track(h);
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    await h.advance(TEST_FLOW.idleTimeoutMs);
    await h.advance(TEST_FLOW.promptTimeoutMs);
    expect(h.view().screen.name).toBe('abandoned');
    const ended = events.filter((e) => e.kind === 'abandoned');
    expect(ended).toEqual([{ kind: 'abandoned', step: 'document', seconds: (TEST_FLOW.idleTimeoutMs + TEST_FLOW.promptTimeoutMs) / 1000 }]);
    expect(kinds(events)).not.toContain('completed');
  });

  it('help: shown until closed, and the time it was open', async () => {
    const h = createHarness();
    const events = track(h);
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'HELP', source: 'screen' });
    await h.flush();
    expect(h.view().overlay).toEqual({ name: 'help' });
    const since = h.clock.now();
    await h.advance(42_000);
    expect(tracker.helpWaitingSince()).toBe(since);
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    expect(h.view().overlay).toBeUndefined();
    expect(events.filter((e) => e.kind === 'help-answered')).toEqual([{ kind: 'help-answered', seconds: 42 }]);
    expect(tracker.helpWaitingSince()).toBeUndefined();
  });
});
