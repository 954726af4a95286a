/**
 * Role (camera protocol): `rpicam-vid`'s command line for one endless MJPEG stream on stdout,
 * and what its last words mean, by the option names and messages of rpicam-apps
 * (docs/facts/camera.md has each one with its source).
 */

export interface RpicamVidOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** MJPEG quality, 1–100 (rpicam-vid's default is 50). */
  readonly quality: number;
  /** Index in `rpicam-vid --list-cameras`. */
  readonly camera: number;
  /** rpicam-apps accept only 0 and 180. */
  readonly rotation: 0 | 180;
  readonly hflip: boolean;
  readonly vflip: boolean;
  /** Anything else the installation needs (a tuning file, autofocus mode), passed as is. */
  readonly extraArgs: readonly string[];
}

export function rpicamVidArgs(o: RpicamVidOptions): string[] {
  return [
    // Run until stopped (the default is 5 s).
    '--timeout', '0',
    // No preview window: on a kiosk it would open over the touchscreen page.
    '--nopreview',
    '--codec', 'mjpeg',
    '--quality', String(o.quality),
    '--width', String(o.width),
    '--height', String(o.height),
    '--framerate', String(o.fps),
    ...(o.camera === 0 ? [] : ['--camera', String(o.camera)]),
    ...(o.rotation === 180 ? ['--rotation', '180'] : []),
    ...(o.hflip ? ['--hflip'] : []),
    ...(o.vflip ? ['--vflip'] : []),
    ...o.extraArgs,
    // stdout is a pipe, which the C library buffers: without --flush a frame's tail waits for the next frame.
    '--flush',
    '--output', '-',
  ];
}

/** The next thing to check, from how rpicam-vid ended and the line it left on stderr. */
export function rpicamAdvice(command: string, why: string, lastLine: string | undefined): string | undefined {
  const line = lastLine ?? '';
  if (/could not be started/.test(why) && /ENOENT/.test(why)) {
    return `${command} is not installed: install the rpicam-apps package (sudo apt install rpicam-apps), or set devices.camera.command to where it is`;
  }
  if (/could not be started/.test(why) && /EACCES/.test(why)) return `${command} cannot be run: check that it is executable by the kiosk's user`;
  if (/no cameras available|selected camera is not available/.test(line)) {
    return 'no camera found: check the ribbon cable at both ends (contacts the right way round) and camera_auto_detect=1 in /boot/firmware/config.txt, then `rpicam-hello --list-cameras`';
  }
  if (/failed to acquire camera/.test(line)) return 'another program holds the camera: stop it (`fuser -v /dev/media*`), or restart the kiosk';
  if (/legacy camera stack/.test(line)) return 'the Pi is set up for the legacy camera stack: turn "Legacy camera" off in raspi-config, or set devices.camera.driver to "pi-camera-connect"';
  if (/unrecognised option|invalid option|the required argument/i.test(line)) return 'rpicam-vid refused an argument: check devices.camera.extraArgs against `rpicam-vid --help`';
  if (/Device timeout detected/.test(line)) return 'the camera stopped answering: check the ribbon cable and the power supply';
  if (/sent no frame/.test(why)) return 'the camera runs but delivers no pictures: check the ribbon cable, then `rpicam-hello -t 5000`';
  return undefined;
}
