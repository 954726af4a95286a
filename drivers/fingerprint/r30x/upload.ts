/**
 * Role (r30x extra): UpImage. The module acknowledges, then streams the image buffer as data
 * packets (PID 0x02) ending with an end-of-data packet (PID 0x08). There is no per-packet
 * retransmission in the protocol, so a damaged packet means asking for the whole image again;
 * the module keeps it in its ImageBuffer until the next GenImg.
 */
import type { Fault } from '../../types';
import type { ProgressFn } from '../../../domain/devices';
import { commands } from './commands';
import type { R30xLink } from './link';
import { BITS_PER_BYTE_ON_WIRE, CONFIRMATION, PACKET_OVERHEAD_BYTES, PID, confirmationName } from './protocol';

export type UploadResult = { readonly kind: 'uploaded'; readonly bytes: Uint8Array; readonly packets: number; readonly attempts: number } | Fault;

export interface UploadOptions {
  readonly expectedBytes: number;
  readonly packetSize: number;
  readonly baud: number;
  readonly ackTimeoutMs: number;
  /** Slack on top of one packet's wire time before we call the module silent. */
  readonly interPacketSlackMs: number;
  readonly retries: number;
  readonly onProgress?: ProgressFn;
  readonly signal?: AbortSignal;
}

type AttemptResult = UploadResult | { readonly kind: 'damaged'; readonly message: string };

async function attempt(link: R30xLink, o: UploadOptions): Promise<AttemptResult> {
  const ack = await link.transact(commands.upImage(), o.ackTimeoutMs, o.signal);
  if (ack.kind === 'fault' && ack.reason === 'timeout') {
    // Silence may be a pulled cable whose hang-up has not reached us yet.
    const gone = await link.goneFault();
    if (gone) return gone;
  }
  if (ack.kind === 'fault') return ack.reason === 'protocol' ? { kind: 'damaged', message: ack.message } : ack;
  if (ack.code !== CONFIRMATION.OK) return { kind: 'fault', reason: 'device-error', message: `UpImage refused: ${confirmationName(ack.code)}` };

  const packetWireMs = ((o.packetSize + PACKET_OVERHEAD_BYTES) * BITS_PER_BYTE_ON_WIRE * 1000) / o.baud;
  const timeoutMs = packetWireMs + o.interPacketSlackMs;
  // Bounded whatever the module sends (issue #13): the image is collected into a buffer of its
  // size, and a module that streams on past it (or sends nothing but damaged packets) is given
  // up on after a few packets more than an image takes, not read for ever.
  const bytes = new Uint8Array(o.expectedBytes);
  const mostItems = Math.ceil(o.expectedBytes / Math.max(1, o.packetSize)) + 8;
  let items = 0;
  let received = 0;
  let packets = 0;
  let damage: string | undefined;
  // A part of a fingerprint given up on is overwritten, not left for the collector.
  const wiped = (r: AttemptResult): AttemptResult => {
    bytes.fill(0);
    return r;
  };
  const giveUp = (message: string): AttemptResult => wiped({ kind: 'damaged', message });
  for (;;) {
    if (++items > mostItems) return giveUp(damage ?? `the module sent more than an image (${mostItems} packets) without ending it`);
    const r = await link.read(timeoutMs, o.signal);
    if (r.kind === 'aborted') return wiped({ kind: 'fault', reason: 'aborted', message: 'cancelled' });
    if (r.kind === 'closed') return wiped(link.closedFault(r.closed));
    if (r.kind === 'timeout') {
      const gone = await link.goneFault();
      if (gone) return wiped(gone);
      return giveUp(damage ?? `module went quiet after ${packets} data packets (${received}/${o.expectedBytes} bytes)`);
    }
    if (r.kind === 'damaged') {
      // Keep reading to the end packet so the line is in step for the retry.
      damage ??= `data packet ${packets + 1} ${r.item.reason}`;
      continue;
    }
    const { pid, content } = r.packet;
    if (pid !== PID.Data && pid !== PID.EndOfData) {
      damage ??= `unexpected packet 0x${pid.toString(16)} during upload`;
      continue;
    }
    if (received + content.length > o.expectedBytes) return giveUp(damage ?? `the module sent more than the image's ${o.expectedBytes} bytes`);
    bytes.set(content, received);
    received += content.length;
    packets++;
    o.onProgress?.(Math.min(1, received / o.expectedBytes));
    if (pid === PID.EndOfData) break;
  }
  if (damage) return giveUp(damage);
  if (received !== o.expectedBytes) return giveUp(`image had ${received} bytes, expected ${o.expectedBytes}`);
  return { kind: 'uploaded', bytes, packets, attempts: 1 };
}

export async function uploadImage(link: R30xLink, o: UploadOptions): Promise<UploadResult> {
  let last = 'no attempt';
  for (let i = 0; i <= o.retries; i++) {
    const r = await attempt(link, o);
    if (r.kind === 'uploaded') return { ...r, attempts: i + 1 };
    if (r.kind !== 'damaged') return r;
    last = r.message;
    o.onProgress?.(0);
    await link.settle(Math.max(50, o.interPacketSlackMs / 2), 2000);
  }
  return { kind: 'fault', reason: 'protocol', message: `UpImage failed after ${o.retries + 1} attempts: ${last}` };
}
