import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { HEADERS, PACKET_PATH } from '../sync/protocol';
import type { Intake } from './intake';
import { listenOn, urlHost } from '../server/listen';

/**
 * The receiver's HTTPS face: routes, body limits and timeouts around intake.ts. Every answer
 * is JSON; every refusal names its reason.
 */

export interface CentralServerOptions {
  readonly intake: Intake;
  readonly tls: { readonly key: string; readonly cert: string };
  readonly log: Logger;
  /** A larger body is refused (413) before it is read. */
  readonly maxPacketBytes: number;
  /** The whole request must arrive within this (a stalled upload is dropped). */
  readonly requestTimeoutMs: number;
}

export interface CentralServer {
  listen(port: number, host: string): Promise<{ readonly port: number; readonly url: string }>;
  close(): Promise<void>;
}

export function createCentralServer(opts: CentralServerOptions): CentralServer {
  const server = https.createServer(
    { key: opts.tls.key, cert: opts.tls.cert, minVersion: 'TLSv1.2', requestTimeout: opts.requestTimeoutMs, headersTimeout: Math.min(30_000, opts.requestTimeoutMs) },
    (req, res) => {
      route(req, res).catch((err: unknown) => {
        opts.log.error({ err }, 'intake failed');
        if (!res.headersSent) json(res, 503, { error: 'unavailable', reason: 'the receiver could not store the packet now; try again later' });
        else res.destroy();
      });
    },
  );
  server.on('clientError', (err, socket) => {
    opts.log.debug({ err }, 'client error');
    socket.destroy();
  });

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/v1/health') {
      json(res, 200, { ok: true });
      return;
    }
    const match = PACKET_PATH.exec(path);
    if (!match?.[1] || !match[2]) {
      json(res, 404, { error: 'malformed', reason: 'packets go to POST /v1/kiosks/<kioskId>/packets/<recordId>' });
      return;
    }
    if (req.method !== 'POST') {
      json(res, 405, { error: 'malformed', reason: 'use POST' }, { allow: 'POST' });
      return;
    }
    const length = Number(req.headers['content-length']);
    if (req.headers['content-length'] === undefined || !Number.isInteger(length) || length < 0) {
      json(res, 411, { error: 'malformed', reason: 'a packet upload needs a content-length' }, { connection: 'close' });
      return;
    }
    if (length > opts.maxPacketBytes) {
      json(res, 413, { error: 'malformed', reason: `a packet is at most ${opts.maxPacketBytes} bytes` }, { connection: 'close' });
      return;
    }
    const body = await readBody(req, length);
    if (body === null) return; // the kiosk went away mid-upload: nothing is stored, nothing to answer
    const reply = await opts.intake.handle({
      kioskId: match[1],
      recordId: match[2],
      declaredSha256: header(req, HEADERS.sha256),
      auditHead: header(req, HEADERS.auditHead),
      auditAnchor: header(req, HEADERS.auditAnchor),
      signature: header(req, HEADERS.signature),
      body,
    });
    json(res, reply.status, reply.body);
  };

  return {
    listen: async (port, host) => {
      const actual = (await listenOn(server, port, host)).port;
      return { port: actual, url: `https://${urlHost(host)}:${actual}` };
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The whole body, or null when the connection closed before it all arrived. */
function readBody(req: IncomingMessage, length: number): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const body = new Uint8Array(length);
    let at = 0;
    let done = false;
    const finish = (value: Uint8Array | null): void => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      if (at + chunk.length > length) return finish(null);
      body.set(chunk, at);
      at += chunk.length;
    });
    req.on('end', () => finish(at === length ? body : null));
    req.on('error', () => finish(null));
    req.on('close', () => finish(req.complete && at === length ? body : null));
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
