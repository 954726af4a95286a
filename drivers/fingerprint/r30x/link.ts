/**
 * One command at a time over a transport: send a command packet, wait for its acknowledgement
 * (or for the data packets that follow it), with a deadline. Everything the line delivers that
 * is not the awaited packet is reported to `onDiscard` for the logs, never dropped silently.
 *
 * This is the frame-level state machine zwave-js keeps small and separate from the flow.
 */
import { R30xDecoder, encodeCommand, type DecodedItem, type Discarded, type R30xPacket } from './codec';
import type { CommandSpec } from './commands';
import { PID } from './protocol';
import type { CloseCause, Transport } from './transport';

export type LinkRead =
  | { readonly kind: 'packet'; readonly packet: R30xPacket }
  /** A reply that arrived damaged (bad checksum or cut short). */
  | { readonly kind: 'damaged'; readonly item: Discarded }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'closed'; readonly cause: CloseCause; readonly message: string }
  | { readonly kind: 'aborted' };

/** The outcome of one command: an acknowledgement or the reason there was none. */
export type Reply =
  | { readonly kind: 'ack'; readonly code: number; readonly params: Uint8Array; readonly ms: number }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'unplugged'; readonly message: string }
  | { readonly kind: 'protocol'; readonly message: string }
  | { readonly kind: 'aborted' };

export interface LinkOptions {
  readonly address: number;
  readonly onDiscard?: (item: Discarded) => void;
  readonly now?: () => number;
}

type Waiter = (r: LinkRead) => void;

/** How long a port that has gone silent or refused a write gets to report that it closed. */
export const CLOSE_GRACE_MS = 1000;

export class R30xLink {
  private readonly decoder: R30xDecoder;
  private readonly queue: LinkRead[] = [];
  private waiter: Waiter | undefined;
  private closed: { cause: CloseCause; message: string } | undefined;
  private lastRxAt = 0;
  private readonly now: () => number;

  constructor(
    private readonly transport: Transport,
    private readonly opts: LinkOptions,
  ) {
    this.decoder = new R30xDecoder({ address: opts.address });
    this.now = opts.now ?? (() => performance.now());
    transport.onData((bytes) => {
      this.lastRxAt = this.now();
      this.accept(this.decoder.push(bytes));
    });
    transport.onClose((cause, message) => {
      this.closed = { cause, message };
      this.deliver({ kind: 'closed', cause, message });
    });
  }

  /** A method, not a field read, so the check is made after the await that may have closed us. */
  private closedCause(): CloseCause | undefined {
    return this.closed?.cause;
  }

  get isClosed(): boolean {
    return this.closed !== undefined;
  }

  /**
   * Give the port up to `ms` to report that it closed. A USB adapter pulled mid-transfer first
   * looks like a module gone quiet; the hang-up reaches us a little later (later still on a
   * loaded machine), and the citizen should be told "unplugged", not "timed out".
   */
  async closedWithin(ms: number): Promise<{ cause: CloseCause; message: string } | undefined> {
    const until = this.now() + ms;
    for (;;) {
      if (this.closed) return this.closed;
      if (this.transport.vanished()) return { cause: 'unplugged', message: `${this.transport.path} disappeared (cable pulled?)` };
      if (this.now() >= until) return undefined;
      await new Promise((r) => setTimeout(r, 10));
    }
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
    } else this.queue.push(r);
  }

  /** The next packet or damage report, or why there is none within `timeoutMs`. */
  read(timeoutMs: number, signal?: AbortSignal): Promise<LinkRead> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve({ kind: 'closed', ...this.closed });
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
      if (r.kind === 'packet') this.opts.onDiscard?.({ kind: 'discarded', reason: 'junk', bytes: r.packet.content });
    }
  }

  async send(spec: CommandSpec): Promise<{ kind: 'sent' } | Exclude<Reply, { kind: 'ack' }>> {
    if (this.closed) return this.closed.cause === 'unplugged' ? { kind: 'unplugged', message: this.closed.message } : { kind: 'protocol', message: 'port closed' };
    const w = await this.transport.write(encodeCommand(spec.instruction, spec.params, this.opts.address));
    if (w.kind === 'error') {
      // A write into a port that is going away can fail before its close (and the reason for
      // it) reaches us: wait for that before calling it a protocol error.
      const closed = await this.closedWithin(CLOSE_GRACE_MS);
      return closed?.cause === 'unplugged' ? { kind: 'unplugged', message: w.message } : { kind: 'protocol', message: `write failed: ${w.message}` };
    }
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
          return { kind: 'protocol', message: `${spec.name}: reply ${r.item.reason} (${r.item.bytes.length} bytes)` };
        case 'timeout':
          return { kind: 'timeout', message: `${spec.name}: no reply within ${timeoutMs} ms` };
        case 'closed':
          return r.cause === 'unplugged' ? { kind: 'unplugged', message: r.message } : { kind: 'protocol', message: 'port closed' };
        case 'aborted':
          return { kind: 'aborted' };
      }
    }
  }

  /**
   * Wait until the line has been quiet for `quietMs` (at most `maxMs`), then forget what came:
   * after a damaged reply or an abandoned upload the module may still be talking.
   */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const until = this.now() + maxMs;
    while (!this.closed && this.now() < until) {
      const idle = this.now() - this.lastRxAt;
      if (idle >= quietMs) break;
      await new Promise((r) => setTimeout(r, Math.max(1, quietMs - idle)));
    }
    this.accept(this.decoder.flush());
    this.clearInput();
  }
}
