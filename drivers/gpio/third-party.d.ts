/**
 * Role (types): the parts of johnny-five and firmata-io (johnny-five's Firmata layer) the panel
 * uses, typed from their sources (node_modules/johnny-five/lib/{board,led/led,button,switch,
 * motion}.js, node_modules/firmata-io/lib/firmata.js). Neither ships types; these name only what
 * drivers/gpio calls, with the options it passes.
 */

declare module 'johnny-five' {
  import type { EventEmitter } from 'node:events';

  /** Pin modes, by Firmata's numbers (protocol.md), which every IO plugin uses. */
  export interface IoModes {
    readonly INPUT: number;
    readonly OUTPUT: number;
    readonly ANALOG: number;
    readonly PWM: number;
    readonly SERVO: number;
    readonly PULLUP?: number;
  }
  export interface IoPin {
    readonly supportedModes: readonly number[];
    mode?: number;
    value?: number;
    analogChannel?: number;
  }
  /**
   * johnny-five's IO-plugin interface (github.com/rwaldron/io-plugins), the part its Board, Led,
   * Button, Switch and Motion call: `ready` and `connect` events (or isReady already true), pin
   * capabilities in `pins`, and the digital (and, for an Led on a PWM pin, analog) pin methods.
   * digitalRead registers a callback for every reading of the pin, as `digital-read-<pin>`.
   */
  export interface IoPlugin extends EventEmitter {
    readonly name: string;
    readonly isReady: boolean;
    readonly MODES: IoModes;
    readonly HIGH: 1;
    readonly LOW: 0;
    readonly pins: readonly IoPin[];
    readonly analogPins: readonly number[];
    readonly defaultLed?: number;
    pinMode(pin: number, mode: number): void;
    digitalWrite(pin: number, value: number): void;
    analogWrite(pin: number, value: number): void;
    digitalRead(pin: number, callback: (value: number) => void): void;
  }

  export interface BoardOptions {
    readonly io: IoPlugin;
    /** false: no REPL on stdin (board.js: `if (this.repl) … new Repl(…)`). */
    readonly repl: false;
    /** false: no process-wide SIGINT handler that exits the process (board.js: `if (io.name !== "Mock" && this.sigint) process.on("SIGINT", …)`). */
    readonly sigint: false;
    /** false: Board.log does not print to the console. */
    readonly debug: false;
    readonly id?: string;
  }
  export class Board extends EventEmitter {
    constructor(options: BoardOptions);
    readonly isReady: boolean;
    readonly io: IoPlugin;
  }

  interface ComponentOptions {
    readonly board: Board;
    readonly pin: number;
    readonly id?: string;
  }
  export class Led {
    constructor(options: ComponentOptions);
    on(): this;
    off(): this;
    /** Toggles every `ms` on a setInterval until stop(). */
    blink(ms?: number): this;
    stop(): this;
    readonly isOn: boolean;
    readonly isRunning: boolean;
  }
  /** Events: down / press, up / release, hold (every `holdtime` ms while down). Debounced 7 ms. */
  export class Button extends EventEmitter {
    constructor(options: ComponentOptions & { readonly pullup?: boolean; readonly invert?: boolean; readonly holdtime?: number });
    readonly isDown: boolean;
  }
  /** Events: open, close (on every reading, debounced 5 ms). `type: "NO"` also enables the pull-up. */
  export class Switch extends EventEmitter {
    constructor(options: ComponentOptions & { readonly type?: 'NO' | 'NC'; readonly invert?: boolean });
    readonly isOpen: boolean;
    readonly isClosed: boolean;
  }
  /** Events: motionstart, motionend, change, data, calibrated; polled every `freq` ms on a setInterval it never clears. */
  export class Motion extends EventEmitter {
    constructor(options: ComponentOptions & { readonly controller?: 'PIR'; readonly calibrationDelay?: number; readonly freq?: number });
    readonly detectedMotion: boolean;
    readonly isCalibrated: boolean;
  }

  const five: {
    readonly Board: typeof Board;
    readonly Led: typeof Led;
    readonly Button: typeof Button;
    readonly Switch: typeof Switch;
    readonly Motion: typeof Motion;
  };
  export default five;
}

declare module 'firmata-io' {
  import type { EventEmitter } from 'node:events';
  import type { IoPin, IoModes } from 'johnny-five';

  /** What firmata.js reads from and writes to: "data", "close", "open", "error" events and write(). */
  export interface FirmataTransport extends EventEmitter {
    write(data: Buffer, callback?: (err?: Error | null) => void): void;
  }

  export interface FirmataOptions {
    /** ms before it asks for the version itself (default 5000). */
    readonly reportVersionTimeout?: number;
    readonly skipCapabilities?: boolean;
  }

  export class Firmata extends EventEmitter {
    constructor(transport: FirmataTransport, options?: FirmataOptions);
    readonly MODES: IoModes;
    readonly HIGH: 1;
    readonly LOW: 0;
    readonly isReady: boolean;
    readonly name: string;
    readonly pins: IoPin[];
    readonly analogPins: number[];
    readonly version: { readonly major?: number; readonly minor?: number };
    readonly firmware: { readonly name?: string; readonly version?: { readonly major?: number; readonly minor?: number } };
    /** Bytes of the message being read: firmata.js keeps them here, unbounded (our wire feeds it whole messages only). */
    readonly buffer: number[];
    pinMode(pin: number, mode: number): void;
    digitalWrite(pin: number, value: number): void;
    analogWrite(pin: number, value: number): void;
    digitalRead(pin: number, callback: (value: number) => void): void;
  }

  const firmataIo: { readonly Firmata: typeof Firmata };
  export default firmataIo;
}
