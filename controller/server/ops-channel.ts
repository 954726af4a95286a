import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConsoleLink } from '../ops/console-link';
import type { JsonValue } from '../store/audit-chain';
import { AUDIT_KINDS } from '../store/audit-kinds';
import { decodeConsoleMessage, MAX_OPS_CONSOLE_MESSAGE_BYTES, OPS_PROTOCOL, type OpsKioskMessage } from '../../domain/ops-channel/messages';

/**
 * ws /ws/ops: the kiosk's ops channel for the hall's ops process (issue #14, docs/ops-console.md).
 * The upgrade must carry `Authorization: Bearer <ops.consoleToken>`, compared in constant time,
 * from any address (loopback too: a program on the kiosk is not an officer). Once open, the
 * kiosk sends `hello` and the status, then the status on every change (a burst of changes makes one status, 25 ms after the first)
 * and every heartbeat; it takes `status` and `command` messages, each decoded within bounds and
 * answered (a bad one with its reason, acting on nothing).
 */

export interface OpsChannelDeps {
  readonly link: ConsoleLink;
  /** The kiosk's console token; absent: the channel refuses everyone (ops not configured). */
  readonly token: string | undefined;
  readonly kioskId: string;
  readonly version: string;
  readonly audit: (kind: string, detail: JsonValue) => void;
  readonly log: Logger;
  /** Consoles open at once; more are refused at the upgrade. */
  readonly maxClients?: number;
  readonly now?: () => number;
}

export interface OpsChannel {
  /** Why an upgrade is refused (an HTTP status and words), or undefined to let it in. Audited (rate limited). */
  refusal(req: IncomingMessage): { readonly status: 401 | 403 | 503; readonly error: string } | undefined;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Consoles connected now. */
  count(): number;
  close(): void;
}

/** A console still receiving this much is not sent the heartbeat on top. */
const BACKED_UP_BYTES = 4 * 1024 * 1024;
const REFUSAL_AUDIT_EVERY_MS = 60_000;

export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

export function createOpsChannel(deps: OpsChannelDeps): OpsChannel {
  const now = deps.now ?? Date.now;
  const maxClients = deps.maxClients ?? 4;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_OPS_CONSOLE_MESSAGE_BYTES, perMessageDeflate: false });
  const clients = new Set<WebSocket>();
  /** Refusals by reason: when the last was written, and how many since. */
  const refusals = new Map<string, { at: number; since: number }>();
  /** Closed (the kiosk stopping): the sockets' last events no longer reach the link. */
  let closed = false;

  const send = (ws: WebSocket, msg: OpsKioskMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const sendStatus = (targets: Iterable<WebSocket>): void => {
    const list = [...targets];
    if (list.length === 0) return;
    deps.link.status().then(
      (status) => {
        const text = JSON.stringify({ type: 'status', status } satisfies OpsKioskMessage);
        for (const ws of list) if (ws.readyState === ws.OPEN) ws.send(text);
      },
      (err: unknown) => deps.log.warn({ err }, 'ops channel: status not made'),
    );
  };
  let pushTimer: ReturnType<typeof setTimeout> | undefined;
  const offChange = deps.link.onChange(() => {
    if (pushTimer || clients.size === 0) return;
    pushTimer = setTimeout(() => {
      pushTimer = undefined;
      sendStatus(clients);
    }, 25);
  });
  const heartbeat = setInterval(() => sendStatus([...clients].filter((ws) => ws.bufferedAmount < BACKED_UP_BYTES)), deps.link.heartbeatMs);
  heartbeat.unref();

  const auditRefusal = (reason: string, from: string | undefined): void => {
    const t = now();
    const seen = refusals.get(reason);
    if (seen && t - seen.at < REFUSAL_AUDIT_EVERY_MS) {
      seen.since += 1;
      return;
    }
    refusals.set(reason, { at: t, since: 0 });
    deps.audit(AUDIT_KINDS.opsAccess, { outcome: reason, from: from ?? null, refused: (seen?.since ?? 0) + 1 });
  };

  const onMessage = (ws: WebSocket, data: Buffer, isBinary: boolean): void => {
    const decoded = decodeConsoleMessage(data, isBinary);
    if (!decoded.ok) return send(ws, { type: 'error', code: decoded.code, message: decoded.reason });
    const msg = decoded.message;
    if (msg.type === 'status') return sendStatus([ws]);
    const answer = deps.link.command(msg.command, msg.officer);
    if (!answer.ok) return send(ws, { type: 'result', id: msg.id, ok: false, code: answer.code, message: answer.message });
    if (answer.photo) {
      const p = answer.photo;
      send(ws, { type: 'photo', id: msg.id, exceptionId: p.exceptionId, jpegBase64: Buffer.from(p.jpeg).toString('base64'), width: p.width, height: p.height });
    }
    send(ws, { type: 'result', id: msg.id, ok: true });
  };

  return {
    refusal(req) {
      const from = req.socket.remoteAddress;
      if (deps.token === undefined) {
        auditRefusal('no-token-set', from);
        return { status: 403, error: 'this kiosk has no ops.consoleToken: the ops channel is closed (docs/ops-console.md)' };
      }
      const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, deps.token)) {
        auditRefusal('bad-token', from);
        return { status: 401, error: 'a valid "Authorization: Bearer <ops.consoleToken>" is needed for /ws/ops' };
      }
      if (clients.size >= maxClients) {
        auditRefusal('too-many', from);
        return { status: 503, error: `at most ${maxClients} consoles at once` };
      }
      return undefined;
    },
    handleUpgrade(req, socket, head) {
      const from = req.socket.remoteAddress ?? null;
      wss.handleUpgrade(req, socket, head, (ws) => {
        clients.add(ws);
        deps.link.consoles(clients.size);
        deps.audit(AUDIT_KINDS.opsAccess, { outcome: 'connected', from });
        deps.log.info({ ops: 'console', from }, 'an ops console connected');
        ws.on('error', (err) => deps.log.debug({ reason: err.message }, 'ops socket closed on a protocol error'));
        ws.on('message', (data, isBinary) => {
          try {
            onMessage(ws, Buffer.isBuffer(data) ? data : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : Buffer.concat(data)), isBinary);
          } catch (err) {
            deps.log.error({ err }, 'ops channel: message failed');
          }
        });
        ws.on('close', () => {
          clients.delete(ws);
          if (closed) return;
          deps.link.consoles(clients.size);
          deps.audit(AUDIT_KINDS.opsAccess, { outcome: 'left', from });
        });
        send(ws, { type: 'hello', protocol: OPS_PROTOCOL, kioskId: deps.kioskId, version: deps.version });
        sendStatus([ws]);
      });
    },
    count: () => clients.size,
    close() {
      closed = true;
      offChange();
      clearInterval(heartbeat);
      clearTimeout(pushTimer);
      for (const ws of clients) ws.terminate();
      clients.clear();
      deps.link.consoles(0);
      wss.close();
    },
  };
}
