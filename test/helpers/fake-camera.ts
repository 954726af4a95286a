/**
 * Test helper, run as a real child process: a stand-in for the Raspberry Pi camera programs
 * (`rpicam-vid` on the current camera stack, `raspivid` on the legacy one) for the camera
 * driver tests. It reads the real program's command line as that program would (unknown options
 * and anything but an MJPEG stream on stdout are refused, as the real one refuses them), writes
 * MJPEG frames on stdout at the asked size and frame rate, and misbehaves as told: log noise on
 * stderr, junk between frames, dying mid-stream (mid-frame), refusing to start, hanging with no
 * frames, a frame that never ends, ignoring SIGTERM.
 *
 *   node --import tsx fake-camera.ts --as rpicam-vid|raspivid --behaviour '<json>' -- <the program's own arguments>
 *
 * test/helpers/fake-camera-program.ts writes the wrapper script, named like the real program,
 * that a driver is pointed at through config.
 *
 * What the two programs write, as the fake copies it (docs/facts/camera.md):
 * - rpicam-vid: libcamera log lines on stderr from the start ("INFO Camera camera_manager.cpp…"),
 *   "ERROR: *** <what> *** " and exit status 255 when it cannot run (rpicam-apps
 *   apps/rpicam_vid.cpp), e.g. "no cameras available" (core/rpicam_app.cpp).
 * - raspivid: each MJPEG frame starts FF D8 FF DB 00 84 00 (one DQT segment with both tables):
 *   pi-camera-connect finds frames by exactly that signature, so the fake writes its frames so.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

export interface FakeCameraBehaviour {
  /** Frames to write before `then` happens; unlimited when absent. */
  readonly frames?: number;
  /** After `frames`: exit (with `exitCode`, after half a frame), hang (alive, silent), or start a frame that never ends. */
  readonly then?: 'exit' | 'hang' | 'no-eoi';
  readonly exitCode?: number;
  /** Last words on stderr before `then: 'exit'`. */
  readonly lastWords?: string;
  /** Refuse to start: write this on stderr (as the program's error line) and exit with `exitCode` (default 255). */
  readonly refuse?: string;
  /** libcamera/raspivid-style log lines on stderr at the start and every few frames. */
  readonly noise?: boolean;
  /** Junk bytes (no FF D8 in them) between frames. */
  readonly garbage?: boolean;
  /** Write each frame in pieces of at most this many bytes. */
  readonly chunk?: number;
  readonly ignoreSigterm?: boolean;
  /** Written at start: this process's pid, so a test can check the driver left no process behind. */
  readonly pidFile?: string;
  /** Written at start: the arguments the program was given, as JSON. */
  readonly argvFile?: string;
  /** Milliseconds between start and the first frame (the camera starting). */
  readonly startDelayMs?: number;
  /** An image (jpg/png) to serve, resized to the asked size; a synthetic picture when absent. */
  readonly image?: string;
}

type Program = 'rpicam-vid' | 'raspivid';

interface Asked {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  readonly timeoutMs: number;
}

class Refusal extends Error {}

/** rpicam-vid's options that take a value, and those that don't (rpicam-apps core/options.cpp, video_options.hpp). */
const RPICAM_VALUE = new Set(['-t', '--timeout', '-o', '--output', '--width', '--height', '--framerate', '--codec', '-q', '--quality', '--camera', '--rotation', '-v', '--verbose', '--tuning-file', '--autofocus-mode', '--lens-position', '--awb', '--ev', '--shutter', '--gain', '--denoise', '--mode', '--roi', '--metering', '--exposure', '-b', '--bitrate']);
const RPICAM_FLAG = new Set(['-n', '--nopreview', '--flush', '--hflip', '--vflip', '--inline']);
/** raspivid's, as pi-camera-connect passes them (lib/stream-camera.js, lib/shared-args.js). */
const RASPIVID_VALUE = new Set(['-t', '--timeout', '-o', '--output', '-w', '--width', '-h', '--height', '-fps', '--framerate', '-cd', '--codec', '-b', '--bitrate', '-rot', '--rotation', '-md', '--mode', '-ss', '--shutter', '-sh', '--sharpness', '-co', '--contrast', '-br', '--brightness', '-sa', '--saturation', '-ISO', '--ISO', '-ev', '--ev', '-ex', '--exposure', '-awb', '--awb']);
const RASPIVID_FLAG = new Set(['-n', '--nopreview', '-hf', '--hflip', '-vf', '--vflip']);

