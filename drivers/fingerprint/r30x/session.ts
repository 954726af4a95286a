/**
 * Role (r30x extra): bringing a module up. Find the module (a handshake, VfyPwd, at the
 * configured baud and, when it is silent there, at the other rates the family can be set to),
 * read its parameters, find out what it is, and optionally raise the baud rate. A session is
 * one open port at one baud rate.
 *
 * Why search: a module keeps its baud in flash (SetSysPara parameter 4), so after `raiseBaud`
 * moved it to 115,200 every later open (a reconnect, a restart, a replug) finds it there and not
 * at the configured rate (docs/facts/fingerprint-r30x.md, "Finding the module").
 */
import type { FingerprintSensorInfo } from '../../types';
import type { FaultReason } from '../../../domain/devices';
import type { DeviceLog } from '../../log';
import { failureReason, openSerial, type SerialTransport } from '../../serial/transport';
import type { Binding } from '../../serial/serialport-types';
import type { Discarded } from './codec';
import { commands, parseProdInfo, parseSysPara, type SysPara } from './commands';
import { imageBytes } from './image';
import { R30xLink, type Reply } from './link';
import { R30X_MODELS, modelForImageSize, type R30xModelName } from './models';
import { BAUD_UNIT, CONFIRMATION, confirmationName } from './protocol';

export interface Session {
  readonly transport: SerialTransport;
  readonly link: R30xLink;
  readonly info: FingerprintSensorInfo;
  readonly sysPara: SysPara;
  readonly expectedImageBytes: number;
  readonly hasAuraLed: boolean;
}

export interface SessionFailure {
  readonly kind: 'failed';
  readonly reason: FaultReason;
  readonly message: string;
}

export interface SessionOptions {
  readonly path: string;
  /** The configured baud: tried first. */
  readonly baud: number;
  /**
   * Where else to look, most likely first (the rate the module was last found at, the rate
   * `raiseBaudTo` sets); the family's other rates follow (`baudSearchOrder`). Absent: only `baud`.
   */
  readonly search?: readonly number[];
  /** Told before each rate is tried, for the status a technician sees. */
  readonly onTrying?: (baud: number) => void;
  readonly address: number;
  readonly password: number;
  readonly binding?: Binding;
  readonly raiseBaudTo?: number;
  readonly modelHint?: R30xModelName;
  readonly timeouts: { readonly handshakeMs: number; readonly commandMs: number };
  readonly onDiscard: (d: Discarded) => void;
  readonly onUnplug: (message: string) => void;
  readonly log: DeviceLog;
  readonly signal?: AbortSignal;
}

type Connected = { readonly kind: 'connected'; readonly transport: SerialTransport; readonly link: R30xLink };

const fail = (reason: FaultReason, message: string): SessionFailure => ({ kind: 'failed', reason, message });

/** Every rate the R30x family can be set to: 9600 × N, N = 1 … 12 (SetSysPara parameter 4). */
export const R30X_BAUD_RATES: readonly number[] = Array.from({ length: 12 }, (_, i) => BAUD_UNIT * (i + 1));

/**
 * The family's rates, likeliest first: the factory default (57,600), the rate this driver raises
 * to (115,200), the rates people set for microcontrollers and PC tools (9,600, 19,200, 38,400),
 * then the rest, the termios-standard one before the odd ones.
 */
const LIKELIEST = [57_600, 115_200, 9_600, 19_200, 38_400, 28_800, 76_800, 48_000, 96_000, 67_200, 86_400, 105_600] as const;

/**
 * The order to look for a module in: the configured rate, then `hints` (where it was last found,
 * the rate `raiseBaud` sets), then every other rate of the family, likeliest first. No rate twice.
 */
export function baudSearchOrder(configured: number, hints: readonly (number | undefined)[] = []): number[] {
  const out: number[] = [];
  for (const b of [configured, ...hints, ...LIKELIEST]) {
    if (b !== undefined && b > 0 && !out.includes(b)) out.push(b);
  }
  return out;
}

/** An open error that is about the rate (an adapter that cannot do it), not about the port. */
const RATE_REFUSED = /baud|EINVAL|invalid argument/i;

type Probe = Connected | (SessionFailure & { readonly stage: 'open' | 'handshake' });

function replyFailure(r: Exclude<Reply, { kind: 'ack' }>, what: string): SessionFailure {
  if (r.reason === 'aborted') return fail('aborted', 'cancelled');
  return fail(r.reason, `${what}: ${r.message}`);
}

