/**
 * Role (ESC/POS simulated): the kiosk's `driver: "sim"` printer. The real ESC/POS driver,
 * talking over the serial kit's simulated wire to the printer simulator in the same process.
 */
import type { ReceiptPrinter } from '../../types';
import type { DeviceLog } from '../../log';
import { SimLink } from '../../serial/sim-link';
import { EscPosPrinter } from './driver';
import type { PaperWidth, VietnameseMode } from './encode';
import { EscPosSim, type SimKnobs } from './sim';

export interface SimulatedPrinterOptions {
  readonly log: DeviceLog;
  readonly paper?: PaperWidth;
  readonly vietnamese?: VietnameseMode;
  readonly knobs?: Partial<SimKnobs>;
  readonly statusTimeoutMs?: number;
  readonly statusEveryBytes?: number;
}

export interface SimulatedPrinter {
  readonly printer: ReceiptPrinter;
  readonly sim: EscPosSim;
  /** The cable: unplug() and replug(). */
  readonly link: SimLink;
}

export function createSimulatedPrinter(opts: SimulatedPrinterOptions): SimulatedPrinter {
  const paper = opts.paper ?? 80;
  const sim = new EscPosSim(paper, opts.knobs);
  const link = new SimLink(sim, { name: 'printer' });
  const printer = new EscPosPrinter({
    driverName: 'sim',
    port: link.port(115200),
    log: opts.log,
    encode: { paper, vietnamese: opts.vietnamese ?? 'raster' },
    statusTimeoutMs: opts.statusTimeoutMs ?? 200,
    ...(opts.statusEveryBytes === undefined ? {} : { statusEveryBytes: opts.statusEveryBytes }),
  });
  return { printer, sim, link };
}
