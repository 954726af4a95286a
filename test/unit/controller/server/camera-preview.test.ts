import { createServer, request, type ClientRequest, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SimCamera } from '../../../../drivers/camera/sim';
import { defaultSceneJpeg } from '../../../../drivers/camera/sim-scene';
import type { Camera } from '../../../../drivers/types';
import { waitFor } from '../../../helpers/wait-for';
import { mjpegHandler } from '../../../../controller/server/camera-preview';

const cameras: SimCamera[] = [];
const servers: Server[] = [];
const clients: ClientRequest[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const c of cameras.splice(0)) await c.close();
  for (const s of servers.splice(0)) s.close();
});

async function simCamera(): Promise<SimCamera> {
  const cam = new SimCamera({ source: { images: [await defaultSceneJpeg()] }, fps: 30 });
  cameras.push(cam);
  await cam.open();
  return cam;
}

async function serve(camera: Camera): Promise<number> {
  const server = createServer(mjpegHandler(camera));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('not listening on a TCP port');
  return addr.port;
}

/** Opens the stream and collects each part's body as it arrives. */
function watch(port: number): { contentType: Promise<string>; frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  let buf = Buffer.alloc(0);
  const contentType = new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/camera/preview.mjpg' }, (res) => {
      resolve(String(res.headers['content-type']));
      res.on('data', (chunk: Buffer) => {
        buf = Buffer.concat([buf, chunk]);
        for (;;) {
          const head = buf.indexOf('\r\n\r\n');
          if (head < 0) return;
          const length = /Content-Length: (\d+)/.exec(buf.subarray(0, head).toString('latin1'))?.[1];
          if (length === undefined) throw new Error('part without Content-Length');
          const end = head + 4 + Number(length) + 2;
          if (buf.length < end) return;
          frames.push(new Uint8Array(buf.subarray(head + 4, end - 2)));
          buf = buf.subarray(end);
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (e) => (e.message.includes('socket hang up') || e.message.includes('aborted') ? undefined : reject(e)));
    req.end();
    clients.push(req);
  });
  return { contentType, frames };
}

describe('the camera preview over HTTP (MJPEG)', () => {
  it('streams each camera frame as one JPEG part of a multipart/x-mixed-replace response', async () => {
    const port = await serve(await simCamera());
    const { contentType, frames } = watch(port);
    expect(await contentType).toBe('multipart/x-mixed-replace; boundary=cccdframe');
    await waitFor(() => frames.length >= 5, { what: 'five preview frames' });
    for (const f of frames) expect([f[0], f[1], f.at(-2), f.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });

  it('stops taking frames for a client that has gone', async () => {
    const cam = await simCamera();
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
    const port = await serve(counting);
    const { frames } = watch(port);
    await waitFor(() => frames.length >= 1, { what: 'a first preview frame' });
    expect(subscribed).toBe(1);
    for (const c of clients.splice(0)) c.destroy();
    await waitFor(() => subscribed === 0, { what: 'the preview to unsubscribe' });
  });
});
