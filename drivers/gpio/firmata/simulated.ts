/**
 * Role (Firmata simulated): the kiosk's `driver: "sim"` front panel. The real Firmata panel
 * driver talking over the serial kit's simulated wire to a simulated Uno running
 * StandardFirmata, in-process: a press on the simulated board reaches the driver as the same
 * DIGITAL_MESSAGE bytes a real board sends, through the same debounce.
 */
import type { GpioPanel, PanelInput } from '../../types';
import type { DeviceLog } from '../../log';
import { SimLink } from '../../serial/sim-link';
import { FirmataPanel, type FirmataPanelOptions } from './driver';
import { FIRMATA_BAUD } from './protocol';
import { StandardFirmataSim, type FirmataSimOptions } from './sim';
import { DEFAULT_WIRING, type PanelWiring } from './wiring';

export interface SimulatedPanelOptions {
  readonly log: DeviceLog;
  readonly wiring?: PanelWiring;
  readonly board?: FirmataSimOptions;
  /** Driver options other than the port, the wiring and the log (timeouts, debounce). */
  readonly driver?: Omit<FirmataPanelOptions, 'port' | 'wiring' | 'log'>;
}

export interface SimulatedPanel {
  readonly panel: GpioPanel;
  /** The concrete driver, for what GpioPanel does not expose (lastFault()). */
  readonly driver: FirmataPanel;
  readonly board: StandardFirmataSim;
  /** The USB cable: unplug() and replug(). */
  readonly link: SimLink;
  /**
   * A person presses and lets go of a panel input (the help button, someone stepping in front of
   * the PIR, the door opened and shut): held long enough for the debounce to count it.
   */
  tap(input: PanelInput): Promise<void>;
}

/** How long a simulated press is held: a real finger on a button, well past any debounce. */
export const TAP_HOLD_MS = 150;

export function createSimulatedPanel(opts: SimulatedPanelOptions): SimulatedPanel {
  const wiring = opts.wiring ?? DEFAULT_WIRING;
  const board = new StandardFirmataSim({ wiring, ...opts.board });
  const link = new SimLink(board, { name: 'firmata' });
  const driver = new FirmataPanel({ ...opts.driver, port: link.port(FIRMATA_BAUD), wiring, log: opts.log });
  const hold = Math.max(TAP_HOLD_MS, 3 * (opts.driver?.debounceMs ?? 30));
  return {
    panel: driver,
    driver,
    board,
    link,
    tap: async (input) => {
      board.press(input, true);
      await new Promise((r) => setTimeout(r, hold));
      board.press(input, false);
    },
  };
}
