import type { BrowserMessage, ConsoleServerMessage } from '../../domain/ops-channel/types';
import { openReconnectingSocket } from '../common/reconnecting-socket';

/**
 * The console page's end of ws /ws/console (issue #14): the session cookie goes with it; it
 * reconnects with backoff when the ops process restarts, and says when it has to log in again.
 */
export interface ConsoleConnection {
  send(msg: BrowserMessage): boolean;
  close(): void;
}

export interface ConsoleListener {
  onMessage(msg: ConsoleServerMessage): void;
  onConnected(connected: boolean): void;
  /** The session is gone (logged out elsewhere, the ops process restarted): log in again. */
  onLoggedOut(): void;
}

const TYPES = new Set(['hall', 'kiosks', 'result', 'photo', 'error']);
/**
 * The ops process is this page's own server (same origin, behind the login): its messages are
 * trusted for shape once their type is one of ours (it validated what the kiosks sent).
 */
function isConsoleServerMessage(v: unknown): v is ConsoleServerMessage {
  return typeof v === 'object' && v !== null && 'type' in v && typeof v.type === 'string' && TYPES.has(v.type);
}
function parse(text: string): ConsoleServerMessage | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isConsoleServerMessage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function connectConsole(listener: ConsoleListener): ConsoleConnection {
  const socket = openReconnectingSocket({
    url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/console`,
    minDelayMs: 500,
    maxDelayMs: 5000,
    onOpen: () => {
      socket.resetBackoff();
      listener.onConnected(true);
    },
    onText: (text) => {
      const msg = parse(text);
      if (msg) listener.onMessage(msg);
    },
    onClose: async () => {
      listener.onConnected(false);
      // Refused for want of a session, or the server went away: ask which.
      const r = await fetch('/api/me', { credentials: 'same-origin' }).catch(() => undefined);
      if (r?.status !== 401) return true;
      listener.onLoggedOut();
      return false;
    },
  });
  return {
    send(msg) {
      const ws = socket.current();
      if (ws?.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(msg));
      return true;
    },
    close: () => socket.close(),
  };
}
