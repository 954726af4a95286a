/** The peripherals a kiosk drives. `gpio` is the front panel (LEDs, help button, PIR, tamper). */
export const DEVICE_KINDS = ['fingerprint', 'document', 'camera', 'printer', 'gpio'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** The life of every device actor (docs/architecture.md, device actors). */
export const DEVICE_STATES = ['disconnected', 'connecting', 'ready', 'busy', 'fault'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

/** Progress callback for long transfers (fingerprint upload, printing). 0..1. */
export type ProgressFn = (fraction: number) => void;
