import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLog } from '../../../helpers/device-log';
import { waitFor } from '../../../helpers/wait-for';
import { PiCamera } from '../../../../drivers/camera/driver';
import type { StreamSource, StreamSourceOptions } from '../../../../drivers/camera/transport';

/**
 * Stands in for pi-camera-connect's StreamCamera: the test pushes frames by hand. Like the real
 * one, it starts streaming when capture starts (a first frame); there is no child process here
 * (test/integration/camera/ runs the real package against a fake raspivid).
 */
class FakeStream extends EventEmitter implements StreamSource {
  started = false;
  opts: StreamSourceOptions | undefined;
  failStart = false;
  async startCapture(): Promise<void> {
    if (this.failStart) throw new Error('Failed to enable component: Out of resources');
    this.started = true;
    queueMicrotask(() => this.push());
  }
  async stopCapture(): Promise<void> {
    this.started = false;
  }
  push(): void {
    this.emit('frame', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  }
}

const cameras: PiCamera[] = [];
afterEach(async () => {
  for (const c of cameras.splice(0)) await c.close();
});

function setup(opts: { stallMs?: number } = {}): { cam: PiCamera; fake: FakeStream } {
  const fake = new FakeStream();
  const cam = new PiCamera({ ...opts, log: recordingLog(), source: async (o) => {
    fake.opts = o;
    return fake;
  } });
  cameras.push(cam);
  return { cam, fake };
}

describe('Pi camera driver (pi-camera-connect behind an adapter)', () => {
  it('starts one MJPEG stream at the still resolution and reports ready on its first frame', async () => {
    const { cam, fake } = setup();
    expect((await cam.open()).state).toBe('ready');
    expect(fake.started).toBe(true);
    expect(fake.opts).toMatchObject({ width: 1280, height: 960, fps: 15 });
  });

  it('passes stream frames to preview subscribers and answers a still with the next frame', async () => {
    const { cam, fake } = setup();
    await cam.open();
    const got: number[] = [];
    cam.preview((f) => got.push(f.jpeg.byteLength));
    const still = cam.still({});
    fake.push();
    expect(await still).toMatchObject({ kind: 'still', frame: { width: 1280, height: 960 } });
    expect(got).toEqual([4]);
  });

  it('reports a fault, not a hang, when the stream cannot start', async () => {
    const { cam, fake } = setup();
    fake.failStart = true;
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/Out of resources/);
  });

  it('reports a fault when the package is not installed', async () => {
    const cam = new PiCamera({ log: recordingLog(), source: async () => Promise.reject(new Error("Cannot find package 'pi-camera-connect'")) });
    cameras.push(cam);
    expect((await cam.open()).detail).toMatch(/pi-camera-connect/);
  });

  it('goes to fault when frames stop and back to ready when they resume', async () => {
    const { cam, fake } = setup({ stallMs: 100 });
    await cam.open();
    fake.push();
    await waitFor(() => cam.status().state === 'fault', { what: 'the watchdog to notice the silent stream' });
    fake.push();
    expect(cam.status().state).toBe('ready');
  });

  it('refuses a still when closed', async () => {
    const { cam } = setup();
    expect(await cam.still({})).toMatchObject({ kind: 'fault', reason: 'unplugged' });
  });
});
