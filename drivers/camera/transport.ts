/**
 * Role (camera transport, legacy stack): the only file that touches pi-camera-connect, which
 * runs `raspivid` (Raspberry Pi OS up to Buster, or Bullseye 32-bit with "Legacy camera" on;
 * Bookworm has no raspivid: use the rpicam driver there). It is imported dynamically, inside a
 * function, so the controller typechecks, tests and runs the simulator without it.
 *
 * What pi-camera-connect 0.3.4 does (node_modules/pi-camera-connect/dist/lib/stream-camera.js),
 * and what this adapter does about it:
 * - every piece of raspivid's stderr is emitted as an 'error' event, and an 'error' event with no
 *   listener throws out of the data handler and kills the process: we listen, and pass the text
 *   on as the program's stderr (information, not a fault);
 * - it spawns `raspivid` by name, from PATH: to run the configured program, its folder goes in
 *   front of PATH for the one synchronous call that spawns it (the name must stay `raspivid`);
 * - startCapture() never settles when raspivid exits before its first byte: we watch the child
 *   process (its 'close' gives the exit code) and end the stream with its reason;
 * - stopCapture() sends SIGTERM and does not wait: we wait for the exit, and SIGKILL after
 *   `killAfterMs`, so a reconnect never finds the camera still held;
 * - it finds frames by raspivid's own header bytes and keeps everything since the last one in
 *   a buffer that grows without limit when they never come: we count the bytes it has been given
 *   since its last frame, and stop the stream past `maxFrameBytes`.
 */
import { ChildProcess } from 'node:child_process';
import { basename, dirname } from 'node:path';
import type { Readable } from 'node:stream';
import type { FrameSource } from './program-camera';
import { describeEnd, reap, type ProgramEnd } from './program';

/** A running MJPEG stream: every 'frame' is one complete JPEG. */
export interface StreamSource {
  startCapture(): Promise<void>;
  stopCapture(): Promise<void>;
  on(event: 'frame', listener: (jpeg: Uint8Array) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  removeListener(event: 'frame', listener: (jpeg: Uint8Array) => void): unknown;
  /** pi-camera-connect's raw stdout copy. */
  createStream?(): Readable;
}

export interface StreamSourceOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly rotation?: 0 | 90 | 180 | 270;
  readonly flip?: 'none' | 'horizontal' | 'vertical' | 'both';
}

export type StreamSourceFactory = (opts: StreamSourceOptions) => Promise<StreamSource>;

function isStreamSource(x: unknown): x is StreamSource {
  if (typeof x !== 'object' || x === null) return false;
  return ['startCapture', 'stopCapture', 'on', 'removeListener'].every((k) => typeof Reflect.get(x, k) === 'function');
}

function member(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null ? Reflect.get(o, key) : undefined;
}

/** Opens a pi-camera-connect StreamCamera in MJPEG mode. Throws if the package is missing. */
export const piCameraConnectSource: StreamSourceFactory = async (opts) => {
  // A variable specifier keeps TypeScript and bundlers from resolving a package that may be absent.
  const specifier = 'pi-camera-connect';
  const mod: unknown = await import(specifier);
  const lib = member(mod, 'StreamCamera') === undefined ? member(mod, 'default') : mod;
  const StreamCamera = member(lib, 'StreamCamera');
  const mjpeg = member(member(lib, 'Codec'), 'MJPEG');
  if (typeof StreamCamera !== 'function' || mjpeg === undefined) throw new Error('pi-camera-connect: StreamCamera / Codec.MJPEG not found');
  const flip = member(member(lib, 'Flip'), { none: 'None', horizontal: 'Horizontal', vertical: 'Vertical', both: 'Both' }[opts.flip ?? 'none']);
  const camera: unknown = Reflect.construct(StreamCamera, [
    { codec: mjpeg, width: opts.width, height: opts.height, fps: opts.fps, rotation: opts.rotation ?? 0, ...(flip === undefined ? {} : { flip }) },
  ]);
  if (!isStreamSource(camera)) throw new Error('pi-camera-connect: StreamCamera lacks startCapture/stopCapture/on');
  return camera;
};

/** The program pi-camera-connect runs; a path's last part must be this. */
export const RASPIVID = 'raspivid';

/**
 * Runs `spawnNow` (which spawns `raspivid` by name, synchronously) with the configured
 * program's folder first on PATH. Nothing else runs in between: the change is not seen by any
 * other code.
 */
