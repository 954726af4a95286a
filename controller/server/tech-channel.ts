import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { TechAccessControl, UnlockOutcome, Who } from '../tech/access';
import type { TechService } from '../tech/service';
import type { Bilingual } from '../../domain/language';
import { MAX_TECH_MESSAGE_BYTES, techClientMessageSchema, type TechAccess, type TechServerMessage, type UnlockRefusal } from '../../domain/tech-channel/messages';

/**
 * ws /ws/tech: the technician's channel (issue #13), for the service screen (ui/tech/) and
 * `kiosk diag`. It is reachable from the kiosk's own screen, from programs on the kiosk, and
 * (through tech-server.ts, when configured) from a laptop on the kiosk's network; what keeps
 * everyone else out is the PIN, or for a program on the kiosk the local token. Until a socket is
 * unlocked it answers `hello` and `unlock` only: every other message gets `locked` and changes
 * nothing, and no status is sent. An unlocked socket locks itself after `idleLockMs` without a
 * message, and when the technician presses "Lock".
 */

export interface TechChannelDeps {
  readonly service: TechService;
  readonly access: TechAccessControl;
  readonly idleLockMs: number;
  readonly log: Logger;
  /** How often an unlocked screen gets the status even when nothing changed (the clocks on it move). */
  readonly statusEveryMs?: number;
  /**
   * Sockets open at once from each side (the kiosk itself, the network); more are refused at the
   * upgrade. Counted apart, so sockets from the network cannot keep the kiosk's own screen out.
   */
  readonly maxClients?: number;
}

export interface TechChannel {
  /** An upgrade to /ws/tech the server let through (Origin checked), from `who`. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, who: Who): void;
  /** Is there room for one more socket from there? */
  hasRoom(who: Who): boolean;
  close(): void;
}

interface Client {
  readonly ws: WebSocket;
  readonly who: Who;
  unlocked: boolean;
  checking: boolean;
  idle?: ReturnType<typeof setTimeout>;
  push?: ReturnType<typeof setTimeout>;
  abort?: AbortController;
}

/** A screen still receiving this much is not sent the periodic status on top. */
const BACKED_UP_BYTES = 1024 * 1024;

function minutesUntil(at: number): number {
  return Math.max(1, Math.ceil((at - Date.now()) / 60_000));
}

function refusalText(reason: UnlockRefusal, r: Extract<UnlockOutcome, { ok: false }>): Bilingual {
  switch (reason) {
    case 'wrong-pin':
      if (r.attemptsLeft === 0 && r.retryAt !== undefined) {
        const m = minutesUntil(r.retryAt);
        return {
          vi: `Mã PIN không đúng. Đã sai quá nhiều lần: màn hình bị khoá ${m} phút. Quên mã PIN thì đặt mã mới trên ki-ốt bằng lệnh npm run kiosk -- tech set-pin.`,
          en: `Wrong PIN. Too many wrong PINs: the screen is locked for ${m} minutes. If the PIN is forgotten, set a new one on the kiosk with npm run kiosk -- tech set-pin.`,
        };
      }
      return { vi: `Mã PIN không đúng. Còn ${r.attemptsLeft ?? 0} lần thử.`, en: `Wrong PIN. ${r.attemptsLeft ?? 0} tries left.` };
    case 'locked-out': {
      const m = r.retryAt === undefined ? 5 : minutesUntil(r.retryAt);
      return {
        vi: `Đã nhập sai quá nhiều lần: màn hình bị khoá, thử lại sau ${m} phút.`,
        en: `Too many wrong PINs: the screen is locked; try again in ${m} minutes.`,
      };
    }
    case 'rate-limited':
      return { vi: 'Nhập quá nhanh. Chờ một giây rồi nhập lại.', en: 'Too fast. Wait a second and type the PIN again.' };
    case 'no-pin-set':
      return {
        vi: 'Ki-ốt này chưa có mã PIN kỹ thuật. Người cài đặt đặt mã trên ki-ốt bằng lệnh npm run kiosk -- tech set-pin, rồi khởi động lại ki-ốt.',
        en: 'This kiosk has no service PIN yet. The installer sets one on the kiosk with npm run kiosk -- tech set-pin, then restarts the kiosk.',
      };
    case 'bad-token':
      return {
        vi: 'Mã truy cập cục bộ không đúng (ki-ốt đã khởi động lại?). Chạy lại lệnh với quyền người dùng của ki-ốt, hoặc dùng mã PIN.',
        en: 'The local token is not the running kiosk\'s (was it restarted?). Run the command again as the kiosk\'s user, or give the PIN.',
      };
  }
}

const LOCKED: Bilingual = { vi: 'Màn hình kỹ thuật đang khoá: nhập mã PIN trước.', en: 'The service screen is locked: type the PIN first.' };

