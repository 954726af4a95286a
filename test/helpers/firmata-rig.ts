/**
 * Test helper: the johnny-five panel over the Firmata link, wired to a simulated board over the
 * serial kit's simulated wire (the same wiring `npm start` uses), with what the panel reported
 * recorded.
 */
import type { DeviceStatus, PanelInput } from '../../drivers/types';
import { createSimulatedPanel, type SimulatedPanelOptions } from '../../drivers/gpio/firmata/simulated';
import { recordingLog } from './device-log';

export function panelOnSim(o: Partial<SimulatedPanelOptions> = {}) {
  const log = recordingLog();
  const made = createSimulatedPanel({ log, ...o, link: { openTimeoutMs: 1_000, queryIntervalMs: 50, ...o.link } });
  const inputs: Array<[PanelInput, boolean]> = [];
  const statuses: DeviceStatus[] = [];
  made.panel.onInput((input, active) => inputs.push([input, active]));
  made.panel.onStatus((s) => statuses.push(s));
  return { ...made, sim: made.board, log, inputs, statuses };
}
