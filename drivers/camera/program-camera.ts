/**
 * Role (camera driver core, shared by the two real cameras): a `Camera` over a camera program's
 * running MJPEG stream, whichever program and whichever library runs it (rpicam/driver.ts on
 * the current camera stack, driver.ts through pi-camera-connect on the legacy one).
 *
 * One long-lived program per open (docs/facts/camera.md: starting one per photo costs seconds);
 * preview frames and stills come from it. What this driver reports, and nothing more (recovery
 * is the supervisor's: close, then open again with backoff):
 * - `ready` on the first frame, not when the program starts: a program that starts and sends
 *   nothing is a fault after `startTimeoutMs`, and is stopped;
 * - `fault` the moment the program ends, with why: how it ended, the line it left on stderr
 *   ("ERROR: *** no cameras available ***"), and the next thing a technician should check;
 * - `fault` when frames stop for `stallMs` (the frame watchdog), `ready` again when they resume;
 * - stderr is information (the programs log there all the time), kept as a bounded tail for the
 *   fault's reason, never an error in itself.
 * `close()` stops the program and returns only when the process is gone.
 */
import type { Camera, CameraFrame, DeviceStatus, StillResult } from '../types';
import { notOpenFault } from '../errors';
import type { DeviceLog } from '../log';
import type { DiscardReason } from './mjpeg';
import { nextFrameAsStill } from './next-frame';
import { createFrameWatchdog, createStatusCell, type FrameWatchdog, type StatusCell } from './status';
import { StderrTail } from './stderr-tail';

/** What both camera programs' drivers (rpicam-vid, and raspivid through pi-camera-connect) take. */
export interface CameraProgramOptions {
  readonly log: DeviceLog;
  /** The program on the PATH, or a path to it (or to a stand-in, in tests). */
  readonly command?: string;
  /** No frame for this long while streaming: a fault. */
  readonly stallMs?: number;
  /** How long `open` waits for the first frame. */
  readonly startTimeoutMs?: number;
  /** The largest frame kept, and the bytes without a frame before the stream is stopped: bounds the buffers. */
  readonly maxFrameBytes?: number;
  /** After SIGTERM, how long `close` waits before SIGKILL. */
  readonly killAfterMs?: number;
  readonly now?: () => number;
}

export interface FrameSourceEvents {
  frame(jpeg: Uint8Array): void;
  /** Text the program wrote on stderr, in whatever pieces it arrived. */
  stderr(text: string): void;
  /** Bytes of the stream that were not a frame, and why (mjpeg.ts). */
  discarded(reason: DiscardReason | 'no-frame-found', bytes: number): void;
  /** The stream is over, and why in a technician's words ("exited with code 255"). Once. */
  ended(why: string): void;
}

export interface RunningSource {
  pid(): number | undefined;
  /** Stops the program; resolves once its process has exited. */
  stop(): Promise<void>;
}

export interface FrameSource {
  /** What runs, for messages: "rpicam-vid (/usr/bin/rpicam-vid)". */
  readonly name: string;
  /** Starts the program; everything after that comes as events (a failed start too). */
  start(events: FrameSourceEvents): RunningSource;
  /** The next thing to check, given how it ended and the line it left on stderr. */
  advice?(why: string, lastLine: string | undefined): string | undefined;
}

export interface ProgramCameraOptions {
  /** DeviceStatus.driver: 'rpicam', 'pi'. */
  readonly driver: string;
  readonly source: FrameSource;
  readonly log: DeviceLog;
  readonly width: number;
  readonly height: number;
  /** No frame for this long → `fault`. */
  readonly stallMs?: number;
  /** How long `open` waits for the first frame. */
  readonly startTimeoutMs?: number;
  readonly now?: () => number;
}

type Discards = Record<DiscardReason | 'no-frame-found', number>;
const noDiscards = (): Discards => ({ garbage: 0, truncated: 0, 'too-large': 0, corrupt: 0, 'no-frame-found': 0 });

/** What a technician's self-test shows of the stream (counted since the driver was made). */
export interface CameraStreamStats {
  readonly frames: number;
  readonly starts: number;
  readonly discardedBytes: Readonly<Discards>;
  readonly stderr: readonly string[];
  readonly lastEnd: string | undefined;
  readonly pid: number | undefined;
}

type FirstOutcome = { kind: 'frame' } | { kind: 'ended'; why: string } | { kind: 'timeout' } | { kind: 'aborted' };

interface Run {
  alive: boolean;
  source: RunningSource | undefined;
}

export class ProgramCamera implements Camera {
  readonly kind = 'camera' as const;
  private readonly cell: StatusCell;
  private readonly watchdog: FrameWatchdog;
  private readonly subscribers = new Set<(f: CameraFrame) => void>();
  private readonly tail = new StderrTail();
  private readonly now: () => number;
  private readonly stallMs: number;
  private run: Run | undefined;
  private firstFrame: ((o: FirstOutcome) => void) | undefined;
  private frames = 0;
  private starts = 0;
  private lastEnd: string | undefined;
  private readonly discards = noDiscards();
  private discardedSinceFrame = noDiscards();

