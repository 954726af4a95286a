/**
 * The one reconnect loop of the three pages' sockets (the kiosk's screen, the technician's
 * service screen, the hall officer's console): open, hand each text message on, and when the
 * socket closes (the controller restarting, the network gone) open again after a delay that
 * doubles up to a ceiling, until the page closes it or the page's own `onClose` says to stop.
 * What a message means, when a connection counts as working (the backoff's reset), and what a
 * close means are each page's own.
 */
export interface ReconnectingSocketOptions {
  readonly url: string;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  onOpen?(ws: WebSocket): void;
  onText(text: string, ws: WebSocket): void;
  /**
   * The socket closed; `opened` says whether it had opened at all (a refused handshake has not).
   * Answer whether to try again (after the backoff); a promise answers later (the console asks
   * the server whether its login is still good first).
   */
  onClose(ws: WebSocket, opened: boolean): boolean | Promise<boolean>;
}

export interface ReconnectingSocket {
  /** The socket open now, if any. */
  current(): WebSocket | undefined;
  /** The connection works: the next reconnect waits the shortest delay again. */
  resetBackoff(): void;
  /** For good: no reconnect after this. */
  close(): void;
}

export function openReconnectingSocket(o: ReconnectingSocketOptions): ReconnectingSocket {
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = o.minDelayMs;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retryLater = (): void => {
    if (closed) return;
    timer = setTimeout(open, delay);
    delay = Math.min(o.maxDelayMs, delay * 2);
  };
  const open = (): void => {
    const ws = new WebSocket(o.url);
    socket = ws;
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
      o.onOpen?.(ws);
    });
    ws.addEventListener('message', (e) => {
      if (typeof e.data === 'string') o.onText(e.data, ws);
    });
    // 'error' is always followed by 'close', where the retry happens.
    ws.addEventListener('close', () => {
      if (socket === ws) socket = undefined;
      if (closed) return;
      const again = o.onClose(ws, opened);
      if (typeof again === 'boolean') {
        if (again) retryLater();
        return;
      }
      again.then(
        (yes) => {
          if (yes) retryLater();
        },
        () => retryLater(),
      );
    });
  };
  open();
  return {
    current: () => socket,
    resetBackoff: () => {
      delay = o.minDelayMs;
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    },
  };
}
