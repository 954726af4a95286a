import { afterEach, describe, expect, it } from 'vitest';
import { createRpicamCamera, type RpicamCameraOptions } from '../../../drivers/camera/rpicam/driver';
import type { ProgramCamera } from '../../../drivers/camera/program-camera';
import { startSupervisor } from '../../../controller/devices/supervisor';
import type { CameraFrame, DeviceStatus } from '../../../drivers/types';
import { recordingLog } from '../../helpers/device-log';
import { fakeCameraProgram, processExists, processState, type FakeCameraProgram } from '../../helpers/fake-camera-program';
import type { FakeCameraBehaviour } from '../../helpers/fake-camera';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * The current camera stack's driver (`rpicam-vid --codec mjpeg -o -`) against a real child
 * process that behaves like rpicam-vid: the fake camera program, put where the config's
 * `command` says rpicam-vid is.
 */

const programs: FakeCameraProgram[] = [];
const cameras: ProgramCamera[] = [];
afterEach(async () => {
  for (const c of cameras.splice(0)) await c.close();
  for (const p of programs.splice(0)) p.dispose();
});

function setup(behaviour: FakeCameraBehaviour, opts: Partial<RpicamCameraOptions> = {}) {
  const program = fakeCameraProgram('rpicam-vid', behaviour);
  programs.push(program);
  const log = recordingLog();
  const cam = createRpicamCamera({ command: program.command, width: 320, height: 240, fps: 20, log, stallMs: 3000, startTimeoutMs: 15_000, ...opts });
  cameras.push(cam);
  const statuses: DeviceStatus[] = [];
  cam.onStatus((s) => statuses.push(s));
  return { program, cam, log, statuses };
}

const frameNumber = (f: CameraFrame): number => {
  const text = Buffer.from(f.jpeg).toString('latin1');
  const m = /frame (\d+)/.exec(text);
  return m ? Number(m[1]) : -1;
};

const faultOf = (cam: ProgramCamera, what: string) => waitForValue(() => (cam.status().state === 'fault' ? cam.status() : undefined), { what });

