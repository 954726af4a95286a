import { createHash, type KeyObject } from 'node:crypto';
import type { KioskKeys } from '../packet/keys';
import type { OutboxItem, OutboxStore } from '../store/outbox';
import {
  HEADERS,
  ackReplySchema,
  formatAuditPoint,
  packetPath,
  refusalSchema,
  signRequest,
  signedRequest,
  verifyAck,
} from './protocol';
import type { SyncTransport } from './transport';

/**
 * One packet, one attempt: read the sealed bytes, check they are still what was committed, send
 * them with the audit head, and store the receiver's acknowledgement once it verified. What the
 * outcome means for the schedule (backoff, which failures stop the pass) is loop.ts's business.
 */

export type AttemptResult =
  /** A verified ack is stored: the packet is 'acked'. */
  | { readonly kind: 'acked'; readonly receivedAt: string }
  /** The receiver answered and refused this packet (4xx), with its reason. */
  | { readonly kind: 'refused'; readonly message: string; readonly uploaded: boolean }
  /** No usable answer: the receiver or the link failed (5xx, timeout, cut, pin, bad ack). */
  | { readonly kind: 'receiver-failed'; readonly message: string; readonly uploaded: boolean }
  /** The bytes on this kiosk no longer hash to what was committed: never sent. */
  | { readonly kind: 'damaged'; readonly message: string }
  /** Sync is stopping; nothing to record. */
  | { readonly kind: 'aborted' }
  /** The packet is no longer held (purged meanwhile). */
  | { readonly kind: 'gone' };

export interface AttemptDeps {
  readonly kioskId: string;
  readonly keys: KioskKeys;
  readonly readSealedPacket: (id: string) => Promise<Uint8Array | null>;
  readonly outbox: OutboxStore;
  readonly transport: SyncTransport;
  /** The receiver's Ed25519 acknowledgement key (sync.receiverAckPublicKey). */
  readonly receiverAckKey: KeyObject;
  readonly userAgent: string;
}

export async function attemptUpload(deps: AttemptDeps, item: OutboxItem, at: () => Date, signal: AbortSignal): Promise<AttemptResult> {
  const sealed = await deps.readSealedPacket(item.id);
  if (sealed === null) return { kind: 'gone' };
  const sha256 = createHash('sha256').update(sealed).digest('hex');
  if (sha256 !== item.packetSha256) {
    return { kind: 'damaged', message: 'the sealed packet on this kiosk no longer matches the hash committed with it (damaged storage?); it was not sent' };
  }
  await deps.outbox.beginAttempt(item.id, at());

  const head = await deps.outbox.auditHead();
  const anchor = await deps.outbox.auditAnchor();
  const request = signedRequest({ kioskId: deps.kioskId, recordId: item.id, packetSha256: sha256, head, anchor });
  const outcome = await deps.transport.upload({
    path: packetPath(deps.kioskId, item.id),
    headers: {
      'content-type': 'application/octet-stream',
      'user-agent': deps.userAgent,
      [HEADERS.sha256]: sha256,
      [HEADERS.auditHead]: formatAuditPoint(head),
      [HEADERS.auditAnchor]: formatAuditPoint(anchor),
      [HEADERS.signature]: signRequest(request, deps.keys.privateKey),
    },
    body: sealed,
    signal,
  });

  if (outcome.kind === 'failed') {
    return outcome.error === 'aborted' ? { kind: 'aborted' } : { kind: 'receiver-failed', message: outcome.detail, uploaded: outcome.uploaded };
  }
  const { status, json, uploaded } = outcome;
  if (status === 200 || status === 201) {
    const reply = ackReplySchema.safeParse(json);
    if (!reply.success) return { kind: 'receiver-failed', message: `the receiver answered ${status} without a readable acknowledgement`, uploaded };
    const checked = verifyAck(reply.data, { recordId: item.id, kioskId: deps.kioskId, packetSha256: sha256 }, deps.receiverAckKey);
    if (!checked.ok) return { kind: 'receiver-failed', message: `acknowledgement not accepted: ${checked.reason}`, uploaded };
    const { ack, ackJson, signature } = checked.value;
    await deps.outbox.recordAck(
      item.id,
      {
        packetSha256: sha256,
        receivedAt: ack.receivedAt,
        receiverKeyId: ack.receiverKeyId,
        ackJson,
        signature,
        via: 'network',
        receiverHeadSeq: reply.data.auditHead?.seq ?? null,
      },
      at(),
    );
    return { kind: 'acked', receivedAt: ack.receivedAt };
  }
  // 408 and 429 come from proxies and busy receivers: about the link, not this packet.
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    const refusal = refusalSchema.safeParse(json);
    const why = refusal.success ? `${refusal.data.error}: ${refusal.data.reason}` : `HTTP ${status}`;
    return { kind: 'refused', message: `the receiver refused this packet (${why})`, uploaded };
  }
  const refusal = refusalSchema.safeParse(json);
  return { kind: 'receiver-failed', message: `the receiver answered HTTP ${status}${refusal.success ? ` (${refusal.data.reason})` : ''}`, uploaded };
}
