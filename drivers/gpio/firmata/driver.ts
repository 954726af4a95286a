/**
 * Role (Firmata driver): the GpioPanel, the front panel on an Arduino running StandardFirmata,
 * spoken to directly in Firmata over the serial kit. Not through johnny-five: its Board
 * installs a process-wide SIGINT handler that exits the process, keeps a global board list,
 * logs to the console, fixes button debounce at 7 ms and its Firmata layer (firmata-io) is
 * untyped; the panel needs five message kinds, and the codec is shared with the simulator.
 * open() handshakes (version → firmware → capabilities), checks every configured pin can do its
 * job, sets pin modes and turns on reporting for the input ports. Inputs are debounced; a
 * vanished port is a fault.
 */
import type { DeviceStatus, Fault, GpioPanel, PanelInput, PanelLed } from '../../types';
import type { FaultReason } from '../../../domain/devices';
import type { DeviceState } from '../../../domain/devices';
import { DeviceError, faultFromThrown, notOpenFault } from '../../errors';
import { hexPreview, type DeviceLog } from '../../log';
import { TaskQueue } from '../../serial/task-queue';
import { closeFault, failureReason, openSerial, type SerialPortOptions, type SerialTransport } from '../../serial/transport';
import { encode, FirmataParser, type FirmataMessage, type PinCapability } from './codec';
import { PIN_MODE, PINS_PER_PORT } from './protocol';
import { PANEL_INPUTS, PANEL_LEDS, type PanelWiring } from './wiring';

export interface FirmataPanelOptions {
  /** StandardFirmata talks at 57,600 baud (protocol.ts FIRMATA_BAUD). */
  readonly port: SerialPortOptions;
  readonly log: DeviceLog;
  readonly wiring: PanelWiring;
  /** An Uno resets when the port opens and its bootloader runs ~2 s before the sketch answers. */
  readonly openTimeoutMs?: number;
  /** Ask for the version again this often: the bootloader swallows what we sent before. */
  readonly queryIntervalMs?: number;
  /** An input must hold a level this long before it counts (switch bounce). */
  readonly debounceMs?: number;
}

type Outgoing = Exclude<FirmataMessage, { type: 'discarded' }>;

interface InputState {
  stable: boolean;
  raw: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class FirmataPanel implements GpioPanel {
  readonly kind = 'gpio';
  private state: DeviceStatus = { kind: 'gpio', driver: 'firmata', state: 'disconnected' };
  private fault: Fault | undefined;
  private readonly statusListeners = new Set<(s: DeviceStatus) => void>();
  private readonly inputListeners = new Set<(input: PanelInput, active: boolean) => void>();
  private transport: SerialTransport | undefined;
  /** LED writes take turns, so a port write (old firmware) never interleaves with another. */
  private readonly line = new TaskQueue();
  private readonly where: string;
  private closing = false;
  private version = { major: 0, minor: 0 };
  /** Levels we drive on each port, for boards older than SET_DIGITAL_PIN_VALUE. */
  private readonly portOutputs = new Map<number, number>();
  private readonly inputs = new Map<PanelInput, InputState>();
  private readonly messageWaiters = new Set<(m: FirmataMessage) => void>();
  private bytesSeen = 0;
  private readonly openTimeoutMs: number;
  private readonly queryIntervalMs: number;
  private readonly debounceMs: number;

  constructor(private readonly o: FirmataPanelOptions) {
    this.where = `${o.port.path} at ${o.port.baudRate} baud`;
    this.openTimeoutMs = o.openTimeoutMs ?? 5_000;
    this.queryIntervalMs = o.queryIntervalMs ?? 500;
    this.debounceMs = o.debounceMs ?? 30;
  }

  status(): DeviceStatus {
    return this.state;
  }
  /** Why the panel is in fault, for the device actor; undefined unless state is 'fault'. */
  lastFault(): Fault | undefined {
    return this.fault;
  }
  onStatus(listener: (s: DeviceStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  onInput(listener: (input: PanelInput, active: boolean) => void): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.transport) await this.close();
    this.closing = false;
    this.bytesSeen = 0;
    this.setState('connecting', `opening ${this.where}`);
    const opened = await openSerial(this.o.port);
    if (opened.kind === 'error') {
      return this.toFault(failureReason(opened), `cannot open ${this.where} (${opened.message}): check the USB cable and the port path in config`);
    }
    const t = opened.port;
    this.transport = t;
    const parser = new FirmataParser('board');
    t.onData((bytes) => {
      this.bytesSeen += bytes.length;
      for (const m of parser.push(bytes)) this.handle(m);
    });
    t.onClose((closed) => this.closedUnderUs(t, closeFault(closed, this.where)));
    try {
      await this.handshake(signal);
    } catch (err) {
      await this.dropTransport();
      const f = faultFromThrown(err, 'protocol');
      return this.toFault(f.reason, f.message);
    }
    this.setState('ready', `${this.where}: Firmata ${this.version.major}.${this.version.minor}`);
    return this.state;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.state.state === 'ready') {
      // Dark LEDs say "out of service" to staff if the controller stops.
      await Promise.allSettled(PANEL_LEDS.map((led) => this.setLed(led, false)));
    }
    await this.dropTransport();
    this.setState('disconnected');
  }

