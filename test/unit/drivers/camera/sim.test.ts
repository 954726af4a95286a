import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { CameraFrame, DeviceStatus } from '../../../../drivers/types';
import { waitFor } from '../../../helpers/wait-for';
import { SimCamera, type SimScenario } from '../../../../drivers/camera/sim';

const astronaut = new Uint8Array(readFileSync(fileURLToPath(new URL('../../../../drivers/camera/sim-scene/astronaut.png', import.meta.url))));
const cameras: SimCamera[] = [];

function camera(opts: { fps?: number; stallMs?: number; scenario?: SimScenario } = {}): SimCamera {
  const c = new SimCamera({ source: { images: [astronaut] }, ...opts });
  cameras.push(c);
  return c;
}

afterEach(async () => {
  for (const c of cameras.splice(0)) await c.close();
});

const isJpeg = (b: Uint8Array): boolean => b[0] === 0xff && b[1] === 0xd8;

describe('simulator camera', () => {
  it('opens ready and streams JPEG preview frames of the configured size', async () => {
    const cam = camera({ fps: 20 });
    expect((await cam.open()).state).toBe('ready');
    const frames: CameraFrame[] = [];
    const stop = cam.preview((f) => frames.push(f));
    await waitFor(() => frames.length >= 3, { what: 'three preview frames' });
    stop();
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.every((f) => isJpeg(f.jpeg) && f.width === 640 && f.height === 480)).toBe(true);
  });

  it('takes a still from the running stream', async () => {
    const cam = camera();
    await cam.open();
    const r = await cam.still({});
    expect(r.kind).toBe('still');
    if (r.kind === 'still') expect(isJpeg(r.frame.jpeg)).toBe(true);
  });

  it('reports a fault when frames stop, and ready again when they resume', async () => {
    const cam = camera({ fps: 20, stallMs: 200 });
    await cam.open();
    const seen: DeviceStatus[] = [];
    cam.onStatus((s) => seen.push(s));
    await cam.setScenario('stopped');
    await waitFor(() => cam.status().state === 'fault', { what: 'the watchdog to notice the stopped stream' });
    expect(cam.status().detail).toMatch(/no frame for/);
    const still = await cam.still({});
    expect(still).toMatchObject({ kind: 'fault', reason: 'timeout' });
    await cam.setScenario('normal');
    await waitFor(() => cam.status().state === 'ready', { what: 'the stream to resume' });
    expect(seen.map((s) => s.state)).toEqual(['fault', 'ready']);
  });

  it('cancels a still when asked', async () => {
    const cam = camera({ scenario: 'stopped' });
    await cam.open();
    const ac = new AbortController();
    const p = cam.still({ signal: ac.signal });
    ac.abort();
    expect(await p).toMatchObject({ kind: 'fault', reason: 'aborted' });
  });

  it('serves a different picture for each misbehaviour', async () => {
    const cam = camera({ fps: 30 });
    await cam.open();
    const grab = async (): Promise<Uint8Array> => {
      const r = await cam.still({});
      if (r.kind !== 'still') throw new Error('no frame');
      return r.frame.jpeg;
    };
    const normal = await grab();
    for (const s of ['no-face', 'two-faces', 'dark', 'blurred', 'off-centre', 'turned-head'] as const) {
      await cam.setScenario(s);
      const f = await grab();
      expect(isJpeg(f)).toBe(true);
      expect(Buffer.compare(Buffer.from(f), Buffer.from(normal)), s).not.toBe(0);
    }
  });

  it('says why it cannot start when it has no pictures', async () => {
    const cam = new SimCamera({ source: { images: [] } });
    cameras.push(cam);
    const s = await cam.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/no source images/);
  });

  describe('its cable', () => {
    it('pulled while streaming: a fault at once saying it was unplugged, and no stills', async () => {
      const cam = camera({ fps: 30, stallMs: 60_000 });
      await cam.open();
      const frames: CameraFrame[] = [];
      cam.preview((f) => frames.push(f));
      await waitFor(() => frames.length >= 2, { what: 'frames before the pull' });
      cam.unplug();
      expect(cam.status()).toMatchObject({ state: 'fault', detail: expect.stringMatching(/unplugged/) });
      expect(await cam.still({})).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    });

    it('stays out while unplugged: opening again fails, saying no camera is there', async () => {
      const cam = camera();
      await cam.open();
      cam.unplug();
      await cam.close();
      const s = await cam.open();
      expect(s.state).toBe('fault');
      expect(s.detail).toMatch(/unplugged/);
    });

    it('plugged back: the next open is ready and frames flow again', async () => {
      const cam = camera({ fps: 30 });
      await cam.open();
      cam.unplug();
      await cam.close();
      expect((await cam.open()).state).toBe('fault');
      cam.replug();
      await cam.close();
      expect((await cam.open()).state).toBe('ready');
      const frames: CameraFrame[] = [];
      cam.preview((f) => frames.push(f));
      await waitFor(() => frames.length >= 2, { what: 'frames after the replug' });
    });

    it('plugged back before anyone reopened it: still in fault until it is reopened, as a camera program that died stays dead', async () => {
      const cam = camera({ fps: 30 });
      await cam.open();
      cam.unplug();
      cam.replug();
      expect(cam.status().state).toBe('fault');
      await cam.close();
      expect((await cam.open()).state).toBe('ready');
    });

    it('says whether it is there to be opened, open or not (what a supervisor asks to notice a replug at once)', async () => {
      const cam = camera();
      expect(await cam.present()).toBe(true);
      cam.unplug();
      expect(await cam.present()).toBe(false);
      await cam.open();
      expect(await cam.present()).toBe(false);
      cam.replug();
      expect(await cam.present()).toBe(true);
    });

    it('pulled while closed: the first open fails', async () => {
      const cam = camera();
      cam.unplug();
      expect((await cam.open()).state).toBe('fault');
    });
  });
});
