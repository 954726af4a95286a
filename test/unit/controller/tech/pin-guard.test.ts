import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinGuard } from '../../../../controller/tech/pin-guard';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
});
afterEach(() => vi.useRealTimers());

const guard = () => createPinGuard({ maxFailures: 5, lockoutMs: 300_000, minGapMs: 1_000 });

describe('the PIN guard', () => {
  it('takes one attempt per second and refuses the next until the second is up', () => {
    const g = guard();
    expect(g.admit()).toEqual({ ok: true });
    g.failed();
    vi.advanceTimersByTime(999);
    expect(g.admit()).toEqual({ ok: false, reason: 'rate-limited', retryAt: Date.parse('2026-03-01T08:00:01Z') });
    vi.advanceTimersByTime(1);
    expect(g.admit()).toEqual({ ok: true });
  });

  it('locks for five minutes after five wrong PINs in a row, then takes five more', () => {
    const g = guard();
    for (let i = 0; i < 4; i++) {
      expect(g.admit().ok).toBe(true);
      expect(g.failed()).toEqual({ attemptsLeft: 4 - i });
      vi.advanceTimersByTime(1_000);
    }
    expect(g.admit().ok).toBe(true);
    const lockedUntil = Date.now() + 300_000;
    expect(g.failed()).toEqual({ attemptsLeft: 0, lockedUntil });
    vi.advanceTimersByTime(299_999);
    expect(g.admit()).toEqual({ ok: false, reason: 'locked-out', retryAt: lockedUntil });
    vi.advanceTimersByTime(1);
    expect(g.state()).toEqual({ attemptsLeft: 5 });
    expect(g.admit().ok).toBe(true);
  });

  it('starts the count again after a right PIN', () => {
    const g = guard();
    for (let i = 0; i < 4; i++) {
      g.admit();
      g.failed();
      vi.advanceTimersByTime(1_000);
    }
    g.admit();
    g.succeeded();
    expect(g.state()).toEqual({ attemptsLeft: 5 });
  });

  it('does not count a refused attempt as a try (a flood while locked does not extend the lock)', () => {
    const g = guard();
    for (let i = 0; i < 5; i++) {
      g.admit();
      g.failed();
      vi.advanceTimersByTime(1_000);
    }
    const until = g.state().lockedUntil;
    for (let i = 0; i < 100; i++) expect(g.admit().ok).toBe(false);
    expect(g.state().lockedUntil).toBe(until);
  });
});
