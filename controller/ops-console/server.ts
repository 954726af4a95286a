import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { parseTarget } from '../server/request-target';
import { serveStatic } from '../server/static-files';
import { createOpsAuth, type OpsAuth, type OpsSession } from './auth';
import type { KiosksFile, Officer } from './files';
import { createKioskLink, type KioskLink } from './kiosk-link';
import { decodeBrowserMessage, MAX_BROWSER_MESSAGE_BYTES, type ConsoleServerMessage, type HallKiosk } from '../../domain/ops-channel/messages';
import { listenOn, urlHost } from '../server/listen';

/**
 * The ops process (issue #14, `npm run kiosk -- ops`): the hall officers' console. It connects to
 * every kiosk of the hall's kiosks file (kiosk-link.ts), serves the console page (ui/ops/) behind
 * a login (auth.ts), and fans the kiosks' statuses out to the logged-in pages over ws
 * /ws/console (a batch at most every 50 ms), taking their commands back to the kiosk concerned
 * with the officer's name from the login, never from the page.
 */

export interface OpsConsoleOptions {
  readonly hall: KiosksFile;
  readonly officers: readonly Officer[];
  readonly uiRoot: string;
  readonly log: Logger;
  readonly secureCookie?: boolean;
  /** Login limits (tests make them quick). */
  readonly auth?: Partial<Parameters<typeof createOpsAuth>[0]>;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** How often changed kiosks are sent to the pages (at most). */
  readonly batchMs?: number;
}

export interface OpsConsole {
  listen(port: number, host: string): Promise<{ readonly port: number; readonly url: string }>;
  /** The hall as the pages see it now. */
  hall(): readonly HallKiosk[];
  browsers(): number;
  close(): Promise<void>;
  readonly http: Server;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'self'; img-src 'self' data:; connect-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
};

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...SECURITY_HEADERS, ...headers });
  res.end(text);
};

