import WebSocket from 'ws';
import { screenCredentials } from '../../controller/server/screen-link';
import type { ServerMessage } from '../../domain/kiosk-channel/messages';
import { waitForValue } from './wait-for';

/**
 * A client of ws /ws/kiosk for tests: either the kiosk's own screen (with the credentials from
 * the screen URL, as the page has them after its first load) or anybody else (any headers the
 * test chooses). It records what the kiosk sent and how the socket ended.
 */

export interface ChannelClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[];
  /** Set once the socket has closed. */
  readonly closed: () => { code: number; reason: string } | undefined;
  /** Pings the server sent (the heartbeat). */
  readonly pings: () => number;
  send(message: unknown): void;
  /** The first message (already received or still to come) that matches. */
  next(pred: (m: ServerMessage) => boolean, what: string, timeoutMs?: number): Promise<ServerMessage>;
  /** Resolves when the socket has closed. */
  waitClosed(what?: string, timeoutMs?: number): Promise<{ code: number; reason: string }>;
}

export type OpenResult = { kind: 'open'; client: ChannelClient } | { kind: 'refused'; status: number; body: string };

export interface OpenOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** false: the client never answers the server's pings (a frozen or vanished screen). */
  readonly autoPong?: boolean;
}

/** Opens the channel with exactly the headers given; reports an HTTP refusal instead of throwing. */
export function openChannel(socketUrl: string, opts: OpenOptions = {}): Promise<OpenResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl, { headers: { ...opts.headers }, autoPong: opts.autoPong ?? true });
    const messages: ServerMessage[] = [];
    let closed: { code: number; reason: string } | undefined;
    let pings = 0;
    ws.on('message', (d, isBinary) => {
      if (!isBinary) messages.push(JSON.parse(d.toString()));
    });
    ws.on('ping', () => pings++);
    ws.on('close', (code, reason) => (closed = { code, reason: reason.toString() }));
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        req.destroy();
        resolve({ kind: 'refused', status: res.statusCode ?? 0, body });
      });
    });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      const client: ChannelClient = {
        ws,
        messages,
        closed: () => closed,
        pings: () => pings,
        send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
        next: (pred, what, timeoutMs = 5000) => waitForValue(() => messages.find(pred), { what, timeoutMs }),
        waitClosed: (what = 'the socket to close', timeoutMs = 5000) => waitForValue(() => closed, { what, timeoutMs }),
      };
      resolve({ kind: 'open', client });
    });
  });
}

/** The headers the kiosk's own page sends with its channel: its cookie and its Origin. */
export function screenHeaders(screenUrl: string): { cookie: string; origin: string } {
  const c = screenCredentials(screenUrl);
  if (!c) throw new Error(`not a screen URL (no ?screen=<secret>): ${screenUrl}`);
  return { cookie: c.cookie, origin: c.origin };
}

export function socketUrlOf(screenUrl: string): string {
  const u = new URL('/ws/kiosk', screenUrl);
  u.protocol = 'ws:';
  return u.href;
}

/** Connects as the kiosk's own screen; fails the test if the kiosk refuses. */
export async function connectAsScreen(screenUrl: string, opts: { autoPong?: boolean } = {}): Promise<ChannelClient> {
  const r = await openChannel(socketUrlOf(screenUrl), { headers: screenHeaders(screenUrl), ...opts });
  if (r.kind === 'refused') throw new Error(`the kiosk refused its own screen: ${r.status} ${r.body}`);
  return r.client;
}

/** An HTTP request as the kiosk's page makes it (its cookie; same-origin), e.g. for /session/face.jpg. */
export function screenFetch(screenUrl: string, path: string, init: RequestInit = {}): Promise<Response> {
  const c = screenCredentials(screenUrl);
  if (!c) throw new Error(`not a screen URL (no ?screen=<secret>): ${screenUrl}`);
  return fetch(new URL(path, screenUrl), { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), cookie: c.cookie } });
}
