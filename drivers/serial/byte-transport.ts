import { SerialPortStream } from '@serialport/stream';
import type { Binding as BindingInterface } from './serialport-types';
import { SerialPort } from 'serialport';

/** Bytes in and out over a serial port, nothing about any protocol: the driver owns that (ESC/POS, Firmata). */
export interface ByteTransport {
  /** Resolves once the bytes have left the OS buffer (drain), so timeouts start after the job. */
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** The port closed under us (cable pulled) or was closed. */
  onClose(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface SerialOptions {
  readonly path: string;
  readonly baudRate: number;
  /** Another binding (serialport's MockBinding, the simulator's tap); the OS one by default. */
  readonly binding?: BindingInterface;
}

export async function openSerialTransport(o: SerialOptions): Promise<ByteTransport> {
  const port: SerialPortStream =
    o.binding === undefined
      ? new SerialPort({ path: o.path, baudRate: o.baudRate, autoOpen: false })
      : new SerialPortStream({ binding: o.binding, path: o.path, baudRate: o.baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const dataListeners = new Set<(bytes: Uint8Array) => void>();
  const closeListeners = new Set<() => void>();
  port.on('data', (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk);
    for (const l of dataListeners) l(bytes);
  });
  port.on('close', () => {
    for (const l of closeListeners) l();
  });
  // An 'error' without a listener would crash the process; the driver learns of it via close/timeouts.
  port.on('error', () => undefined);
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(bytes), (err) => {
          if (err) reject(err);
          else port.drain((e) => (e ? reject(e) : resolve()));
        });
      }),
    onData(l) {
      dataListeners.add(l);
      return () => dataListeners.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) resolve();
        else port.close(() => resolve());
      }),
  };
}
