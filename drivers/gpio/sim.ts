import type { DeviceStatus, GpioPanel, PanelInput, PanelLed } from '../types';

/**
 * The kiosk's front panel (status/help LEDs, help button, presence sensor, tamper switch) as a
 * simulator: LEDs are remembered, inputs are pressed by tests or the /api/sim endpoint.
 */
export class SimGpioPanel implements GpioPanel {
  readonly kind = 'gpio';
  private state: DeviceStatus = { kind: 'gpio', driver: 'sim', state: 'disconnected' };
  private readonly statusListeners = new Set<(s: DeviceStatus) => void>();
  private readonly inputListeners = new Set<(input: PanelInput, active: boolean) => void>();
  readonly leds = new Map<PanelLed, boolean>();

  async open(): Promise<DeviceStatus> {
    this.setState('ready');
    return this.state;
  }
  async close(): Promise<void> {
    this.setState('disconnected');
  }
  status(): DeviceStatus {
    return this.state;
  }
  onStatus(listener: (s: DeviceStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  async setLed(led: PanelLed, on: boolean): Promise<void> {
    this.leds.set(led, on);
  }
  onInput(listener: (input: PanelInput, active: boolean) => void): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }
  /** Simulate an edge on one of the panel's inputs. */
  press(input: PanelInput, active = true): void {
    for (const l of this.inputListeners) l(input, active);
  }
  private setState(state: DeviceStatus['state']): void {
    this.state = { kind: 'gpio', driver: 'sim', state };
    for (const l of this.statusListeners) l(this.state);
  }
}
