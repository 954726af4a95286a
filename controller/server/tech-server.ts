import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { parseTarget } from './request-target';
import { isLoopback } from './screen-gate';
import type { Who } from '../tech/access';
import type { TechChannel } from './tech-channel';
import { sameOriginOrNone, serveTechPage } from './tech-page';
import { listenOn } from './listen';

/**
 * The technician's laptop on the kiosk's network (issue #13, `tech.listen` in the config): a
 * second, separate HTTP listener that serves the service screen at / and its channel at
 * ws /ws/tech, and nothing else. The kiosk's own server, with the citizen's channel, the
 * session's images and the simulators, stays on loopback behind the screen gate as before; this
 * listener shares none of its routes. Everything past the PIN page needs the PIN (the local
 * token is refused from the network).
 */

export interface TechServer {
  listen(port: number, host: string): Promise<{ readonly port: number; readonly host: string }>;
  close(): Promise<void>;
  readonly http: Server;
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
  res.end(text);
}

function rawAnswer(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.once('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${text}`);
}

export function createTechServer(deps: { readonly channel: TechChannel; readonly uiRoot: string; readonly log: Logger }): TechServer {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = parseTarget(req.url);
    if (!target.ok) return answer(res, target.status, { error: target.error });
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, 405, { error: 'GET the service screen' }, { allow: 'GET, HEAD' });
    if (await serveTechPage(deps.uiRoot, target.path, res)) return;
    if (target.path === '/') return answer(res, 503, { error: `the service screen is not built: run "npm run build:ui" (looked in ${deps.uiRoot})` });
    answer(res, 404, { error: 'not found' });
  };
  const http = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      deps.log.error({ err, path: req.url?.split('?')[0] }, 'tech listener: request failed');
      if (!res.headersSent) answer(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  http.on('clientError', (_err: Error, socket: Duplex) => {
    if (socket.writable) rawAnswer(socket, 400, { error: 'the request is not valid HTTP/1.1' });
    else socket.destroy();
  });
  http.on('connect', (_req: IncomingMessage, socket: Duplex) => rawAnswer(socket, 405, { error: 'this server is not a proxy' }));
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseTarget(req.url);
    if (!target.ok) return rawAnswer(socket, target.status, { error: target.error });
    if (target.path !== '/ws/tech') return rawAnswer(socket, 404, { error: 'not found' });
    const origin = sameOriginOrNone(req);
    if (!origin.ok) {
      deps.log.warn({ error: origin.error }, 'tech listener: refused a channel from another page');
      return rawAnswer(socket, 403, { error: origin.error });
    }
    const address = req.socket.remoteAddress;
    const who: Who = isLoopback(address) ? { where: 'this-machine' } : { where: 'network', ...(address ? { address: address.replace(/^::ffff:/, '') } : {}) };
    if (!deps.channel.hasRoom(who)) return rawAnswer(socket, 503, { error: 'too many service screens are open' });
    deps.channel.handleUpgrade(req, socket, head, who);
  });
  return {
    http,
    async listen(port, host) {
      return { port: (await listenOn(http, port, host)).port, host };
    },
    close() {
      return new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
