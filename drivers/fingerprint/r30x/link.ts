/**
 * Role (r30x extra): the frame-level exchange over the serial kit's transport. Send a command
 * packet, wait for its acknowledgement (or for the data packets that follow it), with a
 * deadline. Everything the line delivers that is not the awaited packet is reported to
 * `onDiscard` for the logs, never dropped silently.
 *
 * This is the small frame-level state machine zwave-js keeps separate from the flow; the
 * driver's task queue makes sure only one exchange is on the line at a time.
 */
import type { Fault } from '../../types';
import { closeFault, CLOSE_GRACE_MS, failureReason, type Closed, type SerialTransport } from '../../serial/transport';
import { R30xDecoder, encodeCommand, type DecodedItem, type Discarded, type R30xPacket } from './codec';
import type { CommandSpec } from './commands';
import { PID } from './protocol';

export type LinkRead =
  | { readonly kind: 'packet'; readonly packet: R30xPacket }
  /** A reply that arrived damaged (bad checksum or cut short). */
  | { readonly kind: 'damaged'; readonly item: Discarded }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed'; readonly closed: Closed }
  | { readonly kind: 'aborted' };

export interface Ack {
  readonly kind: 'ack';
  readonly code: number;
  readonly params: Uint8Array;
  readonly ms: number;
}

/** The outcome of one command: an acknowledgement, or the fault that stood in its way. */
export type Reply = Ack | Fault;

export interface LinkOptions {
  readonly address: number;
  readonly onDiscard?: (item: Discarded) => void;
  readonly now?: () => number;
}

type Waiter = (r: LinkRead) => void;

const aborted: Fault = { kind: 'fault', reason: 'aborted', message: 'cancelled' };

/**
 * Packets nobody has read yet are kept, up to this many; past it the oldest half is discarded,
 * so a module babbling while the kiosk is idle cannot pile them up (issue #13). One read from the
 * port can hold thousands of packets (64 KB of 32-byte data packets is ~1,500), all of which an
 * upload in progress will read, so the bound is well above that: at most 8,192 packets of at
 * most 267 bytes, about 2 MB whatever the module sends.
 */
export const MAX_QUEUED_READS = 8192;

/** What the line holds and has held: for technicians, and for the tests of its bounds. */
export interface LineStats {
  readonly bytesIn: number;
  /** Bytes the decoder holds back now (at most one packet). */
  readonly decoderBytes: number;
  /** The largest the decoder's working buffer has been. */
  readonly peakDecoderBuffer: number;
  readonly queuedReplies: number;
  readonly peakQueuedReplies: number;
  /** Packets and damage reports dropped because nobody read them. */
  readonly droppedReplies: number;
}

export class R30xLink {
  private decoder: R30xDecoder;
  private readonly queue: LinkRead[] = [];
  private waiter: Waiter | undefined;
  private lastRxAt = 0;
  private readonly now: () => number;
  private bytesIn = 0;
  private peakQueued = 0;
  private dropped = 0;

  constructor(
    readonly transport: SerialTransport,
    private readonly opts: LinkOptions,
  ) {
    this.decoder = new R30xDecoder({ address: opts.address });
    this.now = opts.now ?? (() => performance.now());
    transport.onData((bytes) => {
      this.lastRxAt = this.now();
      this.bytesIn += bytes.length;
      let items: DecodedItem[];
      try {
        items = this.decoder.push(bytes);
      } catch {
        // Nothing from the wire may throw past the driver: start the decoder afresh and say so.
        this.decoder = new R30xDecoder({ address: opts.address });
        items = [{ kind: 'discarded', reason: 'junk', bytes: bytes.slice(0, 16), length: bytes.length }];
      }
      this.accept(items);
    });
    transport.onClose((closed) => this.deliver({ kind: 'closed', closed }));
  }

  stats(): LineStats {
    return {
      bytesIn: this.bytesIn,
      decoderBytes: this.decoder.pending,
      peakDecoderBuffer: this.decoder.peakCapacity,
      queuedReplies: this.queue.length,
      peakQueuedReplies: this.peakQueued,
      droppedReplies: this.dropped,
    };
  }

  get isClosed(): boolean {
    return this.transport.closed() !== undefined;
  }

  /** The fault a port that went away (or was closed) means, within the grace a hang-up needs to arrive. */
  async goneFault(): Promise<Fault | undefined> {
    const gone = await this.transport.goneWithin(CLOSE_GRACE_MS);
    return gone ? this.closedFault(gone) : undefined;
  }

  closedFault(closed: Closed): Fault {
    return closeFault(closed, this.transport.path);
  }