/** Open at one baud and handshake. The transport is closed again on failure. */
async function connect(o: SessionOptions, baud: number, timings: Record<string, number>): Promise<Probe> {
  const opened = await openSerial({ path: o.path, baudRate: baud, ...(o.binding ? { binding: o.binding } : {}) });
  if (opened.kind === 'error') {
    return {
      ...fail(failureReason(opened), `cannot open ${o.path} at ${baud} baud: ${opened.message}. Check the port path and that the module's USB-serial adapter is plugged in.`),
      stage: 'open',
    };
  }
  const transport = opened.port;
  let live = true;
  transport.onClose((closed) => {
    if (live && closed.cause === 'unplugged') o.onUnplug(closed.message);
  });
  const link = new R30xLink(transport, { address: o.address, onDiscard: o.onDiscard });
  let last: Reply = { kind: 'fault', reason: 'timeout', message: 'no attempt' };
  // A damaged reply (line noise, the R503's 0x55 ready byte cut into it) is worth one more try
  // at this rate; silence is not: at another rate the module hears noise and says nothing.
  for (let i = 0; i < 2; i++) {
    last = await link.transact(commands.vfyPwd(o.password), o.timeouts.handshakeMs, o.signal);
    if (last.kind === 'ack' || last.reason !== 'protocol') break;
    await link.settle(30, 300);
  }
  const keep = last.kind === 'ack' && last.code === CONFIRMATION.OK;
  if (!keep) {
    live = false;
    await transport.close();
  }
  if (last.kind === 'ack') {
    timings['VfyPwd'] = last.ms;
    if (last.code === CONFIRMATION.OK) return { kind: 'connected', transport, link };
    return { ...fail('device-error', `VfyPwd refused at ${baud} baud: ${confirmationName(last.code)} (wrong module password?)`), stage: 'handshake' };
  }
  if (last.reason === 'timeout') {
    return { ...fail('timeout', `no reply from a fingerprint module on ${o.path} at ${baud} baud within ${o.timeouts.handshakeMs} ms`), stage: 'handshake' };
  }
  return { ...replyFailure(last, `handshake at ${baud} baud`), stage: 'handshake' };
}

type Found = { readonly kind: 'found'; readonly c: Connected; readonly baud: number };

/**
 * Handshake at each rate in turn until the module answers. A rate that stays silent or answers
 * with noise means "not this rate"; a refusal (wrong password), a port that is gone or cannot be
 * opened, or a cancel end the search at once: trying other rates would not change them.
 */
async function findModule(o: SessionOptions, timings: Record<string, number>): Promise<Found | SessionFailure> {
  const rates = o.search === undefined ? [o.baud] : baudSearchOrder(o.baud, o.search);
  const tried: number[] = [];
  const started = performance.now();
  let lastSilence: SessionFailure | undefined;
  for (const baud of rates) {
    if (o.signal?.aborted) return fail('aborted', 'cancelled');
    o.onTrying?.(baud);
    tried.push(baud);
    const r = await connect(o, baud, timings);
    if (r.kind === 'connected') {
      timings['findModule'] = performance.now() - started;
      return { kind: 'found', c: r, baud };
    }
    const notThisRate = r.stage === 'handshake' ? r.reason === 'timeout' || r.reason === 'protocol' : r.reason === 'protocol' && RATE_REFUSED.test(r.message);
    if (!notThisRate) return { kind: 'failed', reason: r.reason, message: r.message };
    lastSilence = r;
  }
  if (rates.length === 1 && lastSilence) {
    return fail(
      lastSilence.reason,
      `${lastSilence.message}. Check the cable (module TX to adapter RX, RX to TX, 3.3 V and ground), the port path, and the baud rate (factory default 57600).`,
    );
  }
  return fail(
    'timeout',
    `no reply from a fingerprint module on ${o.path} at any rate it can be set to. ` +
      'Check the cable (module TX to adapter RX, RX to TX, 3.3 V and ground), the port path, and that the module has power ' +
      `(tried ${tried.join(', ')} baud, ${o.timeouts.handshakeMs} ms each).`,
  );
}

