import type { WebSocket } from 'ws';
import type { ServerMessage } from '../../domain/kiosk-channel/messages';

/**
 * What the server has yet to send to one screen, bounded (issue #11: a screen that never reads
 * made the server's memory grow by 173 MB for 120k messages). A message goes to the socket only
 * while less than `highWaterBytes` is still on its way (written to ws, not yet to the kernel);
 * otherwise it waits here. A view model is a snapshot, so a waiting view is replaced by the next
 * one; error replies wait in a short queue and the oldest is dropped when it is full. Memory per
 * screen is at most highWaterBytes + one view + `maxErrors` small replies, however slow it reads.
 */

export interface ScreenOutbox {
  send(message: ServerMessage): void;
  /** Bytes written to the socket but not yet flushed, plus what waits here. */
  backlogBytes(): number;
}

export interface OutboxOptions {
  readonly highWaterBytes: number;
  readonly maxErrors?: number;
}

export function createScreenOutbox(ws: WebSocket, opts: OutboxOptions): ScreenOutbox {
  const maxErrors = opts.maxErrors ?? 16;
  let inFlight = 0;
  let view: string | undefined;
  const errors: string[] = [];

  const fits = (text: string): boolean => inFlight === 0 || inFlight + Buffer.byteLength(text) <= opts.highWaterBytes;

  const write = (text: string): void => {
    const size = Buffer.byteLength(text);
    inFlight += size;
    // The callback runs once ws has handed the frame to the kernel (or the socket has gone).
    ws.send(text, () => {
      inFlight -= size;
      flush();
    });
  };

  const flush = (): void => {
    if (ws.readyState !== ws.OPEN) {
      view = undefined;
      errors.length = 0;
      return;
    }
    for (let next = errors[0]; next !== undefined && fits(next); next = errors[0]) {
      errors.shift();
      write(next);
    }
    if (view !== undefined && fits(view)) {
      const text = view;
      view = undefined;
      write(text);
    }
  };

  return {
    send(message) {
      if (ws.readyState !== ws.OPEN) return;
      const text = JSON.stringify(message);
      if (message.type === 'view') view = text;
      else {
        if (errors.length >= maxErrors) errors.shift();
        errors.push(text);
      }
      flush();
    },
    backlogBytes() {
      return inFlight + (view === undefined ? 0 : Buffer.byteLength(view)) + errors.reduce((n, e) => n + Buffer.byteLength(e), 0);
    },
  };
}
