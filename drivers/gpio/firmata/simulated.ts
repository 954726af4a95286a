/**
 * Role (Firmata simulated): the kiosk's `driver: "sim"` front panel. The johnny-five panel over
 * the real Firmata link (firmata.js behind the bounded wire) talking over the serial kit's
 * simulated wire to a simulated Uno running StandardFirmata, in-process: a press on the
 * simulated board reaches johnny-five as the same DIGITAL_MESSAGE bytes a real board sends,
 * through the same debounce.
 */
import type { GpioPanel, PanelInput } from '../../types';
import type { DeviceLog } from '../../log';
import { SimLink } from '../../serial/sim-link';
import { FivePanel, type FivePanelOptions } from '../panel';
import { FirmataLink, type FirmataLinkOptions } from './link';
import { FIRMATA_BAUD } from './protocol';
import { StandardFirmataSim, type FirmataSimOptions } from './sim';
import { DEFAULT_WIRING, type PanelWiring } from './wiring';

export interface SimulatedPanelOptions {
  readonly log: DeviceLog;
  readonly wiring?: PanelWiring;
  readonly board?: FirmataSimOptions;
  /** Link options other than the port, the wiring and the log (timeouts). */
  readonly link?: Omit<FirmataLinkOptions, 'port' | 'wiring' | 'log'>;
  /** Panel options other than the link, the wiring and the log (debounce, PIR calibration). */
  readonly driver?: Omit<FivePanelOptions, 'link' | 'wiring' | 'log'>;
}

export interface SimulatedPanel {
  readonly panel: GpioPanel;
  /** The concrete driver, for what GpioPanel does not expose (lastFault(), inputState()). */
  readonly driver: FivePanel;
  readonly firmata: FirmataLink;
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
  const firmata = new FirmataLink({ ...opts.link, port: link.port(FIRMATA_BAUD), wiring, log: opts.log });
  // The simulated PIR needs no warm-up: it reports as soon as the board is ready.
  const driver = new FivePanel({ presenceCalibrationMs: 0, ...opts.driver, link: firmata, wiring, log: opts.log });
  const hold = Math.max(TAP_HOLD_MS, 3 * (opts.driver?.debounceMs ?? 30));
  return {
    panel: driver,
    driver,
    firmata,
    board,
    link,
    tap: async (input) => {
      board.press(input, true);
      await new Promise((r) => setTimeout(r, hold));
      board.press(input, false);
    },
  };
}
