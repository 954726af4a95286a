/**
 * Role (GPIO transport): how the panel reaches its pins. A `PanelLink` opens a board (an Arduino
 * running StandardFirmata on USB, or the Pi's own header) and hands back a ready johnny-five IO
 * plugin, or a fault saying what to check. `SteadyIo` is the one IO plugin the panel's johnny-five
 * Board is built on, for the life of the panel: it passes every call to the board connected now
 * and remembers what was asked (pin modes, levels written, pins read), so that when the cable is
 * pulled and the board comes back (a fresh Firmata session, its pins reset) it is set up again
 * exactly as before, and johnny-five's Board, Led, Button, Switch and Motion never know. (They
 * cannot be rebuilt per connection: Board keeps a global list of boards and Motion polls on an
 * interval it never clears.)
 */
import { EventEmitter } from 'node:events';
import type { IoModes, IoPin, IoPlugin } from 'johnny-five';
import type { Fault } from '../types';

export type LinkResult =
  | {
      readonly kind: 'ready';
      readonly io: IoPlugin;
      /** For the status line: what answered, where ("/dev/ttyACM0 at 57600 baud: StandardFirmata 2.5"). */
      readonly detail: string;
    }
  | Fault;

export interface LinkOptions {
  readonly signal?: AbortSignal;
  /** The board went away under us (cable pulled, chip gone): called once, with why. */
  readonly onLost: (fault: Fault) => void;
}

export interface PanelLink {
  /** `firmata` or `chardev`, for the device status. */
  readonly driver: string;
  /** Where, for messages ("/dev/ttyACM0 at 57600 baud", "gpiochip0"). */
  readonly where: string;
  connect(o: LinkOptions): Promise<LinkResult>;
  /**
   * Resolves once the board has acted on everything sent so far (Firmata has no acks: a round
   * trip behind it proves it), or with a fault if it does not answer.
   */
  settle(): Promise<Fault | undefined>;
  /** Writes still queued are sent first; then the board is let go. */
  disconnect(): Promise<void>;
  /**
   * Is the board there to be connected (a USB board's port node)? Absent where it cannot come
   * and go (the Pi's own header).
   */
  present?(): Promise<boolean>;
}

/** Firmata's mode numbers (protocol.md), which johnny-five and every IO plugin use. */
export const FIRMATA_MODES: IoModes = { INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, SERVO: 0x04, PULLUP: 0x0b };

type Written = { readonly how: 'digital' | 'analog'; readonly value: number };

/**
 * The shortest gap between two readings of one pin passed on to johnny-five. Its Button debounces
 * its events by 7 ms, trailing: a press and a release read in one go (both reports in one serial
 * chunk, after the event loop was busy longer than the press) came out as the release alone, and
 * the press was lost. Passed on at least this far apart, in order, each edge reaches it.
 */
export const READ_GAP_MS = 10;
/** Readings of one pin waiting for their turn; more is a pin gone mad, and the oldest go. */
const MAX_WAITING_READS = 64;

interface PacedPin {
  readonly waiting: number[];
  timer: ReturnType<typeof setTimeout> | undefined;
  lastAt: number;
}

export class SteadyIo extends EventEmitter implements IoPlugin {
  readonly HIGH = 1;
  readonly LOW = 0;
  private inner: IoPlugin | undefined;
  private first: IoPlugin | undefined;
  private readonly modes = new Map<number, number>();
  private readonly written = new Map<number, Written>();
  private readonly reading = new Set<number>();
  /** The listeners this plugin put on the board connected now, to take off when it goes. */
  private readonly innerListeners: Array<[string, (value: number) => void]> = [];
  private readonly paced = new Map<number, PacedPin>();

  constructor(readonly name: string) {
    super();
  }

