/**
 * Role (HID scanner simulated): the kiosk's `driver: "sim"` document scanner when it is to be a
 * USB HID one (`interface: "hid-keyboard" | "hid-pos"`). The real HID driver and codecs, reading
 * the reports of a simulated scanner through node-hid's seam. Nothing is faked above it.
 */
import type { DeviceLog } from '../../log';
import type { SimulatedCitizen } from '../serial/simulated';
import { HidDocumentScanner } from './driver';
import { HidScannerSim, type HidSimMode } from './sim';

export interface SimulatedHidScannerOptions {
  readonly mode: HidSimMode;
  readonly log: DeviceLog;
  readonly idleGapMs?: number;
  readonly keepEarlyScanMs?: number;
  readonly reportGapMs?: number;
  readonly now?: () => number;
}

export interface SimulatedHidScanner {
  readonly scanner: HidDocumentScanner;
  readonly sim: SimulatedCitizen;
  /** The scanner itself, with its USB cable (unplug(), replug()). */
  readonly device: HidScannerSim;
}

export function createSimulatedHidScanner(opts: SimulatedHidScannerOptions): SimulatedHidScanner {
  const device = new HidScannerSim({ mode: opts.mode, ...(opts.reportGapMs === undefined ? {} : { reportGapMs: opts.reportGapMs }) });
  const scanner = new HidDocumentScanner({
    openDevice: () => device.open(),
    isPresent: () => device.present(),
    mode: opts.mode === 'pos' ? { kind: 'pos' } : { kind: 'keyboard', terminator: 'enter' },
    idleGapMs: opts.idleGapMs ?? 100,
    name: `hid-${opts.mode}:sim`,
    log: opts.log,
    ...(opts.keepEarlyScanMs === undefined ? {} : { keepEarlyScanMs: opts.keepEarlyScanMs }),
    ...(opts.now === undefined ? {} : { now: opts.now }),
  });
  const sim: SimulatedCitizen = {
    present: (text) => device.scan(text),
    sendGarbage: () => device.sendGarbage(),
    sendHalf: (text) => device.sendHalf(text),
    sendTwo: async (a, b) => {
      await device.scan(a);
      await device.scan(b);
    },
    unplug: async () => device.unplug(),
    replug: async () => device.replug(),
  };
  return { scanner, sim, device };
}
