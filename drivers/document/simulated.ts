import { SerialPortMock } from 'serialport';
import type { DocumentScanner } from '../types';
import type { Suffix } from './serial/codec';
import { SerialDocumentScanner } from './serial/driver';
import { ScannerSim } from './serial/sim';
import type { SerialPortLike } from './serial/transport';

/**
 * The kiosk's `driver: "sim"` document scanner: the REAL serial driver and codec, talking
 * in-process through serialport's MockBinding to a simulator that sends the bytes a serial 2D
 * scanner sends. Nothing is faked above the wire.
 */
export interface SimulatedScannerOptions {
  readonly suffix?: Suffix;
  readonly idleGapMs?: number;
  readonly keepEarlyScanMs?: number;
  readonly chunkBytes?: number;
  readonly log?: (event: string, detail: Readonly<Record<string, unknown>>) => void;
}

/** A simulated citizen at the scanner. */
export interface SimulatedCitizen {
  /** Hold a card's QR code (its payload text) or MRZ (three lines) under the scanner. */
  present(text: string): Promise<void>;
  sendGarbage(): Promise<void>;
  sendHalf(text: string): Promise<void>;
  sendTwo(first: string, second: string): Promise<void>;
  /** Pull the cable: the port closes under the driver. */
  unplug(): Promise<void>;
}

let counter = 0;

export function createSimulatedScanner(opts: SimulatedScannerOptions = {}): { scanner: DocumentScanner; sim: SimulatedCitizen } {
  counter += 1;
  const path = `/dev/ttySIMDOC${process.pid}-${counter}`;
  SerialPortMock.binding.createPort(path, { echo: false, record: false });
  let port: SerialPortMock | undefined;
  const createPort = (o: { path: string; baudRate: number }): SerialPortLike => {
    port = new SerialPortMock({ path: o.path, baudRate: o.baudRate, autoOpen: false });
    return port;
  };
  const suffix = opts.suffix ?? 'CR';
  const scanner = new SerialDocumentScanner({
    path,
    baudRate: 115200,
    suffix,
    idleGapMs: opts.idleGapMs ?? 100,
    createPort,
    ...(opts.keepEarlyScanMs === undefined ? {} : { keepEarlyScanMs: opts.keepEarlyScanMs }),
    ...(opts.log === undefined ? {} : { log: opts.log }),
  });
  const device = new ScannerSim({
    suffix,
    chunkBytes: opts.chunkBytes ?? 64,
    // Bytes sent while the port is closed fall on the floor, as on a real wire.
    wire: (bytes) => {
      if (port?.isOpen) port.port?.emitData(Buffer.from(bytes));
    },
  });
  const sim: SimulatedCitizen = {
    present: (text) => device.present(text),
    sendGarbage: () => device.sendGarbage(),
    sendHalf: (text) => device.sendHalf(text),
    sendTwo: (a, b) => device.sendTwo(a, b),
    unplug: async () => {
      const p = port;
      if (!p?.isOpen) return;
      // Closing with a disconnect error is what serialport does when the device vanishes.
      await new Promise<void>((resolve) => p.close(() => resolve(), new Error('device unplugged (simulated)')));
    },
  };
  return { scanner, sim };
}