  get isReady(): boolean {
    return this.first !== undefined;
  }
  get MODES(): IoModes {
    return this.first?.MODES ?? FIRMATA_MODES;
  }
  /** The pins of the first board connected; a later one must fit the wiring (its link checks). */
  get pins(): readonly IoPin[] {
    return this.first?.pins ?? [];
  }
  get analogPins(): readonly number[] {
    return this.first?.analogPins ?? [];
  }
  /** Is a board connected now? */
  connected(): boolean {
    return this.inner !== undefined;
  }

  /** A board is connected (first or again): set it up as asked so far, then pass calls on. */
  attach(io: IoPlugin): void {
    this.detach();
    this.inner = io;
    const firstTime = this.first === undefined;
    if (firstTime) this.first = io;
    for (const [pin, mode] of this.modes) io.pinMode(pin, mode);
    for (const [pin, w] of this.written) this.write(io, pin, w);
    for (const pin of this.reading) this.readFrom(io, pin);
    if (firstTime) {
      this.emit('connect');
      this.emit('ready');
    }
  }

  /** The board went away: calls are remembered until the next one. */
  detach(): void {
    const io = this.inner;
    this.inner = undefined;
    if (io) for (const [event, l] of this.innerListeners.splice(0)) io.removeListener(event, l);
    // Readings still waiting came from the board that went; the next one reports afresh.
    for (const p of this.paced.values()) clearTimeout(p.timer);
    this.paced.clear();
  }

  pinMode(pin: number, mode: number): void {
    this.modes.set(pin, mode);
    // A new mode forgets what was written for the old one (a pull-up for an input, a level for an output).
    this.written.delete(pin);
    this.inner?.pinMode(pin, mode);
  }
  digitalWrite(pin: number, value: number): void {
    this.record(pin, { how: 'digital', value });
  }
  analogWrite(pin: number, value: number): void {
    this.record(pin, { how: 'analog', value });
  }
  digitalRead(pin: number, callback: (value: number) => void): void {
    this.on(`digital-read-${pin}`, callback);
    if (this.reading.has(pin)) return;
    this.reading.add(pin);
    if (this.inner) this.readFrom(this.inner, pin);
  }

  /** What was last written to a pin (for tests and the self-test: what the board should show). */
  level(pin: number): number | undefined {
    return this.written.get(pin)?.value;
  }

  private record(pin: number, w: Written): void {
    this.written.set(pin, w);
    if (this.inner) this.write(this.inner, pin, w);
  }
  private write(io: IoPlugin, pin: number, w: Written): void {
    if (w.how === 'digital') io.digitalWrite(pin, w.value);
    else io.analogWrite(pin, w.value);
  }
  private readFrom(io: IoPlugin, pin: number): void {
    const event = `digital-read-${pin}`;
    const l = (value: number): void => this.pass(pin, value);
    this.innerListeners.push([event, l]);
    io.digitalRead(pin, l);
  }

  /** A reading passed on at once, or after the one before it by READ_GAP_MS. */
  private pass(pin: number, value: number): void {
    let p = this.paced.get(pin);
    if (!p) {
      p = { waiting: [], timer: undefined, lastAt: Number.NEGATIVE_INFINITY };
      this.paced.set(pin, p);
    }
    if (p.timer === undefined && performance.now() - p.lastAt >= READ_GAP_MS) {
      p.lastAt = performance.now();
      this.emit(`digital-read-${pin}`, value);
      return;
    }
    p.waiting.push(value);
    if (p.waiting.length > MAX_WAITING_READS) p.waiting.shift();
    if (p.timer === undefined) this.nextRead(pin, p);
  }

  private nextRead(pin: number, p: PacedPin): void {
    p.timer = setTimeout(() => {
      p.timer = undefined;
      const value = p.waiting.shift();
      if (value === undefined) return;
      p.lastAt = performance.now();
      this.emit(`digital-read-${pin}`, value);
      if (p.waiting.length > 0) this.nextRead(pin, p);
    }, Math.max(0, READ_GAP_MS - (performance.now() - p.lastAt)));
  }
}