function withProgramOnPath<T>(command: string, spawnNow: () => T): T {
  if (!command.includes('/')) return spawnNow();
  const saved = process.env.PATH;
  process.env.PATH = saved ? `${dirname(command)}:${saved}` : dirname(command);
  try {
    return spawnNow();
  } finally {
    if (saved === undefined) delete process.env.PATH;
    else process.env.PATH = saved;
  }
}

/** pi-camera-connect keeps its child process in a private field; it is the only way to know how raspivid ended. */
function childOf(camera: StreamSource): ChildProcess | undefined {
  const child: unknown = Reflect.get(camera, 'childProcess');
  return child instanceof ChildProcess ? child : undefined;
}

export interface LegacySourceOptions {
  readonly command: string;
  readonly factory: StreamSourceFactory;
  readonly stream: StreamSourceOptions;
  /** Bytes pi-camera-connect may be given without finding a frame before the stream is stopped. */
  readonly maxFrameBytes: number;
  readonly killAfterMs: number;
}

/** The next thing to check, from how raspivid ended and its last line (Raspberry Pi's raspicam troubleshooting). */
export function raspividAdvice(command: string, why: string, line: string | undefined): string | undefined {
  const l = line ?? '';
  if (/ENOENT|Could not start capture/.test(why)) {
    return `${command} is not installed: Raspberry Pi OS Bookworm (and every OS on a Pi 5) has only the current camera stack; set devices.camera.driver to "rpicam"`;
  }
  if (/ENOSPC/.test(l)) return 'the camera ran out of GPU memory: set gpu_mem=128 or more in config.txt';
  if (/ENOMEM|Failed to create camera component|Camera is not enabled|Camera is not detected/i.test(l)) {
    return 'the camera is not starting: check the ribbon cable at both ends and that the legacy camera is enabled in raspi-config';
  }
  if (/without a complete frame/.test(why)) return 'the stream is not raspivid MJPEG: check that devices.camera.command is raspivid';
  return undefined;
}

export function legacyStreamSource(o: LegacySourceOptions): FrameSource {
  return {
    name: o.command.includes('/') ? `raspivid (${o.command}, through pi-camera-connect)` : 'raspivid (through pi-camera-connect)',
    advice: (why, line) => raspividAdvice(o.command, why, line),
    start(events) {
      let ended = false;
      let child: ChildProcess | undefined;
      const end = (why: string): void => {
        if (ended) return;
        ended = true;
        events.ended(why);
      };
      const opened: Promise<StreamSource | undefined> = (async () => {
        if (o.command.includes('/') && basename(o.command) !== RASPIVID) {
          end(`cannot be run: pi-camera-connect runs a program named ${RASPIVID}, and ${o.command} is not`);
          return undefined;
        }
        let camera: StreamSource;
        try {
          camera = await o.factory(o.stream);
        } catch (e) {
          end(`could not be loaded (${e instanceof Error ? e.message : String(e)})`);
          return undefined;
        }
        let sinceFrame = 0;
        camera.on('error', (err) => events.stderr(`${err.message}\n`));
        camera.on('frame', (jpeg) => {
          sinceFrame = 0;
          events.frame(jpeg);
        });
        camera.createStream?.().on('data', (chunk: Buffer) => {
          sinceFrame += chunk.length;
          if (sinceFrame > o.maxFrameBytes && !ended) {
            events.discarded('no-frame-found', sinceFrame);
            end(`sent ${sinceFrame} bytes without a complete frame (limit ${o.maxFrameBytes})`);
            void stop();
          }
        });
        const capture = withProgramOnPath(o.command, () => camera.startCapture());
        child = childOf(camera);
        if (child) {
          let spawnError: NodeJS.ErrnoException | undefined;
          child.on('error', (e: NodeJS.ErrnoException) => {
            if (child?.pid === undefined) spawnError ??= e;
          });
          child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
            const how: ProgramEnd = spawnError ? { kind: 'not-started', code: spawnError.code, message: spawnError.message } : { kind: 'exited', code, signal };
            end(describeEnd(how));
          });
        } else {
          camera.on('close', () => end('closed its stream'));
        }
        capture.catch((e: unknown) => {
          // With the child in hand its 'close' says more than pi-camera-connect's generic message.
          if (!child) end(`could not be started (${e instanceof Error ? e.message : String(e)})`);
        });
        return camera;
      })();
      let stopped: Promise<void> | undefined;
      const stop = (): Promise<void> =>
        (stopped ??= (async () => {
          const camera = await opened;
          if (!camera) return;
          await camera.stopCapture().catch(() => undefined);
          if (child) await reap(child, o.killAfterMs);
        })());
      return { pid: () => child?.pid, stop };
    },
  };
}
