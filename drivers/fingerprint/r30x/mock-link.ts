import { SimSerialLink } from '../../serial/sim-link';
import type { R30xSim } from './sim';

/**
 * The R30x simulator on a mock serial port (drivers/serial/sim-link.ts): a port opened at a baud
 * other than the module's sees scrambled bytes, as on a real UART; the module can pull its own
 * cable (the "unplug mid-upload" knob); plugging back in power-cycles it (RAM lost, flash kept).
 */
export class SimMockLink extends SimSerialLink {
  constructor(sim: R30xSim) {
    let self: SimMockLink | undefined;
    super(
      { attach: (deliver) => sim.attach({ write: deliver, unplug: () => self?.unplug() }), detach: () => sim.detach(), receive: (bytes) => sim.receive(bytes) },
      { name: 'r30x', deviceBaud: () => sim.baud, onReplug: () => sim.powerCycle() },
    );
    self = this;
  }
}
