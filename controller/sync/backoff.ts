/**
 * How long to wait before trying again after the n-th failure in a row: exponential from
 * `initialMs`, capped at `maxMs`, with "equal jitter" (half the step fixed, half random), so a
 * fleet of kiosks that lost the receiver together does not come back in one wave, and no kiosk
 * ever retries sooner than half its step.
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** `failures` ≥ 1; `random` in [0, 1) (injected: tests pass a fixed one). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 40);
  const step = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(step / 2 + (step / 2) * r);
}
