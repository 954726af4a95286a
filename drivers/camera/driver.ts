/**
 * Role (camera driver): the real camera, one long-lived MJPEG stream from the Pi camera
 * (docs/facts/camera.md: a one-shot `rpicam-still` takes 6–7 s, a frame from a running stream
 * ~50 ms). Preview frames and stills come from the same stream; the stream runs at the still
 * resolution (default 1280 × 960, eye distance ≥ 90 px at kiosk distance) and the page shows it
 * as is over MJPEG.
 *
 * Recovery is the device actor's job (close + open with backoff); this driver reports what it
 * sees: `fault` with a reason when the stream cannot start or goes silent for `stallMs`.
 */
import type { Camera, CameraFrame, DeviceStatus, StillResult } from '../types';
import { notOpenFault } from '../errors';
import type { DeviceLog } from '../log';
import { piCameraConnectSource, type StreamSource, type StreamSourceFactory, type StreamSourceOptions } from './transport';
import { createFrameWatchdog, createStatusCell, type FrameWatchdog, type StatusCell } from './status';
import { nextFrameAsStill } from './next-frame';

export interface PiCameraOptions extends Partial<StreamSourceOptions> {
  readonly log: DeviceLog;
  readonly stallMs?: number;
  /** How long `open` waits for the stream to start. */
  readonly startTimeoutMs?: number;
  /** Injected for tests; defaults to pi-camera-connect. */
  readonly source?: StreamSourceFactory;
  readonly now?: () => number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export class PiCamera implements Camera {
  readonly kind = 'camera' as const;
  private readonly cell: StatusCell;
  private readonly watchdog: FrameWatchdog;
  private readonly subscribers = new Set<(f: CameraFrame) => void>();
  private readonly streamOpts: StreamSourceOptions;
  private readonly now: () => number;
  private stream: StreamSource | undefined;
  private readonly onJpeg = (jpeg: Uint8Array): void => {
    const frame: CameraFrame = { jpeg, width: this.streamOpts.width, height: this.streamOpts.height, at: this.now() };
    this.watchdog.frame(frame.at);
    for (const s of [...this.subscribers]) s(frame);
  };

  constructor(private readonly opts: PiCameraOptions) {
    this.cell = createStatusCell('pi', opts.log);
    this.streamOpts = { width: opts.width ?? 1280, height: opts.height ?? 960, fps: opts.fps ?? 15, rotation: opts.rotation ?? 0, flip: opts.flip ?? 'none' };
    this.now = opts.now ?? (() => performance.now());
    const stallMs = opts.stallMs ?? 2000;
    this.watchdog = createFrameWatchdog({
      stallMs,
      now: this.now,
      onStall: (ms) => this.cell.set('fault', `camera stream silent for ${Math.round(ms)} ms (limit ${stallMs} ms)`),
      onResume: () => this.cell.set('ready'),
    });
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.stream) return this.cell.get();
    this.cell.set('connecting');
    let stream: StreamSource | undefined;
    try {
      stream = await (this.opts.source ?? piCameraConnectSource)(this.streamOpts);
      stream.on('frame', this.onJpeg);
      await withTimeout(stream.startCapture(), this.opts.startTimeoutMs ?? 10_000, 'starting the camera stream');
      signal?.throwIfAborted();
    } catch (e) {
      if (stream) {
        stream.removeListener('frame', this.onJpeg);
        await stream.stopCapture().catch(() => undefined);
      }
      this.cell.set('fault', `camera did not start: ${e instanceof Error ? e.message : String(e)}`);
      return this.cell.get();
    }
    this.stream = stream;
    this.watchdog.start();
    this.cell.set('ready');
    return this.cell.get();
  }

  async close(): Promise<void> {
    this.watchdog.stop();
    const stream = this.stream;
    this.stream = undefined;
    if (stream) {
      stream.removeListener('frame', this.onJpeg);
      await stream.stopCapture().catch(() => undefined);
    }
    this.cell.set('disconnected');
  }

  status(): DeviceStatus {
    return this.cell.get();
  }

  onStatus(listener: (s: DeviceStatus) => void): () => void {
    return this.cell.onStatus(listener);
  }

  lastFrameAt(): number | undefined {
    return this.watchdog.lastFrameAt();
  }

  preview(onFrame: (frame: CameraFrame) => void): () => void {
    this.subscribers.add(onFrame);
    return () => this.subscribers.delete(onFrame);
  }

  /** The next complete frame after the call, so the still shows the citizen as they are now. */
  still(opts: { readonly signal?: AbortSignal } = {}): Promise<StillResult> {
    if (!this.stream) return Promise.resolve(notOpenFault('the camera'));
    return nextFrameAsStill((f) => this.preview(f), this.opts.stallMs ?? 2000, opts.signal);
  }
}
