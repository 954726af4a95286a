/**
 * Role (Firmata driver extra): which pin each LED and input of the panel is on, on an Arduino
 * (DEFAULT_WIRING) or on the Pi's own header (PI_HEADER_WIRING, BCM GPIO numbers); config
 * produces this shape.
 */
import type { PanelInput, PanelLed } from '../../types';

/** How one panel input is wired to a board pin. */
export interface InputWiring {
  readonly pin: number;
  /** Enable the board's internal pull-up (pin mode PULLUP instead of INPUT). */
  readonly pullup: boolean;
  /** The input is "active" when the pin reads LOW. */
  readonly activeLow: boolean;
}

/** Which board pin each LED and input is on. Config (schema.ts `gpioDevice`) produces this shape. */
export interface PanelWiring {
  readonly leds: Readonly<Record<PanelLed, number>>;
  readonly inputs: Readonly<Record<PanelInput, InputWiring>>;
}

export const PANEL_LEDS: readonly PanelLed[] = ['status', 'help', 'fingerprint', 'camera-light'];
export const PANEL_INPUTS: readonly PanelInput[] = ['help-button', 'presence', 'tamper'];

/**
 * The reference panel: LEDs on D2–D5; the help button to ground (pull-up, pressed = LOW); the
 * PIR module's push-pull output (no pull-up, motion = HIGH); the tamper switch normally closed
 * to ground (pull-up, door opened = HIGH), so a cut wire also reads as tampering.
 */
export const DEFAULT_WIRING: PanelWiring = {
  leds: { status: 2, help: 3, fingerprint: 4, 'camera-light': 5 },
  inputs: {
    'help-button': { pin: 7, pullup: true, activeLow: true },
    presence: { pin: 8, pullup: false, activeLow: false },
    tamper: { pin: 9, pullup: true, activeLow: false },
  },
};

/**
 * The reference panel on the Pi's own 40-pin header (BCM GPIO numbers): LEDs on GPIO17, 27, 22
 * and 23 (pins 11, 13, 15, 16), the help button on GPIO5 (pin 29), the PIR on GPIO6 (pin 31),
 * the tamper switch on GPIO13 (pin 33); the same levels as the Arduino panel. None of them is an
 * I2C, SPI, UART or ID EEPROM pin.
 */
export const PI_HEADER_WIRING: PanelWiring = {
  leds: { status: 17, help: 27, fingerprint: 22, 'camera-light': 23 },
  inputs: {
    'help-button': { pin: 5, pullup: true, activeLow: true },
    presence: { pin: 6, pullup: false, activeLow: false },
    tamper: { pin: 13, pullup: true, activeLow: false },
  },
};
