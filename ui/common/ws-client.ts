import type { ClientMessage, Intent, ServerMessage } from '../../domain/kiosk-channel/messages';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';

/**
 * The page's end of /ws/kiosk. It keeps the newest view model, reconnects with backoff, and
 * says whether it is connected; it holds no business state of its own.
 */
export interface KioskConnection {
  send(intent: Intent): void;
  close(): void;
}

export interface ConnectionListener {
  onView(view: ViewModel): void;
  onConnected(connected: boolean): void;
}

export interface ConnectOptions {
  readonly url?: string;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export function kioskSocketUrl(loc: Location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/kiosk`;
}

export function connectKiosk(listener: ConnectionListener, opts: ConnectOptions = {}): KioskConnection {
  const url = opts.url ?? kioskSocketUrl(window.location);
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5000;
  let socket: WebSocket | undefined;
  let delay = minDelay;
  let lastSeq = -1;
  let nextId = 1;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = (): void => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      delay = minDelay;
      // A restarted controller starts its seq again, so each connection starts afresh.
      lastSeq = -1;
      sendRaw(ws, { type: 'hello' });
      listener.onConnected(true);
    });
    ws.addEventListener('message', (event) => handleMessage(event.data));
    ws.addEventListener('close', () => {
      if (socket === ws) socket = undefined;
      listener.onConnected(false);
      if (!closed) {
        timer = setTimeout(open, delay);
        delay = Math.min(maxDelay, delay * 2);
      }
    });
    // 'error' is always followed by 'close', where the retry happens.
  };

  const handleMessage = (data: unknown): void => {
    if (typeof data !== 'string') return;
    const msg = parseServerMessage(data);
    if (!msg) {
      console.warn('kiosk ws: unreadable message', data.slice(0, 200));
      return;
    }
    if (msg.type === 'error') {
      console.warn(`kiosk ws: error ${msg.code}${msg.id ? ` for ${msg.id}` : ''}: ${msg.message}`);
      return;
    }
    if (msg.view.seq <= lastSeq) return;
    lastSeq = msg.view.seq;
    listener.onView(msg.view);
  };

  open();

  return {
    send(intent: Intent): void {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        console.warn('kiosk ws: not connected, dropped', intent.type);
        return;
      }
      sendRaw(ws, { type: 'intent', id: `i${nextId++}`, intent });
    },
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    },
  };
}

function sendRaw(ws: WebSocket, msg: ClientMessage): void {
  ws.send(JSON.stringify(msg));
}

/**
 * The controller is trusted, but a half-deployed one may send something odd: only the envelope
 * is checked here, enough that the page never crashes on it.
 */
function parseServerMessage(text: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  if (value.type === 'error') {
    const code = value.code;
    if (code !== 'bad-json' && code !== 'bad-message' && code !== 'not-allowed-now' && code !== 'too-large') return undefined;
    return {
      type: 'error',
      code,
      message: typeof value.message === 'string' ? value.message : '',
      ...(typeof value.id === 'string' ? { id: value.id } : {}),
    };
  }
  if (value.type === 'view' && isViewModel(value.view)) return { type: 'view', view: value.view };
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isViewModel(v: unknown): v is ViewModel {
  return (
    isRecord(v) &&
    typeof v.seq === 'number' &&
    (v.lang === 'vi' || v.lang === 'en') &&
    isRecord(v.screen) &&
    typeof v.screen.name === 'string'
  );
}
