/**
 * Role (Firmata protocol): Firmata protocol constants, named as in the protocol documents
 * (github.com/firmata/protocol: protocol.md, feature docs) so a reader can grep them there.
 * Firmata reuses MIDI framing: a status byte (bit 7 set) followed by 7-bit data bytes.
 */

// ── status bytes (MIDI-style messages) ──
/** 0x90 | port: 8 pin values of one port, as two 7-bit bytes. Both directions. */
export const DIGITAL_MESSAGE = 0x90;
/** 0xE0 | channel: a 14-bit analog reading (board → host). */
export const ANALOG_MESSAGE = 0xe0;
/** 0xC0 | pin: enable/disable analog reporting (host → board). */
export const REPORT_ANALOG = 0xc0;
/** 0xD0 | port: enable/disable digital-port reporting (host → board). */
export const REPORT_DIGITAL = 0xd0;
/** pin, mode (host → board). */
export const SET_PIN_MODE = 0xf4;
/** pin, value (host → board). Firmata 2.5+; older firmware only knows DIGITAL_MESSAGE. */
export const SET_DIGITAL_PIN_VALUE = 0xf5;
/** host → board: a bare query; board → host: major, minor protocol version. */
export const REPORT_VERSION = 0xf9;
export const SYSTEM_RESET = 0xff;

// ── sysex ──
export const START_SYSEX = 0xf0;
export const END_SYSEX = 0xf7;
/** Query (empty) / reply: major, minor, then the sketch's file name as 7-bit byte pairs. */
export const REPORT_FIRMWARE = 0x79;
export const CAPABILITY_QUERY = 0x6b;
/** For each pin: (mode, resolution) pairs, ended by 0x7F. */
export const CAPABILITY_RESPONSE = 0x6c;
export const ANALOG_MAPPING_QUERY = 0x69;
/** For each pin: its analog channel, or 0x7F if it has none. */
export const ANALOG_MAPPING_RESPONSE = 0x6a;
export const SAMPLING_INTERVAL = 0x7a;
/** pin, value as 7-bit bytes, least significant first: analogWrite on any pin (host → board). */
export const EXTENDED_ANALOG = 0x6f;

/** Ends a pin's list in CAPABILITY_RESPONSE; "no analog channel" in ANALOG_MAPPING_RESPONSE. */
export const PIN_LIST_END = 0x7f;

/** Pin modes (SET_PIN_MODE, CAPABILITY_RESPONSE), as in protocol.md. */
export const PIN_MODE = {
  INPUT: 0x00,
  OUTPUT: 0x01,
  ANALOG: 0x02,
  PWM: 0x03,
  SERVO: 0x04,
  I2C: 0x06,
  PULLUP: 0x0b,
  IGNORE: 0x7f,
} as const;

/** Pins in a digital port: DIGITAL_MESSAGE and REPORT_DIGITAL address 8 pins at a time. */
export const PINS_PER_PORT = 8;

/** StandardFirmata's default baud rate. */
export const FIRMATA_BAUD = 57_600;