describe('the Pi camera on rpicam-vid', () => {
  it('runs rpicam-vid for one endless MJPEG stream on stdout, at the configured size and rate, with no preview window', async () => {
    const { program, cam } = setup({}, { quality: 85, rotation: 180, extraArgs: ['--autofocus-mode', 'continuous'] });
    expect((await cam.open()).state).toBe('ready');
    expect(program.argv()).toEqual([
      '--timeout', '0', '--nopreview', '--codec', 'mjpeg', '--quality', '85', '--width', '320', '--height', '240', '--framerate', '20',
      '--rotation', '180', '--autofocus-mode', 'continuous', '--flush', '--output', '-',
    ]);
  });

  it('passes every frame on, whole and in order, however the pipe cuts them and whatever lies between them', async () => {
    const { cam } = setup({ chunk: 777, garbage: true, noise: true });
    await cam.open();
    const frames: CameraFrame[] = [];
    cam.preview((f) => frames.push(f));
    await waitFor(() => frames.length >= 10, { what: 'ten frames' });
    const numbers = frames.map(frameNumber);
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] ?? 0) + i));
    for (const f of frames) {
      expect([f.jpeg[0], f.jpeg[1], f.jpeg.at(-2), f.jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      expect([f.width, f.height]).toEqual([320, 240]);
    }
    expect(cam.stats().discardedBytes.garbage).toBeGreaterThan(0);
    expect(cam.status().state).toBe('ready');
    const still = await cam.still({});
    expect(still.kind).toBe('still');
  });

  it('treats libcamera’s log lines on stderr as information: ready, frames flowing, lines kept for the technician', async () => {
    const { cam, log } = setup({ noise: true });
    await cam.open();
    const frames: CameraFrame[] = [];
    cam.preview((f) => frames.push(f));
    await waitFor(() => frames.length >= 12, { what: 'frames through the noise' });
    expect(cam.status().state).toBe('ready');
    expect(cam.stats().stderr.join('\n')).toMatch(/INFO Camera camera_manager\.cpp/);
    expect(log.entries.some((e) => e.message === 'camera program said')).toBe(true);
  });

  it('reports rpicam-vid dying mid-frame as a fault at once, with its error line and the next thing to check', async () => {
    const { cam, statuses } = setup({ frames: 5, then: 'exit', exitCode: 255, noise: true }, { stallMs: 60_000 });
    await cam.open();
    const down = await faultOf(cam, 'the fault after rpicam-vid died');
    expect(down.detail).toMatch(/exited with code 255/);
    expect(down.detail).toMatch(/ERROR: \*\*\* Device timeout detected/);
    expect(down.detail).toMatch(/check the ribbon cable/);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'ready', 'fault']);
    expect(cam.stats().discardedBytes.truncated).toBeGreaterThan(0);
    expect(await cam.still({})).toMatchObject({ kind: 'fault' });
  });

  it('comes back ready when opened again after the program died (what the supervisor does)', async () => {
    const { cam } = setup({ frames: 3, then: 'exit' }, { stallMs: 60_000 });
    await cam.open();
    await faultOf(cam, 'the first run to end');
    await cam.close();
    expect((await cam.open()).state).toBe('ready');
    expect(cam.stats().starts).toBe(2);
  });

  it('is restarted by its supervisor after the program died, and the supervisor keeps the reason', async () => {
    const { cam, program } = setup({ frames: 15, then: 'exit', exitCode: 255 }, { stallMs: 60_000 });
    const supervisor = startSupervisor(cam, { minBackoffMs: 50, maxBackoffMs: 200 });
    try {
      const seen: Array<{ state: string; detail?: string }> = [];
      supervisor.subscribe((snap) => seen.push({ state: String(snap.value), ...(snap.context.detail ? { detail: snap.context.detail } : {}) }));
      await waitFor(() => seen.filter((s) => s.state === 'ready').length >= 2, { what: 'ready, fault, and ready again', timeoutMs: 20_000 });
      const fault = seen.find((s) => s.state === 'fault');
      expect(fault?.detail).toMatch(/exited with code 255: "ERROR: \*\*\* Device timeout detected/);
      expect(program.pid()).toBeDefined();
      expect(cam.stats().starts).toBeGreaterThanOrEqual(2);
    } finally {
      // The kiosk stops its supervisors and then closes every device itself (kiosk.ts): so does this test.
      supervisor.send({ type: 'STOP' });
      await cam.close();
    }
  });

  it('reports an rpicam-vid that refuses to start (no camera) as a fault with its reason, without waiting for the start timeout', async () => {
    const { cam } = setup({ refuse: 'no cameras available', noise: true }, { startTimeoutMs: 60_000 });
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/exited with code 255 before its first frame/);
    expect(s.detail).toMatch(/no cameras available/);
    expect(s.detail).toMatch(/ribbon cable/);
  });

  it('reports an rpicam-vid that starts and never sends a frame as a fault, and stops it', async () => {
    const { cam, program } = setup({ frames: 0, then: 'hang', noise: true }, { startTimeoutMs: 1500 });
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/sent no frame within 1500 ms/);
    const pid = await waitForValue(() => program.pid(), { what: 'the pid' });
    expect(processExists(pid)).toBe(false);
  });

  it('reports a stream that stalls after it started as a fault (the frame watchdog)', async () => {
    const { cam } = setup({ frames: 4, then: 'hang' }, { stallMs: 400 });
    expect((await cam.open()).state).toBe('ready');
    const down = await faultOf(cam, 'the watchdog to notice the stall');
    expect(down.detail).toMatch(/sent no frame for \d+ ms \(limit 400 ms\)/);
  });

  it('holds no more than its bound of a frame that never ends, and says so', async () => {
    const maxFrameBytes = 256 * 1024;
    const { cam } = setup({ frames: 2, then: 'no-eoi' }, { stallMs: 1500, maxFrameBytes });
    await cam.open();
    const down = await faultOf(cam, 'the stall behind the endless frame');
    expect(down.detail).toMatch(/too-large/);
    expect(cam.stats().discardedBytes['too-large']).toBeGreaterThan(maxFrameBytes);
  });

  it('says how to install rpicam-vid when it is not there', async () => {
    const cam = createRpicamCamera({ command: '/nonexistent/rpicam-vid', log: recordingLog() });
    cameras.push(cam);
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/ENOENT/);
    expect(s.detail).toMatch(/apt install rpicam-apps/);
  });

  it('close stops rpicam-vid and leaves no process behind, even one that ignores SIGTERM', async () => {
    for (const ignoreSigterm of [false, true]) {
      const { cam, program } = setup({ ignoreSigterm, noise: true }, { killAfterMs: 300 });
      expect((await cam.open()).state).toBe('ready');
      const pid = await waitForValue(() => program.pid(), { what: 'the pid' });
      expect(cam.stats().pid).toBe(pid);
      await cam.close();
      expect({ ignoreSigterm, exists: processExists(pid), state: processState(pid) }).toEqual({ ignoreSigterm, exists: false, state: undefined });
      expect(cam.status().state).toBe('disconnected');
    }
  });

  it('an open cancelled by its caller (a supervisor told to stop) stops the program it started', async () => {
    const { cam, program } = setup({ startDelayMs: 60_000 });
    const ac = new AbortController();
    const opening = cam.open(ac.signal);
    const pid = await waitForValue(() => program.pid(), { what: 'the program to start' });
    ac.abort();
    expect((await opening).state).toBe('disconnected');
    expect(processExists(pid)).toBe(false);
  });

  it('close during a start that is still waiting for the first frame stops the program too', async () => {
    const { cam, program } = setup({ startDelayMs: 60_000 });
    const opening = cam.open();
    const pid = await waitForValue(() => program.pid(), { what: 'the program to start' });
    await cam.close();
    expect((await opening).state).toBe('disconnected');
    expect(processExists(pid)).toBe(false);
  });
});

/** The real-device lane (as the serial drivers' TEST_*_PORT): on a Pi with a camera, TEST_RPICAM_COMMAND=rpicam-vid. */
const realCommand = process.env.TEST_RPICAM_COMMAND;
describe.runIf(realCommand !== undefined)('the Pi camera on the real rpicam-vid at $TEST_RPICAM_COMMAND', () => {
  it('opens, streams whole JPEG frames at the asked size, and closes leaving no process behind', async () => {
    const cam = createRpicamCamera({ command: realCommand ?? 'rpicam-vid', width: 1280, height: 960, fps: 15, log: recordingLog() });
    cameras.push(cam);
    const s = await cam.open();
    expect(s.state, s.detail).toBe('ready');
    const frames: CameraFrame[] = [];
    cam.preview((f) => frames.push(f));
    await waitFor(() => frames.length >= 10, { what: 'ten frames from the camera', timeoutMs: 10_000 });
    for (const f of frames) expect([f.jpeg[0], f.jpeg[1], f.jpeg.at(-2), f.jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
    const pid = cam.stats().pid;
    await cam.close();
    expect(pid !== undefined && processExists(pid)).toBe(false);
  });
});
