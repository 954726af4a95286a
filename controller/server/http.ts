import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import { createKioskChannel, type ChannelOptions } from './kiosk-channel';
import { parseTarget } from './request-target';
import { createScreenGate, loopbackUrlHost, type ScreenGate } from './screen-gate';
import { SCREEN_QUERY } from './screen-link';
import { serveStatic } from './static-files';
import type { Who } from '../tech/access';
import type { TechChannel } from './tech-channel';
import type { OpsChannel } from './ops-channel';
import { serveTechPage } from './tech-page';
import { listenOn } from './listen';

/**
 * The one HTTP server: the built UI, /healthz for operators, and for the kiosk's own screen
 * only (screen-gate.ts): the kiosk ws channel, the session's images, the camera preview and the
 * simulators. The screen URL (`/?screen=<secret>`, made at each start) trades the secret for the
 * screen's cookie. Bad input gets a 4xx with a reason, never a 500.
 */

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface KioskServerDeps {
  readonly runtime: KioskRuntime;
  readonly uiRoot: string;
  /** What /healthz shows; `serving: false` (the kiosk cannot take a citizen now) answers 503. */
  readonly health: () => Promise<{ readonly serving?: boolean; readonly [field: string]: unknown }>;
  /** GET /metrics (Prometheus text): free from this machine, else with `Authorization: Bearer <token>`. */
  readonly metrics?: { render(): Promise<string>; readonly contentType: string; readonly token?: string };
  readonly log: Logger;
  /** MJPEG preview of the camera (GET /camera/preview.mjpg). */
  readonly preview?: RouteHandler;
  /** Simulated devices only: POST /api/sim/<device> scripts what the simulated citizen does next; GET /api/sim/printer/receipt.png. */
  readonly simApi?: RouteHandler;
  /** The one-screen rule's timing (tests make it quick). */
  readonly channel?: ChannelOptions;
  /**
   * The technician's service screen (issue #13): its page under /tech/ and its channel
   * ws /ws/tech, for the kiosk's own screen and programs on this machine (the PIN or the local
   * token unlocks it; the network reaches it through tech-server.ts).
   */
  readonly tech?: { readonly channel: TechChannel; readonly uiRoot: string };
  /** The hall officer's console (issue #14): ws /ws/ops, with the kiosk's console token (ops-channel.ts). */
  readonly ops?: OpsChannel;
}

export interface Listening {
  readonly port: number;
  readonly host: string;
  /** `http://127.0.0.1:<port>`: where this machine reaches the server. */
  readonly origin: string;
  /** The kiosk screen's way in: `<origin>/?screen=<secret>`. For the launcher's eyes only. */
  readonly screenUrl: string;
}

export interface KioskServer {
  listen(port: number, host: string): Promise<Listening>;
  close(): Promise<void>;
  /** 1 while the kiosk screen is connected. */
  screenCount(): number;
  /** What waits to be sent to the screen (bounded: screen-outbox.ts). */
  screenBacklogBytes(): number;
  readonly http: Server;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
};

