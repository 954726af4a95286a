import http from 'node:http';
import { isIP } from 'node:net';
import tls from 'node:tls';
import { spkiSha256 } from './pinning';

/**
 * The network, and the only part of sync that touches it: one HTTPS POST on a connection of its
 * own, to a receiver whose key is pinned. Nothing of the packet is written until the handshake
 * finished and the receiver's certificate key matched a pin; a mismatch is a refusal, not a
 * warning. Results, not throws: the caller decides what each failure means.
 */

export interface UploadRequest {
  /** Path under the receiver's base URL (protocol.ts packetPath). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** Aborts the attempt (the kiosk is stopping). */
  readonly signal?: AbortSignal;
}

export type TransportError =
  /** The receiver's certificate key is not a pinned one: nothing was sent. */
  | 'pin-mismatch'
  /** No complete reply within the request timeout (a hung receiver or link). */
  | 'timeout'
  /** Refused, reset or closed before a complete reply (receiver down, cut mid-upload). */
  | 'connection'
  /** A reply that is not HTTP we can read, or too long. */
  | 'bad-reply'
  | 'aborted';

export type UploadOutcome =
  /** `uploaded`: the whole body was handed to the network, so the receiver may hold it. */
  | { readonly kind: 'reply'; readonly status: number; readonly json: unknown; readonly uploaded: boolean }
  | { readonly kind: 'failed'; readonly error: TransportError; readonly detail: string; readonly uploaded: boolean };

export interface SyncTransport {
  /** Where packets go, for health and logs (`host:port`). */
  readonly receiver: string;
  upload(req: UploadRequest): Promise<UploadOutcome>;
}

export interface PinnedHttpsOptions {
  readonly url: URL;
  /** Base64 SHA-256 of accepted SubjectPublicKeyInfo (pinning.ts). */
  readonly pins: readonly string[];
  /** From connecting to the last byte of the reply. */
  readonly timeoutMs: number;
  readonly maxReplyBytes?: number;
}

export function pinnedHttpsTransport(opts: PinnedHttpsOptions): SyncTransport {
  if (opts.url.protocol !== 'https:') throw new TypeError(`the receiver URL must be https, got ${opts.url.protocol}`);
  if (opts.pins.length === 0) throw new TypeError('a pinned receiver needs at least one pin');
  const host = opts.url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(opts.url.port || 443);
  const base = opts.url.pathname.replace(/\/+$/, '');
  const maxReply = opts.maxReplyBytes ?? 64 * 1024;
  const receiver = opts.url.host;

  const upload = (req: UploadRequest): Promise<UploadOutcome> =>
    new Promise((resolve) => {
      let settled = false;
      let uploaded = false;
      let socket: tls.TLSSocket | undefined;
      const finish = (outcome: UploadOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        socket?.destroy();
        resolve(outcome);
      };
      const fail = (error: TransportError, detail: string): void => finish({ kind: 'failed', error, detail, uploaded });
      const onAbort = (): void => fail('aborted', 'sync was stopped');
      const timer = setTimeout(() => fail('timeout', `no complete reply from ${receiver} within ${opts.timeoutMs} ms`), opts.timeoutMs);
      if (req.signal?.aborted) return onAbort();
      req.signal?.addEventListener('abort', onAbort, { once: true });

      const tlsSocket = tls.connect({
        host,
        port,
        // SNI carries names only, never addresses (RFC 6066 §3).
        ...(isIP(host) === 0 ? { servername: host } : {}),
        // The chain is not what we trust: the pin is, checked below before a byte is sent.
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        ALPNProtocols: ['http/1.1'],
      });
      socket = tlsSocket;
      let connected = false;
      const lost = (err: unknown): void =>
        fail('connection', connected ? `${receiver} closed the connection ${uploaded ? 'before replying' : 'mid-upload'} (${describe(err)})` : `cannot reach ${receiver}: ${describe(err)}`);
      tlsSocket.once('error', lost);
      tlsSocket.once('secureConnect', () => {
        connected = true;
        const cert = tlsSocket.getPeerX509Certificate();
        const pin = cert ? spkiSha256(cert.publicKey) : undefined;
        if (pin === undefined || !opts.pins.includes(pin)) {
          fail('pin-mismatch', `the receiver at ${receiver} showed a certificate whose key (pin ${pin ?? 'none'}) is not the pinned one; nothing was sent`);
          return;
        }
        const request = http.request({
          method: 'POST',
          path: `${base}${req.path}`,
          headers: { ...req.headers, host: receiver, 'content-length': String(req.body.length), connection: 'close' },
          createConnection: () => tlsSocket,
        });
        request.on('error', lost);
        request.on('finish', () => {
          uploaded = true;
        });
        request.on('response', (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxReply) fail('bad-reply', `the reply from ${receiver} is longer than ${maxReply} bytes`);
            else chunks.push(chunk);
          });
          res.on('error', (err) => fail('connection', `${receiver} closed the connection mid-reply (${describe(err)})`));
          res.on('close', () => {
            if (!res.complete) fail('connection', `${receiver} closed the connection mid-reply`);
          });
          res.on('end', () => finish({ kind: 'reply', status: res.statusCode ?? 0, json: parseJson(Buffer.concat(chunks)), uploaded }));
        });
        request.end(req.body);
      });
    });

  return { receiver, upload };
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? `${err.code}: ${err.message}` : err.message;
  return String(err);
}
