/**
 * Role (document driver core, shared by the serial and HID scanner drivers): device status and
 * its listeners, the hand-over of decoded scans to `read()`, and the pump that feeds a codec and
 * ends a code on the idle gap. Transport-free, so each driver is just "open the port or device,
 * feed the codec, deliver frames".
 */
import type { DeviceStatus, Fault, ScanResult, ScanReadOptions } from '../types';
import type { DeviceState } from '../../domain/devices';
import { notOpenFault } from '../errors';
import type { DeviceLog } from '../log';
import { addFrame, type ScanFrame, type StreamCodec } from './codec';

export interface ScannerCoreOptions {
  readonly driver: string;
  readonly log: DeviceLog;
  /**
   * A code scanned while nobody is reading (the citizen is quick) is kept this long and handed
   * to the next read; older ones are stale (the previous citizen's card) and dropped.
   */
  readonly keepEarlyScanMs?: number;
  readonly now?: () => number;
}

interface PendingRead {
  readonly resolve: (result: ScanResult) => void;
  readonly cleanup: () => void;
}

export class ScannerCore {
  private current: DeviceStatus;
  private readonly listeners = new Set<(status: DeviceStatus) => void>();
  private early: { readonly text: string; readonly at: number } | undefined;
  private pending: PendingRead | undefined;
  private lastFault: Fault | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ScannerCoreOptions) {
    this.current = { kind: 'document', driver: options.driver, state: 'disconnected' };
    this.now = options.now ?? (() => performance.now());
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setState(state: DeviceState, detail?: string): void {
    const was = this.current.state;
    this.current = { kind: 'document', driver: this.options.driver, state, ...(detail === undefined ? {} : { detail }) };
    // A fault is logged (with its reason) where it is recorded, in fail().
    if (state !== 'busy' && was !== 'busy' && state !== was && state !== 'fault') this.options.log.info({ state, was, detail }, `document scanner ${state}`);
    for (const listener of this.listeners) listener(this.current);
  }

  /** A frame from the codec. */
  deliver(frame: ScanFrame): void {
    if (frame.kind === 'discarded') {
      // The length only: a scan is a citizen's ID card, not something to copy into logs.
      const bytes = frame.length ?? frame.bytes.length;
      const codes = frame.count ?? 1;
      this.options.log.debug({ reason: frame.reason, bytes, ...(codes > 1 ? { codes } : {}) }, 'scan discarded');
      this.settle({ kind: 'fault', reason: 'protocol', message: `scan discarded: ${frame.reason} (${codes > 1 ? `${codes} codes, ` : ''}${bytes} bytes)` });
      return;
    }
    if (this.settle({ kind: 'text', text: frame.text })) return;
    this.early = { text: frame.text, at: this.now() };
    this.options.log.debug({ keepMs: this.options.keepEarlyScanMs ?? 3000 }, 'scan arrived before a read: kept for the next one');
  }

  /** The port or device failed (unplugged, closed under us): fail the waiting read, remember why. */
  fail(fault: Fault): void {
    this.early = undefined;
    if (fault.reason !== 'aborted') {
      this.lastFault = fault;
      this.options.log.warn({ reason: fault.reason, message: fault.message }, 'document scanner fault');
    }
    this.settle(fault);
  }

  read(opts: ScanReadOptions): Promise<ScanResult> {
    if (this.current.state !== 'ready') {
      return Promise.resolve(notOpenFault(`the scanner (${this.current.state})`, this.lastFault));
    }
    if (opts.signal?.aborted) return Promise.resolve(aborted());
    const early = this.early;
    this.early = undefined;
    if (early && this.now() - early.at <= (this.options.keepEarlyScanMs ?? 3000)) return Promise.resolve({ kind: 'text', text: early.text });
    // One reader at a time: a new read supersedes (and aborts) the previous one.
    this.settle(aborted());
    return new Promise<ScanResult>((resolve) => {
      const timer = setTimeout(() => this.settle({ kind: 'timeout' }), opts.waitMs);
      const onAbort = () => this.settle(aborted());
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      // An idle listen keeps nobody waiting: the scanner is still `ready` to the world.
      if (opts.idle !== true) this.setState('busy');
      this.pending = {
        resolve,
        cleanup: () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
        },
      };
    });
  }

  /** Opened again: the last fault is history. */
  opened(detail: string): void {
    this.lastFault = undefined;
    this.setState('ready', detail);
  }

  /** Resolve the waiting read, if any; true when there was one. */
  private settle(result: ScanResult): boolean {
    const pending = this.pending;
    if (!pending) return false;
    this.pending = undefined;
    pending.cleanup();
    if (this.current.state === 'busy') this.setState('ready');
    pending.resolve(result);
    return true;
  }
}

