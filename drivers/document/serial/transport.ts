import { SerialPort } from 'serialport';

/**
 * The part of a serialport stream the scanner driver uses. Both `SerialPort` (real ports, ptys)
 * and `SerialPortMock` (in-process MockBinding) have it, so the same driver runs on either.
 */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  close(callback: (err?: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: (err?: Error | null) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(): unknown;
}

export interface SerialLinkOptions {
  readonly path: string;
  /** USB-CDC ignores it; UART scanners default to 9600 or 115200. */
  readonly baudRate: number;
}

/** A real port (tty, USB-CDC, pty), not yet opened. */
export function realSerialPort(opts: SerialLinkOptions): SerialPortLike {
  return new SerialPort({ path: opts.path, baudRate: opts.baudRate, autoOpen: false });
}

export function openPort(port: SerialPortLike): Promise<Error | undefined> {
  return new Promise((resolve) => port.open((err) => resolve(err ?? undefined)));
}

export function closePort(port: SerialPortLike): Promise<void> {
  if (!port.isOpen) return Promise.resolve();
  return new Promise((resolve) => port.close(() => resolve()));
}
