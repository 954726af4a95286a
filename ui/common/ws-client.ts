import type { ClientMessage, ErrorCode, Intent, ServerMessage } from '../../domain/kiosk-channel/messages';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import { openReconnectingSocket } from './reconnecting-socket';

/**
 * The page's end of /ws/kiosk. It keeps the newest view model, reconnects with backoff, and
 * says whether it is connected; it holds no business state of its own. The kiosk serves the
 * channel to its own screen only (issue #11): when it refuses this page, the page is told why,
 * so it can say so instead of "connecting…" forever.
 */
export interface KioskConnection {
  send(intent: Intent): void;
  close(): void;
}

/** Why the kiosk will not serve this page. */
export type ScreenRefusal =
  /** The page has no pass from this start of the kiosk (it was not opened from the screen URL). */
  | { readonly kind: 'not-this-screen'; readonly detail: string }
  /** Another window is the kiosk's screen right now. */
  | { readonly kind: 'screen-in-use'; readonly detail: string };

export interface ConnectionListener {
  onView(view: ViewModel): void;
  /** True once views arrive on a socket; false when it closes. */
  onConnected(connected: boolean): void;
  onRefused?(refusal: ScreenRefusal): void;
}

export interface ConnectOptions {
  readonly url?: string;
  /** Asked when the channel would not open: is this page the kiosk's screen? (default /api/screen) */
  readonly probeUrl?: string;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

export function kioskSocketUrl(loc: Location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/kiosk`;
}

export function connectKiosk(listener: ConnectionListener, opts: ConnectOptions = {}): KioskConnection {
  const probeUrl = opts.probeUrl ?? new URL('/api/screen', window.location.href).href;
  /** The socket views arrive on: intents go there only (not to one the kiosk is refusing). */
  let live: WebSocket | undefined;
  let lastSeq = -1;
  let nextId = 1;
  let closed = false;
  /** Why the kiosk refused each socket: another screen holds the channel. */
  const inUse = new WeakMap<WebSocket, string>();
  /**
   * Knocks in a row refused because another screen holds the channel. The first is often this
   * page's own reload racing its old socket's close: only a second one is shown.
   */
  let inUseInARow = 0;

  const probe = async (): Promise<void> => {
    let res: Response;
    try {
      res = await fetch(probeUrl, { cache: 'no-store', credentials: 'same-origin' });
    } catch {
      return; // the controller is not answering at all: that is "reconnecting", not a refusal
    }
    if (res.status !== 401 && res.status !== 403) return;
    const body: unknown = await res.json().catch(() => undefined);
    const detail = isRecord(body) && typeof body.error === 'string' ? body.error : `HTTP ${res.status}`;
    if (!closed) listener.onRefused?.({ kind: 'not-this-screen', detail });
  };

  const socket = openReconnectingSocket({
    url: opts.url ?? kioskSocketUrl(window.location),
    minDelayMs: opts.minDelayMs ?? 250,
    maxDelayMs: opts.maxDelayMs ?? 5000,
    onOpen: (ws) => {
      // A restarted controller starts its seq again, so each connection starts afresh.
      lastSeq = -1;
      sendRaw(ws, { type: 'hello' });
    },
    onText: (text, ws) => {
      const msg = parseServerMessage(text);
      if (!msg) {
        console.warn('kiosk ws: unreadable message', text.slice(0, 200));
        return;
      }
      if (msg.type === 'error') {
        if (msg.code === 'screen-in-use') inUse.set(ws, msg.message);
        console.warn(`kiosk ws: error ${msg.code}${msg.id ? ` for ${msg.id}` : ''}: ${msg.message}`);
        return;
      }
      // Served: the first view on this socket. Only now does the connection count as working.
      if (live !== ws) {
        live = ws;
        inUseInARow = 0;
        socket.resetBackoff();
        listener.onConnected(true);
      }
      if (msg.view.seq <= lastSeq) return;
      lastSeq = msg.view.seq;
      listener.onView(msg.view);
    },
    onClose: (ws, opened) => {
      if (live === ws) live = undefined;
      listener.onConnected(false);
      const refusedAs = inUse.get(ws);
      if (refusedAs !== undefined) {
        if (++inUseInARow >= 2) listener.onRefused?.({ kind: 'screen-in-use', detail: refusedAs });
      }
      // The browser hides why a handshake failed: ask the kiosk whether this page is its screen.
      else if (!opened) void probe();
      return true;
    },
  });

  return {
    send(intent: Intent): void {
      const ws = live;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        console.warn('kiosk ws: not connected, dropped', intent.type);
        return;
      }
      sendRaw(ws, { type: 'intent', id: `i${nextId++}`, intent });
    },
    close(): void {
      closed = true;
      socket.close();
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
    if (!isErrorCode(code)) return undefined;
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

/** Every code, checked by the compiler against ErrorCode (the page does not import zod's schema). */
const ERROR_CODES: Readonly<Record<ErrorCode, true>> = { 'bad-json': true, 'bad-message': true, 'not-allowed-now': true, 'too-large': true, 'screen-in-use': true };

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.hasOwn(ERROR_CODES, v);
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
