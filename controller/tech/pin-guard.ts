/**
 * How often the technician's PIN may be tried. Two limits, both on one clock:
 *  - a rate limit: one attempt per `minGapMs` (a person types a PIN in seconds; a program
 *    guessing would try thousands a second);
 *  - a lockout: after `maxFailures` wrong PINs in a row, none is checked for `lockoutMs`.
 * A right PIN clears the count. At six digits, five tries per five minutes is about three years
 * of guessing on average.
 *
 * The guard counts; it does not check PINs or write the audit (access.ts does both).
 */

export interface PinGuardOptions {
  readonly maxFailures: number;
  readonly lockoutMs: number;
  readonly minGapMs: number;
  readonly now?: () => number;
}

export type Admission = { readonly ok: true } | { readonly ok: false; readonly reason: 'locked-out' | 'rate-limited'; readonly retryAt: number };

export interface GuardState {
  /** Locked out until then (ms since the epoch), if locked out now. */
  readonly lockedUntil?: number;
  /** Wrong PINs that may still be tried before the lockout. */
  readonly attemptsLeft: number;
}

export interface PinGuard {
  /** May an attempt be checked now? When yes, the attempt is counted against the rate limit. */
  admit(): Admission;
  /** The PIN was wrong. */
  failed(): GuardState;
  /** The PIN was right: the count of wrong ones starts again. */
  succeeded(): void;
  state(): GuardState;
}

export function createPinGuard(opts: PinGuardOptions): PinGuard {
  const now = opts.now ?? Date.now;
  let failures = 0;
  let lockedUntil: number | undefined;
  let lastAttempt: number | undefined;

  const state = (): GuardState => {
    const t = now();
    if (lockedUntil !== undefined && t >= lockedUntil) {
      lockedUntil = undefined;
      failures = 0;
    }
    return lockedUntil === undefined ? { attemptsLeft: opts.maxFailures - failures } : { lockedUntil, attemptsLeft: 0 };
  };

  return {
    admit() {
      const s = state();
      if (s.lockedUntil !== undefined) return { ok: false, reason: 'locked-out', retryAt: s.lockedUntil };
      const t = now();
      if (lastAttempt !== undefined && t - lastAttempt < opts.minGapMs) return { ok: false, reason: 'rate-limited', retryAt: lastAttempt + opts.minGapMs };
      lastAttempt = t;
      return { ok: true };
    },
    failed() {
      state();
      failures += 1;
      if (failures >= opts.maxFailures) lockedUntil = now() + opts.lockoutMs;
      return state();
    },
    succeeded() {
      failures = 0;
      lockedUntil = undefined;
    },
    state,
  };
}
