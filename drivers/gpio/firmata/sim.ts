/**
 * Role (Firmata sim): an Arduino Uno running StandardFirmata, from the board's side of the
 * wire. It answers the version, firmware, capability and analog-mapping queries, applies pin
 * modes and writes (remembering what each LED pin drives), and reports input pins on ports the
 * host asked for, as DIGITAL_MESSAGE bytes. As StandardFirmata does, it announces its version
 * and firmware when it starts (after the reset that opening the port causes), a port write of 1
 * to an INPUT pin turns its pull-up on (the Arduino 1.0 convention johnny-five relies on), and
 * PWM pins take ANALOG_MESSAGE / EXTENDED_ANALOG writes. It plugs into the serial kit's
 * simulated wire (SimLink; opening the port resets it, as DTR resets an Uno) or a tty
 * (serveOnTty). Knobs make it misbehave: `silent` (wrong sketch / no firmware: never answers);
 * the wire can be pulled; `send()` puts any bytes on the wire (a faulty board's reports).
 */
import type { PanelInput, PanelLed } from '../../types';
import type { DeviceSide, SimDevice } from '../../serial/sim-link';
import { encode, FirmataParser, type FirmataMessage, type PinCapability } from './codec';
import { EXTENDED_ANALOG, PIN_MODE, PINS_PER_PORT } from './protocol';
import { DEFAULT_WIRING, PANEL_INPUTS, type PanelWiring } from './wiring';
import { keepNewest } from '../../sim-history';

/** Uno: D0–D13, then A0–A5 as pins 14–19. */
const UNO_PIN_COUNT = 20;
const UNO_FIRST_ANALOG = 14;
const UNO_PWM = new Set([3, 5, 6, 9, 10, 11]);

/** The messages the board remembers each way (a blinking LED is two writes a second). */
export const SIM_KEPT_MESSAGES = 1000;

export interface FirmataSimOptions {
  readonly wiring?: PanelWiring;
  /** How many of the newest messages `received` and `sent` keep (SIM_KEPT_MESSAGES unless said). */
  readonly keptMessages?: number;
  /** Protocol version the sketch reports; 2.5 is the first with SET_DIGITAL_PIN_VALUE. */
  readonly version?: { readonly major: number; readonly minor: number };
  readonly firmwareName?: string;
}

export class StandardFirmataSim implements SimDevice {
  readonly knobs = { silent: false };
  private wire: DeviceSide | undefined;
  private readonly parser = new FirmataParser('host');
  private readonly modes = new Map<number, number>();
  /** What the sketch drives on OUTPUT pins (digitalWrite). */
  private readonly outputs = new Map<number, 0 | 1>();
  /** The duty cycle on PWM pins (analogWrite, 0–255 on an Uno). */
  private readonly pwm = new Map<number, number>();
  /** INPUT pins whose pull-up a port write of 1 turned on. */
  private readonly pulledUp = new Set<number>();
  /** What the outside world drives on input pins; unset = floating (pull-up or LOW). */
  private readonly external = new Map<number, 0 | 1>();
  private readonly reportedPorts = new Set<number>();
  private readonly wiring: PanelWiring;
  private readonly version: { readonly major: number; readonly minor: number };
  private readonly firmwareName: string;
  /** The newest messages the host sent, for tests that check what went over the wire. */
  readonly received: FirmataMessage[] = [];
  /** The newest messages the board sent (while attached and not silent). */
  readonly sent: FirmataMessage[] = [];
  private readonly keptMessages: number;

  constructor(o: FirmataSimOptions = {}) {
    this.wiring = o.wiring ?? DEFAULT_WIRING;
    this.keptMessages = o.keptMessages ?? SIM_KEPT_MESSAGES;
    this.version = o.version ?? { major: 2, minor: 5 };
    this.firmwareName = o.firmwareName ?? 'StandardFirmata.ino';
    // The panel at rest: button up, nobody in front, enclosure shut (tamper switch closed).
    for (const input of PANEL_INPUTS) this.press(input, false);
  }

  attach(wire: DeviceSide): void {
    this.wire = wire;
  }
  detach(): void {
    this.wire = undefined;
  }
  /**
   * DTR on open resets an Uno: the host always meets a freshly started sketch, which announces
   * itself as StandardFirmata's setup() does (after the bootloader on a real board).
   */
  portOpened(): void {
    this.reset();
    setImmediate(() => {
      this.reply({ type: 'version', ...this.version });
      this.reply({ type: 'firmware', ...this.version, name: this.firmwareName });
    });
  }

  /** The board as after a reset: all pins back to defaults, no reporting. */
  reset(): void {
    this.modes.clear();
    this.outputs.clear();
    this.pwm.clear();
    this.pulledUp.clear();
    this.reportedPorts.clear();
  }

  pinMode(pin: number): number | undefined {
    return this.modes.get(pin);
  }
  pinOutput(pin: number): 0 | 1 {
    return this.outputs.get(pin) ?? 0;
  }
  /** Is the LED lit? (Driven HIGH on an OUTPUT pin, or a PWM pin at a duty cycle above 0.) */
  led(led: PanelLed): boolean {
    const pin = this.wiring.leds[led];
    const mode = this.modes.get(pin);
    if (mode === PIN_MODE.PWM) return (this.pwm.get(pin) ?? 0) > 0;
    return mode === PIN_MODE.OUTPUT && this.pinOutput(pin) === 1;
  }
  /** Is the pin's pull-up on (mode PULLUP, or INPUT with a 1 written to it)? */
  pullup(pin: number): boolean {
    return this.modes.get(pin) === PIN_MODE.PULLUP || (this.modes.get(pin) === PIN_MODE.INPUT && this.pulledUp.has(pin));
  }

