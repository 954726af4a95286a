/**
 * Role: the serial kit's way to put a simulated device on a real tty (one end of a socat pty
 * pair, or a USB-serial adapter looped to a kiosk), so the driver on the other end cannot tell
 * it from hardware, and the driver is tried through real termios and chunking.
 *
 * Pulling the cable is the host's business: closing our end of a pty does not make socat exit,
 * so a test passes `onUnplug` that stops socat (both ends then hang up, as a real unplug does).
 * Without it we only close our end.
 *
 * The baud of a pty is meaningless to the bytes, so a simulator whose baud matters (the R30x
 * module keeps its rate in flash) is given `hostBaud`, a way to read the rate the host's end is
 * set to now: the bytes are then scrambled both ways when the two differ, as on a real UART and
 * as on the simulated wire (sim-link.ts). The host speaks first on these lines, so its rate is
 * read when its bytes arrive, and the device's replies go out at that reading.
 */
import { openSerial } from './transport';
import { atBaud, type SimDevice } from './sim-link';

export type Served =
  | {
      readonly kind: 'serving';
      close(): Promise<void>;
      /** Resolves when the port closes (the device's unplug knob, close(), or a hang-up). */
      readonly closed: Promise<void>;
    }
  | { readonly kind: 'error'; readonly message: string };

export interface ServeOptions {
  readonly path: string;
  readonly baudRate: number;
  readonly onUnplug?: () => void;
  /** The host end's baud now (undefined: unknown, the bytes pass as they are). */
  readonly hostBaud?: () => number | undefined;
}

export async function serveOnTty(device: SimDevice, o: ServeOptions): Promise<Served> {
  // The baud of a pty is meaningless; a simulator that paces bytes does it itself.
  const opened = await openSerial({ path: o.path, baudRate: o.baudRate });
  if (opened.kind === 'error') return { kind: 'error', message: opened.message };
  const port = opened.port;
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let hostBaud: number | undefined;
  port.onData((bytes) => {
    hostBaud = o.hostBaud?.();
    device.receive(atBaud(device.baud, hostBaud, bytes));
  });
  port.onClose(() => {
    device.detach();
    resolveClosed();
  });
  device.portOpened?.();
  device.attach({
    send: (bytes) => void port.write(atBaud(device.baud, hostBaud, bytes)),
    unplug: () => {
      if (o.onUnplug) o.onUnplug();
      else void port.close();
    },
  });
  return { kind: 'serving', close: () => port.close(), closed };
}
