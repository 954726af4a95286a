import WebSocket from 'ws';
import { MAX_CLIENT_MESSAGE_BYTES, type ServerMessage } from '../../domain/kiosk-channel/messages';

/**
 * The server's end of one screen's socket. When ws refuses a frame itself (too large for
 * maxPayload, a text frame that is not UTF-8, a broken frame) it closes the socket with the
 * status code at once, and the page never learns why. ws does that through close(code), so here
 * close() first sends the protocol's error reply for those codes (RFC 6455 §7.4.1), then closes.
 */

type ErrorReply = Extract<ServerMessage, { type: 'error' }>;

const REPLIES: ReadonlyMap<number, ErrorReply> = new Map<number, ErrorReply>([
  [1009, { type: 'error', code: 'too-large', message: `a message may be at most ${MAX_CLIENT_MESSAGE_BYTES} bytes` }],
  [1007, { type: 'error', code: 'bad-message', message: 'a text message must be valid UTF-8' }],
  [1002, { type: 'error', code: 'bad-message', message: 'the frame breaks the WebSocket protocol' }],
]);

export class ScreenSocket extends WebSocket {
  override close(code?: number, data?: string | Buffer): void {
    const reply = code === undefined ? undefined : REPLIES.get(code);
    if (reply && this.readyState === this.OPEN) {
      this.send(JSON.stringify(reply));
      super.close(code, data ?? reply.message);
      return;
    }
    super.close(code, data);
  }
}
