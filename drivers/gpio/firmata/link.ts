/**
 * Role (Firmata driver): the panel's link to an Arduino running StandardFirmata on USB serial.
 * Each connect opens the port through the serial kit, puts the bounded wire (wire.ts) between
 * it and firmata.js (firmata-io, johnny-five's Firmata layer), asks for the version until the
 * sketch answers (an Uno resets when the port opens and its bootloader swallows what is sent
 * for ~2 s), waits for firmata.js to read the firmware, capabilities and analog mapping, and
 * checks that every configured pin can do its job on this board. A port that closes under it
 * is reported as lost (unplugged); a board that never answers is a timeout that says what to
 * check.
 */
import firmataIo from 'firmata-io';
import type { Firmata } from 'firmata-io';
import type { IoPin } from 'johnny-five';
import type { Fault } from '../../types';
import type { FaultReason } from '../../../domain/devices';
import type { DeviceLog } from '../../log';
import { portPresent } from '../../serial/presence';
import { closeFault, failureReason, openSerial, type SerialPortOptions, type SerialTransport } from '../../serial/transport';
import type { LinkOptions, LinkResult, PanelLink } from '../io';
import { PIN_MODE } from './protocol';
import { PANEL_INPUTS, PANEL_LEDS, type PanelWiring } from './wiring';
import { BoundedFirmataWire } from './wire';

export interface FirmataLinkOptions {
  /** StandardFirmata talks at 57,600 baud (protocol.ts FIRMATA_BAUD). */
  readonly port: SerialPortOptions;
  readonly log: DeviceLog;
  readonly wiring: PanelWiring;
  /** An Uno resets when the port opens and its bootloader runs ~2 s before the sketch answers. */
  readonly openTimeoutMs?: number;
  /** Ask for the version again this often: the bootloader swallows what we sent before. */
  readonly queryIntervalMs?: number;
}

const fault = (reason: FaultReason, message: string): Fault => ({ kind: 'fault', reason, message });

export class FirmataLink implements PanelLink {
  readonly driver = 'firmata';
  readonly where: string;
  private port: SerialTransport | undefined;
  private wire: BoundedFirmataWire | undefined;
  private readonly openTimeoutMs: number;
  private readonly queryIntervalMs: number;

  constructor(private readonly o: FirmataLinkOptions) {
    this.where = `${o.port.path} at ${o.port.baudRate} baud`;
    this.openTimeoutMs = o.openTimeoutMs ?? 5_000;
    this.queryIntervalMs = o.queryIntervalMs ?? 500;
  }

  /** Is the board's USB port there (hot-plug, issue #13)? */
  present(): Promise<boolean> {
    return portPresent(this.o.port);
  }

  /** The wire's counters (bytes read, passed on, discarded), for the self-test and tests. */
  counters(): BoundedFirmataWire['counters'] | undefined {
    return this.wire?.counters;
  }

  async connect(lo: LinkOptions): Promise<LinkResult> {
    await this.disconnect();
    const opened = await openSerial(this.o.port);
    if (opened.kind === 'error') {
      return fault(failureReason(opened), `cannot open ${this.where} (${opened.message}): check the USB cable and the port path in config`);
    }
    const port = opened.port;
    const wire = new BoundedFirmataWire(port, this.o.log);
    this.port = port;
    this.wire = wire;
    let ready = false;
    port.onClose((closed) => {
      if (this.port !== port) return;
      this.port = undefined;
      this.wire = undefined;
      const f = closeFault(closed, this.where);
      if (!ready) return; // the handshake below sees it
      lo.onLost(f.reason === 'unplugged' ? fault('unplugged', `${this.where} disappeared: the USB cable was pulled or the board lost power; check the cable`) : f);
    });
    // firmata.js asks for the version itself only after reportVersionTimeout; we ask at once and
    // again until the sketch answers. It reads the rest of the handshake itself.
    const board = new firmataIo.Firmata(wire, { reportVersionTimeout: this.openTimeoutMs });
    const outcome = await this.handshake(board, wire, port, lo.signal);
    if (outcome.kind === 'fault') {
      await this.disconnect();
      return outcome;
    }
    const problem = wiringProblem(this.o.wiring, board.pins);
    if (problem) {
      await this.disconnect();
      return fault('device-error', `${this.where}: ${problem}; check the pins in config against the board`);
    }
    ready = true;
    const name = board.firmware.name ? `${board.firmware.name.replace(/\.ino$/i, '')} ` : '';
    return { kind: 'ready', io: board, detail: `${this.where}: ${name}Firmata ${board.version.major ?? '?'}.${board.version.minor ?? '?'}` };
  }