async function readParameters(o: SessionOptions, c: Connected, timings: Record<string, number>): Promise<SessionFailure | { sys: SysPara; width: number; height: number; model: string; led: boolean }> {
  const sp = await c.link.transact(commands.readSysPara(), o.timeouts.commandMs, o.signal);
  if (sp.kind !== 'ack') return replyFailure(sp, 'ReadSysPara');
  if (sp.code !== CONFIRMATION.OK) return fail('device-error', `ReadSysPara: ${confirmationName(sp.code)}`);
  timings['ReadSysPara'] = sp.ms;
  const sys = parseSysPara(sp.params);
  if (!sys.ok) return fail('protocol', sys.message);

  // Only newer firmware (R503) answers ReadProdInfo; others refuse or stay silent, so keep it short.
  const pi = await c.link.transact(commands.readProdInfo(), Math.min(300, o.timeouts.commandMs), o.signal);
  if (pi.kind === 'fault' && (pi.reason === 'unplugged' || pi.reason === 'aborted')) return replyFailure(pi, 'ReadProdInfo');
  if (pi.kind === 'ack') timings['ReadProdInfo'] = pi.ms;
  const prod = pi.kind === 'ack' && pi.code === CONFIRMATION.OK ? parseProdInfo(pi.params) : undefined;
  if (prod?.ok) {
    const known = modelForImageSize(prod.value.imageWidth, prod.value.imageHeight);
    return {
      sys: sys.value,
      width: prod.value.imageWidth,
      height: prod.value.imageHeight,
      model: prod.value.moduleModel || known?.name || 'R30x',
      led: known?.hasAuraLed ?? false,
    };
  }
  if (pi.kind !== 'ack') await c.link.settle(30, 300);
  const hinted = R30X_MODELS[o.modelHint ?? 'R307'];
  return { sys: sys.value, width: hinted.imageWidth, height: hinted.imageHeight, model: hinted.name, led: hinted.hasAuraLed };
}

/**
 * SetSysPara(4, N) is acknowledged at the old rate; then we reopen at the new one and confirm
 * with a handshake. Some firmware only applies it after a power cycle (R503 manual §III), so if
 * the new rate stays silent we go back to the old one and carry on there.
 */
type Raised = { readonly kind: 'raised'; readonly c: Connected; readonly baud: number };

async function raiseBaud(o: SessionOptions, c: Connected, from: number, to: number, timings: Record<string, number>): Promise<Raised | SessionFailure> {
  const set = await c.link.transact(commands.setBaud(to), o.timeouts.commandMs, o.signal);
  if (set.kind !== 'ack') return replyFailure(set, 'SetSysPara(baud)');
  timings['SetSysPara'] = set.ms;
  if (set.code !== CONFIRMATION.OK) {
    o.log.warn({ to, code: confirmationName(set.code) }, 'module refused the new baud rate');
    return { kind: 'raised', c, baud: from };
  }
  await c.transport.close();
  const started = performance.now();
  const raised = await connect(o, to, timings);
  if (raised.kind === 'connected') {
    timings['reopenAtNewBaud'] = performance.now() - started;
    return { kind: 'raised', c: raised, baud: to };
  }
  o.log.warn({ from, to, why: raised.message }, 'no handshake at the new baud rate (some modules apply it at their next power-up); returning to the old one');
  const back = await connect(o, from, timings);
  if (back.kind === 'connected') return { kind: 'raised', c: back, baud: from };
  return fail(back.reason, `after SetSysPara(baud=${to}) the module answers at neither ${to} nor ${from}: ${back.message}`);
}

export async function openSession(o: SessionOptions): Promise<{ kind: 'ok'; session: Session; timings: Record<string, number> } | SessionFailure> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  const found = await findModule(o, timings);
  if (found.kind !== 'found') return found;
  let c: Connected = found.c;
  const foundAt = found.baud;
  let params = await readParameters(o, c, timings);
  if ('kind' in params) {
    await c.transport.close();
    return params;
  }
  // What ReadSysPara reports is the flash record, which a module that applies a new rate at its
  // next power-up has already changed: the rate it answered at is the one that counts.
  if (params.sys.baudRate !== foundAt) o.log.info({ port: foundAt, reported: params.sys.baudRate }, 'module reports another baud than it answers at (applied at its next power-up)');
  let baud = foundAt;
  const target = o.raiseBaudTo;
  const allowed = R30X_MODELS[params.model === 'R503' ? 'R503' : 'R307'].baudMultipliers;
  if (target !== undefined && target > baud && allowed.includes(target / BAUD_UNIT)) {
    const r = await raiseBaud(o, c, baud, target, timings);
    if (r.kind === 'failed') return r;
    c = r.c;
    baud = r.baud;
    if (baud === target) {
      const again = await readParameters(o, c, timings);
      if ('kind' in again) {
        await c.transport.close();
        return again;
      }
      params = again;
    }
  }
  timings['open'] = performance.now() - started;
  const info: FingerprintSensorInfo = {
    model: params.model,
    imageWidth: params.width,
    imageHeight: params.height,
    baud,
    foundAtBaud: foundAt,
    packetSize: params.sys.dataPacketSize,
    libraryCapacity: params.sys.fingerLibrarySize,
    securityLevel: params.sys.securityLevel,
  };
  return {
    kind: 'ok',
    session: { transport: c.transport, link: c.link, info, sysPara: params.sys, expectedImageBytes: imageBytes(params.width, params.height), hasAuraLed: params.led },
    timings,
  };
}
