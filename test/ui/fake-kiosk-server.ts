import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import sharp from 'sharp';
import { WebSocketServer, type WebSocket } from 'ws';
import { clientMessageSchema, type ClientMessage, type ServerMessage } from '../../domain/kiosk-channel/messages';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import { SCENE_PHOTO_PATH } from '../../drivers/camera/sim-scene';

/**
 * Stands in for the controller's HTTP server when previewing the kiosk page: serves ui/dist/kiosk,
 * a session face photo and signature, an MJPEG camera preview, and /ws/kiosk pushing one view.
 */
export interface FakeKioskServer {
  readonly url: string;
  /** Everything the page sent, in order. */
  readonly received: ClientMessage[];
  show(view: ViewModel): void;
  /** Drop every connection and refuse new ones (to see the reconnect banner), or accept again. */
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.ogg': 'audio/ogg',
  '.json': 'application/json',
};

/** The simulated camera's scene photo, cropped like a preview frame. */
function faceJpeg(): Promise<Buffer> {
  return sharp(SCENE_PHOTO_PATH).resize(480, 360, { fit: 'cover' }).jpeg({ quality: 80 }).toBuffer();
}

async function signaturePng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><rect width="600" height="200" fill="white"/>
  <path d="M40 140 C60 40 90 40 100 130 S150 60 170 120 S230 150 260 90 S330 60 360 130 S450 80 560 110" fill="none" stroke="#0b1a3a" stroke-width="6" stroke-linecap="round"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function startFakeKioskServer(distDir: string): Promise<FakeKioskServer> {
  const face = await faceJpeg();
  const portrait = await sharp(face).extract({ left: 150, top: 0, width: 270, height: 360 }).jpeg().toBuffer();
  const signature = await signaturePng();
  const received: ClientMessage[] = [];
  const sockets = new Set<WebSocket>();
  const streams = new Set<ServerResponse>();
  let current: ViewModel | undefined;
  let offline = false;

  const send = (ws: WebSocket, msg: ServerMessage) => ws.send(JSON.stringify(msg));

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/session/face.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end(portrait);
    if (path === '/session/signature.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(signature);
    if (path === '/camera/preview.mjpg') {
      res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=frame', 'cache-control': 'no-store' });
      const frame = () => res.write(Buffer.concat([Buffer.from(`--frame\r\ncontent-type: image/jpeg\r\ncontent-length: ${face.length}\r\n\r\n`), face, Buffer.from('\r\n')]));
      frame();
      const timer = setInterval(frame, 200);
      streams.add(res);
      res.on('close', () => {
        clearInterval(timer);
        streams.delete(res);
      });
      return;
    }
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(distDir, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (offline || new URL(req.url ?? '/', 'http://x').pathname !== '/ws/kiosk') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => {
        let json: unknown;
        try {
          json = JSON.parse(data.toString());
        } catch {
          send(ws, { type: 'error', code: 'bad-json', message: 'not JSON' });
          return;
        }
        const parsed = clientMessageSchema.safeParse(json);
        if (!parsed.success) {
          console.error('preview: the page sent a message the controller would refuse:', JSON.stringify(json).slice(0, 300));
          send(ws, { type: 'error', code: 'bad-message', message: parsed.error.message });
          return;
        }
        const msg = parsed.data;
        received.push(msg);
        if (msg.type === 'hello' && current) send(ws, { type: 'view', view: current });
        // A dialog is held by the controller (so a reload keeps it): the fake keeps it the same way.
        if (msg.type === 'intent' && msg.intent.type === 'DIALOG' && current) {
          const { dialog: _closed, ...rest } = current;
          current = { ...rest, seq: current.seq + 1, ...(msg.intent.dialog ? { dialog: msg.intent.dialog } : {}) };
          for (const s of sockets) send(s, { type: 'view', view: current });
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no TCP address');
  const { port } = address;

  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    show(view) {
      current = view;
      for (const ws of sockets) send(ws, { type: 'view', view });
    },
    setOffline(value) {
      offline = value;
      if (value) for (const ws of sockets) ws.terminate();
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      for (const res of streams) res.destroy();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
