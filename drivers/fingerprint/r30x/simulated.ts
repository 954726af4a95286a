/**
 * Role (r30x simulated): the kiosk's `driver: "sim"` fingerprint sensor. The real R30x driver
 * talking to the simulator over the serial kit's simulated wire, in-process. Nothing about the
 * driver is faked, so running the kiosk on the simulator exercises the code that talks to a
 * module.
 */
import type { FingerprintSensor } from '../../types';
import type { DeviceLog } from '../../log';
import { SimLink } from '../../serial/sim-link';
import { R30xDriver, type R30xDriverOptions } from './driver';
import { R30xSim, type FingerChoice, type R30xSimOptions } from './sim';

export interface SimulatedR30xOptions extends R30xSimOptions {
  readonly log: DeviceLog;
  /** false: no artificial delays (tests); true: module timings and baud-paced bytes. */
  readonly realisticTiming?: boolean;
  /** Driver options other than the port and the log (raise the baud, timeouts…). */
  readonly driver?: Omit<R30xDriverOptions, 'port' | 'log'>;
}

export interface SimulatedR30x {
  readonly sensor: FingerprintSensor;
  /** The concrete driver, for what FingerprintSensor does not expose (extractFeatures, fault()). */
  readonly driver: R30xDriver;
  readonly sim: R30xSim;
  /** The cable: unplug() and replug() as a technician would. */
  readonly link: SimLink;
  /** What the simulated citizen presents next. */
  present(choice: FingerChoice): void;
}

export function createSimulatedR30x(opts: SimulatedR30xOptions): SimulatedR30x {
  const sim = new R30xSim(opts);
  const link = new SimLink(sim, { name: 'r30x' });
  const driver = new R30xDriver({
    pollIntervalMs: opts.realisticTiming ? 50 : 0,
    ...opts.driver,
    port: link.port(sim.baud),
    log: opts.log,
  });
  return { sensor: driver, driver, sim, link, present: (choice) => sim.present(choice) };
}