  /** Throws a DeviceError (GpioPanel has no reply value for it) when the board is not there to light it. */
  async setLed(led: PanelLed, on: boolean): Promise<void> {
    if (this.transport === undefined || this.state.state !== 'ready') {
      throw DeviceError.fromFault(notOpenFault(`the front panel (${this.state.state}, ${led} LED not set)`, this.fault));
    }
    const q = await this.line.run(async () => {
      const pin = this.o.wiring.leds[led];
      const port = Math.floor(pin / PINS_PER_PORT);
      const bit = 1 << pin % PINS_PER_PORT;
      const levels = on ? (this.portOutputs.get(port) ?? 0) | bit : (this.portOutputs.get(port) ?? 0) & ~bit;
      this.portOutputs.set(port, levels);
      await this.send(this.supportsPinValue() ? { type: 'set-digital-pin-value', pin, value: on ? 1 : 0 } : { type: 'digital', port, levels });
    });
    if (q.kind === 'aborted') throw new DeviceError('aborted', `setting the ${led} LED was cancelled`);
  }

  // ── handshake ──

  private async handshake(signal?: AbortSignal): Promise<void> {
    let stage = 'waiting for the Firmata version';
    const timeout = new Promise<never>((_, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('timeout', this.timeoutDetail(stage))), this.openTimeoutMs);
      const abort = () => reject(new DeviceError('aborted', `opening ${this.where} was cancelled`));
      signal?.addEventListener('abort', abort, { once: true });
      // Settled either way by the race below; clear so a finished open leaves no timer behind.
      this.afterHandshake = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      };
    });
    timeout.catch(() => undefined);
    const retry = setInterval(() => void this.send({ type: 'version-query' }).catch(() => undefined), this.queryIntervalMs);
    try {
      const version = this.next(isVersion);
      await this.send({ type: 'version-query' });
      const v = await Promise.race([version, timeout]);
      clearInterval(retry);
      this.version = { major: v.major, minor: v.minor };
      stage = `reading the pin capabilities (Firmata ${v.major}.${v.minor} answered)`;
      const caps = this.next(isCapabilities);
      await this.send({ type: 'firmware-query' });
      await this.send({ type: 'capability-query' });
      const c = await Promise.race([caps, timeout]);
      const problem = wiringProblem(this.o.wiring, c.pins);
      if (problem) throw new DeviceError('device-error', `${this.where}: ${problem}; check the pins in config against the board`);
      stage = 'configuring the pins';
      await this.configurePins();
      // Firmata has no acks; the board answers in order, so a version round trip proves it has
      // read every pin mode before we call the panel ready.
      const barrier = this.next(isVersion);
      await this.send({ type: 'version-query' });
      await Promise.race([barrier, timeout]);
    } finally {
      clearInterval(retry);
      this.afterHandshake();
    }
  }
  private afterHandshake: () => void = () => undefined;

  private timeoutDetail(stage: string): string {
    const s = this.openTimeoutMs / 1000;
    if (this.bytesSeen === 0) return `no reply from ${this.where} within ${s} s (${stage}): check the USB cable, that the board is flashed with StandardFirmata, and the baud rate`;
    return `${this.where} sent ${this.bytesSeen} bytes but no Firmata reply within ${s} s (${stage}): check the baud rate (StandardFirmata uses 57600) and that the sketch is StandardFirmata`;
  }

  private async configurePins(): Promise<void> {
    this.portOutputs.clear();
    for (const led of PANEL_LEDS) {
      const pin = this.o.wiring.leds[led];
      await this.send({ type: 'set-pin-mode', pin, mode: PIN_MODE.OUTPUT });
    }
    // All LEDs off: the controller turns on what the current screen needs.
    for (const port of new Set(PANEL_LEDS.map((l) => Math.floor(this.o.wiring.leds[l] / PINS_PER_PORT)))) await this.send({ type: 'digital', port, levels: 0 });
    this.clearInputs();
    const ports = new Set<number>();
    for (const input of PANEL_INPUTS) {
      const w = this.o.wiring.inputs[input];
      this.inputs.set(input, { stable: false, raw: false, timer: undefined });
      await this.send({ type: 'set-pin-mode', pin: w.pin, mode: w.pullup ? PIN_MODE.PULLUP : PIN_MODE.INPUT });
      ports.add(Math.floor(w.pin / PINS_PER_PORT));
    }
    for (const port of ports) await this.send({ type: 'report-digital', port, enable: true });
  }

  private next<M extends FirmataMessage>(is: (m: FirmataMessage) => m is M): Promise<M> {
    return new Promise((resolve) => {
      const waiter = (m: FirmataMessage): void => {
        if (!is(m)) return;
        this.messageWaiters.delete(waiter);
        resolve(m);
      };
      this.messageWaiters.add(waiter);
    });
  }

  // ── messages from the board ──

  private handle(m: FirmataMessage): void {
    if (m.type === 'discarded') this.o.log.debug({ bytes: m.length, head: hexPreview(m.bytes), why: m.why }, 'firmata: discarded bytes');
    for (const w of [...this.messageWaiters]) w(m);
    if (m.type === 'digital') this.portLevels(m.port, m.levels);
  }

  private portLevels(port: number, levels: number): void {
    for (const input of PANEL_INPUTS) {
      const w = this.o.wiring.inputs[input];
      if (Math.floor(w.pin / PINS_PER_PORT) !== port) continue;
      const high = ((levels >> w.pin % PINS_PER_PORT) & 1) === 1;
      this.rawInput(input, high !== w.activeLow);
    }
  }

  /** Debounce: an edge counts once the new level has held for debounceMs. */
  private rawInput(input: PanelInput, active: boolean): void {
    const s = this.inputs.get(input);
    if (s === undefined || s.raw === active) return;
    s.raw = active;
    clearTimeout(s.timer);
    s.timer = undefined;
    if (active === s.stable) return; // a glitch that came back before it settled
    s.timer = setTimeout(() => {
      s.timer = undefined;
      s.stable = s.raw;
      for (const l of this.inputListeners) l(input, s.stable);
    }, this.debounceMs);
  }

  // ── plumbing ──

  private supportsPinValue(): boolean {
    return this.version.major > 2 || (this.version.major === 2 && this.version.minor >= 5);
  }

  private async send(m: Outgoing): Promise<void> {
    const t = this.transport;
    if (t === undefined) throw DeviceError.fromFault(notOpenFault(this.where, this.fault));
    const w = await t.write(encode(m));
    if (w.kind === 'error') throw new DeviceError(failureReason(w), `writing to ${this.where} failed: ${w.message}`);
  }

  private closedUnderUs(t: SerialTransport, f: Fault): void {
    if (this.closing || this.transport !== t) return;
    this.transport = undefined;
    this.clearInputs();
    if (f.reason === 'unplugged') this.toFault('unplugged', `${this.where} disappeared: the USB cable was pulled or the board lost power; check the cable`);
    else this.toFault(f.reason, f.message);
  }

  private async dropTransport(): Promise<void> {
    const t = this.transport;
    this.transport = undefined;
    this.clearInputs();
    this.messageWaiters.clear();
    if (t) await t.close();
  }

  private clearInputs(): void {
    for (const s of this.inputs.values()) clearTimeout(s.timer);
    this.inputs.clear();
  }

  private toFault(reason: FaultReason, message: string): DeviceStatus {
    this.fault = { kind: 'fault', reason, message };
    this.setState('fault', message);
    return this.state;
  }

  private setState(state: DeviceState, detail?: string): void {
    if (state !== 'fault') this.fault = undefined;
    const was = this.state.state;
    this.state = { kind: 'gpio', driver: 'firmata', state, ...(detail === undefined ? {} : { detail }) };
    if (state === 'fault') this.o.log.warn({ state, was, reason: this.fault?.reason, detail }, 'front panel fault');
    else this.o.log.info({ state, was, detail }, `front panel ${state}`);
    for (const l of this.statusListeners) l(this.state);
  }
}