  private accept(items: DecodedItem[]): void {
    for (const item of items) {
      if (item.kind === 'packet') this.deliver({ kind: 'packet', packet: item });
      else {
        this.opts.onDiscard?.(item);
        // Junk between packets is noise; a damaged packet may be the reply we wait for.
        if (item.reason !== 'junk') this.deliver({ kind: 'damaged', item });
      }
    }
  }

  private deliver(r: LinkRead): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w(r);
      return;
    }
    // The oldest half goes at once (not one at a time: a babbling module would make every
    // packet cost a shift of the whole queue); a close, which ends the queue, is never dropped.
    if (this.queue.length >= MAX_QUEUED_READS) {
      const old = this.queue.splice(0, MAX_QUEUED_READS / 2);
      let bytes = 0;
      for (const q of old) {
        if (q.kind === 'closed') this.queue.unshift(q);
        else if (q.kind === 'packet') bytes += q.packet.content.length + 11;
        else if (q.kind === 'damaged') bytes += q.item.length;
      }
      this.dropped += old.length;
      this.opts.onDiscard?.({ kind: 'discarded', reason: 'junk', bytes: new Uint8Array(0), length: bytes });
    }
    this.queue.push(r);
    this.peakQueued = Math.max(this.peakQueued, this.queue.length);
  }

  /** The next packet or damage report, or why there is none within `timeoutMs`. */
  read(timeoutMs: number, signal?: AbortSignal): Promise<LinkRead> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    const closed = this.transport.closed();
    if (closed) return Promise.resolve({ kind: 'closed', closed });
    if (signal?.aborted) return Promise.resolve({ kind: 'aborted' });
    return new Promise((resolve) => {
      const finish = (r: LinkRead): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.waiter === finish) this.waiter = undefined;
        resolve(r);
      };
      const onAbort = (): void => finish({ kind: 'aborted' });
      const timer = setTimeout(() => {
        // A packet whose LENGTH was corrupted may be holding real packets hostage: let go of it.
        this.accept(this.decoder.flush());
        const late = this.queue.shift();
        finish(late ?? { kind: 'timeout' });
      }, Math.max(0, timeoutMs));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = finish;
    });
  }

  /** Drop whatever arrived before the command we are about to send (late replies, leftovers). */
  clearInput(): void {
    for (const r of this.queue.splice(0)) {
      if (r.kind === 'packet') this.opts.onDiscard?.({ kind: 'discarded', reason: 'junk', bytes: r.packet.content.slice(0, 16), length: r.packet.content.length + 11 });
    }
  }

  async send(spec: CommandSpec): Promise<{ readonly kind: 'sent' } | Fault> {
    const closed = this.transport.closed();
    if (closed) return this.closedFault(closed);
    const w = await this.transport.write(encodeCommand(spec.instruction, spec.params, this.opts.address));
    if (w.kind === 'error') return { kind: 'fault', reason: failureReason(w), message: `${spec.name}: write failed: ${w.message}` };
    return { kind: 'sent' };
  }

  /** Send a command and wait for its acknowledge packet. */
  async transact(spec: CommandSpec, timeoutMs: number, signal?: AbortSignal): Promise<Reply> {
    this.clearInput();
    const started = this.now();
    const sent = await this.send(spec);
    if (sent.kind !== 'sent') return sent;
    const deadline = started + timeoutMs;
    for (;;) {
      const r = await this.read(deadline - this.now(), signal);
      switch (r.kind) {
        case 'packet':
          if (r.packet.pid !== PID.Ack) continue; // leftovers of an upload we abandoned
          return { kind: 'ack', code: r.packet.content[0] ?? 0xff, params: r.packet.content.subarray(1), ms: this.now() - started };
        case 'damaged':
          return { kind: 'fault', reason: 'protocol', message: `${spec.name}: reply ${r.item.reason} (${r.item.length} bytes)` };
        case 'timeout':
          return { kind: 'fault', reason: 'timeout', message: `${spec.name}: no reply within ${timeoutMs} ms` };
        case 'closed':
          return this.closedFault(r.closed);
        case 'aborted':
          return aborted;
      }
    }
  }

  /**
   * Wait until the line has been quiet for `quietMs` (at most `maxMs`), then forget what came:
   * after a damaged reply or an abandoned upload the module may still be talking.
   */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const until = this.now() + maxMs;
    while (!this.isClosed && this.now() < until) {
      const idle = this.now() - this.lastRxAt;
      if (idle >= quietMs) break;
      await new Promise((r) => setTimeout(r, Math.max(1, quietMs - idle)));
    }
    this.accept(this.decoder.flush());
    this.clearInput();
  }
}
