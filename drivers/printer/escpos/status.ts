import { DLE_EOT_ERROR_CAUSE, DLE_EOT_OFFLINE_CAUSE, DLE_EOT_PRINTER_STATUS, DLE_EOT_ROLL_PAPER_SENSOR } from './commands';
import type { PrinterStatus } from '../../types';

/**
 * DLE EOT replies are one byte each. Bits 1 and 4 are always 1, bits 0 and 7 always 0, so a
 * reply is recognisable in a stream that may also carry other bytes (ASB, garbage).
 */
export const STATUS_FIXED_MASK = 0b1001_0011;
export const STATUS_FIXED_BITS = 0b0001_0010;

export function isStatusByte(b: number): boolean {
  return (b & STATUS_FIXED_MASK) === STATUS_FIXED_BITS;
}

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

/** The four replies, in the order the driver asks for them. */
export interface StatusReplies {
  readonly printer: number;
  readonly offlineCause: number;
  readonly errorCause: number;
  readonly paperSensor: number;
}

export const STATUS_QUERY_ORDER = [
  DLE_EOT_PRINTER_STATUS,
  DLE_EOT_OFFLINE_CAUSE,
  DLE_EOT_ERROR_CAUSE,
  DLE_EOT_ROLL_PAPER_SENSOR,
] as const;

/**
 * One status for the kiosk, most actionable first: paper out and cover open are things staff
 * can fix, so they win over the generic "offline" the printer also reports in those cases.
 */
export function interpretStatus(r: StatusReplies): PrinterStatus {
  for (const b of [r.printer, r.offlineCause, r.errorCause, r.paperSensor]) {
    if (!isStatusByte(b)) {
      return { kind: 'fault', reason: 'protocol', message: `not a DLE EOT status byte: 0x${b.toString(16).padStart(2, '0')}` };
    }
  }
  if ((r.paperSensor & RP_PAPER_END) !== 0 || (r.offlineCause & OC_PAPER_END_STOP) !== 0) return { kind: 'paper-out' };
  if ((r.offlineCause & OC_COVER_OPEN) !== 0) return { kind: 'cover-open' };
  if ((r.errorCause & (EC_UNRECOVERABLE | EC_AUTOCUTTER | EC_RECOVERABLE)) !== 0 || (r.offlineCause & OC_ERROR) !== 0) {
    return { kind: 'fault', reason: 'device-error', message: `printer error: error cause 0x${r.errorCause.toString(16)}, offline cause 0x${r.offlineCause.toString(16)}` };
  }
  if ((r.printer & PS_OFFLINE) !== 0) return { kind: 'offline' };
  if ((r.paperSensor & RP_NEAR_END) !== 0) return { kind: 'paper-low' };
  return { kind: 'ready' };
}

/** The replies a printer in a given condition sends; the simulator answers with these. */
export function statusRepliesFor(c: {
  readonly paperOut: boolean;
  readonly paperLow: boolean;
  readonly coverOpen: boolean;
  readonly error?: boolean;
}): StatusReplies {
  const offline = c.paperOut || c.coverOpen || c.error === true;
  return {
    printer: STATUS_FIXED_BITS | (offline ? PS_OFFLINE : 0),
    offlineCause:
      STATUS_FIXED_BITS | (c.coverOpen ? OC_COVER_OPEN : 0) | (c.paperOut ? OC_PAPER_END_STOP : 0) | (c.error === true ? OC_ERROR : 0),
    errorCause: STATUS_FIXED_BITS | (c.error === true ? EC_UNRECOVERABLE : 0),
    paperSensor: STATUS_FIXED_BITS | (c.paperOut ? RP_PAPER_END | RP_NEAR_END : 0) | (c.paperLow ? RP_NEAR_END : 0),
  };
}
