/**
 * Role (camera sim): the simulated camera. There is no wire to simulate (the camera is a
 * program's MJPEG stream), so this is device and driver in one: it serves JPEG frames derived
 * from photos (a folder or in-memory images) at a set frame rate, and can be told to misbehave
 * the way a kiosk camera does in the field: nobody there, two people, too dark, out of focus,
 * off to one side, head turned, or the stream simply stops (`stopped`), which the frame
 * watchdog reports as a `fault` after `stallMs`. Its cable can be pulled (`unplug()`: a fault at
 * once, as the camera program dies when its camera goes; every open fails until `replug()`).
 *
 * A source file named `<scenario>*.jpg|png` in the folder (e.g. `turned-head-1.jpg`) is served
 * as is for that scenario instead of the derived frame.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Camera, CameraFrame, DeviceStatus, StillResult } from '../types';
import { fault, notOpenFault } from '../errors';
import { silentLog, type DeviceLog } from '../log';
import { renderScenario, SIM_SCENARIOS, type FrameSize, type SimScenario } from './sim-frames';
import { createFrameWatchdog, createStatusCell, type FrameWatchdog, type StatusCell } from './status';
import sharp from 'sharp';
import { nextFrameAsStill } from './next-frame';

export type { SimScenario } from './sim-frames';

export interface SimCameraOptions {
  /** Quiet when absent; createSimCamera (what the kiosk uses) requires one. */
  readonly log?: DeviceLog;
  /** A folder of photos (jpg/jpeg/png/webp), or encoded images in memory. */
  readonly source: { readonly folder: string } | { readonly images: readonly Uint8Array[] };
  readonly fps?: number;
  readonly width?: number;
  readonly height?: number;
  /** No frame for this long → status `fault` (timeout). */
  readonly stallMs?: number;
  readonly scenario?: SimScenario;
  readonly now?: () => number;
}

interface Sources {
  readonly base: Uint8Array[];
  readonly byScenario: Map<SimScenario, Uint8Array[]>;
}

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp']);

async function loadSources(source: SimCameraOptions['source']): Promise<Sources> {
  if ('images' in source) return { base: [...source.images], byScenario: new Map() };
  const names = (await readdir(source.folder)).filter((n) => IMAGE_EXT.has(extname(n).toLowerCase())).sort();
  const base: Uint8Array[] = [];
  const byScenario = new Map<SimScenario, Uint8Array[]>();
  for (const name of names) {
    const bytes = new Uint8Array(await readFile(join(source.folder, name)));
    const scenario = SIM_SCENARIOS.find((s) => s !== 'normal' && basename(name).startsWith(s));
    if (scenario) byScenario.set(scenario, [...(byScenario.get(scenario) ?? []), bytes]);
    else base.push(bytes);
  }
  return { base, byScenario };
}

export class SimCamera implements Camera {
  readonly kind = 'camera' as const;
  private readonly cell: StatusCell;
  private readonly fps: number;
  private readonly size: FrameSize;
  private readonly now: () => number;
  private readonly watchdog: FrameWatchdog;
  private readonly subscribers = new Set<(f: CameraFrame) => void>();
  private readonly rendered = new Map<SimScenario, Promise<Uint8Array[]>>();
  private scenario: SimScenario;
  private serving: Uint8Array[] = [];
  private sources: Sources | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private index = 0;
  private plugged = true;

