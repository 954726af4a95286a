import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import { createScreenOutbox, type ScreenOutbox } from './screen-outbox';
import { ScreenSocket } from './screen-socket';
import { MAX_CLIENT_MESSAGE_BYTES, clientMessageSchema, type ServerMessage } from '../../domain/kiosk-channel/messages';

/**
 * ws /ws/kiosk: the touchscreen's channel. The HTTP server lets through only the kiosk's own
 * screen (screen-gate.ts); this file keeps it to one screen at a time (issue #11: one citizen,
 * one screen). Every client message is validated; a bad one gets an error reply and changes
 * nothing.
 *
 * One screen: a second connection is told `screen-in-use` and closed, and sees no view. The
 * screen it would replace is pinged then: a reloaded or frozen page that no longer answers is
 * dropped within `pongTimeoutMs`, so the new page's next knock (the page retries) gets in. A
 * heartbeat drops a silent screen even when nobody knocks.
 */

export interface ChannelOptions {
  /** How often the screen is pinged; a screen that missed the last ping is dropped. */
  readonly heartbeatMs?: number;
  /** When another screen knocks, how long the connected one has to answer a ping. */
  readonly pongTimeoutMs?: number;
  /** See screen-outbox.ts. */
  readonly highWaterBytes?: number;
}

export interface KioskChannel {
  /** An upgrade the screen gate has let through. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  screenCount(): number;
  /** What the server holds for the screen that it has not yet handed to the kernel. */
  backlogBytes(): number;
  close(): void;
}

interface Screen {
  readonly ws: ScreenSocket;
  readonly outbox: ScreenOutbox;
  alive: boolean;
  probe?: ReturnType<typeof setTimeout>;
}

const SCREEN_IN_USE = 4409;

export function createKioskChannel(runtime: KioskRuntime, log: Logger, opts: ChannelOptions = {}): KioskChannel {
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const pongTimeoutMs = opts.pongTimeoutMs ?? 2_000;
  const highWaterBytes = opts.highWaterBytes ?? 64 * 1024;
  const wss = new WebSocketServer<typeof ScreenSocket>({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES, perMessageDeflate: false, WebSocket: ScreenSocket });
  let screen: Screen | undefined;

  const unsubscribe = runtime.onView((view) => screen?.outbox.send({ type: 'view', view }));

  const drop = (s: Screen, why: string): void => {
    log.warn({ why }, 'dropping the kiosk screen: it stopped answering');
    s.ws.terminate();
  };

  const heartbeat = setInterval(() => {
    const s = screen;
    if (!s || s.probe) return;
    if (!s.alive) return drop(s, `no answer to a ping within ${heartbeatMs} ms`);
    s.alive = false;
    s.ws.ping();
  }, heartbeatMs);
  heartbeat.unref();

  const probe = (s: Screen): void => {
    if (s.probe) return;
    s.alive = false;
    s.ws.ping();
    s.probe = setTimeout(() => {
      s.probe = undefined;
      if (!s.alive && screen === s) drop(s, `another screen knocked and this one did not answer a ping within ${pongTimeoutMs} ms`);
    }, pongTimeoutMs);
    s.probe.unref();
  };

  const onMessage = (s: Screen, data: RawData, isBinary: boolean): void => {
    const reply = (msg: ServerMessage) => s.outbox.send(msg);
    if (isBinary) return reply({ type: 'error', code: 'bad-message', message: 'binary frames are not accepted; send JSON text' });
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return reply({ type: 'error', code: 'bad-json', message: 'message is not valid JSON' });
    }
    const parsed = clientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.map(String).join('.') || '(message)'}: ${first.message}` : 'invalid';
      const id = typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'string' ? json.id.slice(0, 64) : undefined;
      return reply({ type: 'error', code: 'bad-message', message: where, ...(id ? { id } : {}) });
    }
    const msg = parsed.data;
    if (msg.type === 'hello') return reply({ type: 'view', view: runtime.view() });
    const result = runtime.send(msg.intent);
    if (!result.ok) {
      log.debug({ intent: msg.intent.type, state: runtime.stateName() }, 'intent refused in this state');
      reply({ type: 'error', code: 'not-allowed-now', message: `${msg.intent.type} is not possible on this screen`, ...(msg.id ? { id: msg.id } : {}) });
    }
  };

  const accept = (ws: ScreenSocket): void => {
    const s: Screen = { ws, outbox: createScreenOutbox(ws, { highWaterBytes }), alive: true };
    screen = s;
    ws.on('pong', () => (s.alive = true));
    ws.on('message', (data, isBinary) => onMessage(s, data, isBinary));
    ws.on('close', () => {
      if (s.probe) clearTimeout(s.probe);
      if (screen === s) screen = undefined;
    });
    s.outbox.send({ type: 'view', view: runtime.view() });
  };

  const refuse = (ws: ScreenSocket): void => {
    const message = 'another kiosk screen is connected: this one stays closed while it is open';
    ws.send(JSON.stringify({ type: 'error', code: 'screen-in-use', message } satisfies ServerMessage));
    ws.close(SCREEN_IN_USE, 'another kiosk screen is connected');
  };

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        // Protocol errors (a frame too large, not UTF-8) were answered by ScreenSocket; log the kind only.
        ws.on('error', (err) => log.warn({ code: 'code' in err ? err.code : undefined, reason: err.message }, 'kiosk screen socket closed on a protocol error'));
        const current = screen;
        if (current && current.ws.readyState === current.ws.OPEN) {
          log.warn('refused a second kiosk screen while one is connected');
          refuse(ws);
          probe(current);
          return;
        }
        accept(ws);
      });
    },
    screenCount: () => (screen ? 1 : 0),
    backlogBytes: () => screen?.outbox.backlogBytes() ?? 0,
    close() {
      clearInterval(heartbeat);
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
