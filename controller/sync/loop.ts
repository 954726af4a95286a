import type { Logger } from 'pino';
import type { OutboxStore } from '../store/outbox';
import { attemptUpload, type AttemptDeps, type AttemptResult } from './attempt';
import { backoffDelay, type BackoffPolicy } from './backoff';
import { purgeExpired } from './purge';

/**
 * The sync loop: drains the outbox to the receiver one packet at a time, in the background of
 * the kiosk process. It never holds up an enrollment: it only reads packets already committed,
 * its store calls queue behind commits like any other, and a receiver that is down only makes
 * the queue longer.
 *
 * Schedule: a pass sends every due packet, oldest first. A failure of the receiver or the link
 * (5xx, timeout, cut, pin mismatch, an ack that does not verify) ends the pass and closes a
 * gate for an exponential, jittered delay that grows with each failure in a row; a refusal of
 * one packet (4xx) backs off that packet only and the pass goes on. Each packet's own next
 * attempt is durable (outbox.next_attempt_at), so a restart does not hammer the receiver
 * either. Between passes the loop sleeps until the next due packet, at most `pollMs`; a new
 * enrollment wakes it (`nudge`). Acked packets are purged once their retention has passed.
 */

export interface SyncClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(handle: ReturnType<typeof setTimeout>): void;
}

/** The process clock, read at each call (so vitest's fake timers replace it). */
export const systemClock: SyncClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

export interface SyncLoopDeps extends AttemptDeps {
  readonly outbox: OutboxStore;
  readonly backoff: BackoffPolicy;
  readonly pollMs: number;
  /** Sealed bytes are purged this long after their ack was stored. */
  readonly retentionMs: number;
  readonly log: Logger;
  readonly clock?: SyncClock;
  /** In [0, 1); the jitter. */
  readonly random?: () => number;
}

export type SyncLoopState = 'stopped' | 'idle' | 'sending' | 'backing-off';

export interface SyncStatus {
  readonly state: SyncLoopState;
  /** `host:port` of the receiver. */
  readonly receiver: string;
  readonly lastAttemptAt: string | null;
  /** The last verified ack stored by this process. */
  readonly lastSuccessAt: string | null;
  readonly lastError: { readonly at: string; readonly message: string } | null;
  /** Receiver or link failures in a row. */
  readonly consecutiveFailures: number;
  /** Failed attempts since this process started (a counter for /metrics). */
  readonly failuresThisRun: number;
  /** While backing off: when the receiver is tried again. */
  readonly retryAt: string | null;
  /** Acked by the receiver since this process started. */
  readonly ackedThisRun: number;
  readonly bytesAckedThisRun: number;
}

export interface SyncLoop {
  start(): void;
  /** Something was committed: look at the outbox now, unless backing off. */
  nudge(): void;
  /** Stop: abort an upload in flight and wait for the pass to end. */
  stop(): Promise<void>;
  /** One pass now, without waiting for the timer (a backoff gate still holds); resolves when it ended. */
  runOnce(): Promise<void>;
  /** Resolves when no pass is in flight (tests, and a clean stop). */
  idle(): Promise<void>;
  status(): SyncStatus;
}

