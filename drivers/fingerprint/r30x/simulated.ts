/**
 * The kiosk's `driver: "sim"` fingerprint sensor: the real R30x driver talking to the simulator
 * through serialport's MockBinding, in-process. Nothing about the driver is faked, so running
 * the kiosk on the simulator exercises the same code that talks to a module.
 */
import type { FingerprintSensor } from '../../types';
import { R30xDriver, type R30xDriverOptions } from './driver';
import { SimMockLink } from './mock-link';
import { R30xSim, type FingerChoice, type R30xSimOptions } from './sim';

export interface SimulatedR30xOptions extends R30xSimOptions {
  /** false: no artificial delays (tests); true: module timings and baud-paced bytes. */
  readonly realisticTiming?: boolean;
  /** Driver options other than the port (raise the baud, timeouts, logging…). */
  readonly driver?: Omit<R30xDriverOptions, 'path' | 'binding' | 'baud'>;
}

export interface SimulatedR30x {
  readonly sensor: FingerprintSensor;
  /** The concrete driver, for what FingerprintSensor does not expose (extractFeatures, fault()). */
  readonly driver: R30xDriver;
  readonly sim: R30xSim;
  /** The cable: unplug() and replug() as a technician would. */
  readonly link: SimMockLink;
  /** What the simulated citizen presents next. */
  present(choice: FingerChoice): void;
}

export function createSimulatedR30x(opts: SimulatedR30xOptions = {}): SimulatedR30x {
  const sim = new R30xSim(opts);
  const link = new SimMockLink(sim);
  const driver = new R30xDriver({
    pollIntervalMs: opts.realisticTiming ? 50 : 0,
    ...opts.driver,
    path: link.path,
    binding: link.binding,
    baud: sim.baud,
  });
  return { sensor: driver, driver, sim, link, present: (choice) => sim.present(choice) };
}
