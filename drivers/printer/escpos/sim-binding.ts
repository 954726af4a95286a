import { SimSerialLink } from '../../serial/sim-link';
import type { Binding } from '../../serial/serialport-types';

/**
 * The printer simulator on a mock serial port (drivers/serial/sim-link.ts): every write the host
 * makes is handed to `device`, and whatever it answers arrives as received data, through the
 * same SerialPortStream code path a real port uses.
 */
export interface FarEnd {
  /** Host → device bytes. `answer` sends device → host bytes. */
  onHostBytes(bytes: Uint8Array, answer: (bytes: Uint8Array) => void): void;
}

/** A binding with one fresh mock port (returned as `path`) whose far end is `device`. */
export function farEndBinding(device: FarEnd): { binding: Binding; path: string } {
  let deliver: ((bytes: Uint8Array) => void) | undefined;
  const link = new SimSerialLink(
    {
      attach: (d) => (deliver = d),
      detach: () => (deliver = undefined),
      receive: (bytes) => device.onHostBytes(bytes, (reply) => deliver?.(reply)),
    },
    { name: 'printer' },
  );
  return { binding: link.binding, path: link.path };
}