/** The first configured pin the board cannot use as wired, in words; undefined if all fit. */
export function wiringProblem(wiring: PanelWiring, pins: readonly (readonly PinCapability[])[]): string | undefined {
  const can = (pin: number, mode: number) => (pins[pin] ?? []).some((c) => c.mode === mode);
  for (const led of PANEL_LEDS) {
    const pin = wiring.leds[led];
    if (pin >= pins.length) return `the ${led} LED is on pin ${pin} but the board has only ${pins.length} pins`;
    if (!can(pin, PIN_MODE.OUTPUT)) return `pin ${pin} (${led} LED) cannot be a digital output on this board`;
  }
  for (const input of PANEL_INPUTS) {
    const w = wiring.inputs[input];
    if (w.pin >= pins.length) return `the ${input} input is on pin ${w.pin} but the board has only ${pins.length} pins`;
    if (!can(w.pin, w.pullup ? PIN_MODE.PULLUP : PIN_MODE.INPUT)) return `pin ${w.pin} (${input}) cannot be a digital input${w.pullup ? ' with pull-up' : ''} on this board`;
  }
  return undefined;
}

const isVersion = (m: FirmataMessage): m is Extract<FirmataMessage, { type: 'version' }> => m.type === 'version';
const isCapabilities = (m: FirmataMessage): m is Extract<FirmataMessage, { type: 'capabilities' }> => m.type === 'capabilities';
