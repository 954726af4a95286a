/**
 * Role (r30x extra): bringing a module up. Open the port, handshake (VfyPwd), read its
 * parameters, find out what it is, and optionally raise the baud rate. A session is one open
 * port at one baud rate.
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
  readonly baud: number;
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

function replyFailure(r: Exclude<Reply, { kind: 'ack' }>, what: string): SessionFailure {
  if (r.reason === 'aborted') return fail('aborted', 'cancelled');
  return fail(r.reason, `${what}: ${r.message}`);
}

/** Open at one baud and handshake. The transport is closed again on failure. */
async function connect(o: SessionOptions, baud: number, timings: Record<string, number>): Promise<Connected | SessionFailure> {
  const opened = await openSerial({ path: o.path, baudRate: baud, ...(o.binding ? { binding: o.binding } : {}) });
  if (opened.kind === 'error') {
    return fail(
      failureReason(opened),
      `cannot open ${o.path}: ${opened.message}. Check the port path and that the module's USB-serial adapter is plugged in.`,
    );
  }
  const transport = opened.port;
  let live = true;
  transport.onClose((closed) => {
    if (live && closed.cause === 'unplugged') o.onUnplug(closed.message);
  });
  const link = new R30xLink(transport, { address: o.address, onDiscard: o.onDiscard });
  let last: Reply = { kind: 'fault', reason: 'timeout', message: 'no attempt' };
  // Two tries: the first command after power-up can meet the R503's 0x55 ready byte or noise.
  for (let i = 0; i < 2; i++) {
    last = await link.transact(commands.vfyPwd(o.password), o.timeouts.handshakeMs, o.signal);
    if (last.kind === 'ack' || last.reason === 'aborted' || last.reason === 'unplugged') break;
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
    return fail('device-error', `VfyPwd refused: ${confirmationName(last.code)} (wrong module password?)`);
  }
  if (last.reason === 'timeout') {
    return fail(
      'timeout',
      `no reply from a fingerprint module on ${o.path} at ${baud} baud within ${o.timeouts.handshakeMs} ms. ` +
        'Check the cable (module TX to adapter RX, RX to TX, 3.3 V and ground), the port path, and the baud rate (factory default 57600).',
    );
  }
  return replyFailure(last, 'handshake');
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
  o.log.warn({ from, to, why: raised.message }, 'no handshake at the new baud rate; returning to the old one');
  const back = await connect(o, from, timings);
  if (back.kind === 'connected') return { kind: 'raised', c: back, baud: from };
  return fail(back.reason, `after SetSysPara(baud=${to}) the module answers at neither ${to} nor ${from}: ${back.message}`);
}

export async function openSession(o: SessionOptions): Promise<{ kind: 'ok'; session: Session; timings: Record<string, number> } | SessionFailure> {
  const timings: Record<string, number> = {};
  const started = performance.now();
  const first = await connect(o, o.baud, timings);
  if (first.kind !== 'connected') return first;
  let c: Connected = first;
  let params = await readParameters(o, c, timings);
  if ('kind' in params) {
    await c.transport.close();
    return params;
  }
  let baud = params.sys.baudRate;
  if (baud !== o.baud) o.log.warn({ port: o.baud, reported: baud }, 'module reports a different baud than the port is open at');
  baud = o.baud;
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