function aborted(): Fault {
  return { kind: 'fault', reason: 'aborted', message: 'read cancelled' };
}

/**
 * Feeds a codec and hands complete scans to the core, and ends a code when the line has been
 * idle past the codec's deadline: a scanner sends no "end" for codes without a suffix, and a
 * half-read code must not sit in the buffer waiting for the next citizen's card.
 */
/** What a scanner's line has carried and held: for technicians, and for the tests of its bounds (issue #13). */
export interface ScannerLineStats {
  /** Bytes (or report bytes) read from the device, in how many reads. */
  readonly bytesIn: number;
  readonly reads: number;
  /** Bytes held for the code in progress now, and the most ever: at most one code's worth. */
  readonly heldBytes: number;
  readonly peakHeldBytes: number;
  /** Reads the codec could not handle (it threw) and that were dropped; should stay 0. */
  readonly codecErrors: number;
}

export interface CodecPumpOptions {
  /**
   * Feed a byte stream in pieces of at most this many bytes, so that what one read decodes to
   * (frames, log lines) stays small however large the read (a serial port). Unset: each read is
   * one unit, as a HID report must be.
   */
  readonly sliceBytes?: number;
  /** Replace the codec after it threw (a codec must not, but nothing from a wire may throw past the driver). */
  readonly renew?: () => void;
}

export class CodecPump {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private bytesIn = 0;
  private reads = 0;
  private peakHeld = 0;
  private codecErrors = 0;
  private discarded: ScanFrame | undefined;

  constructor(
    private readonly core: ScannerCore,
    private readonly codec: () => StreamCodec,
    private readonly now: () => number,
    private readonly options: CodecPumpOptions = {},
  ) {}

  feed(bytes: Uint8Array): void {
    this.bytesIn += bytes.length;
    this.reads++;
    const slice = this.options.sliceBytes;
    if (slice === undefined || bytes.length <= slice) this.feedOne(bytes);
    else for (let at = 0; at < bytes.length; at += slice) this.feedOne(bytes.subarray(at, at + slice));
    this.flushDiscarded();
    this.schedule();
  }

  stats(): ScannerLineStats {
    return { bytesIn: this.bytesIn, reads: this.reads, heldBytes: this.codec().held, peakHeldBytes: this.peakHeld, codecErrors: this.codecErrors };
  }

  private feedOne(bytes: Uint8Array): void {
    let frames: ScanFrame[];
    try {
      frames = this.codec().push(bytes, this.now());
    } catch {
      // Nothing from the wire may throw past the driver: start the codec afresh, and tell a
      // waiting read the scan failed.
      this.codecErrors++;
      this.options.renew?.();
      frames = [{ kind: 'discarded', reason: 'malformed', bytes: bytes.slice(0, 16), length: bytes.length }];
    }
    this.peakHeld = Math.max(this.peakHeld, this.codec().held);
    for (const frame of frames) {
      if (frame.kind === 'discarded') {
        // Held back and joined with the next discards of this read: one report (and one log
        // line) for a read full of junk, however it was sliced.
        const joined: ScanFrame[] = this.discarded ? [this.discarded] : [];
        addFrame(joined, frame);
        if (joined.length > 1) this.core.deliver(joined[0] ?? frame);
        this.discarded = joined[joined.length - 1];
        continue;
      }
      this.flushDiscarded();
      this.core.deliver(frame);
    }
  }

  private flushDiscarded(): void {
    const d = this.discarded;
    this.discarded = undefined;
    if (d) this.core.deliver(d);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.stop();
    const deadline = this.codec().deadline();
    if (deadline === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const frame of this.codec().idle(this.now())) this.core.deliver(frame);
      this.schedule();
    }, Math.max(0, deadline - this.now()) + 1);
  }
}
