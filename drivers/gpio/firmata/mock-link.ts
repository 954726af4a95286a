import { MockBinding, type Binding, type MockPortBinding, type OpenOptions, type PortBinding, type PortInfo, type PortStatus, type SetOptions, type UpdateOptions } from '../../serial/serialport-types';
import type { StandardFirmataSim } from './sim';

/**
 * The simulator on serialport's MockBinding, in-process: the driver opens a real
 * SerialPortStream, its writes reach the sim, the sim's bytes arrive as reads. `pull()` makes
 * the pending read fail as a vanished USB tty does, so SerialPortStream reports a disconnect
 * and closes, exactly the path a pulled cable takes on the Pi.
 */

class LinkedPort implements PortBinding {
  private failRead: ((e: Error) => void) | undefined;
  private dead = false;

  constructor(
    private readonly inner: MockPortBinding,
    private readonly sim: StandardFirmataSim,
  ) {}
  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  deliver(bytes: Uint8Array): void {
    if (this.inner.isOpen && !this.dead) this.inner.emitData(Buffer.from(bytes));
  }
  pull(): void {
    this.dead = true;
    this.failRead?.(new Error('EIO: the simulated board was unplugged'));
    this.failRead = undefined;
  }
  close(): Promise<void> {
    this.sim.detach();
    return this.inner.isOpen ? this.inner.close() : Promise.resolve();
  }
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (this.dead) return Promise.reject(new Error('EIO: the simulated board was unplugged'));
    return new Promise((resolve, reject) => {
      this.failRead = reject;
      this.inner.read(buffer, offset, length).then(resolve, (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))));
    });
  }
  async write(buffer: Buffer): Promise<void> {
    if (this.dead) throw new Error('EIO: the simulated board was unplugged');
    await this.inner.write(buffer);
    const bytes = new Uint8Array(buffer);
    // After the write settles, as on a wire: the host is already listening when the answer comes.
    setImmediate(() => {
      if (!this.dead) this.sim.receive(bytes);
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

let ports = 0;

export class FirmataMockLink {
  readonly path = `/dev/ttySIM-firmata-${++ports}`;
  readonly binding: Binding;
  private port: LinkedPort | undefined;

  constructor(readonly sim: StandardFirmataSim) {
    MockBinding.createPort(this.path, { echo: false, record: false });
    this.binding = {
      list: (): Promise<PortInfo[]> => MockBinding.list(),
      open: async (options: OpenOptions): Promise<PortBinding> => {
        const port = new LinkedPort(await MockBinding.open({ ...options, path: this.path }), sim);
        this.port = port;
        // Opening the port resets an Uno (DTR), so the host always meets a fresh sketch.
        sim.reset();
        sim.attach((bytes) => port.deliver(bytes));
        return port;
      },
    };
  }

  /** Pull the USB cable out. */
  pull(): void {
    this.sim.detach();
    this.port?.pull();
    this.port = undefined;
  }
}