function parseArgs(program: Program, args: readonly string[]): Asked {
  const valued = program === 'rpicam-vid' ? RPICAM_VALUE : RASPIVID_VALUE;
  const flags = program === 'rpicam-vid' ? RPICAM_FLAG : RASPIVID_FLAG;
  const v = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (flags.has(a)) continue;
    if (!valued.has(a)) throw new Refusal(program === 'rpicam-vid' ? `unrecognised option '${a}'` : `Invalid command line option (${a})`);
    const value = args[++i];
    if (value === undefined) throw new Refusal(`the required argument for option '${a}' is missing`);
    v.set(a.replace(/^-+/, ''), value);
  }
  const get = (...names: string[]): string | undefined => names.map((n) => v.get(n)).find((x) => x !== undefined);
  const codec = get('codec', 'cd');
  if (program === 'rpicam-vid' ? codec !== 'mjpeg' : codec !== 'MJPEG') throw new Refusal(`the fake camera only makes MJPEG, asked for codec ${codec ?? '(default h264)'}`);
  if (get('output', 'o') !== '-') throw new Refusal(`the fake camera only writes to stdout (-o -), asked for ${get('output', 'o') ?? 'no output'}`);
  const num = (x: string | undefined, dflt: number): number => (x === undefined ? dflt : Number(x));
  return {
    width: num(get('width', 'w'), 640),
    height: num(get('height', 'h'), 480),
    fps: num(get('framerate', 'fps'), 30),
    timeoutMs: num(get('timeout', 't'), 5000),
  };
}

interface Segment {
  readonly marker: number;
  readonly body: Uint8Array;
}

/** The segments of a baseline JPEG up to the scan, and the scan data with its EOI. */
function segmentsOf(jpeg: Uint8Array): { segments: Segment[]; scan: Uint8Array } {
  const segments: Segment[] = [];
  let i = 2;
  for (;;) {
    const marker = jpeg[i + 1] ?? 0;
    const len = ((jpeg[i + 2] ?? 0) << 8) | (jpeg[i + 3] ?? 0);
    const body = jpeg.subarray(i + 4, i + 2 + len);
    if (marker === 0xda) return { segments, scan: jpeg.subarray(i) };
    segments.push({ marker, body });
    i += 2 + len;
  }
}

const seg = (marker: number, body: Uint8Array): Uint8Array => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);

/**
 * Frame `n` as the program would write it, with a COM segment "frame <n>" so a test can tell
 * frames apart. raspivid's layout: no APPn, both quantisation tables in one DQT right after SOI.
 */
function frameMaker(program: Program, base: Uint8Array): (n: number) => Uint8Array {
  const { segments, scan } = segmentsOf(base);
  const dqt = segments.filter((s) => s.marker === 0xdb);
  const rest = segments.filter((s) => s.marker !== 0xdb && !(s.marker >= 0xe0 && s.marker <= 0xef));
  const app = segments.filter((s) => s.marker >= 0xe0 && s.marker <= 0xef);
  const soi = Buffer.from([0xff, 0xd8]);
  return (n) => {
    const com = seg(0xfe, Buffer.from(`frame ${n}`));
    const parts =
      program === 'raspivid'
        ? [soi, seg(0xdb, Buffer.concat(dqt.map((s) => s.body))), com, ...rest.map((s) => seg(s.marker, s.body)), scan]
        : [soi, ...app.map((s) => seg(s.marker, s.body)), com, ...dqt.map((s) => seg(s.marker, s.body)), ...rest.map((s) => seg(s.marker, s.body)), scan];
    return Buffer.concat(parts);
  };
}

async function basePicture(asked: Asked, image: string | undefined): Promise<Uint8Array> {
  // Separate DQT tables, no progressive scans, no restart markers: the layout of libjpeg's default output.
  const opts = { quality: 80, mozjpeg: false, chromaSubsampling: '4:2:0' } as const;
  if (image) return new Uint8Array(await sharp(image).rotate().removeAlpha().resize(asked.width, asked.height, { fit: 'cover' }).jpeg(opts).toBuffer());
  // A picture with detail in it, so frames are the size a real scene gives (tens of kilobytes).
  const raw = Buffer.alloc(asked.width * asked.height * 3);
  for (let y = 0; y < asked.height; y++) {
    for (let x = 0; x < asked.width; x++) {
      const o = (y * asked.width + x) * 3;
      raw[o] = (x * 7 + y * 3) & 0xff;
      raw[o + 1] = ((x ^ y) * 5) & 0xff;
      raw[o + 2] = ((x * y) >> 4) & 0xff;
    }
  }
  return new Uint8Array(await sharp(raw, { raw: { width: asked.width, height: asked.height, channels: 3 } }).jpeg(opts).toBuffer());
}

