import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import { createKioskChannel, isLoopback } from './kiosk-channel';
import { serveStatic } from './static-files';

/**
 * The one HTTP server: the built UI, /healthz for operators, the session's images and the camera
 * preview for the touchscreen (loopback only), and the kiosk ws channel.
 */

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface KioskServerDeps {
  readonly runtime: KioskRuntime;
  readonly uiRoot: string;
  readonly health: () => Promise<unknown>;
  readonly log: Logger;
  /** MJPEG preview of the camera (GET /camera/preview.mjpg). */
  readonly preview?: RouteHandler;
  /** Simulated devices only: POST /api/sim/<device> scripts what the simulated citizen does next; GET /api/sim/printer/receipt.png. */
  readonly simApi?: RouteHandler;
}

export interface KioskServer {
  listen(port: number, host: string): Promise<{ port: number; host: string }>;
  close(): Promise<void>;
  readonly http: Server;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

export function createKioskServer(deps: KioskServerDeps): KioskServer {
  const channel = createKioskChannel(deps.runtime, deps.log);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://kiosk');
    const local = isLoopback(req.socket.remoteAddress);
    if (url.pathname === '/healthz' && req.method === 'GET') return json(res, 200, await deps.health());
    if (url.pathname.startsWith('/session/') || url.pathname.startsWith('/camera/') || url.pathname.startsWith('/api/sim/')) {
      // Biometric images and device scripting never leave the machine.
      if (!local) return json(res, 403, { error: 'loopback only' });
      if (url.pathname === '/session/face.jpg' || url.pathname === '/session/signature.png') {
        const img = deps.runtime.sessionImage(url.pathname === '/session/face.jpg' ? 'face' : 'signature');
        if (!img) return json(res, 404, { error: 'no image in this session yet' });
        res.writeHead(200, { 'content-type': img.type, 'cache-control': 'no-store' });
        res.end(Buffer.from(img.bytes));
        return;
      }
      if (url.pathname === '/camera/preview.mjpg' && deps.preview) return deps.preview(req, res);
      if (url.pathname.startsWith('/api/sim/') && deps.simApi) return deps.simApi(req, res);
      return json(res, 404, { error: 'not found' });
    }
    if (req.method === 'GET' && (await serveStatic(deps.uiRoot, url.pathname, res))) return;
    if (req.method === 'GET' && url.pathname === '/') {
      return json(res, 503, { error: `the UI is not built: run "npm run build:ui" (looked in ${deps.uiRoot})` });
    }
    json(res, 404, { error: 'not found' });
  };

  const http = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      deps.log.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  http.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://kiosk').pathname === '/ws/kiosk') channel.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
  });

  return {
    http,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const addr: AddressInfo | string | null = http.address();
          resolve({ port: typeof addr === 'object' && addr ? addr.port : port, host });
        });
      });
    },
    close() {
      channel.close();
      return new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
