/**
 * Role (camera transport): the only file that touches pi-camera-connect. It is imported
 * dynamically, inside a function, so the controller typechecks, tests and runs the simulator on
 * machines without the package (and without a Pi); the driver (driver.ts) sees only the small
 * `StreamSource` interface below, which tests fake.
 *
 * pi-camera-connect drives `raspivid` (legacy camera stack); on a libcamera-only OS image it
 * needs the legacy stack enabled, or this adapter replaced by one on
 * `rpicam-vid --codec mjpeg`.
 */

/** A running MJPEG stream: every 'frame' is one complete JPEG. */
export interface StreamSource {
  startCapture(): Promise<void>;
  stopCapture(): Promise<void>;
  on(event: 'frame', listener: (jpeg: Uint8Array) => void): unknown;
  removeListener(event: 'frame', listener: (jpeg: Uint8Array) => void): unknown;
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
