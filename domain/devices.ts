/**
 * The peripherals a kiosk drives. `gpio` is the front panel (LEDs, help button, PIR, tamper).
 * `storage` is no peripheral but the data directory, reported like one so that a disk that is
 * full or read-only puts the kiosk out of service the way a missing device does (issue #12).
 */
export const DEVICE_KINDS = ['fingerprint', 'document', 'camera', 'printer', 'gpio', 'storage'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** The life of every device actor (docs/architecture.md, device actors). */
export const DEVICE_STATES = ['disconnected', 'connecting', 'ready', 'busy', 'fault'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/**
 * Why a device could not do what was asked. The actor maps these to citizen-facing text.
 *  - unplugged: the port vanished or the cable was pulled
 *  - timeout: the device stopped answering
 *  - protocol: it answered, but not in its protocol (garbage, bad checksum, out of order)
 *  - device-error: it answered with an error code of its own
 *  - aborted: we cancelled (citizen left, step changed, port closed by us)
 * The same words are the codes of the drivers' `DeviceError`, for the few places that throw.
 */
export const FAULT_REASONS = ['unplugged', 'timeout', 'protocol', 'device-error', 'aborted'] as const;
export type FaultReason = (typeof FAULT_REASONS)[number];

/** Progress callback for long transfers (fingerprint upload, printing). 0..1. */
export type ProgressFn = (fraction: number) => void;
