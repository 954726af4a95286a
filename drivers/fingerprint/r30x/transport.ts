/**
 * The byte pipe to a module: serialport with an injectable binding, so the same driver runs on
 * a real UART (bindings-cpp), a socat pty, or the in-process simulator (MockBinding-based).
 * Everything it reports is a value; a port that vanishes is reported as `unplugged`.
 */
import { existsSync } from 'node:fs';
import { SerialPortStream } from '@serialport/stream';
import type { Binding as BindingInterface } from '../../serial/serialport-types';

export type TransportOpenResult =
  | { readonly kind: 'open' }
  | { readonly kind: 'error'; readonly unplugged: boolean; readonly message: string };

export type TransportWriteResult = { readonly kind: 'written' } | { readonly kind: 'error'; readonly message: string };

export type CloseCause = 'closed' | 'unplugged';

export interface Transport {
  readonly path: string;
  readonly baudRate: number;
  open(): Promise<TransportOpenResult>;
  write(bytes: Uint8Array): Promise<TransportWriteResult>;
  close(): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): void;
  onClose(listener: (cause: CloseCause, message: string) => void): void;
  /**
   * True when the device node itself is gone (a USB adapter pulled: /dev/ttyUSB0 disappears).
   * The tty layer does not always report the hang-up to a reader, so silence plus a missing
   * node is how an unplug is told apart from a module that merely went quiet.
   */
  vanished(): boolean;
}

export interface SerialTransportOptions {
  readonly path: string;
  readonly baudRate: number;
  /** Defaults to the platform binding from `serialport` (loaded lazily). */
  readonly binding?: BindingInterface;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** Errors that mean the device node is gone rather than busy or misconfigured. */
const GONE = /ENOENT|ENXIO|ENODEV|EIO|No such file|does not exist|disconnected|unplugged/i;

async function platformBinding(): Promise<BindingInterface> {
  const { SerialPort } = await import('serialport');
  return SerialPort.binding;
}

export class SerialTransport implements Transport {
  readonly path: string;
  readonly baudRate: number;
  private port: SerialPortStream | undefined;
  private readonly dataListeners: Array<(bytes: Uint8Array) => void> = [];
  private readonly closeListeners: Array<(cause: CloseCause, message: string) => void> = [];
  private readonly binding: BindingInterface | undefined;

  constructor(opts: SerialTransportOptions) {
    this.path = opts.path;
    this.baudRate = opts.baudRate;
    this.binding = opts.binding;
  }

  vanished(): boolean {
    // Only a real device node can vanish; an injected binding (the mock) has no node on disk.
    return this.binding === undefined && !existsSync(this.path);
  }

  onData(listener: (bytes: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (cause: CloseCause, message: string) => void): void {
    this.closeListeners.push(listener);
  }

  async open(): Promise<TransportOpenResult> {
    let binding: BindingInterface;
    try {
      binding = this.binding ?? (await platformBinding());
    } catch (e) {
      return { kind: 'error', unplugged: false, message: `serial binding unavailable: ${errorText(e)}` };
    }
    const port = new SerialPortStream({ binding, path: this.path, baudRate: this.baudRate, autoOpen: false });
    const opened = await new Promise<TransportOpenResult>((resolve) => {
      port.open((err) => {
        if (err) resolve({ kind: 'error', unplugged: GONE.test(err.message), message: err.message });
        else resolve({ kind: 'open' });
      });
    });
    if (opened.kind === 'error') return opened;
    this.port = port;
    port.on('data', (chunk: Buffer) => {
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (const l of this.dataListeners) l(bytes);
    });
    // An 'error' with no listener would crash the process; the close that follows carries the news.
    let lastError: unknown;
    port.on('error', (err: unknown) => {
      lastError = err;
    });
    // A pty whose other side went away reads end-of-file instead of failing: same news.
    port.on('end', () => {
      if (this.port !== port) return;
      this.port = undefined;
      for (const l of this.closeListeners) l('unplugged', 'end of file on the port (hang-up)');
      if (port.isOpen) port.close(() => undefined);
    });
    port.on('close', (err: unknown) => {
      // close() detaches the port before closing it, so a close seen here was not ours: the port
      // went away under us (a disconnect, or a write or read that failed as the tty vanished).
      if (this.port !== port) return;
      this.port = undefined;
      const why = err ?? lastError;
      for (const l of this.closeListeners) l('unplugged', why === undefined ? 'the port closed by itself' : errorText(why));
    });
    return opened;
  }

  write(bytes: Uint8Array): Promise<TransportWriteResult> {
    const port = this.port;
    if (!port) return Promise.resolve({ kind: 'error', message: 'port is not open' });
    return new Promise((resolve) => {
      port.write(Buffer.from(bytes), (err) => {
        if (err) resolve({ kind: 'error', message: err.message });
        else port.drain((e) => resolve(e ? { kind: 'error', message: e.message } : { kind: 'written' }));
      });
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.port = undefined;
    await new Promise<void>((resolve) => port.close(() => resolve()));
    for (const l of this.closeListeners) l('closed', 'closed');
  }
}
