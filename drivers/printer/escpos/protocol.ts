/**
 * Role (ESC/POS protocol): command bytes and status bits, named as in Epson's "ESC/POS Command
 * Reference". Only what the driver sends and reads and what the simulator understands; the
 * encoder library builds the print job (encode.ts).
 */

export const NUL = 0x00;
export const LF = 0x0a;
export const CR = 0x0d;
export const DLE = 0x10;
export const EOT = 0x04;
export const ESC = 0x1b;
export const FS = 0x1c;
export const GS = 0x1d;

/** DLE EOT n — transmit real-time status. Answered even while the printer is offline or busy. */
export const DLE_EOT_PRINTER_STATUS = 1;
export const DLE_EOT_OFFLINE_CAUSE = 2;
export const DLE_EOT_ERROR_CAUSE = 3;
export const DLE_EOT_ROLL_PAPER_SENSOR = 4;
export type DleEotN = 1 | 2 | 3 | 4;

/** GS r n — transmit status (paper sensor when n = 1). Processed in order, not in real time. */
export const GS_R_PAPER_SENSOR = 1;

/** GS ( k: cn = 49 selects the QR Code function group. */
export const GS_K_QR_CN = 49;
export const QR_FN_SELECT_MODEL = 65;
export const QR_FN_MODULE_SIZE = 67;
export const QR_FN_ERROR_LEVEL = 69;
export const QR_FN_STORE = 80;
export const QR_FN_PRINT = 81;

/** Epson's ESC t table numbers for the pages we may use (the encoder's "epson" mapping agrees). */
export const EPSON_CODE_PAGES: Readonly<Record<number, string>> = {
  0: 'cp437',
  2: 'cp850',
  16: 'windows1252',
  30: 'tcvn3',
  31: 'tcvn3capitals',
  52: 'windows1258',
};

/**
 * DLE EOT replies are one byte each. Bits 1 and 4 are always 1, bits 0 and 7 always 0, so a
 * reply is recognisable in a stream that may also carry other bytes (ASB, garbage).
 */
export const STATUS_FIXED_MASK = 0b1001_0011;
export const STATUS_FIXED_BITS = 0b0001_0010;

// n = 1, printer status
export const PS_DRAWER_PIN3_HIGH = 0x04;
export const PS_OFFLINE = 0x08;
export const PS_WAITING_ONLINE_RECOVERY = 0x20;
// n = 2, offline cause
export const OC_COVER_OPEN = 0x04;
export const OC_FEED_BUTTON = 0x08;
export const OC_PAPER_END_STOP = 0x20;
export const OC_ERROR = 0x40;
// n = 3, error cause
export const EC_RECOVERABLE = 0x04;
export const EC_AUTOCUTTER = 0x08;
export const EC_UNRECOVERABLE = 0x20;
export const EC_AUTO_RECOVERABLE = 0x40;
// n = 4, roll paper sensor (each condition is reported on two bits)
export const RP_NEAR_END = 0x0c;
export const RP_PAPER_END = 0x60;
