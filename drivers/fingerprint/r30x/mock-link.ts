/**
 * Wires the simulator to serialport's MockBinding, in-process: the driver opens a real
 * SerialPortStream on a mock port, its writes reach the sim, the sim's bytes arrive as reads.
 * Pulling the cable makes pending reads fail the way a vanished tty does (a non-cancel error,
 * so SerialPortStream reports a disconnect) and makes the path unopenable until `replug()`.
 * A port opened at a different baud than the module's sees scrambled bytes, as on a real UART.
 */
import { SerialPortMock } from 'serialport';
import type {
  BindingInterface,
  BindingPortInterface,
  MockBindingInterface,
  MockPortBinding,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from './serialport-types';
import type { R30xSim } from './sim';

// serialport re-exports the mock binding through SerialPortMock; its declared type is lost (see
// serialport-types.ts), so give it its real one here.
const MockBinding: MockBindingInterface & BindingInterface<MockPortBinding> = SerialPortMock.binding;

let portCounter = 0;

/** At the wrong baud a UART decodes bits at the wrong moments: the bytes become other bytes. */
function scramble(bytes: Uint8Array): Uint8Array {
  return bytes.map((b, i) => (b * 37 + i * 11 + 0x5b) & 0xff);
}

class LinkedPort implements BindingPortInterface {
  private pendingReadFail: ((e: Error) => void) | undefined;
  private dead = false;

  constructor(
    private readonly inner: MockPortBinding,
    private readonly link: SimMockLink,
  ) {}

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }
  // Stays true after a pull until SerialPortStream closes us: it only reports a disconnect
  // for a port it still believes open.
  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  deliver(bytes: Uint8Array): void {
    if (!this.isOpen || this.dead) return;
    this.inner.emitData(Buffer.from(this.link.wrongBaud(this.openOptions.baudRate) ? scramble(bytes) : bytes));
  }

  pull(): void {
    this.dead = true;
    this.pendingReadFail?.(new Error('EIO: the simulated module was unplugged'));
    this.pendingReadFail = undefined;
  }

  close(): Promise<void> {
    this.link.portClosed(this);
    return this.inner.isOpen ? this.inner.close() : Promise.resolve();
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.dead) return Promise.reject(new Error('EIO: the simulated module was unplugged'));
    return new Promise((resolve, reject) => {
      this.pendingReadFail = reject;
      this.inner.read(buffer, offset, length).then(
        (r) => {
          this.pendingReadFail = undefined;
          resolve(r);
        },
        (e: unknown) => {
          this.pendingReadFail = undefined;
          // After a pull the inner close cancels the read; the pull's error has already gone out.
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.dead) throw new Error('EIO: the simulated module was unplugged');
    await this.inner.write(buffer);
    const bytes = new Uint8Array(buffer);
    const toSim = this.link.wrongBaud(this.openOptions.baudRate) ? scramble(bytes) : bytes;
    setImmediate(() => this.link.fromHost(toSim));
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

export class SimMockLink {
  readonly path: string;
  private port: LinkedPort | undefined;
  private plugged = true;
  readonly binding: BindingInterface;

  constructor(private readonly sim: R30xSim) {
    this.path = `/dev/ttySIM-r30x-${++portCounter}`;
    MockBinding.createPort(this.path, { echo: false, record: false });
    this.binding = {
      list: (): Promise<PortInfo[]> => MockBinding.list(),
      open: (options: OpenOptions): Promise<BindingPortInterface> => this.open(options),
    };
  }

  get isPlugged(): boolean {
    return this.plugged;
  }

  private async open(options: OpenOptions): Promise<BindingPortInterface> {
    if (!this.plugged) throw new Error(`ENOENT: no such file or directory, open '${this.path}'`);
    const inner: MockPortBinding = await MockBinding.open({ ...options, path: this.path });
    const port = new LinkedPort(inner, this);
    this.port = port;
    this.sim.attach({ write: (bytes) => port.deliver(bytes), unplug: () => this.unplug() });
    return port;
  }

  wrongBaud(portBaud: number): boolean {
    return portBaud !== this.sim.baud;
  }

  fromHost(bytes: Uint8Array): void {
    if (this.plugged) this.sim.receive(bytes);
  }

  portClosed(port: LinkedPort): void {
    if (this.port === port) {
      this.port = undefined;
      this.sim.detach();
    }
  }

  /** Pull the cable: the open port dies and the path disappears. */
  unplug(): void {
    this.plugged = false;
    const port = this.port;
    this.port = undefined;
    this.sim.detach();
    // Bytes already on the wire reach the host before the port dies, as with a USB adapter.
    setTimeout(() => port?.pull(), 5);
  }

  /** Plug it back in: the module powers up again (RAM lost, flash settings kept). */
  replug(): void {
    this.sim.powerCycle();
    this.plugged = true;
  }
}
