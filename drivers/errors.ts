/**
 * Role: the driver layer's one error type. Replies stay values (`Fault` in types.ts); this is
 * for the few places a driver cannot return one and must throw (a panel LED written while the
 * board is gone), and for turning whatever was thrown back into a `Fault` with its kind intact.
 *
 * As zwave-js does with ZWaveError: one class, a `code` instead of matching on message text,
 * the codes grouped by the layer that notices them, and `is…()` guards for callers. The codes
 * are the `FaultReason` words, so a thrown error and a returned fault say the same thing.
 */
import { type Fault } from './types';
import { FAULT_REASONS, type FaultReason } from '../domain/devices';

/** Which layer notices each code. */
export const DEVICE_ERROR_LAYERS = {
  /** The wire: the port node vanished, the cable was pulled, the board lost power. */
  wire: ['unplugged'],
  /** The line: the bytes did not come in time, or came but not in the device's protocol. */
  line: ['timeout', 'protocol'],
  /** The device: it answered, and its answer was an error of its own. */
  device: ['device-error'],
  /** The caller: we cancelled (the citizen left the step, the port was closed by us). */
  caller: ['aborted'],
} as const satisfies Readonly<Record<string, readonly FaultReason[]>>;

export type DeviceErrorLayer = keyof typeof DEVICE_ERROR_LAYERS;
export type DeviceErrorCode = (typeof DEVICE_ERROR_LAYERS)[DeviceErrorLayer][number];

// Every FaultReason belongs to exactly one layer: a new reason that is not placed fails here.
type Unplaced = Exclude<FaultReason, DeviceErrorCode>;
const everyReasonPlaced: Unplaced extends never ? true : Unplaced = true;
void everyReasonPlaced;

export function layerOf(code: DeviceErrorCode): DeviceErrorLayer {
  if (code === 'unplugged') return 'wire';
  if (code === 'timeout' || code === 'protocol') return 'line';
  if (code === 'device-error') return 'device';
  return 'caller';
}

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  readonly layer: DeviceErrorLayer;

  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.layer = layerOf(code);
  }

  /** The reply shape every driver returns. */
  toFault(): Fault {
    return { kind: 'fault', reason: this.code, message: this.message };
  }

  static fromFault(f: Fault): DeviceError {
    return new DeviceError(f.reason, f.message);
  }
}

/** True for a DeviceError (even one from another copy of this module: checked by shape, too). */
export function isDeviceError(e: unknown): e is DeviceError {
  if (e instanceof DeviceError) return true;
  return e instanceof Error && e.name === 'DeviceError' && 'code' in e && isFaultReason(e.code);
}

export function isUnplugged(e: unknown): e is DeviceError & { readonly code: 'unplugged' } {
  return isDeviceError(e) && e.code === 'unplugged';
}

export function isTimeout(e: unknown): e is DeviceError & { readonly code: 'timeout' } {
  return isDeviceError(e) && e.code === 'timeout';
}

export function isAborted(e: unknown): e is DeviceError & { readonly code: 'aborted' } {
  return isDeviceError(e) && e.code === 'aborted';
}

/** Worth trying again after a reconnect (the wire or the line), as opposed to the device refusing or us cancelling. */
export function isTransientDeviceError(e: unknown): e is DeviceError {
  return isDeviceError(e) && (e.layer === 'wire' || e.layer === 'line');
}

export function isFaultReason(x: unknown): x is FaultReason {
  return FAULT_REASONS.some((r) => r === x);
}

export function fault(reason: FaultReason, message: string): Fault {
  return { kind: 'fault', reason, message };
}

/**
 * A device asked to work while it is not open: the reason it last failed for, when there is one
 * (a pulled cable stays "unplugged" until it is back), else `unplugged` (nothing is there).
 */
export function notOpenFault(what: string, last?: Fault): Fault {
  return last
    ? { kind: 'fault', reason: last.reason, message: `${what} is not open (${last.message})` }
    : { kind: 'fault', reason: 'unplugged', message: `${what} is not open` };
}

/**
 * Whatever a driver call threw, as a fault: a DeviceError keeps its code; anything else (a bug,
 * a library that throws) becomes `fallback` with its message, so the caller still gets a value.
 */
export function faultFromThrown(e: unknown, fallback: FaultReason): Fault {
  if (isDeviceError(e)) return e.toFault();
  return fault(fallback, e instanceof Error ? e.message : String(e));
}
