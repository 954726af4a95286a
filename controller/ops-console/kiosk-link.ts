import type { Logger } from 'pino';
import WebSocket from 'ws';
import { backoffDelay } from '../sync/backoff';
import type { KioskEntry } from './files';
import { decodeKioskMessage, MAX_OPS_KIOSK_MESSAGE_BYTES, type HallKiosk, type OpsCommand, type OpsKioskMessage, type OpsKioskStatus } from '../../domain/ops-channel/messages';

/**
 * The ops process's connection to one kiosk's ops channel (issue #14): opened with the kiosk's
 * token, reopened with backoff (1 s doubling to 30 s, jittered) when it drops or is refused, and
 * called down when the kiosk has been silent for three of its heartbeats (then reopened). The
 * kiosk's clock is not trusted to match ours: every time it sends is moved onto this machine's
 * clock by the difference seen on its latest status.
 */

export interface KioskLinkOptions {
  readonly entry: KioskEntry;
  readonly log: Logger;
  /** Something about this kiosk changed (its status, its link). */
  readonly onChange: () => void;
  /** A command's answer or a photo, for whoever sent the command. */
  readonly onReply: (message: Extract<OpsKioskMessage, { type: 'result' | 'photo' }>) => void;
  readonly now?: () => number;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Before the first status says how often it comes. */
  readonly defaultHeartbeatMs?: number;
}

export interface KioskLink {
  view(): HallKiosk;
  /** Send an officer's command; false when the kiosk is not connected. */
  send(id: string, officer: string, command: OpsCommand): boolean;
  stop(): void;
}

const SILENT_HEARTBEATS = 3;

export function createKioskLink(opts: KioskLinkOptions): KioskLink {
  const now = opts.now ?? Date.now;
  const { entry, log } = opts;
  const policy = opts.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  let ws: WebSocket | undefined;
  let stopped = false;
  let failures = 0;
  let link: HallKiosk['link'] = 'connecting';
  let lastHeard: number | undefined;
  let downSince: number | undefined;
  let linkError: string | undefined;
  let status: OpsKioskStatus | undefined;
  /** Our clock minus the kiosk's, from its latest status. */
  let skewMs = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const heartbeatMs = (): number => (status ? status.heartbeatS * 1000 : (opts.defaultHeartbeatMs ?? 10_000));

  const goDown = (why: string): void => {
    if (link !== 'down') downSince = now();
    const changed = link !== 'down' || linkError !== why;
    link = 'down';
    linkError = why;
    if (changed) opts.onChange();
  };
  const armWatchdog = (): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      log.warn({ kiosk: entry.id }, 'kiosk silent for three heartbeats: reconnecting');
      goDown('silent');
      ws?.terminate();
    }, SILENT_HEARTBEATS * heartbeatMs());
    watchdog.unref?.();
  };
  const scheduleRetry = (): void => {
    if (stopped || retry) return;
    failures += 1;
    const delay = backoffDelay(failures, policy, Math.random);
    retry = setTimeout(() => {
      retry = undefined;
      connect();
    }, delay);
    retry.unref?.();
  };

  const onMessage = (m: OpsKioskMessage): void => {
    lastHeard = now();
    armWatchdog();
    switch (m.type) {
      case 'hello':
        if (m.kioskId !== entry.id) log.warn({ kiosk: entry.id, says: m.kioskId }, 'the kiosk at this URL says it is another kiosk');
        return;
      case 'status': {
        status = m.status;
        skewMs = now() - Date.parse(m.status.at);
        if (!Number.isFinite(skewMs)) skewMs = 0;
        if (link !== 'up') {
          link = 'up';
          downSince = undefined;
          linkError = undefined;
          failures = 0;
        }
        opts.onChange();
        return;
      }
      case 'result':
      case 'photo':
        opts.onReply(m);
        return;
      case 'error':
        log.warn({ kiosk: entry.id, code: m.code, reason: m.message }, 'the kiosk refused a message from the console');
        return;
    }
  };

  const connect = (): void => {
    if (stopped) return;
    const socket = new WebSocket(entry.url, { headers: { authorization: `Bearer ${entry.token}` }, maxPayload: MAX_OPS_KIOSK_MESSAGE_BYTES, handshakeTimeout: 10_000, perMessageDeflate: false });
    ws = socket;
    /** Why the kiosk refused this connection: what the link says until the next try. */
    let refused: string | undefined;
    socket.on('unexpected-response', (_req, res) => {
      refused = res.statusCode === 401 ? 'bad-token' : res.statusCode === 403 ? 'no-token' : `http-${res.statusCode ?? '?'}`;
      goDown(refused);
      socket.terminate();
    });
    socket.on('open', () => {
      log.info({ kiosk: entry.id }, 'connected to the kiosk');
      armWatchdog();
    });
    socket.on('message', (data, isBinary) => {
      const d = decodeKioskMessage(Buffer.isBuffer(data) ? data : Buffer.from(String(data)), isBinary);
      if (!d.ok) {
        log.warn({ kiosk: entry.id, reason: d.reason }, 'a message from the kiosk refused');
        return;
      }
      onMessage(d.message);
    });
    socket.on('error', (err) => {
      const code = 'code' in err && typeof err.code === 'string' ? err.code : err.message;
      goDown(refused ?? (code === 'ECONNREFUSED' ? 'refused' : code));
    });
    socket.on('close', () => {
      clearTimeout(watchdog);
      if (ws === socket) ws = undefined;
      if (!stopped) {
        goDown(refused ?? (link === 'down' && linkError ? linkError : 'closed'));
        scheduleRetry();
      }
    });
  };
  connect();

  const onOurClock = (iso: string): string => {
    const t = Date.parse(iso);
    return Number.isFinite(t) ? new Date(t + skewMs).toISOString() : iso;
  };

  return {
    view() {
      const s = status;
      return {
        kioskId: entry.id,
        ...(entry.label ? { label: entry.label } : {}),
        link,
        ...(lastHeard !== undefined ? { lastHeardAt: new Date(lastHeard).toISOString() } : {}),
        ...(downSince !== undefined ? { downSince: new Date(downSince).toISOString() } : {}),
        ...(linkError !== undefined && link === 'down' ? { linkError } : {}),
        ...(s
          ? {
              status: {
                ...s,
                at: onOurClock(s.at),
                stepSince: onOurClock(s.stepSince),
                ...(s.help ? { help: { ...s.help, since: onOurClock(s.help.since) } } : {}),
                ...(s.exception ? { exception: { ...s.exception, since: onOurClock(s.exception.since), until: onOurClock(s.exception.until) } } : {}),
              },
            }
          : {}),
      };
    },
    send(id, officer, command) {
      if (!ws || ws.readyState !== ws.OPEN || link !== 'up') return false;
      ws.send(JSON.stringify({ type: 'command', id, officer, command }));
      return true;
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(watchdog);
      ws?.terminate();
    },
  };
}
