/**
 * Role: the serial kit's answer to "is the port there?", for hot-plug (issue #13). A device
 * supervisor asks it while a device is down, so a cable plugged back in is noticed at once
 * instead of at the end of a backoff that has grown long. Cheap and side-effect free: it never
 * opens the port.
 *
 * A real port is its device node (/dev/ttyUSB0, /dev/serial/by-id/…), which the kernel removes
 * when the adapter is pulled; an injected binding (the simulated wire) is asked for its list of
 * ports, which leaves out a wire whose cable is out.
 */
import { existsSync } from 'node:fs';
import type { PortInfo } from './serialport-types';
import type { SerialPortOptions } from './transport';

export async function portPresent(o: SerialPortOptions): Promise<boolean> {
  if (o.binding === undefined) return existsSync(o.path);
  try {
    return (await o.binding.list()).some((p: PortInfo) => p.path === o.path);
  } catch {
    return false;
  }
}