export function createSyncLoop(deps: SyncLoopDeps): SyncLoop {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const iso = (ms: number): string => new Date(ms).toISOString();
  const nowDate = (): Date => new Date(clock.now());

  let stopped = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let abort = new AbortController();
  let gateUntil = 0;
  let consecutive = 0;
  let failures = 0;
  let sending = false;
  let lastAttemptAt: string | null = null;
  let lastSuccessAt: string | null = null;
  let lastError: { at: string; message: string } | null = null;
  let acked = 0;
  let bytes = 0;

  const noteError = (message: string): void => {
    lastError = { at: iso(clock.now()), message };
  };

  const schedule = (ms: number): void => {
    if (timer !== undefined) clock.clearTimeout(timer);
    // Not unref'd: a started loop keeps its process alive until stop(), wherever it runs.
    timer = clock.setTimeout(tick, Math.max(0, ms));
  };

  const nextDelay = async (): Promise<number> => {
    const now = clock.now();
    const next = await deps.outbox.nextAttemptAt();
    const due = next === null ? Number.POSITIVE_INFINITY : Date.parse(next);
    return Math.max(Math.min(due, now + deps.pollMs), gateUntil) - now;
  };

  const purge = async (): Promise<void> => {
    const now = clock.now();
    const ids = await purgeExpired(deps.outbox, deps.retentionMs, new Date(now));
    if (ids.length > 0) deps.log.info({ purged: ids.length }, 'sealed packets purged after their acknowledgement and retention period');
  };

  const onResult = async (item: { id: string; attempts: number; size: number }, result: AttemptResult): Promise<'continue' | 'stop'> => {
    const now = clock.now();
    switch (result.kind) {
      case 'acked':
        consecutive = 0;
        gateUntil = 0;
        lastSuccessAt = iso(now);
        acked += 1;
        bytes += item.size;
        deps.log.info({ enrollmentId: item.id, receivedAt: result.receivedAt }, 'packet acknowledged by the central receiver');
        return 'continue';
      case 'refused':
      case 'damaged': {
        // The receiver is up (or the fault is ours): this packet waits, the others go on.
        if (result.kind === 'refused') {
          consecutive = 0;
          gateUntil = 0;
        }
        const delay = result.kind === 'damaged' ? deps.backoff.maxMs : backoffDelay(item.attempts + 1, deps.backoff, random);
        // A refused packet is not at the receiver: it stays 'pending', not 'sent'.
        await deps.outbox.attemptFailed(item.id, { at: new Date(now), error: result.message, uploaded: false, nextAttemptAt: new Date(now + delay) });
        noteError(result.message);
        deps.log.warn({ enrollmentId: item.id, error: result.message, retryInMs: delay }, 'packet not accepted; it stays in the outbox');
        return 'continue';
      }
      case 'receiver-failed': {
        consecutive += 1;
        failures += 1;
        const gate = backoffDelay(consecutive, deps.backoff, random);
        gateUntil = now + gate;
        const own = backoffDelay(item.attempts + 1, deps.backoff, random);
        await deps.outbox.attemptFailed(item.id, { at: new Date(now), error: result.message, uploaded: result.uploaded, nextAttemptAt: new Date(now + own) });
        noteError(result.message);
        deps.log.warn({ enrollmentId: item.id, error: result.message, failuresInARow: consecutive, retryInMs: gate }, 'sync failed; backing off');
        return 'stop';
      }
      case 'aborted':
      case 'gone':
        return result.kind === 'aborted' ? 'stop' : 'continue';
    }
  };

  const pass = async (signal: AbortSignal): Promise<void> => {
    sending = true;
    try {
      await purge();
      for (;;) {
        if (signal.aborted || clock.now() < gateUntil) break;
        const [item] = await deps.outbox.due(nowDate(), 1, new Date(clock.now() + deps.backoff.maxMs));
        if (!item) break;
        lastAttemptAt = iso(clock.now());
        const result = await attemptUpload(deps, item, nowDate, signal);
        if ((await onResult(item, result)) === 'stop') break;
      }
      await purge();
    } finally {
      sending = false;
    }
  };

  /**
   * One pass with its errors caught. A failing store (disk full) is noted and backs off like a
   * failing receiver, so the loop never spins; an ack it could not store is asked for again.
   */
  const guardedPass = (signal: AbortSignal): Promise<void> =>
    pass(signal).catch((err: unknown) => {
      const message = `sync pass failed: ${err instanceof Error ? err.message : String(err)}`;
      consecutive += 1;
      failures += 1;
      gateUntil = clock.now() + backoffDelay(consecutive, deps.backoff, random);
      noteError(message);
      deps.log.error({ err }, message);
    });

  /** `running` covers a pass and the scheduling after it, so idle() means "nothing in flight". */
  const track = (work: Promise<void>): Promise<void> => {
    const tracked = work.finally(() => {
      if (running === tracked) running = undefined;
    });
    running = tracked;
    return tracked;
  };

  const tick = (): void => {
    timer = undefined;
    if (stopped || running !== undefined) return;
    const signal = abort.signal;
    void track(
      (async () => {
        await guardedPass(signal);
        if (stopped) return;
        const delay = again ? 0 : await nextDelay().catch(() => deps.pollMs);
        again = false;
        if (!stopped) schedule(delay);
      })(),
    );
  };

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      abort = new AbortController();
      schedule(0);
    },
    nudge() {
      if (stopped) return;
      if (running !== undefined) again = true;
      else if (clock.now() >= gateUntil) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      abort.abort();
      while (running !== undefined) await running;
    },
    async runOnce() {
      while (running !== undefined) await running;
      if (abort.signal.aborted) abort = new AbortController();
      await track(guardedPass(abort.signal));
    },
    async idle() {
      while (running !== undefined) await running;
    },
    status: () => ({
      state: stopped ? 'stopped' : sending ? 'sending' : clock.now() < gateUntil ? 'backing-off' : 'idle',
      receiver: deps.transport.receiver,
      lastAttemptAt,
      lastSuccessAt,
      lastError,
      consecutiveFailures: consecutive,
      failuresThisRun: failures,
      retryAt: clock.now() < gateUntil ? iso(gateUntil) : null,
      ackedThisRun: acked,
      bytesAckedThisRun: bytes,
    }),
  };
}
