/**
 * Role (GPIO driver): the front panel (GpioPanel) on johnny-five, as the design names it: a
 * `Board` with `repl: false, sigint: false` (no REPL on stdin, no process-wide SIGINT handler that
 * exits the kiosk: node_modules/johnny-five/lib/board.js, the `this.repl` and `this.sigint`
 * defaults in the constructor and the `process.on("SIGINT")` in finalizeAndBroadcast) and
 * `debug: false` (no console output), built once on a SteadyIo so that it outlives reconnects.
 * Its parts are johnny-five's own: an `Led` per panel LED, a `Button` (help), a `Motion` with the
 * PIR controller (presence) and a `Switch` (tamper). Every input is debounced here once more by
 * the configured time (johnny-five fixes its own at 5–7 ms, shorter than a cheap switch bounces)
 * and reported on its edges only. The board itself is reached through a PanelLink (Firmata on
 * USB, or the Pi's header pins); a board that goes away is a fault, and open() tries again.
 */
import { createHook } from 'node:async_hooks';
import five from 'johnny-five';
import type { Board, Led } from 'johnny-five';
import type { DeviceStatus, Fault, GpioPanel, LedState, PanelInput, PanelLed } from '../types';
import type { DeviceState, FaultReason } from '../../domain/devices';
import { DeviceError, notOpenFault } from '../errors';
import type { DeviceLog } from '../log';
import { SteadyIo, type PanelLink } from './io';
import { PANEL_INPUTS, PANEL_LEDS, type PanelWiring } from './firmata/wiring';

export interface FivePanelOptions {
  readonly link: PanelLink;
  readonly wiring: PanelWiring;
  readonly log: DeviceLog;
  /** An input must hold a level this long before it counts (switch bounce). */
  readonly debounceMs?: number;
  /** The PIR's output is not trusted for this long after the board is first ready (johnny-five's Motion calibrationDelay). */
  readonly presenceCalibrationMs?: number;
}

/** Blink half-periods: "busy" about once a second, "fault" about four times. */
export const BLINK_MS: Readonly<Record<Exclude<LedState, boolean>, number>> = { 'blink-slow': 500, 'blink-fast': 125 };

/**
 * Inputs that count on their first edge. A citizen holds the help button ~150 ms; while the face
 * detector holds the event loop longer than that (a Pi, a busy second), the board's "down" and
 * "up" are read back to back and a press that must settle first is lost. Losing it leaves an
 * elderly citizen's call for help unheard; a false call costs staff a walk. The tamper switch
 * (a false one ends a session) and the PIR keep settling first.
 */
const ON_FIRST_EDGE: ReadonlySet<PanelInput> = new Set<PanelInput>(['help-button']);

interface InputState {
  stable: boolean;
  raw: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Parts {
  readonly board: Board;
  readonly leds: Readonly<Record<PanelLed, Led>>;
}

export class FivePanel implements GpioPanel {
  readonly kind = 'gpio';
  private state: DeviceStatus;
  private fault: Fault | undefined;
  private readonly statusListeners = new Set<(s: DeviceStatus) => void>();
  private readonly inputListeners = new Set<(input: PanelInput, active: boolean) => void>();
  private readonly io: SteadyIo;
  private parts: Parts | undefined;
  private readonly inputs = new Map<PanelInput, InputState>();
  private readonly ledShown = new Map<PanelLed, LedState>();
  private readonly debounceMs: number;
  /** Bumped by every open/close: a board lost from an older connection is not news. */
  private generation = 0;
  /** Whether the board is there (a USB board that can be unplugged); absent for the Pi's header. */
  readonly present?: () => Promise<boolean>;

