import type { OutboxSummary } from '../store/outbox';
import type { SyncLoopState, SyncStatus } from '../sync/loop';

/**
 * What /healthz says about the outbox and sync: how many packets wait and since when, what the
 * centre has acknowledged, when sync last succeeded and what went wrong last. Counts and times
 * only: nothing that leads to a citizen (issue #11).
 */
export interface SyncHealth {
  /** A sync section is configured. */
  readonly enabled: boolean;
  /** off: no sync section (packets leave on media); misconfigured: see lastError. */
  readonly state: 'off' | 'misconfigured' | SyncLoopState;
  /** `host:port` of the receiver, when configured. */
  readonly receiver: string | null;
  /** Not yet handed to the receiver (or refused by it). */
  readonly pending: number;
  /** Handed to the receiver, no verified acknowledgement yet. */
  readonly awaitingAck: number;
  /** Acknowledged by the centre (the ack verified and stored on this kiosk). */
  readonly acked: number;
  /** Acknowledged and past the retention period: the sealed bytes are gone from this kiosk. */
  readonly purged: number;
  /** Age of the oldest enrollment not yet acknowledged, in seconds. */
  readonly oldestPendingAgeS: number | null;
  /** When this kiosk last stored a verified ack. */
  readonly lastSuccessAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastError: { readonly at: string; readonly message: string } | null;
  readonly consecutiveFailures: number;
  /** The next attempt: the end of a backoff, or the next packet due. */
  readonly nextAttemptAt: string | null;
}

/** What waits in the outbox: the count and the age of the oldest, for /healthz and /metrics alike. */
export function outboxBacklog(summary: Pick<OutboxSummary, 'pending' | 'oldestPendingCreatedAt'>, now: number): { readonly pending: number; readonly oldestPendingAgeS: number | null } {
  const oldest = summary.oldestPendingCreatedAt === null ? null : Date.parse(summary.oldestPendingCreatedAt);
  return { pending: summary.pending, oldestPendingAgeS: oldest === null || Number.isNaN(oldest) ? null : Math.max(0, Math.round((now - oldest) / 1000)) };
}

export function syncHealth(input: {
  readonly summary: OutboxSummary;
  readonly status: SyncStatus | null;
  readonly configured: { readonly receiver: string; readonly problem: string | null } | null;
  readonly now: number;
}): SyncHealth {
  const { summary, status, configured, now } = input;
  const problem = configured?.problem ?? null;
  const errors = [status?.lastError ?? null, summary.lastError, problem === null ? null : { at: new Date(now).toISOString(), message: problem }].filter(
    (e): e is { at: string; message: string } => e !== null,
  );
  const latestError = errors.reduce<{ at: string; message: string } | null>((latest, e) => (latest === null || e.at > latest.at ? e : latest), null);
  // A receiver's reason may name a record id; at the centre that leads to a citizen (issue #11).
  const lastError = latestError === null ? null : { at: latestError.at, message: latestError.message.replace(RECORD_ID, '<record>') };
  const backlog = outboxBacklog(summary, now);
  return {
    enabled: configured !== null,
    state: configured === null ? 'off' : problem !== null ? 'misconfigured' : (status?.state ?? 'stopped'),
    receiver: configured?.receiver ?? null,
    pending: backlog.pending,
    awaitingAck: summary.sent,
    acked: summary.acked,
    purged: summary.purged,
    oldestPendingAgeS: backlog.oldestPendingAgeS,
    lastSuccessAt: latest(summary.lastAckAt, status?.lastSuccessAt ?? null),
    lastAttemptAt: status?.lastAttemptAt ?? null,
    lastError,
    consecutiveFailures: status?.consecutiveFailures ?? 0,
    nextAttemptAt: status?.retryAt ?? (configured !== null && problem === null ? summary.nextAttemptAt : null),
  };
}

const RECORD_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
