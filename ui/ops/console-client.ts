import type { BrowserMessage, ConsoleServerMessage } from '../../domain/ops-channel/types';

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
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/console`;
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      delay = 500;
      listener.onConnected(true);
    });
    ws.addEventListener('message', (e) => {
      const msg = typeof e.data === 'string' ? parse(e.data) : undefined;
      if (msg) listener.onMessage(msg);
    });
    ws.addEventListener('close', () => {
      if (socket === ws) socket = undefined;
      listener.onConnected(false);
      if (closed) return;
      // Refused for want of a session, or the server went away: ask which.
      fetch('/api/me', { credentials: 'same-origin' }).then(
        (r) => {
          if (r.status === 401) listener.onLoggedOut();
          else retry();
        },
        () => retry(),
      );
    });
  };
  const retry = (): void => {
    if (closed) return;
    timer = setTimeout(open, delay);
    delay = Math.min(5000, delay * 2);
  };
  open();
  return {
    send(msg) {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(msg));
      return true;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
