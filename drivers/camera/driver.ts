/**
 * Role (camera driver, legacy stack): the Pi camera through pi-camera-connect, which runs
 * `raspivid` (transport.ts says what the adapter guards against). Kept for kiosks on the legacy
 * camera stack; Raspberry Pi OS Bookworm, the install target, has no raspivid: there the
 * `rpicam` driver (rpicam/driver.ts) runs `rpicam-vid`. Both share the program-camera core:
 * `ready` on the first frame, a fault that says why when the program ends or the stream goes
 * silent, `close()` that leaves no process behind.
 *
 * The stream runs at the still resolution (default 1280 × 960, eye distance ≥ 90 px at kiosk
 * distance; docs/facts/camera.md) and stills are the next frame from it.
 */
import { DEFAULT_MAX_FRAME_BYTES } from './mjpeg';
import { ProgramCamera, type CameraProgramOptions } from './program-camera';
import { legacyStreamSource, piCameraConnectSource, RASPIVID, type StreamSourceFactory, type StreamSourceOptions } from './transport';

/** `command`: `raspivid` on the PATH, or a path to a program named raspivid (pi-camera-connect runs that name). */
export interface PiCameraOptions extends Partial<StreamSourceOptions>, CameraProgramOptions {
  /** Injected for tests; defaults to pi-camera-connect. */
  readonly source?: StreamSourceFactory;
}

export class PiCamera extends ProgramCamera {
  constructor(opts: PiCameraOptions) {
    const stream: StreamSourceOptions = { width: opts.width ?? 1280, height: opts.height ?? 960, fps: opts.fps ?? 15, rotation: opts.rotation ?? 0, flip: opts.flip ?? 'none' };
    super({
      driver: 'pi',
      source: legacyStreamSource({
        command: opts.command ?? RASPIVID,
        factory: opts.source ?? piCameraConnectSource,
        stream,
        maxFrameBytes: opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
        killAfterMs: opts.killAfterMs ?? 2000,
      }),
      log: opts.log,
      width: stream.width,
      height: stream.height,
      ...(opts.stallMs === undefined ? {} : { stallMs: opts.stallMs }),
      ...(opts.startTimeoutMs === undefined ? {} : { startTimeoutMs: opts.startTimeoutMs }),
      ...(opts.now === undefined ? {} : { now: opts.now }),
    });
  }
}
