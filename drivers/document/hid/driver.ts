import type { DeviceStatus, DocumentScanner, ScanResult } from '../../types';
import type { ScanFrame } from '../frames';
import { ScannerCore, type ScannerCoreOptions } from '../scanner-core';
import { KeyboardWedgeCodec } from './keyboard-codec';
import { HidPosCodec, type PosCodecOptions } from './pos-codec';
import type { HidDeviceLike, HidOpenResult } from './transport';

/** The two ways a USB scanner speaks HID. */
export type HidScannerMode =
  | { readonly kind: 'keyboard'; readonly terminator?: 'enter' | 'idle'; readonly reportId?: boolean }
  | ({ readonly kind: 'pos' } & Omit<PosCodecOptions, 'idleGapMs'>);

export interface HidScannerOptions extends Omit<ScannerCoreOptions, 'driver'> {
  /** Production: () => openNodeHid(vid, pid). Tests: a FakeHidDevice. */
  readonly openDevice: () => Promise<HidOpenResult>;
  readonly mode: HidScannerMode;
  readonly idleGapMs: number;
  /** For status and logs ("hid:0c2e:0b61"). */
  readonly name?: string;
}

interface ReportCodec {
  push(report: Uint8Array, nowMs: number): ScanFrame[];
  idle(nowMs: number): ScanFrame[];
  deadline(): number | undefined;
}

export class HidDocumentScanner implements DocumentScanner {
  readonly kind = 'document';
  private readonly core: ScannerCore;
  private device: HidDeviceLike | undefined;
  private codec: ReportCodec;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HidScannerOptions) {
    this.now = options.now ?? (() => performance.now());
    this.core = new ScannerCore({ ...options, driver: options.name ?? `hid-${options.mode.kind}` });
    this.codec = this.makeCodec();
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.device || signal?.aborted) return this.core.status();
    this.core.setState('connecting');
    const opened = await this.options.openDevice();
    if (!opened.ok) {
      this.core.setState('fault', opened.message);
      return this.core.status();
    }
    const device = opened.device;
    this.device = device;
    this.codec = this.makeCodec();
    device.on('data', (report) => this.onReport(report));
    // node-hid reports an unplugged device as an error on the read loop.
    device.on('error', (err) => this.onLost(device, err));
    this.core.setState('ready', `${this.options.mode.kind} mode`);
    return this.core.status();
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = undefined;
    this.clearIdle();
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

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    return this.core.onStatus(listener);
  }

  read(opts: { readonly waitMs: number; readonly signal?: AbortSignal }): Promise<ScanResult> {
    return this.core.read(opts);
  }

  private makeCodec(): ReportCodec {
    const { mode, idleGapMs } = this.options;
    if (mode.kind === 'keyboard') {
      return new KeyboardWedgeCodec({ idleGapMs, ...(mode.terminator ? { terminator: mode.terminator } : {}), ...(mode.reportId ? { reportId: true } : {}) });
    }
    const { kind: _kind, ...pos } = mode;
    return new HidPosCodec({ ...pos, idleGapMs });
  }

  private onReport(report: Buffer): void {
    for (const frame of this.codec.push(report, this.now())) this.core.deliver(frame);
    this.scheduleIdle();
  }

  private scheduleIdle(): void {
    this.clearIdle();
    const deadline = this.codec.deadline();
    if (deadline === undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      for (const frame of this.codec.idle(this.now())) this.core.deliver(frame);
      this.scheduleIdle();
    }, Math.max(0, deadline - this.now()) + 1);
  }

  private clearIdle(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private onLost(device: HidDeviceLike, err: Error): void {
    if (this.device !== device) return;
    this.device = undefined;
    this.clearIdle();
    device.removeAllListeners();
    this.core.fail({ kind: 'fault', reason: 'unplugged', message: `HID scanner lost: ${err.message}` });
    this.core.setState('disconnected', err.message);
  }
}
