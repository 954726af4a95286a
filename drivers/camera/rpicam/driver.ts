/**
 * Role (camera driver): the Pi camera on the current camera stack (libcamera; Raspberry Pi OS
 * Bookworm and later, every Pi 5): `rpicam-vid` writing MJPEG on stdout, split into frames by
 * mjpeg.ts, behind the shared program-camera core (status, watchdog, faults that say why).
 */
import { DEFAULT_MAX_FRAME_BYTES, MjpegSplitter } from '../mjpeg';
import { ProgramCamera, type CameraProgramOptions, type FrameSource } from '../program-camera';
import { describeEnd, startProgram } from '../program';
import { rpicamAdvice, rpicamVidArgs, type RpicamVidOptions } from './protocol';

/** `command`: `rpicam-vid` on the PATH, or a path to it (or to a stand-in, in tests). */
export interface RpicamCameraOptions extends Partial<RpicamVidOptions>, CameraProgramOptions {}

export function rpicamSource(command: string, args: readonly string[], o: { maxFrameBytes: number; killAfterMs?: number }): FrameSource {
  return {
    name: command.includes('/') ? `rpicam-vid (${command})` : command,
    start(events) {
      const splitter = new MjpegSplitter({ maxFrameBytes: o.maxFrameBytes });
      const program = startProgram(
        { command, args, ...(o.killAfterMs === undefined ? {} : { killAfterMs: o.killAfterMs }) },
        {
          stdout: (chunk) => {
            for (const piece of splitter.push(chunk)) {
              if (piece.kind === 'frame') events.frame(piece.jpeg);
              else events.discarded(piece.reason, piece.bytes);
            }
          },
          stderr: (text) => events.stderr(text),
          ended: (how) => {
            for (const piece of splitter.end()) if (piece.kind === 'discarded') events.discarded(piece.reason, piece.bytes);
            events.ended(describeEnd(how));
          },
        },
      );
      return { pid: () => program.pid, stop: () => program.stop() };
    },
    advice: (why, line) => rpicamAdvice(command, why, line),
  };
}

/** The rpicam-vid camera: one stream at the still resolution (default 1280 × 960 at 15 fps). */
export function createRpicamCamera(o: RpicamCameraOptions): ProgramCamera {
  const vid: RpicamVidOptions = {
    width: o.width ?? 1280,
    height: o.height ?? 960,
    fps: o.fps ?? 15,
    quality: o.quality ?? 80,
    camera: o.camera ?? 0,
    rotation: o.rotation ?? 0,
    hflip: o.hflip ?? false,
    vflip: o.vflip ?? false,
    extraArgs: o.extraArgs ?? [],
  };
  const source = rpicamSource(o.command ?? 'rpicam-vid', rpicamVidArgs(vid), {
    maxFrameBytes: o.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    ...(o.killAfterMs === undefined ? {} : { killAfterMs: o.killAfterMs }),
  });
  return new ProgramCamera({
    driver: 'rpicam',
    source,
    log: o.log,
    width: vid.width,
    height: vid.height,
    ...(o.stallMs === undefined ? {} : { stallMs: o.stallMs }),
    ...(o.startTimeoutMs === undefined ? {} : { startTimeoutMs: o.startTimeoutMs }),
    ...(o.now === undefined ? {} : { now: o.now }),
  });
}
