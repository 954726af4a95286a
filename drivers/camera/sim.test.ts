import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Camera, CameraFrame, DeviceStatus } from '../types';
import { mjpegHandler } from './mjpeg';
import { SimCamera, type SimScenario } from './sim';

const astronaut = new Uint8Array(readFileSync(fileURLToPath(new URL('../../test/fixtures/faces/astronaut.png', import.meta.url))));
const cameras: SimCamera[] = [];
const servers: Server[] = [];

function camera(opts: { fps?: number; stallMs?: number; scenario?: SimScenario } = {}): SimCamera {
  const c = new SimCamera({ source: { images: [astronaut] }, ...opts });
  cameras.push(c);
  return c;
}

afterEach(async () => {
  for (const c of cameras.splice(0)) await c.close();
  for (const s of servers.splice(0)) s.close();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('not listening on a TCP port');
  return addr.port;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const isJpeg = (b: Uint8Array): boolean => b[0] === 0xff && b[1] === 0xd8;

describe('simulator camera', () => {
  it('opens ready and streams JPEG preview frames of the configured size', async () => {
    const cam = camera({ fps: 20 });
    expect((await cam.open()).state).toBe('ready');
    const frames: CameraFrame[] = [];
    const stop = cam.preview((f) => frames.push(f));
    await sleep(300);
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
    await sleep(450);
    expect(cam.status().state).toBe('fault');
    expect(cam.status().detail).toMatch(/no frame for/);
    const still = await cam.still({});
    expect(still).toMatchObject({ kind: 'fault', reason: 'timeout' });
    await cam.setScenario('normal');
    await sleep(150);
    expect(cam.status().state).toBe('ready');
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
});

describe('MJPEG preview over HTTP', () => {
  it('delivers at least 10 frames a second to a client', async () => {
    const cam = camera({ fps: 15 });
    await cam.open();
    const server = createServer(mjpegHandler(cam));
    servers.push(server);
    const port = await listen(server);
    const received = await new Promise<{ type: string; frames: number }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/preview.mjpg' }, (res) => {
        let text = '';
        let frames = 0;
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          const parts = text.split('--cccdframe\r\n');
          frames += parts.length - 1;
          text = parts[parts.length - 1] ?? '';
        });
        setTimeout(() => {
          req.destroy();
          resolve({ type: String(res.headers['content-type']), frames });
        }, 1000);
      });
      req.on('error', (e) => (e.message.includes('aborted') || e.message.includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
    expect(received.type).toBe('multipart/x-mixed-replace; boundary=cccdframe');
    expect(received.frames).toBeGreaterThanOrEqual(10);
  });

  it('stops sending to a client that has gone', async () => {
    const cam = camera({ fps: 15 });
    await cam.open();
    let subscribed = 0;
    const counting: Camera = {
      kind: 'camera',
      open: (signal) => cam.open(signal),
      close: () => cam.close(),
      status: () => cam.status(),
      onStatus: (l) => cam.onStatus(l),
      still: (o) => cam.still(o),
      preview: (f) => {
        subscribed++;
        const stop = cam.preview(f);
        return () => {
          subscribed--;
          stop();
        };
      },
    };
    const server = createServer(mjpegHandler(counting));
    servers.push(server);
    const port = await listen(server);
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port }, () => {
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200);
      });
      req.on('error', () => undefined);
      req.end();
    });
    await sleep(100);
    expect(subscribed).toBe(0);
  });
});
