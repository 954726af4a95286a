/**
 * Role (r30x driver): the FingerprintSensor over the serial kit. A small façade: it opens and
 * handshakes (session.ts), reads the module's parameters, optionally raises the baud rate, polls
 * GenImg for a finger and uploads the image (upload.ts). Per-command timeouts and retries live
 * in link.ts and upload.ts; lifecycle, status and the one-command-at-a-time queue live here.
 */
import type { DeviceStatus, Fault, FingerCaptureResult, FingerprintSensor, FingerprintSensorInfo } from '../../types';
import type { FaultReason } from '../../../domain/devices';
import type { ProgressFn } from '../../../domain/devices';
import { notOpenFault } from '../../errors';
import type { DeviceLog } from '../../log';
import { portPresent } from '../../serial/presence';
import type { SerialPortOptions } from '../../serial/transport';
import { TaskQueue } from '../../serial/task-queue';
import type { Discarded } from './codec';
import { commands } from './commands';
import type { LineStats } from './link';
import { openSession, type Session, type SessionFailure } from './session';
import { unpack4bit } from './image';
import { R30X_MODELS, modelForImageBytes, type R30xModelName } from './models';
import { AURA_COLOUR, AURA_CTRL, CONFIRMATION, DEFAULT_ADDER, DEFAULT_PASSWORD, confirmationName } from './protocol';
import { uploadImage } from './upload';

export interface R30xTimeouts {
  readonly handshakeMs: number;
  readonly commandMs: number;
  readonly genImgMs: number;
  readonly img2TzMs: number;
  readonly interPacketSlackMs: number;
}

export const DEFAULT_TIMEOUTS: R30xTimeouts = {
  // Per rate tried when looking for the module: VfyPwd is answered in a few ms even at 9600
  // baud (a 16-byte command, a 12-byte reply), so this is mostly USB latency and slack.
  handshakeMs: 300,
  commandMs: 1000,
  genImgMs: 1500,
  img2TzMs: 2000,
  interPacketSlackMs: 500,
};

/** The factory default baud of R30x modules. */
export const R30X_DEFAULT_BAUD = 57_600;

export interface R30xDriverOptions {
  /** The port, at the baud the module is expected at (factory default 57,600): tried first. */
  readonly port: SerialPortOptions;
  /**
   * When the module is silent at `port.baudRate`, look for it at the family's other rates
   * (default true): it keeps its rate in flash, so after `raiseBaudTo` it is at that rate.
   */
  readonly baudSearch?: boolean;
  readonly log: DeviceLog;
  readonly address?: number;
  readonly password?: number;
  /** Raise the module to this baud after the handshake (SetSysPara 4, reopen, confirm). */
  readonly raiseBaudTo?: number;
  /** Used when the module cannot say what it is (the R307 has no ReadProdInfo). */
  readonly modelHint?: R30xModelName;
  readonly pollIntervalMs?: number;
  readonly timeouts?: Partial<R30xTimeouts>;
  readonly driverName?: string;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Img2Tz's verdict on the image in the module's buffer. */
export type Features = { readonly kind: 'features' } | { readonly kind: 'poor-image'; readonly code: string };

const cancelled: Fault = { kind: 'fault', reason: 'aborted', message: 'cancelled' };

export class R30xDriver implements FingerprintSensor {
  readonly kind = 'fingerprint' as const;
  private current: DeviceStatus;
  private readonly listeners = new Set<(s: DeviceStatus) => void>();
  private session: Session | undefined;
  private lastFault: Fault | undefined;
  private readonly timeouts: R30xTimeouts;
  private readonly driverName: string;
  private openTimings: Record<string, number> = {};
  private pastLines: LineStats = { bytesIn: 0, decoderBytes: 0, peakDecoderBuffer: 0, queuedReplies: 0, peakQueuedReplies: 0, droppedReplies: 0 };
  /** Where the module was at the end of the last open: the likeliest place to find it next time. */
  private lastBaud: number | undefined;
  /** One command at a time on the line: a capture, an LED command and Img2Tz take turns. */
  private readonly line = new TaskQueue();
  private readonly log: DeviceLog;

