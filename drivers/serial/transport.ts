/**
 * Role: the serial kit's transport, the one byte pipe every serial device uses (fingerprint
 * module, serial document scanner, receipt printer, front panel). serialport with an injectable
 * binding, so the same driver runs on a real UART or USB-CDC port (bindings-cpp), a socat pty,
 * or the in-process simulated wire (sim-link.ts).
 *
 * Everything it reports is a value, never a throw, and keeps the OS's own words (ENOENT,
 * EACCES …). It tells a pulled cable from a silent device: the node gone or an error that means
 * "gone" at open, a close with an error or a hang-up while open, or the node vanishing while we
 * wait. This is the one place that decides what a closed port means (`closeFault`).
 */
import { existsSync } from 'node:fs';
import { SerialPortStream } from '@serialport/stream';
import type { Fault } from '../types';
import type { FaultReason } from '../../domain/devices';
import type { Binding } from './serialport-types';

/** Where and how fast: what every serial driver is configured with. */
export interface SerialPortOptions {
  readonly path: string;
  readonly baudRate: number;
  /** serialport's binding; the platform one (real ports, ptys) when absent. The simulated wire passes its own. */
  readonly binding?: Binding;
}

/** Why the port is no longer open: we closed it, or it went away under us. */
export type CloseCause = 'closed' | 'unplugged';
export interface Closed {
  readonly cause: CloseCause;
  /** The OS's words, or what we saw ("end of file on the port"). */
  readonly message: string;
}

export type OpenResult =
  | { readonly kind: 'open'; readonly port: SerialTransport }
  | { readonly kind: 'error'; readonly unplugged: boolean; readonly message: string };

export type WriteResult =
  | { readonly kind: 'written' }
  | { readonly kind: 'error'; readonly unplugged: boolean; readonly message: string };

/** How long a port that refused a write gets to report that it closed. */
export const CLOSE_GRACE_MS = 1000;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** Errors that mean the device node is gone rather than busy or misconfigured. */
const GONE = /ENOENT|ENXIO|ENODEV|EIO|No such file|does not exist|disconnected|unplugged/i;

export function meansGone(message: string): boolean {
  return GONE.test(message);
}

/**
 * What a closed port means to a caller that was using it: a pull is `unplugged`; our own
 * close() is `aborted` (we stopped, nothing is wrong with the device).
 */
export function closeFault(closed: Closed, where: string): Fault {
  return closed.cause === 'unplugged'
    ? { kind: 'fault', reason: 'unplugged', message: `${where} disappeared (${closed.message}): check the cable` }
    : { kind: 'fault', reason: 'aborted', message: `${where} was closed` };
}

/**
 * What an open or a write that failed means: the device node gone is `unplugged`; anything else
 * (busy, no permission, a bad setting) is `protocol`, with the OS text kept in the message.
 */
export function failureReason(r: { readonly unplugged: boolean }): FaultReason {
  return r.unplugged ? 'unplugged' : 'protocol';
}

async function platformBinding(): Promise<Binding> {
  // Loaded lazily: the simulator and the unit tests never load the native addon.
  const { SerialPort } = await import('serialport');
  return SerialPort.binding;
}

/** Open a port. Each open gives a fresh transport; a closed one is not reopened. */
export async function openSerial(o: SerialPortOptions): Promise<OpenResult> {
  let binding: Binding;
  try {
    binding = o.binding ?? (await platformBinding());
  } catch (e) {
    return { kind: 'error', unplugged: false, message: `serial binding unavailable: ${errorText(e)}` };
  }
  const stream = new SerialPortStream({ binding, path: o.path, baudRate: o.baudRate, autoOpen: false });
  const err = await new Promise<Error | null>((resolve) => stream.open((e) => resolve(e)));
  if (err) return { kind: 'error', unplugged: meansGone(err.message), message: err.message };
  return { kind: 'open', port: new SerialTransport(stream, o) };
}

export class SerialTransport {
  readonly path: string;
  readonly baudRate: number;
  private readonly onNode: boolean;
  private readonly dataListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly closeListeners = new Set<(closed: Closed) => void>();
  private ended: Closed | undefined;
  private lastError: unknown;

  constructor(
    private readonly stream: SerialPortStream,
    o: SerialPortOptions,
  ) {
    this.path = o.path;
    this.baudRate = o.baudRate;
    // Only a real device node can vanish; an injected binding (the simulated wire) has none on disk.
    this.onNode = o.binding === undefined;
    stream.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (const l of this.dataListeners) l(bytes);
    });
    // An 'error' with no listener would crash the process; the close that follows carries the news.
    stream.on('error', (e: unknown) => {
      this.lastError = e;
    });
    // A pty whose other side went away reads end-of-file instead of failing: same news.
    stream.on('end', () => {
      this.end({ cause: 'unplugged', message: 'end of file on the port (hang-up)' });
      if (stream.isOpen) stream.close(() => undefined);
    });
    stream.on('close', (e: unknown) => {
      // close() marks the port ended before closing it, so a close seen here was not ours: the
      // port went away under us (a disconnect, or a read or write that failed as the tty vanished).
      const why = e ?? this.lastError;
      this.end({ cause: 'unplugged', message: why === undefined ? 'the port closed by itself' : errorText(why) });
    });
  }

  /** Why the port is no longer open, or undefined while it is. */
  closed(): Closed | undefined {
    return this.ended;
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** Called once, when the port closes (by us or under us). */
  onClose(listener: (closed: Closed) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * True when the device node itself is gone (a USB adapter pulled: /dev/ttyUSB0 disappears).
   * The tty layer does not always report the hang-up to a reader, so silence plus a missing node
   * is how an unplug is told apart from a device that merely went quiet.
   */
  vanished(): boolean {
    return this.onNode && !existsSync(this.path);
  }

  /**
   * Give the port up to `ms` to show it went away. A USB adapter pulled mid-transfer first looks
   * like a device gone quiet; the hang-up reaches us a little later (later still on a loaded
   * machine), and the citizen should be told "unplugged", not "timed out".
   */
  async goneWithin(ms: number): Promise<Closed | undefined> {
    const until = performance.now() + ms;
    for (;;) {
      if (this.ended) return this.ended;
      if (this.vanished()) return { cause: 'unplugged', message: `${this.path} disappeared` };
      if (performance.now() >= until) return undefined;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Resolves once the bytes have left the OS buffer (drain), so timeouts start after them. */
  async write(bytes: Uint8Array): Promise<WriteResult> {
    if (this.ended) return { kind: 'error', unplugged: this.ended.cause === 'unplugged', message: `port is closed (${this.ended.message})` };
    const stream = this.stream;
    const err = await new Promise<Error | null>((resolve) => {
      stream.write(Buffer.from(bytes), (e) => {
        if (e) resolve(e);
        else stream.drain((d) => resolve(d));
      });
    });
    if (!err) return { kind: 'written' };
    // A write into a port that is going away can fail before its close (and the reason for it)
    // reaches us: wait for that before calling it anything else.
    const gone = await this.goneWithin(CLOSE_GRACE_MS);
    return { kind: 'error', unplugged: gone?.cause === 'unplugged' || meansGone(err.message), message: err.message };
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.end({ cause: 'closed', message: 'closed' });
    const stream = this.stream;
    if (stream.isOpen) await new Promise<void>((resolve) => stream.close(() => resolve()));
  }

  private end(closed: Closed): void {
    if (this.ended) return;
    this.ended = closed;
    for (const l of [...this.closeListeners]) l(closed);
  }
}
