/**
 * Role (GPIO driver extra): a johnny-five IO plugin for the Pi's own header pins over a GpioChip
 * (the Linux GPIO character device), for Pi 4 and Pi 5 alike. The IO plugins that exist for the
 * Pi (raspi-io, pi-io) reach the pins through pigpio or wiringPi, which read and write the
 * SoC's registers through /dev/mem and do not know the Pi 5, whose header pins are on the RP1
 * chip behind PCIe; this one asks the kernel instead. It implements what johnny-five's IO-plugin
 * interface asks of a digital-only board (github.com/rwaldron/io-plugins): MODES, pins with
 * their supported modes, isReady and the `ready` / `connect` events, pinMode, digitalWrite,
 * digitalRead (`digital-read-<pin>` events) and analogWrite (full on or off: the header has no
 * PWM through this device). As on Firmata, a 1 written to an INPUT pin turns its pull-up on
 * (johnny-five's Button and Switch do that); PULLUP mode does too.
 */
import { EventEmitter } from 'node:events';
import type { IoModes, IoPin, IoPlugin } from 'johnny-five';
import type { Bias, GpioChip } from './chip';
import { FIRMATA_MODES } from '../io';

export interface PiGpioIoOptions {
  readonly chip: GpioChip;
  /** Lines johnny-five may use (the header's GPIO2–27); others are reported with no modes. */
  readonly usable?: (offset: number) => boolean;
}

export class PiGpioIo extends EventEmitter implements IoPlugin {
  readonly name = 'PiGpio';
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly MODES: IoModes = FIRMATA_MODES;
  readonly pins: readonly IoPin[];
  readonly analogPins: readonly number[] = [];
  private ready = false;
  private readonly modes = new Map<number, number>();
  private readonly bias = new Map<number, Bias>();
  private readonly watched = new Set<number>();
  private rewatch: ReturnType<typeof setImmediate> | undefined;
  private readonly chip: GpioChip;

  constructor(o: PiGpioIoOptions) {
    super();
    this.chip = o.chip;
    const usable = o.usable ?? (() => true);
    const digital = [FIRMATA_MODES.INPUT, FIRMATA_MODES.OUTPUT];
    this.pins = Array.from({ length: o.chip.lines }, (_, offset) => ({ supportedModes: usable(offset) ? digital : [] }));
    // As johnny-five expects of a plugin: ready after construction, on a later turn.
    process.nextTick(() => {
      this.ready = true;
      this.emit('connect');
      this.emit('ready');
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  pinMode(pin: number, mode: number): void {
    this.check(pin);
    this.modes.set(pin, mode);
    if (mode === this.MODES.OUTPUT) {
      this.unwatch(pin);
      this.chip.setOutput(pin, 0);
    } else if (mode === this.MODES.INPUT || mode === this.MODES.PULLUP) {
      this.bias.set(pin, mode === this.MODES.PULLUP ? 'pull-up' : 'disabled');
      if (this.watched.has(pin)) this.scheduleWatch();
    } else {
      throw new Error(`pin ${pin}: mode ${mode} is not available on the Pi's header through the GPIO character device (only INPUT, PULLUP and OUTPUT)`);
    }
  }

  digitalWrite(pin: number, value: number): void {
    this.check(pin);
    const mode = this.modes.get(pin);
    if (mode === this.MODES.INPUT) {
      // Firmata's convention, which johnny-five's Button and Switch use: 1 on an input = pull-up.
      this.bias.set(pin, value ? 'pull-up' : 'disabled');
      if (this.watched.has(pin)) this.scheduleWatch();
      return;
    }
    if (mode !== this.MODES.OUTPUT) this.modes.set(pin, this.MODES.OUTPUT);
    this.chip.setOutput(pin, value ? 1 : 0);
  }

  analogWrite(pin: number, value: number): void {
    this.digitalWrite(pin, value > 0 ? 1 : 0);
  }

  digitalRead(pin: number, callback: (value: number) => void): void {
    this.check(pin);
    this.on(`digital-read-${pin}`, callback);
    if (this.watched.has(pin)) return;
    this.watched.add(pin);
    this.scheduleWatch();
  }

  /** Resolves when the chip has acted on everything asked so far. */
  async settled(): Promise<void> {
    while (this.rewatch !== undefined) await new Promise((r) => setImmediate(r));
    await this.pendingWatch;
    await this.chip.idle();
  }

  private pendingWatch: Promise<void> = Promise.resolve();

  /** Inputs are (re)requested together, once per turn: johnny-five sets a pin up in several calls. */
  private scheduleWatch(): void {
    if (this.rewatch !== undefined) return;
    this.rewatch = setImmediate(() => {
      this.rewatch = undefined;
      const lines = [...this.watched].map((offset) => ({ offset, bias: this.bias.get(offset) ?? 'as-is' }));
      this.pendingWatch = this.chip
        .watchInputs(lines, (offset, value) => this.emit(`digital-read-${offset}`, value))
        .catch((err: unknown) => {
          this.emit('string', `watching inputs failed: ${err instanceof Error ? err.message : String(err)}`);
        });
    });
  }

  private unwatch(pin: number): void {
    if (this.watched.delete(pin)) this.scheduleWatch();
  }

  private check(pin: number): void {
    if (!Number.isInteger(pin) || pin < 0 || pin >= this.pins.length || this.pins[pin]?.supportedModes.length === 0) {
      throw new Error(`GPIO${pin} is not a usable line of ${this.chip.name} (${this.chip.label})`);
    }
  }
}
