import { MockBinding, type Binding as BindingInterface, type PortBinding as BindingPortInterface, type MockPortBinding, type OpenOptions, type PortInfo, type PortStatus, type SetOptions, type UpdateOptions } from '../../serial/serialport-types';

/**
 * serialport's MockBinding with a device on the far end: every write the host makes is handed
 * to `device`, and whatever the device answers arrives as received data, through the same
 * SerialPortStream code path a real port uses.
 */
export interface FarEnd {
  /** Host → device bytes. `answer` sends device → host bytes. */
  onHostBytes(bytes: Uint8Array, answer: (bytes: Uint8Array) => void): void;
}

class TappedPort implements BindingPortInterface {
  constructor(
    private readonly inner: MockPortBinding,
    private readonly device: FarEnd,
  ) {}
  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    return this.inner.read(buffer, offset, length);
  }
  async write(buffer: Buffer): Promise<void> {
    await this.inner.write(buffer);
    const bytes = new Uint8Array(buffer);
    // After the write settles, as on a wire: the host is already waiting when the answer comes.
    setImmediate(() =>
      this.device.onHostBytes(bytes, (reply) => {
        if (this.inner.isOpen) this.inner.emitData(Buffer.from(reply));
      }),
    );
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

/** A binding with one fresh mock port (returned as `path`) whose far end is `device`. */
export function farEndBinding(device: FarEnd): { binding: BindingInterface; path: string } {
  const path = `/dev/sim-printer-${++ports}`;
  MockBinding.createPort(path, { echo: false, record: false });
  const binding: BindingInterface = {
    list: (): Promise<PortInfo[]> => MockBinding.list(),
    open: async (options: OpenOptions): Promise<BindingPortInterface> => new TappedPort(await MockBinding.open(options), device),
  };
  return { binding, path };
}