  constructor(private readonly opts: ProgramCameraOptions) {
    this.cell = createStatusCell(opts.driver, opts.log);
    this.now = opts.now ?? (() => performance.now());
    this.stallMs = opts.stallMs ?? 2000;
    this.watchdog = createFrameWatchdog({
      stallMs: this.stallMs,
      now: this.now,
      onStall: (ms) => this.cell.set('fault', this.explain(`sent no frame for ${Math.round(ms)} ms (limit ${this.stallMs} ms)`, { discards: true })),
      onResume: () => this.cell.set('ready'),
    });
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.run?.alive) return this.cell.get();
    await this.stopRun();
    this.cell.set('connecting');
    this.tail.clear();
    this.discardedSinceFrame = noDiscards();
    this.starts++;
    const first = new Promise<FirstOutcome>((resolve) => (this.firstFrame = resolve));
    const run: Run = { alive: true, source: undefined };
    this.run = run;
    run.source = this.opts.source.start({
      frame: (jpeg) => this.onFrame(run, jpeg),
      stderr: (text) => this.onStderr(text),
      discarded: (reason, bytes) => this.onDiscarded(reason, bytes),
      ended: (why) => this.onEnded(run, why),
    });
    const startTimeoutMs = this.opts.startTimeoutMs ?? 10_000;
    const timer = setTimeout(() => this.firstFrame?.({ kind: 'timeout' }), startTimeoutMs);
    const onAbort = (): void => this.firstFrame?.({ kind: 'aborted' });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    const outcome = await first;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    this.firstFrame = undefined;
    switch (outcome.kind) {
      case 'frame':
        this.watchdog.start();
        this.cell.set('ready');
        break;
      case 'ended':
        await this.stopRun();
        // "exited with code 255 before its first frame"; "could not be started (…)" says it all.
        this.cell.set('fault', this.explain(/^(exited|was killed)/.test(outcome.why) ? `${outcome.why} before its first frame` : outcome.why));
        break;
      case 'timeout':
        await this.stopRun();
        this.cell.set('fault', this.explain(`started but sent no frame within ${startTimeoutMs} ms`, { discards: true }));
        break;
      case 'aborted':
        await this.stopRun();
        this.cell.set('disconnected', 'opening the camera was cancelled');
        break;
    }
    return this.cell.get();
  }

  async close(): Promise<void> {
    this.watchdog.stop();
    this.firstFrame?.({ kind: 'aborted' });
    await this.stopRun();
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

  stats(): CameraStreamStats {
    return { frames: this.frames, starts: this.starts, discardedBytes: { ...this.discards }, stderr: this.tail.recent(), lastEnd: this.lastEnd, pid: this.run?.alive ? this.run.source?.pid() : undefined };
  }

  preview(onFrame: (frame: CameraFrame) => void): () => void {
    this.subscribers.add(onFrame);
    return () => this.subscribers.delete(onFrame);
  }

  /** The next complete frame after the call, so the still shows the citizen as they are now. */
  still(opts: { readonly signal?: AbortSignal } = {}): Promise<StillResult> {
    if (!this.run?.alive) return Promise.resolve(notOpenFault('the camera'));
    return nextFrameAsStill((f) => this.preview(f), this.stallMs, opts.signal);
  }

  private onFrame(run: Run, jpeg: Uint8Array): void {
    if (run !== this.run || !run.alive) return;
    this.frames++;
    this.discardedSinceFrame = noDiscards();
    const frame: CameraFrame = { jpeg, width: this.opts.width, height: this.opts.height, at: this.now() };
    this.watchdog.frame(frame.at);
    this.firstFrame?.({ kind: 'frame' });
    for (const s of [...this.subscribers]) s(frame);
  }

  private onStderr(text: string): void {
    for (const line of this.tail.push(text)) this.opts.log.debug({ program: this.opts.source.name, line }, 'camera program said');
  }

  private onDiscarded(reason: DiscardReason | 'no-frame-found', bytes: number): void {
    this.discards[reason] += bytes;
    this.discardedSinceFrame[reason] += bytes;
    this.opts.log.debug({ reason, bytes }, 'camera stream bytes discarded');
  }

  private onEnded(run: Run, why: string): void {
    if (run !== this.run || !run.alive) return;
    run.alive = false;
    this.lastEnd = why;
    if (this.firstFrame) {
      this.firstFrame({ kind: 'ended', why });
      return;
    }
    this.watchdog.stop();
    this.cell.set('fault', this.explain(why));
  }

  private async stopRun(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (!run) return;
    run.alive = false;
    await run.source?.stop();
  }

  /** "<program> <what happened>: "<its last error line>"; <what discarded>; <next thing to check>". */
  private explain(what: string, o: { discards?: boolean } = {}): string {
    const line = this.tail.reason();
    const parts = [`${this.opts.source.name} ${what}`];
    if (line) parts[0] += `: "${line}"`;
    if (o.discards) {
      const d = Object.entries(this.discardedSinceFrame).filter(([, n]) => n > 0);
      if (d.length > 0) parts.push(`bytes thrown away since the last frame: ${d.map(([k, n]) => `${n} ${k}`).join(', ')}`);
    }
    const advice = this.opts.source.advice?.(what, line);
    if (advice) parts.push(advice);
    return parts.join('; ');
  }
}
