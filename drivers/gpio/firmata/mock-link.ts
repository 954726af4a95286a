import { SimSerialLink } from '../../serial/sim-link';
import type { StandardFirmataSim } from './sim';

/**
 * The simulated board on a mock serial port (drivers/serial/sim-link.ts). Opening the port
 * resets it, as DTR resets an Uno, so the host always meets a freshly started sketch.
 */
export class FirmataMockLink extends SimSerialLink {
  constructor(readonly sim: StandardFirmataSim) {
    super({ attach: (deliver) => sim.attach(deliver), detach: () => sim.detach(), receive: (bytes) => sim.receive(bytes) }, { name: 'firmata', onOpen: () => sim.reset() });
  }

  /** Pull the USB cable out. */
  pull(): void {
    this.unplug();
  }
}
