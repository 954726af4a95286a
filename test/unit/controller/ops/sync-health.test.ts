import { describe, expect, it } from 'vitest';
import { syncHealth } from '../../../../controller/ops/sync-health';
import type { OutboxSummary } from '../../../../controller/store/outbox';
import type { SyncStatus } from '../../../../controller/sync/loop';

const NOW = Date.parse('2025-03-14T10:00:00.000Z');
const summary: OutboxSummary = {
  pending: 2,
  sent: 1,
  acked: 5,
  purged: 3,
  oldestPendingCreatedAt: '2025-03-14T09:00:00.000Z',
  lastAckAt: '2025-03-14T08:00:00.000Z',
  lastError: { at: '2025-03-14T09:30:00.000Z', message: 'HTTP 503' },
  nextAttemptAt: '2025-03-14T10:00:05.000Z',
};
const status: SyncStatus = {
  state: 'backing-off',
  receiver: 'central:8443',
  lastAttemptAt: '2025-03-14T09:59:00.000Z',
  lastSuccessAt: null,
  lastError: { at: '2025-03-14T09:59:00.000Z', message: 'cannot reach central:8443: ECONNREFUSED' },
  consecutiveFailures: 4,
  failuresThisRun: 4,
  retryAt: '2025-03-14T10:01:00.000Z',
  ackedThisRun: 0,
  bytesAckedThisRun: 0,
};

describe('sync in /healthz', () => {
  it('with sync running: depth by state, oldest pending age, last success, the latest error, the next attempt', () => {
    expect(syncHealth({ summary, status, configured: { receiver: 'central:8443', problem: null }, now: NOW })).toEqual({
      enabled: true,
      state: 'backing-off',
      receiver: 'central:8443',
      pending: 2,
      awaitingAck: 1,
      acked: 5,
      purged: 3,
      oldestPendingAgeS: 3600,
      lastSuccessAt: '2025-03-14T08:00:00.000Z',
      lastAttemptAt: '2025-03-14T09:59:00.000Z',
      lastError: { at: '2025-03-14T09:59:00.000Z', message: 'cannot reach central:8443: ECONNREFUSED' },
      consecutiveFailures: 4,
      nextAttemptAt: '2025-03-14T10:01:00.000Z',
    });
  });

  it('after a restart, before any attempt: the durable last error and last ack from the database', () => {
    const fresh: SyncStatus = { ...status, state: 'idle', lastError: null, lastAttemptAt: null, consecutiveFailures: 0, retryAt: null };
    expect(syncHealth({ summary, status: fresh, configured: { receiver: 'central:8443', problem: null }, now: NOW })).toMatchObject({
      lastError: { at: '2025-03-14T09:30:00.000Z', message: 'HTTP 503' },
      lastSuccessAt: '2025-03-14T08:00:00.000Z',
      nextAttemptAt: '2025-03-14T10:00:05.000Z',
    });
  });

  it('with sync off: the outbox still shows, nothing is said to be on its way', () => {
    expect(syncHealth({ summary: { ...summary, lastError: null }, status: null, configured: null, now: NOW })).toMatchObject({
      enabled: false,
      state: 'off',
      receiver: null,
      pending: 2,
      oldestPendingAgeS: 3600,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('with a sync section that cannot be used: misconfigured, and why', () => {
    const h = syncHealth({ summary, status: null, configured: { receiver: 'central:8443', problem: 'sync.pinnedCert: cannot read /etc/x.pem' }, now: NOW });
    expect(h).toMatchObject({ enabled: true, state: 'misconfigured', lastError: { message: 'sync.pinnedCert: cannot read /etc/x.pem' }, nextAttemptAt: null });
  });

  it('names no record: a receiver reason that quotes a record id is shown without it', () => {
    const reason = 'the receiver refused this packet (replayed: record 6f1c1f0e-8a55-4f7a-9a43-2f1d1b7b9c10 is already stored with other bytes)';
    const h = syncHealth({ summary, status: { ...status, lastError: { at: '2025-03-14T09:59:30.000Z', message: reason } }, configured: { receiver: 'c:1', problem: null }, now: NOW });
    expect(h.lastError?.message).toBe('the receiver refused this packet (replayed: record <record> is already stored with other bytes)');
  });

  it('with nothing waiting: no oldest age', () => {
    expect(syncHealth({ summary: { ...summary, pending: 0, sent: 0, oldestPendingCreatedAt: null }, status, configured: { receiver: 'c:1', problem: null }, now: NOW }).oldestPendingAgeS).toBeNull();
  });
});
