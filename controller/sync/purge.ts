import { DEFAULT_RETENTION_HOURS, type SyncConfig } from '../config/schema';
import type { OutboxStore } from '../store/outbox';

/**
 * The one purge path: whichever way a packet's ack came (the sync loop over the network, or
 * `packets import-acks` from a stick), its sealed bytes are removed only through here, once the
 * ack has been stored for the retention period (outbox.ts `purgeAcked`: in small batches, one
 * `packet-purged` audit entry per packet, only for a packet whose stored ack names its bytes).
 */

/** How long an acked packet's sealed bytes are kept: `sync.retentionHours`, or the default without a sync section. */
export function retentionMs(sync: Pick<SyncConfig, 'retentionHours'> | undefined): number {
  return (sync?.retentionHours ?? DEFAULT_RETENTION_HOURS) * 60 * 60 * 1000;
}

/** Purge the packets whose ack was stored at least `retention` ms before `now`; their ids. */
export function purgeExpired(outbox: OutboxStore, retention: number, now: Date): Promise<string[]> {
  return outbox.purgeAcked(new Date(now.getTime() - retention), now);
}
