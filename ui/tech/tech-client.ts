import { isTechServerMessage, type TechClientMessage, type TechServerMessage } from '../../domain/tech-channel/types';

/**
 * The service screen's end of ws /ws/tech: it connects, says hello, reconnects with backoff
 * when the kiosk goes away (a restart), and hands every message to the page. The page holds the
 * last of each kind; the kiosk decides everything (what is unlocked, what may run).
 */
export interface TechConnection {
  send(msg: TechClientMessage): void;
  close(): void;
}

export interface TechListener {
  onMessage(msg: TechServerMessage): void;
  onConnected(connected: boolean): void;
}

export function techSocketUrl(loc: Location): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/ws/tech`;
}

function parse(text: string): TechServerMessage | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isTechServerMessage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function connectTech(listener: TechListener, url: string = techSocketUrl(window.location)): TechConnection {
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = 250;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      delay = 250;
      listener.onConnected(true);
      ws.send(JSON.stringify({ type: 'hello' } satisfies TechClientMessage));
    });
    ws.addEventListener('message', (e) => {
      const msg = typeof e.data === 'string' ? parse(e.data) : undefined;
      if (msg) listener.onMessage(msg);
    });
    ws.addEventListener('close', () => {
      if (socket === ws) socket = undefined;
      listener.onConnected(false);
      if (closed) return;
      timer = setTimeout(open, delay);
      delay = Math.min(5000, delay * 2);
    });
  };
  open();
  return {
    send(msg) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
