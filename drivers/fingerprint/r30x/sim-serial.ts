/**
 * Serve the simulator on a real tty (one end of a socat pty pair, or a USB-serial adapter
 * looped to a kiosk): the driver on the other end cannot tell it from a module.
 *
 * Pulling the cable is the host's business: closing our end of a pty does not make socat exit,
 * so a test passes `onUnplug` that stops socat (both ends then hang up, as a real unplug does).
 * Without it we only close our end.
 */
import type { R30xSim } from './sim';
import { SerialTransport } from './transport';

export interface ServedSim {
  close(): Promise<void>;
  /** Resolves when the port closes (unplug knob, or close()). */
  readonly closed: Promise<void>;
}

export async function serveSimOnPort(sim: R30xSim, opts: { readonly path: string; readonly onUnplug?: () => void }): Promise<ServedSim | { readonly error: string }> {
  // The baud of a pty is meaningless; the sim paces bytes itself when its `slow` knob is on.
  const port = new SerialTransport({ path: opts.path, baudRate: sim.baud });
  const opened = await port.open();
  if (opened.kind === 'error') return { error: opened.message };
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  port.onData((bytes) => sim.receive(bytes));
  port.onClose(() => {
    sim.detach();
    resolveClosed();
  });
  sim.attach({
    write: (bytes) => void port.write(bytes),
    unplug: () => {
      if (opts.onUnplug) opts.onUnplug();
      else void port.close();
    },
  });
  return { close: () => port.close(), closed };
}
