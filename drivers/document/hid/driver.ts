/**
 * Role (HID scanner driver): the DocumentScanner for a USB scanner in keyboard-wedge or HID-POS
 * mode. Open the device, feed the codec, hand scans to the waiting read; a device that errors
 * on its read loop has been unplugged.
 */
import type { DeviceStatus, DocumentScanner, ScanResult, ScanReadOptions } from '../../types';
import type { DeviceLog } from '../../log';
import type { StreamCodec } from '../codec';
import { CodecPump, ScannerCore, type ScannerLineStats } from '../scanner-core';
import { HidPosCodec, KeyboardWedgeCodec, type PosCodecOptions } from './codec';
import type { HidDeviceLike, HidOpenResult } from './transport';
import { failureReason } from '../../serial/transport';

/** The two ways a USB scanner speaks HID. */
export type HidScannerMode =
  | { readonly kind: 'keyboard'; readonly terminator?: 'enter' | 'idle'; readonly reportId?: boolean }
  | ({ readonly kind: 'pos' } & Omit<PosCodecOptions, 'idleGapMs'>);

export interface HidScannerOptions {
  readonly log: DeviceLog;
  readonly keepEarlyScanMs?: number;
  readonly now?: () => number;
  /** Production: () => openNodeHid(vid, pid). Tests: a FakeHidDevice. */
  readonly openDevice: () => Promise<HidOpenResult>;
  /** Is the scanner on the bus (production: nodeHidPresent(vid, pid))? For hot-plug; without it, assumed there. */
  readonly isPresent?: () => Promise<boolean>;
  readonly mode: HidScannerMode;
  readonly idleGapMs: number;
  /** For status and logs ("hid:0c2e:0b61"). */
  readonly name?: string;
}

export class HidDocumentScanner implements DocumentScanner {
  readonly kind = 'document';
  private readonly core: ScannerCore;
  private device: HidDeviceLike | undefined;
  private codec: StreamCodec;
  private readonly pump: CodecPump;
  private readonly now: () => number;

  constructor(private readonly options: HidScannerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.core = new ScannerCore({
      driver: options.name ?? `hid-${options.mode.kind}`,
      log: options.log,
      now: this.now,
      ...(options.keepEarlyScanMs === undefined ? {} : { keepEarlyScanMs: options.keepEarlyScanMs }),
    });
    this.codec = this.makeCodec();
    this.pump = new CodecPump(this.core, () => this.codec, this.now, { renew: () => (this.codec = this.makeCodec()) });
  }

  /** What the device has sent and the codec held (bounded whatever the scanner sends; issue #13). */
  lineStats(): ScannerLineStats {
    return this.pump.stats();
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.device || signal?.aborted) return this.core.status();
    this.core.setState('connecting');
    const opened = await this.options.openDevice();
    if (opened.kind === 'error') {
      this.core.fail({ kind: 'fault', reason: failureReason(opened), message: opened.message });
      this.core.setState('fault', opened.message);
      return this.core.status();
    }
    const device = opened.device;
    this.device = device;
    this.codec = this.makeCodec();
    device.on('data', (report) => this.onReport(report));
    // node-hid reports an unplugged device as an error on the read loop.
    device.on('error', (err) => this.onLost(device, err));
    this.core.opened(`${this.options.mode.kind} mode`);
    return this.core.status();
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = undefined;
    this.pump.stop();
    if (device) {
      device.removeAllListeners();
      try {
        device.close();
      } catch {
        // Already gone (unplugged): nothing left to release.
      }
    }
    this.core.fail({ kind: 'fault', reason: 'aborted', message: 'scanner closed' });
    this.core.setState('disconnected');
  }

  status(): DeviceStatus {
    return this.core.status();
  }

  /** Is the scanner on the bus (hot-plug)? Without a way to ask, assumed there (backoff alone). */
  present(): Promise<boolean> {
    return this.options.isPresent ? this.options.isPresent() : Promise.resolve(true);
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.core.onStatus(listener);
  }

  read(opts: ScanReadOptions): Promise<ScanResult> {
    return this.core.read(opts);
  }

  private makeCodec(): StreamCodec {
    const { mode, idleGapMs } = this.options;
    if (mode.kind === 'keyboard') {
      return new KeyboardWedgeCodec({ idleGapMs, ...(mode.terminator ? { terminator: mode.terminator } : {}), ...(mode.reportId ? { reportId: true } : {}) });
    }
    const { kind: _kind, ...pos } = mode;
    return new HidPosCodec({ ...pos, idleGapMs });
  }

  private onReport(report: Buffer): void {
    this.pump.feed(report);
  }

  private onLost(device: HidDeviceLike, err: Error): void {
    if (this.device !== device) return;
    this.device = undefined;
    this.pump.stop();
    device.removeAllListeners();
    this.core.fail({ kind: 'fault', reason: 'unplugged', message: `HID scanner lost: ${err.message}` });
    this.core.setState('disconnected', err.message);
  }
}