  /** Press/release the panel input (drives its pin to its active/idle level). */
  press(input: PanelInput, active = true): void {
    const w = this.wiring.inputs[input];
    const high = active !== w.activeLow;
    this.drive(w.pin, high ? 1 : 0);
  }

  /** Drive one pin from outside, as a switch or sensor does; reports it if its port is reported. */
  drive(pin: number, level: 0 | 1): void {
    this.external.set(pin, level);
    const port = Math.floor(pin / PINS_PER_PORT);
    if (this.reportedPorts.has(port)) this.reportPort(port);
  }

  /** A switch bouncing: `levels` driven one after another, all in one burst. */
  bounce(pin: number, levels: readonly (0 | 1)[]): void {
    for (const l of levels) this.drive(pin, l);
  }

  receive(bytes: Uint8Array): void {
    for (const m of this.parser.push(bytes)) {
      keepNewest(this.received, m, this.keptMessages);
      this.handle(m);
    }
  }

  private handle(m: FirmataMessage): void {
    switch (m.type) {
      case 'version-query':
        return this.reply({ type: 'version', ...this.version });
      case 'firmware-query':
        return this.reply({ type: 'firmware', ...this.version, name: this.firmwareName });
      case 'capability-query':
        return this.reply({ type: 'capabilities', pins: unoCapabilities() });
      case 'analog-mapping-query':
        return this.reply({ type: 'analog-mapping', channels: Array.from({ length: UNO_PIN_COUNT }, (_, p) => (p >= UNO_FIRST_ANALOG ? p - UNO_FIRST_ANALOG : undefined)) });
      case 'set-pin-mode':
        if (m.pin < UNO_PIN_COUNT) {
          this.modes.set(m.pin, m.mode);
          this.pulledUp.delete(m.pin);
        }
        return;
      case 'set-digital-pin-value':
        if (this.version.major > 2 || this.version.minor >= 5) this.write(m.pin, m.value);
        return;
      case 'digital':
        for (let bit = 0; bit < PINS_PER_PORT; bit++) {
          const pin = m.port * PINS_PER_PORT + bit;
          const high = ((m.levels >> bit) & 1) === 1;
          // As StandardFirmata's digitalWriteCallback: a port write drives OUTPUT pins, and a 1 on
          // an INPUT pin turns its pull-up on (for hosts written before PIN_MODE_PULLUP).
          if (this.modes.get(pin) === PIN_MODE.OUTPUT) this.write(pin, high ? 1 : 0);
          else if (this.modes.get(pin) === PIN_MODE.INPUT && high) this.pulledUp.add(pin);
        }
        return;
      case 'analog':
        // Host → board: ANALOG_MESSAGE is analogWrite on PWM pin `channel` (pins 0–15).
        if (this.modes.get(m.channel) === PIN_MODE.PWM) this.pwm.set(m.channel, m.value);
        return;
      case 'sysex':
        if (m.command === EXTENDED_ANALOG) {
          const [pin = 0xff, ...v] = m.data;
          const value = v.reduce((acc, b, i) => acc | ((b & 0x7f) << (7 * i)), 0);
          if (this.modes.get(pin) === PIN_MODE.PWM) this.pwm.set(pin, value);
        }
        return;
      case 'report-digital':
        if (m.enable) {
          this.reportedPorts.add(m.port);
          // StandardFirmata sends the port's current state as soon as reporting is enabled.
          this.reportPort(m.port);
        } else this.reportedPorts.delete(m.port);
        return;
      case 'system-reset':
        return this.reset();
      default:
        return;
    }
  }

  private write(pin: number, value: 0 | 1): void {
    if (this.modes.get(pin) === PIN_MODE.OUTPUT) this.outputs.set(pin, value);
  }

  private level(pin: number): 0 | 1 {
    const ext = this.external.get(pin);
    if (ext !== undefined) return ext;
    return this.pullup(pin) ? 1 : 0;
  }

  private reportPort(port: number): void {
    let levels = 0;
    for (let bit = 0; bit < PINS_PER_PORT; bit++) {
      const pin = port * PINS_PER_PORT + bit;
      const mode = this.modes.get(pin);
      if ((mode === PIN_MODE.INPUT || mode === PIN_MODE.PULLUP) && this.level(pin) === 1) levels |= 1 << bit;
    }
    this.reply({ type: 'digital', port, levels });
  }

  /** Line noise: bytes that are no Firmata message at all. */
  sendNoise(bytes: readonly number[]): void {
    this.send(Uint8Array.from(bytes));
  }
  /** Any bytes on the wire, as a faulty board (or one running another sketch) sends them. */
  send(bytes: Uint8Array): void {
    if (!this.knobs.silent) this.wire?.send(bytes);
  }

  private reply(m: Exclude<FirmataMessage, { type: 'discarded' }>): void {
    if (this.knobs.silent || !this.wire) return;
    keepNewest(this.sent, m, this.keptMessages);
    this.wire.send(encode(m));
  }
}

function unoCapabilities(): PinCapability[][] {
  return Array.from({ length: UNO_PIN_COUNT }, (_, pin) => {
    const caps: PinCapability[] = [
      { mode: PIN_MODE.INPUT, resolution: 1 },
      { mode: PIN_MODE.OUTPUT, resolution: 1 },
      { mode: PIN_MODE.PULLUP, resolution: 1 },
    ];
    if (UNO_PWM.has(pin)) caps.push({ mode: PIN_MODE.PWM, resolution: 8 });
    if (pin >= UNO_FIRST_ANALOG) caps.push({ mode: PIN_MODE.ANALOG, resolution: 10 });
    return caps;
  });
}
