import type { ReceiptPrinter } from '../types';
import { EscPosPrinter } from './escpos/driver';
import type { PaperWidth, VietnameseMode } from './escpos/encode';
import { EscPosSim, type SimKnobs } from './escpos/sim';
import { farEndBinding } from './escpos/sim-binding';
import { openSerialTransport } from '../serial/byte-transport';

export interface SimulatedPrinterOptions {
  readonly paper?: PaperWidth;
  readonly vietnamese?: VietnameseMode;
  readonly knobs?: Partial<SimKnobs>;
  readonly statusTimeoutMs?: number;
  readonly statusEveryBytes?: number;
}

/**
 * The kiosk's `driver: "sim"` printer: the real ESC/POS driver, talking through serialport's
 * MockBinding to the simulator in the same process.
 */
export function createSimulatedPrinter(opts: SimulatedPrinterOptions = {}): { printer: ReceiptPrinter; sim: EscPosSim } {
  const paper = opts.paper ?? 80;
  let answer: (bytes: Uint8Array) => void = () => undefined;
  const sim = new EscPosSim(paper, (bytes) => answer(bytes), opts.knobs);
  const { binding, path } = farEndBinding({
    onHostBytes(bytes, reply) {
      answer = reply;
      sim.receive(bytes);
    },
  });
  const printer = new EscPosPrinter({
    driverName: 'sim',
    where: `${path} (simulated)`,
    connect: () => openSerialTransport({ path, baudRate: 115200, binding }),
    encode: { paper, vietnamese: opts.vietnamese ?? 'raster' },
    statusTimeoutMs: opts.statusTimeoutMs ?? 200,
    ...(opts.statusEveryBytes === undefined ? {} : { statusEveryBytes: opts.statusEveryBytes }),
  });
  return { printer, sim };
}
