import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import { clientMessageSchema, type ServerMessage } from '../../domain/kiosk-channel/messages';

/**
 * ws /ws/kiosk: the touchscreen's channel. Loopback only — the citizen's page runs on the kiosk
 * itself, and nothing on the network may drive a session or watch its view model.
 * Every client message is validated; a bad one gets an error reply and changes nothing.
 */

const MAX_MESSAGE_BYTES = 512 * 1024; // a signature of 64 strokes × 2000 points fits with room

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export interface KioskChannel {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  clientCount(): number;
  close(): void;
}

export function createKioskChannel(runtime: KioskRuntime, log: Logger): KioskChannel {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const send = (ws: WebSocket, msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubscribe = runtime.onView((view) => {
    for (const ws of wss.clients) send(ws, { type: 'view', view });
  });

  wss.on('connection', (ws) => {
    send(ws, { type: 'view', view: runtime.view() });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send(ws, { type: 'error', code: 'bad-message', message: 'binary frames are not accepted; send JSON text' });
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return send(ws, { type: 'error', code: 'bad-json', message: 'message is not valid JSON' });
      }
      const parsed = clientMessageSchema.safeParse(json);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first ? `${first.path.map(String).join('.') || '(message)'}: ${first.message}` : 'invalid';
        const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'string' ? json.id.slice(0, 64) : undefined;
        return send(ws, { type: 'error', code: 'bad-message', message: where, ...(id ? { id } : {}) });
      }
      const msg = parsed.data;
      if (msg.type === 'hello') return send(ws, { type: 'view', view: runtime.view() });
      const result = runtime.send(msg.intent);
      if (!result.ok) {
        log.debug({ intent: msg.intent.type, state: runtime.stateName() }, 'intent refused in this state');
        send(ws, { type: 'error', code: 'not-allowed-now', message: `${msg.intent.type} is not possible on this screen`, ...(msg.id ? { id: msg.id } : {}) });
      }
    });
    ws.on('error', (err) => log.warn({ err }, 'kiosk ws error'));
  });

  return {
    handleUpgrade(req, socket, head) {
      if (!isLoopback(req.socket.remoteAddress)) {
        log.warn({ remote: req.socket.remoteAddress }, 'refused /ws/kiosk from a non-loopback address');
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => wss.clients.size,
    close() {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
