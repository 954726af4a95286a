import type { DeviceStatus, Fault, ScanResult } from '../types';
import type { ScanFrame } from './frames';
import type { DeviceState } from '../../domain/devices';

/**
 * What the serial and HID scanner drivers share: device status and its listeners, and the
 * hand-over of decoded scans to `read()`. Kept small and transport-free so each driver is just
 * "open the link, feed the codec, deliver frames".
 */
export interface ScannerCoreOptions {
  readonly driver: string;
  /**
   * A code scanned while nobody is reading (the citizen is quick) is kept this long and handed
   * to the next read; older ones are stale (the previous citizen's card) and dropped.
   */
  readonly keepEarlyScanMs?: number;
  readonly now?: () => number;
  /** Discarded frames and other driver events, for logs; the driver never prints. */
  readonly log?: (event: string, detail: Readonly<Record<string, unknown>>) => void;
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
    this.current = { kind: 'document', driver: this.options.driver, state, ...(detail === undefined ? {} : { detail }) };
    for (const listener of this.listeners) listener(this.current);
  }

  /** A frame from the codec. */
  deliver(frame: ScanFrame): void {
    if (frame.kind === 'discarded') {
      this.options.log?.('scan-discarded', { reason: frame.reason, bytes: frame.bytes.length });
      this.settle({ kind: 'fault', reason: 'protocol', message: `scan discarded: ${frame.reason} (${frame.bytes.length} bytes)` });
      return;
    }
    if (!this.settle({ kind: 'text', text: frame.text })) this.early = { text: frame.text, at: this.now() };
  }

  /** The link failed (unplugged, closed under us): fail the waiting read. */
  fail(fault: Fault): void {
    this.early = undefined;
    this.settle(fault);
  }

  read(opts: { readonly waitMs: number; readonly signal?: AbortSignal }): Promise<ScanResult> {
    if (this.current.state !== 'ready') {
      return Promise.resolve({ kind: 'fault', reason: 'unplugged', message: `scanner is ${this.current.state}` });
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
      this.setState('busy');
      this.pending = {
        resolve,
        cleanup: () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
        },
      };
    });
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

/** What both scanner codecs offer: bytes (or HID reports) in, complete scans out, plus an idle gap. */
export interface StreamCodec {
  push(bytes: Uint8Array, nowMs: number): ScanFrame[];
  idle(nowMs: number): ScanFrame[];
  /** When, if nothing else arrives, the code in progress ends (or is dropped as half-read). */
  deadline(): number | undefined;
}

/**
 * Feeds a codec and hands complete scans to the core, and ends a code when the line has been
 * idle past the codec's deadline: a scanner sends no "end" for codes without a suffix, and a
 * half-read code must not sit in the buffer waiting for the next citizen's card.
 */
export class CodecPump {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly core: ScannerCore,
    private readonly codec: () => StreamCodec,
    private readonly now: () => number,
  ) {}

  feed(bytes: Uint8Array): void {
    for (const frame of this.codec().push(bytes, this.now())) this.core.deliver(frame);
    this.schedule();
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
