/**
 * Role: the serial kit's simulated wire, the only one. A simulated device (fingerprint module,
 * scanner, printer, Firmata board) plugs into the far end of one of serialport's mock ports,
 * in-process: the driver opens a real SerialPortStream through `binding`, its writes reach the
 * device, the device's bytes arrive as reads.
 *
 * Pulling the cable makes the pending read fail the way a vanished USB tty does (a non-cancel
 * error, so SerialPortStream reports a disconnect and closes) and makes the path unopenable
 * until `replug()`; the device can pull its own cable (a knob such as "unplug mid-upload").
 * Every simulator uses this one wire, so the drivers all meet the same failure paths.
 */
import { randomUUID } from 'node:crypto';
import {
  MockBinding,
  type Binding,
  type MockPortBinding,
  type OpenOptions,
  type PortBinding,
  type PortInfo,
  type PortStatus,
  type SetOptions,
  type UpdateOptions,
} from './serialport-types';
import type { SerialPortOptions } from './transport';

/** What a simulated device is given when the host opens the port. */
export interface DeviceSide {
  /** Device → host bytes. */
  send(bytes: Uint8Array): void;
  /** The device pulls its own cable (the "unplug mid-upload" knob). */
  unplug(): void;
}

/** A simulated device, from its side of the wire. */
export interface SimDevice {
  /** The host opened the port: talk through `wire` until `detach`. */
  attach(wire: DeviceSide): void;
  detach(): void;
  /** Host → device bytes. */
  receive(bytes: Uint8Array): void;
  /** The device's current baud; a port opened at another speed sees scrambled bytes both ways. */
  readonly baud?: number;
  /** Opening the port (DTR) resets some boards, e.g. an Arduino Uno. */
  portOpened?(): void;
  /** Plugged back in: powered up again (RAM lost, flash kept). */
  powerCycle?(): void;
}

export interface SimLinkOptions {
  /** For the port's path (/dev/ttySIM-<name>-<unique>). */
  readonly name: string;
  /** A path of your own; by default each wire makes a unique one (no counters shared between wires). */
  readonly path?: string;
}

/** At the wrong baud a UART samples bits at the wrong moments: the bytes become other bytes. */
function scramble(bytes: Uint8Array): Uint8Array {
  return bytes.map((b, i) => (b * 37 + i * 11 + 0x5b) & 0xff);
}

/**
 * The bytes as the other end of the line sees them: unchanged when both ends run at the same
 * baud (or either end's baud is unknown), scrambled when they do not. Used by the simulated wire
 * and by a simulator served on a tty (sim-tty.ts) that is told the host's baud.
 */
export function atBaud(deviceBaud: number | undefined, hostBaud: number | undefined, bytes: Uint8Array): Uint8Array {
  return deviceBaud === undefined || hostBaud === undefined || deviceBaud === hostBaud ? bytes : scramble(bytes);
}

const UNPLUGGED = 'EIO: the simulated device was unplugged';

class LinkedPort implements PortBinding {
  private failRead: ((e: Error) => void) | undefined;
  private dead = false;

  constructor(
    private readonly inner: MockPortBinding,
    private readonly link: SimLink,
  ) {}

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }
  // Stays true after a pull until SerialPortStream closes us: it only reports a disconnect for a
  // port it still believes open.
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  deliver(bytes: Uint8Array): void {
    if (!this.inner.isOpen || this.dead) return;
    this.inner.emitData(Buffer.from(this.link.garble(this.openOptions.baudRate, bytes)));
  }
  pull(): void {
    this.dead = true;
    this.failRead?.(new Error(UNPLUGGED));
    this.failRead = undefined;
  }
  close(): Promise<void> {
    this.link.portClosed(this);
    return this.inner.isOpen ? this.inner.close() : Promise.resolve();
  }
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.dead) return Promise.reject(new Error(UNPLUGGED));
    return new Promise((resolve, reject) => {
      this.failRead = reject;
      this.inner.read(buffer, offset, length).then(
        (r: { buffer: Buffer; bytesRead: number }) => {
          this.failRead = undefined;
          resolve(r);
        },
        (e: unknown) => {
          this.failRead = undefined;
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }
  async write(buffer: Buffer): Promise<void> {
    if (this.dead) throw new Error(UNPLUGGED);
    await this.inner.write(buffer);
    const bytes = this.link.garble(this.openOptions.baudRate, new Uint8Array(buffer));
    // After the write settles, as on a wire: the host is already listening when the answer comes.
    setImmediate(() => {
      if (!this.dead) this.link.fromHost(bytes);
    });
  }
  update(options: UpdateOptions): Promise<void> {
    return this.inner.update(options);
  }
  set(options: SetOptions): Promise<void> {
    return this.inner.set(options);
  }
  get(): Promise<PortStatus> {
    return this.inner.get();
  }
  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  drain(): Promise<void> {
    return this.inner.drain();
  }
}

export class SimLink {
  readonly path: string;
  readonly binding: Binding;
  private current: LinkedPort | undefined;
  private plugged = true;

  constructor(
    private readonly device: SimDevice,
    opts: SimLinkOptions,
  ) {
    this.path = opts.path ?? `/dev/ttySIM-${opts.name}-${randomUUID()}`;
    MockBinding.createPort(this.path, { echo: false, record: false });
    this.binding = {
      // A wire whose cable is out is not in the list, as a pulled USB adapter leaves the system's.
      list: async (): Promise<PortInfo[]> => (await MockBinding.list()).filter((p: PortInfo) => this.plugged || p.path !== this.path),
      open: (options: OpenOptions): Promise<PortBinding> => this.open(options),
    };
  }

  /** The port options a driver opens this wire with. */
  port(baudRate: number): SerialPortOptions {
    return { path: this.path, baudRate, binding: this.binding };
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  /** Is a host holding the port open right now? */
  get isOpen(): boolean {
    return this.current !== undefined;
  }

  private async open(options: OpenOptions): Promise<PortBinding> {
    if (!this.plugged) throw new Error(`ENOENT: no such file or directory, open '${this.path}'`);
    const port = new LinkedPort(await MockBinding.open({ ...options, path: this.path }), this);
    this.current = port;
    this.device.portOpened?.();
    this.device.attach({ send: (bytes) => port.deliver(bytes), unplug: () => this.unplug() });
    return port;
  }

  garble(portBaud: number, bytes: Uint8Array): Uint8Array {
    return atBaud(this.device.baud, portBaud, bytes);
  }

  fromHost(bytes: Uint8Array): void {
    if (this.plugged) this.device.receive(bytes);
  }

  portClosed(port: LinkedPort): void {
    if (this.current !== port) return;
    this.current = undefined;
    this.device.detach();
  }

  /** Pull the cable: the open port dies and the path disappears until `replug()`. */
  unplug(): void {
    if (!this.plugged) return;
    this.plugged = false;
    const port = this.current;
    this.current = undefined;
    this.device.detach();
    // Bytes already on the wire reach the host before the port dies, as with a USB adapter.
    setTimeout(() => port?.pull(), 5);
  }

  /** Plug it back in. */
  replug(): void {
    if (this.plugged) return;
    this.device.powerCycle?.();
    this.plugged = true;
  }
}
