import { isTechServerMessage, type TechClientMessage, type TechServerMessage } from '../../domain/tech-channel/types';
import { openReconnectingSocket } from '../common/reconnecting-socket';

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
  const socket = openReconnectingSocket({
    url,
    minDelayMs: 250,
    maxDelayMs: 5000,
    onOpen: (ws) => {
      socket.resetBackoff();
      listener.onConnected(true);
      ws.send(JSON.stringify({ type: 'hello' } satisfies TechClientMessage));
    },
    onText: (text) => {
      const msg = parse(text);
      if (msg) listener.onMessage(msg);
    },
    onClose: () => {
      listener.onConnected(false);
      return true;
    },
  });
  return {
    send(msg) {
      const ws = socket.current();
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    },
    close: () => socket.close(),
  };
}