  constructor(private readonly opts: R30xDriverOptions) {
    this.log = opts.log;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.driverName = opts.driverName ?? 'r30x';
    this.current = { kind: 'fingerprint', driver: this.driverName, state: 'disconnected' };
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (status: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Is the module's port there (hot-plug)? */
  present(): Promise<boolean> {
    return portPresent(this.opts.port);
  }

  info(): FingerprintSensorInfo | undefined {
    return this.session?.info;
  }

  /** The last fault, for the device actor and technicians. */
  fault(): Fault | undefined {
    return this.lastFault;
  }

  /**
   * What the line holds and has held (bytes in, the decoder's buffer, unread replies), over every
   * session since this driver was made: bounded whatever the module sends (issue #13).
   */
  lineStats(): LineStats {
    const now = this.session?.link.stats();
    const was = this.pastLines;
    return {
      bytesIn: was.bytesIn + (now?.bytesIn ?? 0),
      decoderBytes: now?.decoderBytes ?? 0,
      peakDecoderBuffer: Math.max(was.peakDecoderBuffer, now?.peakDecoderBuffer ?? 0),
      queuedReplies: now?.queuedReplies ?? 0,
      peakQueuedReplies: Math.max(was.peakQueuedReplies, now?.peakQueuedReplies ?? 0),
      droppedReplies: was.droppedReplies + (now?.droppedReplies ?? 0),
    };
  }

  /** ms per command spent opening (VfyPwd, ReadSysPara, ReadProdInfo, SetSysPara…). */
  timingsOfOpen(): Readonly<Record<string, number>> {
    return this.openTimings;
  }

  private setStatus(state: DeviceStatus['state'], detail?: string): void {
    const was = this.current.state;
    this.current = { kind: 'fingerprint', driver: this.driverName, state, ...(detail === undefined ? {} : { detail }) };
    // Faults and reconnects are news; busy ⇄ ready around every capture is not.
    if (state === 'fault') this.log.warn({ state, reason: this.lastFault?.reason, detail }, 'fingerprint sensor fault');
    else if (state !== was && state !== 'busy' && was !== 'busy') this.log.info({ state, was, detail }, `fingerprint sensor ${state}`);
    for (const l of this.listeners) l(this.current);
  }

  private toFault(reason: FaultReason, message: string): Fault {
    const f: Fault = { kind: 'fault', reason, message };
    if (reason === 'aborted') return f;
    // The first report of a fault is the one that names its cause (an unplug seen by the port
    // beats the failed command that followed it).
    if (this.current.state === 'fault' && this.lastFault) return this.lastFault;
    this.lastFault = f;
    this.setStatus('fault', message);
    return f;
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    await this.closeSession();
    const { path, baudRate, binding } = this.opts.port;
    const search = this.opts.baudSearch === false ? undefined : [this.lastBaud, this.opts.raiseBaudTo].filter((b): b is number => b !== undefined);
    const result = await openSession({
      path,
      baud: baudRate,
      ...(search ? { search } : {}),
      onTrying: (baud) => this.setStatus('connecting', `looking for the module on ${path} at ${baud} baud`),
      address: this.opts.address ?? DEFAULT_ADDER,
      password: this.opts.password ?? DEFAULT_PASSWORD,
      ...(binding ? { binding } : {}),
      ...(this.opts.raiseBaudTo ? { raiseBaudTo: this.opts.raiseBaudTo } : {}),
      ...(this.opts.modelHint ? { modelHint: this.opts.modelHint } : {}),
      timeouts: this.timeouts,
      // Reason and length only: a damaged data packet is part of a citizen's fingerprint.
      onDiscard: (d: Discarded) => this.log.debug({ reason: d.reason, bytes: d.length }, 'r30x: discarded bytes'),
      onUnplug: (message: string) => this.unplugged(message),
      log: this.log,
      ...(signal ? { signal } : {}),
    });
    if (result.kind === 'failed') return this.openFailed(result);
    this.session = result.session;
    this.openTimings = result.timings;
    this.lastFault = undefined;
    const i = result.session.info;
    this.lastBaud = i.baud;
    const foundAt = i.foundAtBaud ?? i.baud;
    if (foundAt !== baudRate) {
      // Expected after raiseBaud moved it; otherwise the config names a rate the module is not at.
      const expected = foundAt === this.opts.raiseBaudTo;
      const fields = { configured: baudRate, foundAt, tookMs: Math.round(result.timings['findModule'] ?? 0) };
      if (expected) this.log.info(fields, `fingerprint module found at ${foundAt} baud, where raiseBaud left it`);
      else this.log.warn(fields, `fingerprint module found at ${foundAt} baud, not the configured ${baudRate}: set its port.baud to ${foundAt} to find it at once`);
    }
    const where = foundAt === baudRate ? '' : ` (found at ${foundAt} baud; configured ${baudRate})`;
    this.setStatus('ready', `${i.model} on ${path} at ${i.baud} baud, ${i.packetSize}-byte packets${where}`);
    return this.current;
  }

  private openFailed(f: SessionFailure): DeviceStatus {
    if (f.reason === 'aborted') {
      this.setStatus('disconnected', 'open cancelled');
      return this.current;
    }
    this.toFault(f.reason, f.message);
    return this.current;
  }

  private unplugged(message: string): void {
    if (this.session) this.keepLineStats(this.session);
    this.session = undefined;
    this.toFault('unplugged', `${this.opts.port.path} vanished (${message})`);
  }

  private async closeSession(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) {
      this.keepLineStats(s);
      await s.transport.close();
    }
  }

  /** Fold a finished session's line figures into the driver's. */
  private keepLineStats(s: Session): void {
    const t = s.link.stats();
    const was = this.pastLines;
    this.pastLines = {
      bytesIn: was.bytesIn + t.bytesIn,
      decoderBytes: 0,
      peakDecoderBuffer: Math.max(was.peakDecoderBuffer, t.peakDecoderBuffer),
      queuedReplies: 0,
      peakQueuedReplies: Math.max(was.peakQueuedReplies, t.peakQueuedReplies),
      droppedReplies: was.droppedReplies + t.droppedReplies,
    };
  }

  async close(): Promise<void> {
    await this.closeSession();
    this.setStatus('disconnected');
  }

  /** Run `job` on the open session when the line is free; a fault value when there is no session. */
  private async onLine<T>(job: (s: Session) => Promise<T | Fault>, signal?: AbortSignal): Promise<T | Fault> {
    const q = await this.line.run(async (): Promise<T | Fault> => {
      const s = this.session;
      if (!s) return notOpenFault('the fingerprint sensor', this.lastFault);
      return job(s);
    }, signal);
    return q.kind === 'ran' ? q.value : cancelled;
  }

  async setLed(mode: 'off' | 'on' | 'breathing' | 'flash', colour: 'red' | 'blue' | 'purple'): Promise<void> {
    if (!this.session?.hasAuraLed) return;
    const ctrl = { off: AURA_CTRL.AlwaysOff, on: AURA_CTRL.AlwaysOn, breathing: AURA_CTRL.Breathing, flash: AURA_CTRL.Flashing }[mode];
    const c = { red: AURA_COLOUR.Red, blue: AURA_COLOUR.Blue, purple: AURA_COLOUR.Purple }[colour];
    const r = await this.onLine((s) => s.link.transact(commands.auraLedConfig(ctrl, 0x50, c, 0), this.timeouts.commandMs));
    if (r.kind === 'fault') this.log.warn({ reason: r.reason, message: r.message }, 'AuraLedConfig not acknowledged');
    else if (r.code !== CONFIRMATION.OK) this.log.warn({ code: confirmationName(r.code) }, 'AuraLedConfig refused');
  }

  /**
   * Img2Tz on the image in the module's buffer: the module's own opinion of whether features
   * can be extracted (0x06 too messy, 0x07 too few minutiae). Useful to technicians.
   */
  async extractFeatures(charBuffer = 1): Promise<Features | Fault> {
    return this.onLine(async (s) => {
      const r = await s.link.transact(commands.img2Tz(charBuffer), this.timeouts.img2TzMs);
      if (r.kind === 'fault') return this.toFault(r.reason, r.message);
      const out: Features = r.code === CONFIRMATION.OK ? { kind: 'features' } : { kind: 'poor-image', code: confirmationName(r.code) };
      return out;
    });
  }

  /** Captures queue behind each other (and behind LED commands): one exchange on the line at a time. */
  capture(opts: { readonly waitMs: number; readonly signal?: AbortSignal; readonly onProgress?: ProgressFn }): Promise<FingerCaptureResult> {
    return this.onLine((s) => this.captureTurn(s, opts), opts.signal);
  }

  private async captureTurn(s: Session, opts: { readonly waitMs: number; readonly signal?: AbortSignal; readonly onProgress?: ProgressFn }): Promise<FingerCaptureResult> {
    this.setStatus('busy', 'capturing');
    const result = await this.captureOn(s, opts);
    if (result.kind !== 'fault' && this.session === s) this.setStatus('ready');
    if (result.kind === 'fault' && result.reason === 'aborted' && this.session === s) {
      // The module may still be streaming the image we walked away from.
      await s.link.settle(100, 3000);
      this.setStatus('ready');
    }
    return result;
  }

  private async captureOn(s: Session, opts: { readonly waitMs: number; readonly signal?: AbortSignal; readonly onProgress?: ProgressFn }): Promise<FingerCaptureResult> {
    const started = performance.now();
    const deadline = started + opts.waitMs;
    const timings: Record<string, number> = {};
    let polls = 0;
    let timeouts = 0;
    for (;;) {
      if (opts.signal?.aborted) return cancelled;
      const r = await s.link.transact(commands.genImg(), this.timeouts.genImgMs, opts.signal);
      polls++;
      if (r.kind === 'ack' && r.code === CONFIRMATION.OK) {
        timings['GenImg'] = r.ms;
        break;
      }
      if (r.kind === 'ack' && r.code !== CONFIRMATION.NoFinger && r.code !== CONFIRMATION.ImageFail) {
        return this.toFault('device-error', `GenImg: ${confirmationName(r.code)}`);
      }
      if (r.kind === 'fault' && (r.reason === 'unplugged' || r.reason === 'aborted')) return this.toFault(r.reason, r.message);
      if (r.kind === 'fault') {
        // One lost or damaged reply is line noise; two in a row is a module that stopped talking.
        timeouts++;
        this.log.warn({ reason: r.reason, message: r.message }, 'GenImg reply lost, recovering');
        if (timeouts > 2) return this.toFault(r.reason, `GenImg: ${r.message}`);
        await s.link.settle(50, 1000);
        continue;
      }
      timeouts = 0;
      if (performance.now() >= deadline) return { kind: 'no-finger' };
      await sleep(Math.min(this.opts.pollIntervalMs ?? 50, deadline - performance.now()), opts.signal);
    }
    timings['waitForFinger'] = performance.now() - started;
    timings['polls'] = polls;

    const upStarted = performance.now();
    const up = await uploadImage(s.link, {
      expectedBytes: s.expectedImageBytes,
      packetSize: s.info.packetSize,
      baud: s.info.baud,
      ackTimeoutMs: this.timeouts.commandMs,
      interPacketSlackMs: this.timeouts.interPacketSlackMs,
      retries: 2,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (up.kind !== 'uploaded') return this.toFault(up.reason, up.message);
    timings['UpImage'] = performance.now() - upStarted;
    timings['uploadAttempts'] = up.attempts;
    timings['total'] = performance.now() - started;
    const model = modelForImageBytes(up.bytes.length) ?? R30X_MODELS.R307;
    const image = unpack4bit(up.bytes, s.info.imageWidth || model.imageWidth, s.info.imageHeight || model.imageHeight);
    return { kind: 'image', image, timings };
  }
}