export function createTechChannel(deps: TechChannelDeps): TechChannel {
  const statusEveryMs = deps.statusEveryMs ?? 2_000;
  const maxClients = deps.maxClients ?? 8;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_TECH_MESSAGE_BYTES, perMessageDeflate: false });
  const clients = new Set<Client>();

  const send = (c: Client, msg: TechServerMessage): void => {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(msg));
  };

  const accessOf = (c: Client): TechAccess => {
    const v = deps.access.view(c.who);
    return {
      unlocked: c.unlocked,
      where: c.who.where,
      pinSet: v.pinSet,
      ...(c.unlocked ? { idleLockS: Math.round(deps.idleLockMs / 1000) } : { attemptsLeft: v.attemptsLeft }),
      ...(v.lockedUntil !== undefined && !c.unlocked ? { lockedUntil: new Date(v.lockedUntil).toISOString() } : {}),
    };
  };

  const sendStatus = (c: Client): void => {
    if (!c.unlocked) return;
    deps.service.status().then(
      (status) => {
        if (c.unlocked) send(c, { type: 'status', status });
      },
      (err: unknown) => deps.log.warn({ err }, 'tech channel: status not made'),
    );
  };
  /** Soon, once: a burst of changes makes one status. */
  const pushSoon = (c: Client): void => {
    if (!c.unlocked || c.push) return;
    c.push = setTimeout(() => {
      c.push = undefined;
      sendStatus(c);
    }, 50);
  };

  const lock = (c: Client, why: string): void => {
    if (!c.unlocked) return;
    c.unlocked = false;
    clearTimeout(c.idle);
    c.abort?.abort();
    deps.log.info({ tech: 'lock', where: c.who.where, why }, 'service screen locked');
    send(c, { type: 'access', access: accessOf(c) });
  };
  const touch = (c: Client): void => {
    if (!c.unlocked) return;
    clearTimeout(c.idle);
    c.idle = setTimeout(() => lock(c, `no use for ${deps.idleLockMs} ms`), deps.idleLockMs);
    c.idle.unref?.();
  };
  const unlocked = (c: Client, outcome: UnlockOutcome): void => {
    if (outcome.ok) {
      c.unlocked = true;
      touch(c);
      send(c, { type: 'access', access: accessOf(c) });
      sendStatus(c);
      return;
    }
    send(c, {
      type: 'unlock-refused',
      reason: outcome.reason,
      message: refusalText(outcome.reason, outcome),
      ...(outcome.attemptsLeft !== undefined ? { attemptsLeft: outcome.attemptsLeft } : {}),
      ...(outcome.retryAt !== undefined ? { retryAt: new Date(outcome.retryAt).toISOString() } : {}),
    });
    send(c, { type: 'access', access: accessOf(c) });
  };

  const offChange = deps.service.onChange(() => {
    for (const c of clients) pushSoon(c);
  });
  const periodic = setInterval(() => {
    for (const c of clients) if (c.ws.bufferedAmount < BACKED_UP_BYTES) sendStatus(c);
  }, statusEveryMs);
  periodic.unref();

  const onMessage = async (c: Client, data: RawData, isBinary: boolean): Promise<void> => {
    const error = (code: Extract<TechServerMessage, { type: 'error' }>['code'], message: Bilingual) => send(c, { type: 'error', code, message });
    if (isBinary) return error('bad-message', { vi: 'Chỉ nhận tin nhắn JSON dạng chữ.', en: 'Only JSON text messages are taken.' });
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return error('bad-json', { vi: 'Tin nhắn không phải JSON.', en: 'The message is not JSON.' });
    }
    const parsed = techClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.map(String).join('.') || '(message)'}: ${first.message}` : 'invalid';
      return error('bad-message', { vi: `Tin nhắn không hợp lệ (${where}).`, en: `The message is not valid (${where}).` });
    }
    const msg = parsed.data;
    if (msg.type === 'hello') return send(c, { type: 'access', access: accessOf(c) });
    if (msg.type === 'unlock' || msg.type === 'unlock-token') {
      if (c.unlocked) return send(c, { type: 'access', access: accessOf(c) });
      if (c.checking) return error('busy', { vi: 'Đang kiểm tra mã PIN trước. Chờ một chút.', en: 'The PIN before is still being checked. Wait a moment.' });
      c.checking = true;
      try {
        unlocked(c, msg.type === 'unlock' ? await deps.access.tryPin(msg.pin, c.who) : deps.access.tryToken(msg.token, c.who));
      } finally {
        c.checking = false;
      }
      return;
    }
    if (!c.unlocked) return error('locked', LOCKED);
    touch(c);
    switch (msg.type) {
      case 'lock':
        return lock(c, 'the technician locked it');
      case 'status':
        return sendStatus(c);
      case 'service':
        deps.service.setOutOfService(msg.on, c.who);
        return sendStatus(c);
      case 'self-test': {
        const abort = new AbortController();
        c.abort = abort;
        send(c, { type: 'self-test-started', device: msg.device });
        const answer = await deps.service.runSelfTest(msg.device, c.who, {
          prompt: (prompt) => send(c, { type: 'self-test-started', device: msg.device, prompt }),
          signal: abort.signal,
        });
        if (c.abort === abort) c.abort = undefined;
        touch(c);
        if (!answer.ok) return error(answer.code, answer.message);
        return send(c, { type: 'self-test', result: answer.result });
      }
    }
  };

  return {
    hasRoom: (who) => [...clients].filter((c) => (c.who.where === 'network') === (who.where === 'network')).length < maxClients,
    handleUpgrade(req, socket, head, who) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        const c: Client = { ws, who, unlocked: false, checking: false };
        clients.add(c);
        ws.on('error', (err) => deps.log.debug({ reason: err.message }, 'tech socket closed on a protocol error'));
        ws.on('message', (data, isBinary) => {
          onMessage(c, data, isBinary).catch((err: unknown) => deps.log.error({ err }, 'tech channel: message failed'));
        });
        ws.on('close', () => {
          clients.delete(c);
          clearTimeout(c.idle);
          clearTimeout(c.push);
          // A test in progress for a screen that went away stops (a finger wait, a scan wait).
          c.abort?.abort();
        });
        send(c, { type: 'access', access: accessOf(c) });
      });
    },
    close() {
      offChange();
      clearInterval(periodic);
      for (const c of clients) {
        clearTimeout(c.idle);
        clearTimeout(c.push);
        c.abort?.abort();
        c.ws.terminate();
      }
      clients.clear();
      wss.close();
    },
  };
}
