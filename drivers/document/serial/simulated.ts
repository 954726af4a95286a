/**
 * Role (serial scanner simulated): the kiosk's `driver: "sim"` document scanner. The real serial
 * driver and codec, talking over the serial kit's simulated wire to a simulator that sends the
 * bytes a serial 2D scanner sends. Nothing is faked above the wire.
 */
import type { DeviceLog } from '../../log';
import { SimLink } from '../../serial/sim-link';
import type { Suffix } from './protocol';
import { SerialDocumentScanner } from './driver';
import { ScannerSim } from './sim';

export interface SimulatedScannerOptions {
  readonly log: DeviceLog;
  readonly suffix?: Suffix;
  readonly idleGapMs?: number;
  readonly keepEarlyScanMs?: number;
  readonly chunkBytes?: number;
  readonly now?: () => number;
}

/** A simulated citizen at the scanner. */
export interface SimulatedCitizen {
  /** Hold a card's QR code (its payload text) or MRZ (three lines) under the scanner. */
  present(text: string): Promise<void>;
  sendGarbage(): Promise<void>;
  sendHalf(text: string): Promise<void>;
  sendTwo(first: string, second: string): Promise<void>;
  /**
   * Pull the cable: the port closes under the driver, and the port stays gone (opens fail, as
   * with a USB adapter pulled out) until `replug()`. Resolves once the driver has heard of it.
   */
  unplug(): Promise<void>;
  /** Plug it back in: the port is there again, for the supervisor to reopen. */
  replug(): Promise<void>;
}

export interface SimulatedScanner {
  readonly scanner: SerialDocumentScanner;
  readonly sim: SimulatedCitizen;
  /** The cable, for tests that keep it out. */
  readonly link: SimLink;
  /** The scanner's side of the wire, for tests of the wire itself (sendRaw). */
  readonly device: ScannerSim;
}

export function createSimulatedScanner(opts: SimulatedScannerOptions): SimulatedScanner {
  const suffix = opts.suffix ?? 'CR';
  const device = new ScannerSim({ suffix, chunkBytes: opts.chunkBytes ?? 64 });
  const link = new SimLink(device, { name: 'scanner' });
  const scanner = new SerialDocumentScanner({
    port: link.port(115200),
    log: opts.log,
    suffix,
    idleGapMs: opts.idleGapMs ?? 100,
    ...(opts.keepEarlyScanMs === undefined ? {} : { keepEarlyScanMs: opts.keepEarlyScanMs }),
    ...(opts.now === undefined ? {} : { now: opts.now }),
  });
  const sim: SimulatedCitizen = {
    present: (text) => device.present(text),
    sendGarbage: () => device.sendGarbage(),
    sendHalf: (text) => device.sendHalf(text),
    sendTwo: (a, b) => device.sendTwo(a, b),
    unplug: async () => {
      if (!link.isPlugged) return;
      if (!link.isOpen) {
        link.unplug();
        return;
      }
      let off: () => void = () => undefined;
      const closed = new Promise<void>((resolve) => {
        off = scanner.onStatus((s) => {
          if (s.state === 'disconnected') resolve();
        });
      });
      link.unplug();
      // The driver hears of it within milliseconds; the bound only keeps a request from hanging.
      await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
      off();
    },
    replug: async () => link.replug(),
  };
  return { scanner, sim, link, device };
}
