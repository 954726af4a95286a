/**
 * Role (serial scanner driver): the DocumentScanner for a serial 2D scanner over the serial
 * kit. The scanner talks first (every decode is pushed), so the driver only listens: open the
 * port, feed the codec, hand scans to the waiting read. No reconnect loop here: the device actor
 * supervises and calls open() again (docs/architecture.md, device supervisors).
 */
import type { DeviceStatus, DocumentScanner, ScanResult, ScanReadOptions } from '../../types';
import type { DeviceLog } from '../../log';
import { portPresent } from '../../serial/presence';
import { closeFault, failureReason, openSerial, type SerialPortOptions, type SerialTransport } from '../../serial/transport';
import { CodecPump, ScannerCore, type ScannerLineStats } from '../scanner-core';
import { SerialScanCodec, type SerialCodecOptions } from './codec';

export interface SerialScannerOptions extends SerialCodecOptions {
  /** USB-CDC ignores the baud; UART scanners default to 9600 or 115200. */
  readonly port: SerialPortOptions;
  readonly log: DeviceLog;
  readonly keepEarlyScanMs?: number;
  readonly now?: () => number;
}

export class SerialDocumentScanner implements DocumentScanner {
  readonly kind = 'document';
  private readonly core: ScannerCore;
  private port: SerialTransport | undefined;
  private codec: SerialScanCodec;
  private readonly pump: CodecPump;
  private readonly now: () => number;

  constructor(private readonly options: SerialScannerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.core = new ScannerCore({
      driver: `serial:${options.port.path}`,
      log: options.log,
      now: this.now,
      ...(options.keepEarlyScanMs === undefined ? {} : { keepEarlyScanMs: options.keepEarlyScanMs }),
    });
    this.codec = new SerialScanCodec(options);
    // A port may hand over a huge read: decoded a kilobyte at a time.
    this.pump = new CodecPump(this.core, () => this.codec, this.now, { sliceBytes: 1024, renew: () => (this.codec = new SerialScanCodec(this.options)) });
  }

  /** What the line has carried and held (bounded whatever the scanner sends; issue #13). */
  lineStats(): ScannerLineStats {
    return this.pump.stats();
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.port || signal?.aborted) return this.core.status();
    const where = this.options.port.path;
    this.core.setState('connecting', `opening ${where}`);
    const opened = await openSerial(this.options.port);
    if (opened.kind === 'error') {
      this.core.fail({ kind: 'fault', reason: failureReason(opened), message: opened.message });
      this.core.setState('fault', `cannot open ${where}: ${opened.message}`);
      return this.core.status();
    }
    const port = opened.port;
    this.port = port;
    this.codec = new SerialScanCodec(this.options);
    port.onData((bytes) => this.pump.feed(bytes));
    port.onClose((closed) => {
      if (this.port !== port) return; // our own close()
      this.port = undefined;
      this.pump.stop();
      const fault = closeFault(closed, where);
      this.core.fail(fault);
      this.core.setState('disconnected', fault.message);
    });
    this.core.opened(`${where}, suffix ${this.options.suffix}`);
    return this.core.status();
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    this.pump.stop();
    await port?.close();
    this.core.fail({ kind: 'fault', reason: 'aborted', message: 'scanner closed' });
    this.core.setState('disconnected');
  }

  status(): DeviceStatus {
    return this.core.status();
  }

  /** Is the scanner's port there (hot-plug)? */
  present(): Promise<boolean> {
    return portPresent(this.options.port);
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.core.onStatus(listener);
  }

  read(opts: ScanReadOptions): Promise<ScanResult> {
    return this.core.read(opts);
  }
}
