/**
 * Test helper: the Firmata panel driver wired to a simulated board over the serial kit's
 * simulated wire (the same wiring `npm start` uses), with what the driver reported recorded.
 */
import type { DeviceStatus, PanelInput } from '../../drivers/types';
import { createSimulatedPanel, type SimulatedPanelOptions } from '../../drivers/gpio/firmata/simulated';
import { recordingLog } from './device-log';

export function panelOnSim(o: Partial<SimulatedPanelOptions> = {}) {
  const log = recordingLog();
  const made = createSimulatedPanel({ log, ...o, driver: { openTimeoutMs: 300, queryIntervalMs: 50, ...o.driver } });
  const inputs: Array<[PanelInput, boolean]> = [];
  const statuses: DeviceStatus[] = [];
  made.panel.onInput((input, active) => inputs.push([input, active]));
  made.panel.onStatus((s) => statuses.push(s));
  return { ...made, sim: made.board, log, inputs, statuses };
}