  /** A version round trip: the board answers in order, so it has read everything sent before. */
  settle(): Promise<Fault | undefined> {
    const wire = this.wire;
    if (!wire) return Promise.resolve(fault('unplugged', `${this.where} is not open`));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(fault('timeout', `${this.where} stopped answering while its pins were set up: check the USB cable`));
      }, this.openTimeoutMs);
      const off = wire.onMessage((m) => {
        if (m.type !== 'version') return;
        clearTimeout(timer);
        off();
        resolve(undefined);
      });
      wire.send({ type: 'version-query' });
    });
  }

  async disconnect(): Promise<void> {
    const port = this.port;
    const wire = this.wire;
    this.port = undefined;
    this.wire = undefined;
    await wire?.drained();
    await port?.close();
  }

  private handshake(board: Firmata, wire: BoundedFirmataWire, port: SerialTransport, signal: AbortSignal | undefined): Promise<{ kind: 'ok' } | Fault> {
    return new Promise((resolve) => {
      let stage = 'waiting for the Firmata version';
      let versionSeen = false;
      const offSeen = wire.onMessage((m) => {
        if (m.type === 'version' && !versionSeen) {
          versionSeen = true;
          stage = `reading the firmware and pin capabilities (Firmata ${m.major}.${m.minor} answered)`;
          clearInterval(retry);
        }
      });
      const done = (r: { kind: 'ok' } | Fault): void => {
        clearInterval(retry);
        clearTimeout(timer);
        offSeen();
        offClose();
        signal?.removeEventListener('abort', abort);
        board.removeListener('ready', onReady);
        resolve(r);
      };
      const onReady = (): void => done({ kind: 'ok' });
      const abort = (): void => done(fault('aborted', `opening ${this.where} was cancelled`));
      const offClose = port.onClose((closed) => done(closeFault(closed, this.where).reason === 'unplugged' ? fault('unplugged', `${this.where} disappeared while opening: check the USB cable`) : fault('aborted', `${this.where} was closed while opening`)));
      const timer = setTimeout(() => done(fault('timeout', this.timeoutDetail(stage, wire.counters.bytesIn))), this.openTimeoutMs);
      const retry = setInterval(() => wire.send({ type: 'version-query' }), this.queryIntervalMs);
      board.once('ready', onReady);
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      wire.send({ type: 'version-query' });
      wire.send({ type: 'firmware-query' });
    });
  }

  private timeoutDetail(stage: string, bytesSeen: number): string {
    const s = this.openTimeoutMs / 1000;
    if (bytesSeen === 0) return `no reply from ${this.where} within ${s} s (${stage}): check the USB cable, that the board is flashed with StandardFirmata, and the baud rate`;
    return `${this.where} sent ${bytesSeen} bytes but no Firmata reply within ${s} s (${stage}): check the baud rate (StandardFirmata uses 57600) and that the sketch is StandardFirmata`;
  }
}

/** The first configured pin the board cannot use as wired, in words; undefined if all fit. */
export function wiringProblem(wiring: PanelWiring, pins: readonly IoPin[]): string | undefined {
  const can = (pin: number, mode: number) => pins[pin]?.supportedModes.includes(mode) ?? false;
  for (const led of PANEL_LEDS) {
    const pin = wiring.leds[led];
    if (pin >= pins.length) return `the ${led} LED is on pin ${pin} but the board has only ${pins.length} pins`;
    if (!can(pin, PIN_MODE.OUTPUT)) return `pin ${pin} (${led} LED) cannot be a digital output on this board`;
  }
  for (const input of PANEL_INPUTS) {
    const w = wiring.inputs[input];
    if (w.pin >= pins.length) return `the ${input} input is on pin ${w.pin} but the board has only ${pins.length} pins`;
    if (!can(w.pin, PIN_MODE.INPUT)) return `pin ${w.pin} (${input}) cannot be a digital input on this board`;
  }
  return undefined;
}
