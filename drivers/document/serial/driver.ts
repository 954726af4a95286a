import type { DeviceStatus, DocumentScanner, ScanResult } from '../../types';
import { CodecPump, ScannerCore, type ScannerCoreOptions } from '../scanner-core';
import { SerialScanCodec, type SerialCodecOptions } from './codec';
import { closePort, openPort, realSerialPort, type SerialLinkOptions, type SerialPortLike } from './transport';

export interface SerialScannerOptions extends SerialLinkOptions, SerialCodecOptions, Omit<ScannerCoreOptions, 'driver'> {
  /** Make the port; defaults to a real SerialPort. The simulator passes a SerialPortMock. */
  readonly createPort?: (opts: SerialLinkOptions) => SerialPortLike;
}

/**
 * A serial 2D scanner: it talks first (every decode is pushed), so the driver only listens.
 * No reconnect loop here: the device actor supervises and calls open() again
 * (docs/architecture.md, device actors).
 */
export class SerialDocumentScanner implements DocumentScanner {
  readonly kind = 'document';
  private readonly core: ScannerCore;
  private port: SerialPortLike | undefined;
  private codec: SerialScanCodec;
  private readonly pump: CodecPump;
  private readonly now: () => number;

  constructor(private readonly options: SerialScannerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.core = new ScannerCore({ ...options, driver: `serial:${options.path}` });
    this.codec = new SerialScanCodec(options);
    this.pump = new CodecPump(this.core, () => this.codec, this.now);
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.port?.isOpen) return this.core.status();
    if (signal?.aborted) return this.core.status();
    this.core.setState('connecting', `opening ${this.options.path}`);
    const port = (this.options.createPort ?? realSerialPort)(this.options);
    this.codec = new SerialScanCodec(this.options);
    port.on('data', (chunk) => this.onBytes(chunk));
    port.on('error', (err) => this.options.log?.('serial-error', { message: err.message }));
    port.on('close', (err) => this.onClosed(port, err ?? undefined));
    const err = await openPort(port);
    if (err) {
      port.removeAllListeners();
      this.core.setState('fault', `cannot open ${this.options.path}: ${err.message}`);
      return this.core.status();
    }
    this.port = port;
    this.core.setState('ready', `${this.options.path}, suffix ${this.options.suffix}`);
    return this.core.status();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.pump.stop();
    if (port) {
      port.removeAllListeners();
      await closePort(port);
    }
    this.core.fail({ kind: 'fault', reason: 'aborted', message: 'scanner closed' });
    this.core.setState('disconnected');
  }

  status(): DeviceStatus {
    return this.core.status();
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.core.onStatus(listener);
  }

  read(opts: { readonly waitMs: number; readonly signal?: AbortSignal }): Promise<ScanResult> {
    return this.core.read(opts);
  }

  private onBytes(chunk: Buffer): void {
    this.pump.feed(chunk);
  }

  private onClosed(port: SerialPortLike, err: Error | undefined): void {
    if (this.port !== port) return; // our own close()
    this.port = undefined;
    this.pump.stop();
    port.removeAllListeners();
    const message = `${this.options.path} closed${err ? `: ${err.message}` : ''}`;
    this.core.fail({ kind: 'fault', reason: 'unplugged', message });
    this.core.setState('disconnected', message);
  }
}
