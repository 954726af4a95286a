import type { PaperWidth } from './encode';
import { EscPosSim, type SimKnobs } from './sim';
import { openSerialTransport } from '../../serial/byte-transport';

/** The simulator on a real serial device (the far end of a socat pty pair, a USB-serial loop). */
export async function serveSimOnPort(o: {
  readonly path: string;
  readonly baudRate: number;
  readonly paper?: PaperWidth;
  readonly knobs?: Partial<SimKnobs>;
}): Promise<{ readonly sim: EscPosSim; close(): Promise<void> }> {
  const t = await openSerialTransport({ path: o.path, baudRate: o.baudRate });
  const sim = new EscPosSim(o.paper ?? 80, (bytes) => void t.write(bytes).catch(() => undefined), o.knobs);
  t.onData((bytes) => sim.receive(bytes));
  return { sim, close: () => t.close() };
}
