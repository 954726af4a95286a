import WebSocket from 'ws';
import { isTechServerMessage, type TechClientMessage, type TechServerMessage } from '../../domain/tech-channel/messages';

/**
 * `kiosk diag`'s end of the tech channel (server/tech-channel.ts): one socket to the running
 * kiosk, messages in order, and a wait for the first message that answers a question. A kiosk
 * that is not running is told apart from one that refuses.
 */

export interface TechSession {
  /**
   * Send `msg` (if any) and wait for the first message after it for which `pick` returns a
   * value; fails after `timeoutMs` naming `what`, or when the kiosk closes the channel.
   */
  ask<T>(msg: TechClientMessage | undefined, pick: (m: TechServerMessage) => T | undefined, what: string, timeoutMs: number): Promise<T>;
  close(): void;
}

export type Opened = { readonly ok: true; readonly session: TechSession } | { readonly ok: false; readonly running: boolean; readonly message: string };

/** Errors that mean nobody listens there: no kiosk running (or a token file left by a crash). */
const NOT_RUNNING = new Set(['ECONNREFUSED', 'ENOENT', 'EADDRNOTAVAIL', 'ECONNRESET']);

export function openTechSession(origin: string, opts: { readonly timeoutMs?: number } = {}): Promise<Opened> {
  const url = new URL('/ws/tech', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { handshakeTimeout: opts.timeoutMs ?? 5_000 });
    const waiters = new Set<(m: TechServerMessage) => void>();
    let closedWhy: string | undefined;
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let msg: unknown;
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (!isTechServerMessage(msg)) return;
      for (const w of [...waiters]) w(msg);
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ ok: false, running: true, message: `the kiosk refused the tech channel (HTTP ${res.statusCode ?? '?'}): ${body}` }));
    });
    ws.once('error', (err: Error & { code?: string }) => {
      resolve({ ok: false, running: !NOT_RUNNING.has(err.code ?? ''), message: `${err.code ?? ''} ${err.message}`.trim() });
    });
    ws.on('close', (code, reason) => {
      closedWhy = `the kiosk closed the tech channel (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      for (const w of [...waiters]) w({ type: 'error', code: 'bad-message', message: { vi: closedWhy, en: closedWhy } });
    });
    ws.once('open', () => {
      ws.on('error', () => undefined);
      const session: TechSession = {
        ask: (msg, pick, what, timeoutMs) =>
          new Promise((resolveNext, reject) => {
            if (closedWhy !== undefined) return reject(new Error(closedWhy));
            const timer = setTimeout(() => {
              waiters.delete(waiter);
              reject(new Error(`no answer from the kiosk within ${Math.round(timeoutMs / 1000)} s waiting for ${what}`));
            }, timeoutMs);
            const waiter = (m: TechServerMessage): void => {
              if (closedWhy !== undefined) {
                clearTimeout(timer);
                waiters.delete(waiter);
                reject(new Error(closedWhy));
                return;
              }
              const v = pick(m);
              if (v === undefined) return;
              clearTimeout(timer);
              waiters.delete(waiter);
              resolveNext(v);
            };
            waiters.add(waiter);
            if (msg) ws.send(JSON.stringify(msg));
          }),
        close: () => ws.close(),
      };
      resolve({ ok: true, session });
    });
  });
}
