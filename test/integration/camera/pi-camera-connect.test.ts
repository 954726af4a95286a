import { afterEach, describe, expect, it } from 'vitest';
import { PiCamera } from '../../../drivers/camera/driver';
import type { CameraFrame, DeviceStatus } from '../../../drivers/types';
import { recordingLog } from '../../helpers/device-log';
import { fakeCameraProgram, processExists, processState, type FakeCameraProgram } from '../../helpers/fake-camera-program';
import type { FakeCameraBehaviour } from '../../helpers/fake-camera';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * The legacy camera stack's driver (pi-camera-connect, which runs `raspivid`) against a real
 * child process that behaves like raspivid: the fake camera program, put where the config's
 * `command` says raspivid is.
 */

const programs: FakeCameraProgram[] = [];
const cameras: PiCamera[] = [];
afterEach(async () => {
  for (const c of cameras.splice(0)) await c.close();
  for (const p of programs.splice(0)) p.dispose();
});

function setup(behaviour: FakeCameraBehaviour, opts: { stallMs?: number; startTimeoutMs?: number; maxFrameBytes?: number } = {}) {
  const program = fakeCameraProgram('raspivid', behaviour);
  programs.push(program);
  const log = recordingLog();
  const cam = new PiCamera({ command: program.command, width: 320, height: 240, fps: 20, log, stallMs: opts.stallMs ?? 3000, startTimeoutMs: opts.startTimeoutMs ?? 15_000, ...(opts.maxFrameBytes ? { maxFrameBytes: opts.maxFrameBytes } : {}) });
  cameras.push(cam);
  const statuses: DeviceStatus[] = [];
  cam.onStatus((s) => statuses.push(s));
  return { program, cam, log, statuses };
}

const comment = (f: CameraFrame): string => {
  const at = Buffer.from(f.jpeg).indexOf('frame ');
  return at < 0 ? '' : Buffer.from(f.jpeg.subarray(at, at + 12)).toString('latin1').replace(/[^\w ].*$/s, '');
};

describe('the legacy Pi camera (pi-camera-connect running raspivid)', () => {
  it('runs the configured raspivid with pi-camera-connect’s MJPEG arguments and passes its frames on in order', async () => {
    const { program, cam } = setup({});
    expect((await cam.open()).state).toBe('ready');
    expect(program.argv()).toEqual(expect.arrayContaining(['--width', '320', '--height', '240', '--framerate', '20', '--codec', 'MJPEG', '--timeout', '0', '--nopreview', '--output', '-']));
    const frames: CameraFrame[] = [];
    cam.preview((f) => frames.push(f));
    await waitFor(() => frames.length >= 4, { what: 'four frames from the fake raspivid' });
    const numbers = frames.map(comment).map((c) => Number(c.replace('frame ', '')));
    expect(numbers.slice(1)).toEqual(numbers.slice(1).map((_, i) => (numbers[1] ?? 0) + i));
    expect(frames.every((f) => f.jpeg[0] === 0xff && f.jpeg[1] === 0xd8 && f.width === 320 && f.height === 240)).toBe(true);
    const still = await cam.still({});
    expect(still.kind).toBe('still');
  });

  it('takes log noise on stderr in its stride: no crash, still ready, frames still coming', async () => {
    const { cam, log } = setup({ noise: true, garbage: true });
    expect((await cam.open()).state).toBe('ready');
    const frames: CameraFrame[] = [];
    cam.preview((f) => frames.push(f));
    await waitFor(() => frames.length >= 8, { what: 'eight frames through the noise' });
    expect(cam.status().state).toBe('ready');
    expect(log.entries.some((e) => /mmal/.test(JSON.stringify(e.fields)) || /mmal/.test(e.message))).toBe(true);
  });

  it('reports the program dying mid-stream as a fault that gives its last words, not a crash', async () => {
    const { cam } = setup({ frames: 6, then: 'exit', exitCode: 1, lastWords: 'mmal: mmal_vc_component_enable: failed to enable component: ENOSPC' });
    expect((await cam.open()).state).toBe('ready');
    const down = await waitForValue(() => (cam.status().state === 'fault' ? cam.status() : undefined), { what: 'the fault after raspivid died' });
    expect(down.detail).toMatch(/exited with code 1/);
    expect(down.detail).toMatch(/failed to enable component: ENOSPC/);
  });

  it('reports a raspivid that refuses to start as a fault with its error line, at once rather than after the start timeout', async () => {
    const { cam } = setup({ refuse: 'Failed to create camera component', noise: true }, { startTimeoutMs: 60_000 });
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/Failed to create camera component/);
  });

  it('reports a raspivid that starts and never sends a frame as a fault, and stops it', async () => {
    const { cam, program } = setup({ frames: 0, then: 'hang', noise: true }, { startTimeoutMs: 1500 });
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/no frame/);
    const pid = await waitForValue(() => program.pid(), { what: 'the fake raspivid to start' });
    await waitFor(() => !processExists(pid), { what: 'the silent raspivid to be stopped' });
  });

  it('says where to look when raspivid is not installed (Raspberry Pi OS Bookworm has rpicam-vid)', async () => {
    const log = recordingLog();
    const cam = new PiCamera({ command: '/nonexistent/raspivid', log, startTimeoutMs: 5000 });
    cameras.push(cam);
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/\/nonexistent\/raspivid/);
    expect(s.detail).toMatch(/rpicam/);
  });

  it('stops a stream whose frames pi-camera-connect cannot find before its buffer grows without limit', async () => {
    const { cam, program } = setup({ frames: 2, then: 'no-eoi' }, { maxFrameBytes: 1024 * 1024, stallMs: 60_000 });
    await cam.open();
    const down = await waitForValue(() => (cam.status().state === 'fault' ? cam.status() : undefined), { what: 'the endless frame to be refused' });
    expect(down.detail).toMatch(/without a complete frame/);
    const pid = await waitForValue(() => program.pid(), { what: 'the pid' });
    await waitFor(() => !processExists(pid), { what: 'the runaway raspivid to be stopped' });
  });

  it('close stops raspivid and leaves no process behind, even one that ignores SIGTERM', async () => {
    for (const ignoreSigterm of [false, true]) {
      const { cam, program } = setup({ ignoreSigterm });
      expect((await cam.open()).state).toBe('ready');
      const pid = await waitForValue(() => program.pid(), { what: 'the pid' });
      await cam.close();
      expect({ ignoreSigterm, exists: processExists(pid), state: processState(pid) }).toEqual({ ignoreSigterm, exists: false, state: undefined });
      expect(cam.status().state).toBe('disconnected');
    }
  });
});
