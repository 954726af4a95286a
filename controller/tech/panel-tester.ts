import type { GpioPanel, PanelInput, PanelLed } from '../../drivers/types';
import { PANEL_INPUTS } from '../../drivers/types';

/**
 * What the panel self-test needs of the front panel, and no more: light each LED, read each
 * input, hear it change. Today it sits on the GpioPanel interface (drivers/types.ts, the Firmata
 * driver); the panel's move onto johnny-five changes only `panelTesterOf`, not the self-test.
 */
export interface PanelTester {
  readonly leds: readonly PanelLed[];
  readonly inputs: readonly PanelInput[];
  /** The board is open and answering. */
  ready(): boolean;
  setLed(led: PanelLed, on: boolean): Promise<void>;
  /** Each input as the board last reported it (inactive until it says otherwise). */
  levels(): Readonly<Record<PanelInput, boolean>>;
  onInput(listener: (input: PanelInput, active: boolean) => void): () => void;
  /** Stops listening to the panel. */
  stop(): void;
}

export const PANEL_LEDS: readonly PanelLed[] = ['status', 'help', 'fingerprint', 'camera-light'];

export function panelTesterOf(panel: GpioPanel): PanelTester {
  const inactive = (): Record<PanelInput, boolean> => ({ 'help-button': false, presence: false, tamper: false });
  let levels = inactive();
  const offInput = panel.onInput((input, active) => {
    levels = { ...levels, [input]: active };
  });
  // A board that went away forgets its inputs; it reports them again when it is back.
  const offStatus = panel.onStatus((s) => {
    if (s.state !== 'ready' && s.state !== 'busy') levels = inactive();
  });
  return {
    leds: PANEL_LEDS,
    inputs: PANEL_INPUTS,
    ready: () => {
      const s = panel.status().state;
      return s === 'ready' || s === 'busy';
    },
    setLed: (led, on) => panel.setLed(led, on),
    levels: () => levels,
    onInput: (listener) => panel.onInput(listener),
    stop() {
      offInput();
      offStatus();
    },
  };
}
