/**
 * USB HID Usage Tables, Keyboard/Keypad page (0x07), US layout: what a keyboard-wedge scanner
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
