/**
 * Role (HID scanner protocol): the constants of the two ways a USB scanner speaks HID, named as
 * the specifications name them.
 *
 * Keyboard wedge: USB HID Usage Tables, Keyboard/Keypad page (0x07), US layout: what the scanner
 * "types". Scanners are set to the US layout by default; other layouts are a scanner setting.
 */
export const KEY_ENTER = 0x28;
export const KEYPAD_ENTER = 0x58;
/** Keypad 1–9 are 0x59–0x61 and keypad 0 is 0x62: the digits of Alt+keypad codes. */
export const KEYPAD_1 = 0x59;
export const KEYPAD_0 = 0x62;
/** Boot keyboard report, byte 0: modifier bits. */
export const MOD_LEFT_SHIFT = 0x02;
export const MOD_RIGHT_SHIFT = 0x20;
export const MOD_LEFT_ALT = 0x04;
export const MOD_RIGHT_ALT = 0x40;
/** All six key slots set to 0x01 (ErrorRollOver): too many keys, the report carries nothing. */
export const ERROR_ROLLOVER = 0x01;

/** usage → [unshifted, shifted] */
export const USAGE_CHARS: ReadonlyMap<number, readonly [string, string]> = new Map<number, readonly [string, string]>([
  ...[...'abcdefghijklmnopqrstuvwxyz'].map((c, i): [number, readonly [string, string]] => [0x04 + i, [c, c.toUpperCase()]]),
  ...[...'1234567890'].map((c, i): [number, readonly [string, string]] => [0x1e + i, [c, '!@#$%^&*()'.charAt(i)]]),
  [0x2b, ['\t', '\t']],
  [0x2c, [' ', ' ']],
  [0x2d, ['-', '_']],
  [0x2e, ['=', '+']],
  [0x2f, ['[', '{']],
  [0x30, [']', '}']],
  [0x31, ['\\', '|']],
  [0x33, [';', ':']],
  [0x34, ["'", '"']],
  [0x35, ['`', '~']],
  [0x36, [',', '<']],
  [0x37, ['.', '>']],
  [0x38, ['/', '?']],
  [0x54, ['/', '/']],
  [0x55, ['*', '*']],
  [0x56, ['-', '-']],
  [0x57, ['+', '+']],
  ...[...'1234567890'].map((c, i): [number, readonly [string, string]] => [KEYPAD_1 + i, [c, c]]),
  [0x63, ['.', '.']],
]);

/** Keypad usage → its digit, for Alt codes. */
export function keypadDigit(usage: number): string | undefined {
  if (usage >= KEYPAD_1 && usage < KEYPAD_0) return String(usage - KEYPAD_1 + 1);
  return usage === KEYPAD_0 ? '0' : undefined;
}

/**
 * HID-POS barcode scanner (USB HID Point of Sale Usage Tables 1.02, usage page 0x8C, "Scanned
 * Data Report"), as Honeywell and Zebra scanners lay it out in their "HID POS" mode:
 *
 *   byte 0        report ID (0x02)
 *   byte 1        number of data bytes in this report (0–56)
 *   bytes 2–57    decoded data: the code's raw bytes, so UTF-8 survives untouched
 *   bytes 58–60   symbology identifier (AIM), unused here
 *   bytes 61–62   reserved
 *   byte 63       bit 0 set: more data follows in the next report
 *
 * Offsets are codec options so a scanner with another layout is a config change, not a code change.
 */
export const POS_REPORT_SIZE = 64;
export const POS_SCANNED_DATA_REPORT_ID = 0x02;
export const POS_LENGTH_OFFSET = 1;
export const POS_DATA_OFFSET = 2;
export const POS_MAX_DATA = 56;
export const POS_SYMBOLOGY_OFFSET = 58;
export const POS_MORE_FLAG_OFFSET = 63;