/** An HTTP answer written straight to a socket (a refused upgrade, a request Node could not parse). */
function rawAnswer(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.once('error', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Paths that only the kiosk's own screen may use (the simulators: see screenOnly). */
const SCREEN_ONLY = ['/session/', '/camera/', '/api/'];
/** What a simulated printer printed carries a citizen's name and ID number. */
const RECEIPT = '/api/sim/printer/receipt.png';

/**
 * GET /metrics. From this machine (a local Prometheus agent, a technician) it answers freely; from
 * elsewhere only with the operators' token, compared in constant time. No token configured: the
 * answer says how to set one.
 */
async function metrics(req: IncomingMessage, res: ServerResponse, m: NonNullable<KioskServerDeps['metrics']>, read: boolean): Promise<void> {
  if (!read) return json(res, 405, { error: 'GET /metrics' }, { allow: 'GET, HEAD' });
  const refused = metricsRefusal(req.socket.remoteAddress, req.headers.authorization, m.token);
  if (refused) return json(res, refused.status, { error: refused.error }, refused.status === 401 ? { 'www-authenticate': 'Bearer' } : {});
  const text = await m.render();
  res.writeHead(200, { 'content-type': m.contentType, 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)) });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** Why a /metrics request from `from` is refused, or undefined when it may have them. */
export function metricsRefusal(from: string | undefined, authorization: string | undefined, token: string | undefined): { status: 401 | 403; error: string } | undefined {
  if (isLoopback(from)) return undefined;
  if (token === undefined) return { status: 403, error: 'metrics are served to this machine only: set ops.token in the kiosk config to let a remote Prometheus scrape them' };
  const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '';
  if (!sameSecret(given, token)) return { status: 401, error: 'a valid "Authorization: Bearer <ops.token>" is needed for /metrics from another machine' };
  return undefined;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export function createKioskServer(deps: KioskServerDeps): KioskServer {
  const channel = createKioskChannel(deps.runtime, deps.log, deps.channel);
  let gate: ScreenGate | undefined;

  const screenOnly = async (req: IncomingMessage, res: ServerResponse, path: string, g: ScreenGate): Promise<void> => {
    // Scripting the simulators is for any program on this machine (not for other pages).
    const check = g.check(req, path.startsWith('/api/sim/') && path !== RECEIPT ? 'local' : 'request');
    if (!check.ok) {
      deps.log.warn({ path, reason: check.reason }, 'refused a request that is not from the kiosk screen');
      return json(res, check.status, { error: check.error, reason: check.reason });
    }
    if (path === '/api/screen') return json(res, 200, { screen: 'this is the kiosk screen' });
    if (path === '/session/face.jpg' || path === '/session/signature.png') {
      const img = deps.runtime.sessionImage(path === '/session/face.jpg' ? 'face' : 'signature');
      if (!img) return json(res, 404, { error: 'no image in this session yet' });
      res.writeHead(200, { 'content-type': img.type, 'cache-control': 'no-store' });
      res.end(Buffer.from(img.bytes));
      return;
    }
    if (path === '/camera/preview.mjpg' && deps.preview) return deps.preview(req, res);
    if (path.startsWith('/api/sim/') && deps.simApi) return deps.simApi(req, res);
    return json(res, 404, { error: 'not found' });
  };

  /** GET /?screen=<secret>: the page's first load, from the launcher. */
  const screenLink = async (req: IncomingMessage, res: ServerResponse, secret: string, g: ScreenGate): Promise<void> => {
    const check = g.checkSecret(req, secret);
    if (check.ok) {
      // The cookie carries the secret from now on; the address bar need not.
      res.writeHead(303, { location: '/', 'set-cookie': g.setCookie, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      res.end();
      return;
    }
    deps.log.warn({ reason: check.reason }, 'refused a screen link');
    // The page itself explains (it asks /api/screen); without a built page, the reason in JSON.
    if (req.method === 'GET' && (await serveStatic(deps.uiRoot, '/', res, check.status))) return;
    json(res, check.status, { error: check.error, reason: check.reason });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = parseTarget(req.url);
    if (!target.ok) return json(res, target.status, { error: target.error });
    const { path, query } = target;
    const g = gate;
    if (!g) return json(res, 503, { error: 'the server is starting' });
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/healthz') {
      if (!read) return json(res, 405, { error: 'GET /healthz' }, { allow: 'GET, HEAD' });
      const body = await deps.health();
      return json(res, body.serving === false ? 503 : 200, body);
    }
    if (path === '/metrics' && deps.metrics) return metrics(req, res, deps.metrics, read);
    if (SCREEN_ONLY.some((p) => path.startsWith(p))) return screenOnly(req, res, path, g);
    if (deps.tech && (path === '/tech' || path.startsWith('/tech/'))) {
      if (!read) return json(res, 405, { error: 'GET the service screen' }, { allow: 'GET, HEAD' });
      if (path === '/tech') {
        res.writeHead(301, { location: '/tech/', 'cache-control': 'no-store' });
        res.end();
        return;
      }
      if (await serveTechPage(deps.tech.uiRoot, path.slice('/tech'.length), res)) return;
      if (path === '/tech/') return json(res, 503, { error: `the service screen is not built: run "npm run build:ui" (looked in ${deps.tech.uiRoot})` });
      return json(res, 404, { error: 'not found' });
    }
    const secret = query.get(SCREEN_QUERY);
    if (path === '/' && secret !== null) return screenLink(req, res, secret, g);
    if (read && (await serveStatic(deps.uiRoot, path, res))) return;
    if (read && path === '/') {
      return json(res, 503, { error: `the UI is not built: run "npm run build:ui" (looked in ${deps.uiRoot})` });
    }
    json(res, 404, { error: 'not found' });
  };

  const http = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      // The path only: a query may hold the screen's secret.
      deps.log.error({ err, method: req.method, path: req.url?.split('?')[0] }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  // Requests Node's parser refuses (a malformed request line, headers over 16 kB) get the same
  // JSON reasons as the rest, and no error in the log: it is the client's mistake.
  http.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    deps.log.debug({ code: err.code }, 'unreadable HTTP request');
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (err.code === 'HPE_HEADER_OVERFLOW') return rawAnswer(socket, 431, { error: 'the request line and headers are over 16 kB' });
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return rawAnswer(socket, 408, { error: 'the request took too long to arrive' });
    rawAnswer(socket, 400, { error: 'the request is not valid HTTP/1.1' });
  });
  // Not a proxy: without this, Node drops a CONNECT request without a word.
  http.on('connect', (_req: IncomingMessage, socket: Duplex) => rawAnswer(socket, 405, { error: 'this server is not a proxy' }));
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseTarget(req.url);
    if (!target.ok) return rawAnswer(socket, target.status, { error: target.error });
    if (target.path === '/ws/tech' && deps.tech) return techUpgrade(req, socket, head, deps.tech.channel);
    if (target.path === '/ws/ops' && deps.ops) {
      // The token, from any address (loopback too): ops-channel.ts decides and audits.
      const refused = deps.ops.refusal(req);
      if (refused) {
        deps.log.warn({ from: req.socket.remoteAddress, status: refused.status }, 'refused an ops channel');
        return rawAnswer(socket, refused.status, { error: refused.error });
      }
      return deps.ops.handleUpgrade(req, socket, head);
    }
    if (target.path !== '/ws/kiosk') return rawAnswer(socket, 404, { error: 'not found' });
    if (!gate) return rawAnswer(socket, 503, { error: 'the server is starting' });
    const check = gate.check(req, 'socket');
    if (!check.ok) {
      deps.log.warn({ reason: check.reason }, 'refused a kiosk channel that is not from the kiosk screen');
      return rawAnswer(socket, check.status, { error: check.error, reason: check.reason });
    }
    channel.handleUpgrade(req, socket, head);
  });

  /**
   * The tech channel from this machine: any program here, or the kiosk's own screen, but no other
   * page (the screen gate's `local` check: loopback, our Host, same-origin). The PIN or the
   * local token does the rest. The kiosk's screen is told apart by its cookie.
   */
  const techUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, channel: TechChannel): void => {
    if (!gate) return rawAnswer(socket, 503, { error: 'the server is starting' });
    const check = gate.check(req, 'local');
    if (!check.ok) {
      deps.log.warn({ reason: check.reason }, 'refused a tech channel that is not from this machine (the network uses the tech listener)');
      return rawAnswer(socket, check.status, { error: check.error, reason: check.reason });
    }
    const who: Who = { where: gate.check(req, 'socket').ok ? 'kiosk-screen' : 'this-machine' };
    if (!channel.hasRoom(who)) return rawAnswer(socket, 503, { error: 'too many service screens are open' });
    channel.handleUpgrade(req, socket, head, who);
  };

  return {
    http,
    async listen(port, host) {
      const bound = await listenOn(http, port, host);
      // A fresh secret at every start: a screen link from an earlier start no longer opens.
      gate = createScreenGate({ port: bound.port, host: loopbackUrlHost(bound.address) });
      return { port: bound.port, host, origin: gate.origin, screenUrl: gate.screenUrl };
    },
    screenCount: () => channel.screenCount(),
    screenBacklogBytes: () => channel.backlogBytes(),
    close() {
      channel.close();
      return new Promise((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}