const NOISE: Record<Program, readonly string[]> = {
  'rpicam-vid': [
    '[0:02:11.466358521] [1874]  INFO Camera camera_manager.cpp:325 libcamera v0.3.0+65-6ddd79b5',
    '[0:02:11.497935611] [1877]  WARN RPiSdn sdn.cpp:40 Using legacy SDN tuning - please consider moving SDN inside rpi.denoise',
    '[0:02:11.500402148] [1877]  INFO RPI vc4.cpp:447 Registered camera /base/soc/i2c0mux/i2c@1/imx219@10 to Unicam device /dev/media3 and ISP device /dev/media0',
    '[0:02:11.505512964] [1874]  INFO Camera camera.cpp:1183 configuring streams: (0) 1280x960-YUV420 (1) 1640x1232-SBGGR10_CSI2P',
    '#42 (15.00 fps) exp 33240.00 ag 2.00 dg 1.01',
  ],
  raspivid: ['mmal: mmal_vc_port_info_set: failed to set port info (1:0): EINVAL', 'Camera App (raspivid) settings: frame rate 15'],
};

/** Bytes that never contain FF D8 (a real program's stray output, a log line on the wrong stream). */
const GARBAGE = Buffer.from('Recording started\n\u0000\u0001junk\xff\x00 between frames\n', 'latin1');

function waitWritable(): Promise<void> {
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

async function write(bytes: Uint8Array, chunk: number | undefined): Promise<void> {
  const step = chunk && chunk > 0 ? chunk : bytes.length;
  for (let i = 0; i < bytes.length; i += step) {
    if (!process.stdout.write(bytes.subarray(i, i + step))) await waitWritable();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  const own = sep < 0 ? argv : argv.slice(0, sep);
  const programArgs = sep < 0 ? [] : argv.slice(sep + 1);
  const as = own[own.indexOf('--as') + 1];
  const program: Program = as === 'raspivid' ? 'raspivid' : 'rpicam-vid';
  const behaviourAt = own.indexOf('--behaviour');
  const parsed: unknown = behaviourAt < 0 ? {} : JSON.parse(own[behaviourAt + 1] ?? '{}');
  const b: FakeCameraBehaviour = typeof parsed === 'object' && parsed !== null ? parsed : {};

  // Written whole (a rename), so a reader never sees the file without its pid.
  if (b.pidFile) {
    writeFileSync(`${b.pidFile}.tmp`, String(process.pid));
    renameSync(`${b.pidFile}.tmp`, b.pidFile);
  }
  if (b.argvFile) {
    writeFileSync(`${b.argvFile}.tmp`, JSON.stringify(programArgs));
    renameSync(`${b.argvFile}.tmp`, b.argvFile);
  }
  if (b.ignoreSigterm) process.on('SIGTERM', () => process.stderr.write('Received signal 15 (ignored)\n'));
  // The reader went away: a real camera program dies of SIGPIPE or a failed write.
  process.stdout.on('error', () => process.exit(1));

  const errorLine = (what: string): string => (program === 'rpicam-vid' ? `ERROR: *** ${what} ***\n` : `mmal: ${what}\n`);
  let asked: Asked;
  try {
    asked = parseArgs(program, programArgs);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    process.stderr.write(errorLine(e.message));
    process.exit(255);
  }
  const noise = NOISE[program];
  if (b.noise) for (const line of noise.slice(0, 4)) process.stderr.write(`${line}\n`);
  if (b.refuse !== undefined) {
    process.stderr.write(errorLine(b.refuse));
    process.exit(b.exitCode ?? 255);
  }

  const frame = frameMaker(program, await basePicture(asked, b.image));
  if (b.startDelayMs) await sleep(b.startDelayMs);
  const started = performance.now();
  const period = 1000 / asked.fps;
  for (let n = 0; b.frames === undefined || n < b.frames; n++) {
    if (asked.timeoutMs > 0 && performance.now() - started > asked.timeoutMs) {
      process.stderr.write(`Halting: reached timeout of ${asked.timeoutMs} milliseconds.\n`);
      process.exit(0);
    }
    if (b.noise && n % 5 === 4) process.stderr.write(`${noise[noise.length - 1] ?? ''}\n`);
    if (b.garbage && n > 0) await write(GARBAGE, b.chunk);
    await write(frame(n), b.chunk);
    const next = started + (n + 1) * period;
    await sleep(Math.max(0, next - performance.now()));
  }
  switch (b.then ?? 'exit') {
    case 'exit': {
      // Dying mid-stream, as a pulled ribbon cable or a crashed pipeline does: half a frame, then gone.
      const half = frame(b.frames ?? 0);
      await write(half.subarray(0, half.length >> 1), b.chunk);
      process.stderr.write(b.lastWords === undefined ? errorLine('Device timeout detected, failed to restart the camera') : `${b.lastWords}\n`);
      process.exit(b.exitCode ?? 255);
    }
    case 'hang':
      setInterval(() => undefined, 60_000);
      return;
    case 'no-eoi': {
      // A frame that starts and never ends: the header, then entropy-coded bytes for ever.
      const head = frame(0);
      await write(head.subarray(0, head.length >> 2), b.chunk);
      const filler = Buffer.alloc(64 * 1024, 0x5a);
      for (;;) {
        await write(filler, b.chunk);
        await sleep(5);
      }
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`fake camera crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(70);
  });
}