function rawAnswer(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.once('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > max) return undefined;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A browser's request comes from the console's own page: its Origin (when sent) names this Host. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

interface Browser {
  readonly ws: WebSocket;
  readonly session: OpsSession;
}

export function createOpsConsole(opts: OpsConsoleOptions): OpsConsole {
  const { log } = opts;
  const auth: OpsAuth = createOpsAuth({ officers: opts.officers, ...(opts.secureCookie ? { secureCookie: true } : {}), ...opts.auth });
  const browsers = new Set<Browser>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BROWSER_MESSAGE_BYTES, perMessageDeflate: false });
  const batchMs = opts.batchMs ?? 50;
  /** Who sent each command in flight (its id), so the answer and any photo go to that page only. */
  const pending = new Map<string, { browser: Browser; pageId: string; kioskId: string; at: number }>();
  let nextId = 1;

  const changed = new Set<string>();
  let flush: ReturnType<typeof setTimeout> | undefined;
  const send = (b: Browser, m: ConsoleServerMessage): void => {
    if (b.ws.readyState === b.ws.OPEN) b.ws.send(JSON.stringify(m));
  };
  const kioskChanged = (id: string): void => {
    changed.add(id);
    if (flush || browsers.size === 0) return;
    flush = setTimeout(() => {
      flush = undefined;
      const kiosks = [...changed].flatMap((k) => links.get(k)?.view() ?? []);
      changed.clear();
      if (kiosks.length === 0) return;
      const text = JSON.stringify({ type: 'kiosks', at: new Date().toISOString(), kiosks } satisfies ConsoleServerMessage);
      for (const b of browsers) if (b.ws.readyState === b.ws.OPEN) b.ws.send(text);
    }, batchMs);
  };

  const links = new Map<string, KioskLink>();
  for (const entry of opts.hall.kiosks) {
    links.set(
      entry.id,
      createKioskLink({
        entry,
        log,
        ...(opts.backoff ? { backoff: opts.backoff } : {}),
        onChange: () => kioskChanged(entry.id),
        onReply: (m) => {
          const p = pending.get(m.id);
          if (!p) return;
          if (m.type === 'photo') {
            send(p.browser, { type: 'photo', id: p.pageId, kioskId: p.kioskId, exceptionId: m.exceptionId, dataUrl: `data:image/jpeg;base64,${m.jpegBase64}`, width: m.width, height: m.height });
            return;
          }
          pending.delete(m.id);
          send(p.browser, m.ok ? { type: 'result', id: p.pageId, ok: true } : { type: 'result', id: p.pageId, ok: false, code: m.code, message: m.message });
        },
      }),
    );
  }
  // Answers that never come (the kiosk went away mid-command): the page is told.
  const sweep = setInterval(() => {
    const old = Date.now() - 15_000;
    for (const [id, p] of pending) {
      if (p.at > old) continue;
      pending.delete(id);
      send(p.browser, { type: 'result', id: p.pageId, ok: false, code: 'no-answer', message: { vi: 'Ki-ốt không trả lời. Thử lại.', en: 'The kiosk did not answer. Try again.' } });
    }
  }, 5_000);
  sweep.unref();

  const hall = (): HallKiosk[] => [...links.values()].map((l) => l.view());

  const onBrowserMessage = (b: Browser, data: Buffer, isBinary: boolean): void => {
    const d = decodeBrowserMessage(data, isBinary);
    if (!d.ok) return send(b, { type: 'error', code: d.code, message: d.reason });
    const { id, kioskId, command } = d.message;
    const link = links.get(kioskId);
    if (!link) return send(b, { type: 'result', id, ok: false, code: 'not-found', message: { vi: 'Không có ki-ốt này trong sảnh.', en: 'There is no such kiosk in this hall.' } });
    const wireId = `o${nextId++}`;
    pending.set(wireId, { browser: b, pageId: id, kioskId, at: Date.now() });
    if (!link.send(wireId, b.session.officer, command)) {
      pending.delete(wireId);
      send(b, { type: 'result', id, ok: false, code: 'unreachable', message: { vi: 'Không kết nối được với ki-ốt này.', en: 'This kiosk cannot be reached now.' } });
      return;
    }
    log.info({ officer: b.session.login, kiosk: kioskId, command: command.kind }, 'officer command sent');
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = parseTarget(req.url);
    if (!target.ok) return json(res, target.status, { error: target.error });
    const { path } = target;
    if (path === '/api/login') {
      if (req.method !== 'POST') return json(res, 405, { error: 'POST /api/login' }, { allow: 'POST' });
      if (!sameOrigin(req)) return json(res, 403, { error: 'not from the console page' });
      const body = await readBody(req, 1024);
      let parsed: unknown;
      try {
        parsed = body === undefined ? undefined : JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const login = typeof parsed === 'object' && parsed !== null && 'login' in parsed && typeof parsed.login === 'string' ? parsed.login.slice(0, 64) : '';
      const password = typeof parsed === 'object' && parsed !== null && 'password' in parsed && typeof parsed.password === 'string' ? parsed.password.slice(0, 256) : '';
      if (login === '' || password === '') return json(res, 400, { error: 'login and password are needed' });
      const outcome = await auth.login(login, password, req.socket.remoteAddress ?? '?');
      if (!outcome.ok) {
        log.warn({ login, from: req.socket.remoteAddress, reason: outcome.reason }, 'console login refused');
        const retryAfter = outcome.retryAt ? Math.max(1, Math.ceil((outcome.retryAt - Date.now()) / 1000)) : undefined;
        return json(res, outcome.reason === 'wrong' ? 401 : 429, { error: outcome.reason, ...(retryAfter ? { retryAfterS: retryAfter } : {}) }, retryAfter ? { 'retry-after': String(retryAfter) } : {});
      }
      log.info({ login, from: req.socket.remoteAddress }, 'officer logged in');
      return json(res, 200, { officer: outcome.session.officer }, { 'set-cookie': auth.setCookie(outcome.session) });
    }
    if (path === '/api/logout') {
      if (req.method !== 'POST') return json(res, 405, { error: 'POST /api/logout' }, { allow: 'POST' });
      if (!sameOrigin(req)) return json(res, 403, { error: 'not from the console page' });
      const s = auth.session(req.headers.cookie);
      auth.logout(req.headers.cookie);
      if (s) for (const b of browsers) if (b.session.id === s.id) b.ws.close(4001, 'logged out');
      return json(res, 200, { ok: true }, { 'set-cookie': auth.clearCookie });
    }
    if (path === '/api/me') {
      const s = auth.session(req.headers.cookie);
      return s ? json(res, 200, { officer: s.officer, hall: opts.hall.hall }) : json(res, 401, { error: 'not logged in' });
    }
    if (path === '/healthz') return json(res, 200, { kiosks: links.size, up: hall().filter((k) => k.link === 'up').length, browsers: browsers.size });
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (await serveStatic(opts.uiRoot, path, res, 200, SECURITY_HEADERS)) return;
      if (path === '/') return json(res, 503, { error: `the console page is not built: run "npm run build:ui" (looked in ${opts.uiRoot})` });
    }
    json(res, 404, { error: 'not found' });
  };

  const http = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      log.error({ err, path: req.url?.split('?')[0] }, 'console request failed');
      if (!res.headersSent) json(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseTarget(req.url);
    if (!target.ok || target.path !== '/ws/console') return rawAnswer(socket, 404, { error: 'not found' });
    if (!sameOrigin(req)) return rawAnswer(socket, 403, { error: 'not from the console page' });
    const session = auth.session(req.headers.cookie);
    if (!session) return rawAnswer(socket, 401, { error: 'log in first' });
    wss.handleUpgrade(req, socket, head, (ws) => {
      const b: Browser = { ws, session };
      browsers.add(b);
      ws.on('error', () => undefined);
      ws.on('message', (data, isBinary) => onBrowserMessage(b, Buffer.isBuffer(data) ? data : Buffer.from(String(data)), isBinary));
      ws.on('close', () => {
        browsers.delete(b);
        for (const [id, p] of pending) if (p.browser === b) pending.delete(id);
      });
      send(b, { type: 'hall', officer: session.officer, at: new Date().toISOString(), kiosks: hall() });
    });
  });

  return {
    http,
    async listen(port, host) {
      const bound = (await listenOn(http, port, host)).port;
      return { port: bound, url: `http://${urlHost(host)}:${bound}/` };
    },
    hall,
    browsers: () => browsers.size,
    async close() {
      clearInterval(sweep);
      clearTimeout(flush);
      for (const l of links.values()) l.stop();
      for (const b of browsers) b.ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