  constructor(private readonly o: FivePanelOptions) {
    this.state = { kind: 'gpio', driver: o.link.driver, state: 'disconnected' };
    this.io = new SteadyIo(`cccd-kiosk panel (${o.link.driver})`);
    this.debounceMs = o.debounceMs ?? 30;
    const present = o.link.present?.bind(o.link);
    if (present) this.present = present;
    for (const input of PANEL_INPUTS) this.inputs.set(input, { stable: false, raw: false, timer: undefined });
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
  /** What each input reads now, debounced (false until the board has reported it). */
  inputState(input: PanelInput): boolean {
    return this.inputs.get(input)?.stable ?? false;
  }
  /** What each LED was last told to show. */
  ledState(led: PanelLed): LedState {
    return this.ledShown.get(led) ?? false;
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.io.connected()) await this.close();
    const generation = ++this.generation;
    this.setState('connecting', `opening ${this.o.link.where}`);
    const r = await this.o.link.connect({ ...(signal ? { signal } : {}), onLost: (f) => this.lost(generation, f) });
    if (generation !== this.generation) {
      // closed (or opened again) while connecting
      if (r.kind === 'ready') await this.o.link.disconnect();
      return this.state;
    }
    if (r.kind === 'fault') return this.toFault(r.reason, r.message);
    this.io.attach(r.io);
    try {
      if (this.parts === undefined) this.parts = await this.build();
    } catch (err) {
      this.io.detach();
      await this.o.link.disconnect();
      return this.toFault('protocol', `johnny-five could not set up the panel on ${this.o.link.where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Ready once the board has every pin set up as johnny-five asked (and as before a reconnect).
    const unsettled = await this.o.link.settle();
    if (generation !== this.generation) return this.state;
    if (unsettled) {
      this.io.detach();
      await this.o.link.disconnect();
      return this.toFault(unsettled.reason, unsettled.message);
    }
    this.setState('ready', r.detail);
    return this.state;
  }

  async close(): Promise<void> {
    this.generation += 1;
    if (this.parts && this.io.connected() && this.state.state === 'ready') {
      // Dark LEDs say "out of service" to staff if the controller stops.
      for (const led of PANEL_LEDS) this.show(led, false);
    }
    this.io.detach();
    this.clearInputTimers();
    await this.o.link.disconnect();
    this.setState('disconnected');
  }

  /** Throws a DeviceError (GpioPanel has no reply value for it) when the board is not there to light it. */
  async setLed(led: PanelLed, state: LedState): Promise<void> {
    if (!this.parts || !this.io.connected() || this.state.state !== 'ready') {
      throw DeviceError.fromFault(notOpenFault(`the front panel (${this.state.state}, ${led} LED not set)`, this.fault));
    }
    this.show(led, state);
    return Promise.resolve();
  }

  private show(led: PanelLed, state: LedState): void {
    const l = this.parts?.leds[led];
    if (!l) return;
    this.ledShown.set(led, state);
    l.stop();
    if (state === true) l.on();
    else if (state === false) l.off();
    else l.blink(BLINK_MS[state]);
  }

  // ── johnny-five ──

  /** The Board and its parts, once: the SteadyIo carries them over every reconnect. */
  private async build(): Promise<Parts> {
    const board = new five.Board({ io: this.io, repl: false, sigint: false, debug: false, id: 'panel' });
    // Board re-emits its IO's "error" and its own connect timeout as "error": never unheard.
    board.on('error', (e: unknown) => this.o.log.warn({ err: e }, 'johnny-five: board error'));
    await new Promise<void>((resolve) => {
      if (board.isReady) resolve();
      else board.once('ready', () => resolve());
    });
    const w = this.o.wiring;
    const leds = {
      status: new five.Led({ board, pin: w.leds.status }),
      help: new five.Led({ board, pin: w.leds.help }),
      fingerprint: new five.Led({ board, pin: w.leds.fingerprint }),
      'camera-light': new five.Led({ board, pin: w.leds['camera-light'] }),
    } satisfies Record<PanelLed, Led>;
    // All dark: the controller lights what the current screen needs.
    for (const led of PANEL_LEDS) leds[led].off();

    const help = w.inputs['help-button'];
    const button = new five.Button({ board, pin: help.pin, pullup: help.pullup, invert: help.activeLow });
    button.on('down', () => this.raw('help-button', true));
    button.on('up', () => this.raw('help-button', false));

    const tamper = w.inputs.tamper;
    // "open" = the tamper input active: its pin at its active level. type "NO" turns the pull-up on.
    const sw = new five.Switch({ board, pin: tamper.pin, type: tamper.pullup ? 'NO' : 'NC', invert: !tamper.activeLow });
    sw.on('open', () => this.raw('tamper', true));
    sw.on('close', () => this.raw('tamper', false));

    const pir = w.inputs.presence;
    // Motion polls its reading on a setInterval it never clears: unref it, so that it never keeps
    // a process alive that is otherwise done (a CLI self-test, a test run).
    const motion = unrefTimersOf(() => new five.Motion({ board, pin: pir.pin, controller: 'PIR', calibrationDelay: this.o.presenceCalibrationMs ?? 2000 }));
    // A PIR with an open-collector output needs the pull-up (johnny-five's Motion sets INPUT only).
    if (pir.pullup) this.io.digitalWrite(pir.pin, 1);
    motion.on('motionstart', () => this.raw('presence', true));
    motion.on('motionend', () => this.raw('presence', false));
    return { board, leds };
  }

  // ── inputs ──

  /** Debounce: an edge counts once the new level has held for debounceMs (the help button: see firstEdge). */
  private raw(input: PanelInput, active: boolean): void {
    const s = this.inputs.get(input);
    if (s === undefined || s.raw === active) return;
    s.raw = active;
    if (ON_FIRST_EDGE.has(input)) return this.firstEdge(input, s);
    clearTimeout(s.timer);
    s.timer = undefined;
    if (active === s.stable) return; // a glitch that came back before it settled
    s.timer = setTimeout(() => {
      s.timer = undefined;
      if (this.io.connected()) this.adopt(input, s);
    }, this.debounceMs);
  }

  /**
   * Reported at once; then, for the debounce time, changes are the switch bouncing and wait;
   * after it, where the input ended up is reported if that differs (a press read together with
   * its release: the release, one window later).
   */
  private firstEdge(input: PanelInput, s: InputState): void {
    if (s.timer !== undefined || s.raw === s.stable) return;
    const report = (): void => {
      this.adopt(input, s);
      s.timer = setTimeout(() => {
        s.timer = undefined;
        if (this.io.connected() && s.raw !== s.stable) report();
      }, this.debounceMs);
    };
    report();
  }

  /** The input's level now counts, and is reported. */
  private adopt(input: PanelInput, s: InputState): void {
    s.stable = s.raw;
    for (const l of this.inputListeners) l(input, s.stable);
  }

  private clearInputTimers(): void {
    for (const [input, s] of this.inputs) {
      clearTimeout(s.timer);
      s.timer = undefined;
      if (ON_FIRST_EDGE.has(input)) {
        // What johnny-five last said is the truth here (it reports a pin again only when it
        // changes): a release that waited out the bounce window is reported now, or the button
        // would stay down for us, and every later press be taken for the same one.
        if (s.raw !== s.stable) this.adopt(input, s);
        continue;
      }
      // What settles next is compared with what was last reported, not with a half-seen glitch.
      s.raw = s.stable;
    }
  }

  // ── state ──

  private lost(generation: number, f: Fault): void {
    if (generation !== this.generation || !this.io.connected()) return;
    this.io.detach();
    this.clearInputTimers();
    this.toFault(f.reason, f.message);
  }

  private toFault(reason: FaultReason, message: string): DeviceStatus {
    this.fault = { kind: 'fault', reason, message };
    this.setState('fault', message);
    return this.state;
  }

  private setState(state: DeviceState, detail?: string): void {
    if (state !== 'fault') this.fault = undefined;
    const was = this.state.state;
    this.state = { kind: 'gpio', driver: this.o.link.driver, state, ...(detail === undefined ? {} : { detail }) };
    if (state === 'fault') this.o.log.warn({ state, was, reason: this.fault?.reason, detail }, 'front panel fault');
    else this.o.log.info({ state, was, detail }, `front panel ${state}`);
    for (const l of this.statusListeners) l(this.state);
  }
}

const isTimer = (r: object): r is NodeJS.Timeout => 'unref' in r && 'hasRef' in r && 'refresh' in r;

/** Runs `make`, and unrefs the timers it started synchronously (found through async_hooks). */
function unrefTimersOf<T>(make: () => T): T {
  const timers: NodeJS.Timeout[] = [];
  const hook = createHook({
    init(_id, type, _trigger, resource: object) {
      if (type === 'Timeout' && isTimer(resource)) timers.push(resource);
    },
  });
  hook.enable();
  try {
    return make();
  } finally {
    hook.disable();
    for (const t of timers) t.unref();
  }
}