  constructor(private readonly opts: SimCameraOptions) {
    this.cell = createStatusCell('sim', opts.log ?? silentLog);
    this.fps = opts.fps ?? 15;
    this.size = { width: opts.width ?? 640, height: opts.height ?? 480 };
    this.now = opts.now ?? (() => performance.now());
    this.scenario = opts.scenario ?? 'normal';
    const stallMs = opts.stallMs ?? 2000;
    this.watchdog = createFrameWatchdog({
      stallMs,
      now: this.now,
      onStall: (ms) => this.cell.set('fault', `no frame for ${Math.round(ms)} ms (stall limit ${stallMs} ms)`),
      onResume: () => this.cell.set('ready'),
    });
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    this.cell.set('connecting');
    if (!this.plugged) {
      // What rpicam-vid says when its camera is gone ("no cameras available"), in the simulator's words.
      this.cell.set('fault', 'simulator: no camera found, the camera is unplugged');
      return this.cell.get();
    }
    try {
      this.sources ??= await loadSources(this.opts.source);
      if (this.sources.base.length === 0) throw new Error('no source images');
      signal?.throwIfAborted();
      this.serving = await this.framesFor(this.scenario);
    } catch (e) {
      this.cell.set('fault', `simulator: ${e instanceof Error ? e.message : String(e)}`);
      return this.cell.get();
    }
    this.timer ??= setInterval(() => this.tick(), 1000 / this.fps);
    this.watchdog.start();
    this.cell.set('ready');
    return this.cell.get();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watchdog.stop();
    this.cell.set('disconnected');
  }

  status(): DeviceStatus {
    return this.cell.get();
  }

  onStatus(listener: (s: DeviceStatus) => void): () => void {
    return this.cell.onStatus(listener);
  }

  /** Monotonic ms of the last frame served, for consumers that watch freshness themselves. */
  lastFrameAt(): number | undefined {
    return this.watchdog.lastFrameAt();
  }

  /**
   * The cable is pulled: the running stream ends at once (a fault saying so), and the camera
   * cannot be opened until it is plugged back.
   */
  unplug(): void {
    this.plugged = false;
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.watchdog.stop();
    this.cell.set('fault', 'simulator: the camera was unplugged');
  }

  /** The cable is back: the next open works. A stream that ended stays ended until then. */
  replug(): void {
    this.plugged = true;
  }

  /** Whether the camera is there to be opened (its cable is in), open or not. */
  present(): Promise<boolean> {
    return Promise.resolve(this.plugged);
  }

  /** Switch what the camera "sees". Resolves once the new frames are being served. */
  async setScenario(scenario: SimScenario): Promise<void> {
    this.scenario = scenario;
    const frames = await this.framesFor(scenario);
    if (this.scenario === scenario) this.serving = frames;
  }

  preview(onFrame: (frame: CameraFrame) => void): () => void {
    this.subscribers.add(onFrame);
    return () => this.subscribers.delete(onFrame);
  }

  still(opts: { readonly signal?: AbortSignal } = {}): Promise<StillResult> {
    if (!this.timer) return Promise.resolve(this.plugged ? notOpenFault('the camera') : fault('unplugged', 'the camera is unplugged'));
    return nextFrameAsStill((f) => this.preview(f), this.opts.stallMs ?? 2000, opts.signal);
  }

  private framesFor(scenario: SimScenario): Promise<Uint8Array[]> {
    let p = this.rendered.get(scenario);
    if (!p) {
      p = this.render(scenario);
      this.rendered.set(scenario, p);
    }
    return p;
  }

  private async render(scenario: SimScenario): Promise<Uint8Array[]> {
    const sources = this.sources ?? (this.sources = await loadSources(this.opts.source));
    const own = sources.byScenario.get(scenario);
    if (own) {
      return Promise.all(own.map(async (b) => new Uint8Array(await sharp(b).rotate().resize(this.size.width, this.size.height, { fit: 'cover' }).jpeg({ quality: 80 }).toBuffer())));
    }
    const out: Uint8Array[] = [];
    for (const b of sources.base) {
      const f = await renderScenario(b, scenario, this.size);
      if (f) out.push(f);
    }
    return out;
  }

  private tick(): void {
    if (this.scenario === 'stopped' || this.serving.length === 0) return;
    const jpeg = this.serving[this.index++ % this.serving.length];
    if (!jpeg) return;
    const frame: CameraFrame = { jpeg, width: this.size.width, height: this.size.height, at: this.now() };
    this.watchdog.frame(frame.at);
    for (const s of [...this.subscribers]) s(frame);
  }
}

export function createSimCamera(opts: SimCameraOptions & { readonly log: DeviceLog }): SimCamera {
  return new SimCamera(opts);
}
