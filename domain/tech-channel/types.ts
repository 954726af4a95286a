import type { DeviceKind, DeviceState } from '../devices';
import type { Bilingual } from '../language';

/**
 * The technician's channel (ws /ws/tech): the words both ends share, without zod, so the
 * service screen's page can import them (messages.ts adds the schema that validates what a
 * client sends). The service screen (ui/tech/) and `kiosk diag` talk to the running kiosk
 * through it. Every message in either direction is one JSON object with a `type`. Until the
 * channel is unlocked (the technician's PIN, or the local token file for a program on the kiosk
 * itself) it answers `hello` and `unlock` only: everything else is refused with `locked` and
 * changes nothing.
 */

/** The devices a technician tests, by the names the CLI uses (`diag scanner`, `diag panel`). */
export const TECH_DEVICES = ['fingerprint', 'scanner', 'camera', 'printer', 'panel'] as const;
export type TechDevice = (typeof TECH_DEVICES)[number];

/** Which device of the kiosk each one is. */
export const TECH_DEVICE_KIND: Readonly<Record<TechDevice, DeviceKind>> = {
  fingerprint: 'fingerprint',
  scanner: 'document',
  camera: 'camera',
  printer: 'printer',
  panel: 'gpio',
};

/** A PIN is digits only (it is typed on the kiosk's touchscreen keypad too). */
export const PIN_PATTERN = /^[0-9]{6,12}$/;
/** The local token (the kiosk writes it 0600 in its data dir at each start): 32 random bytes, base64url. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Client messages are tiny; anything larger is refused by the socket itself. */
export const MAX_TECH_MESSAGE_BYTES = 1024;



/** What a client sends (validated by `techClientMessageSchema` in messages.ts). */
export type TechClientMessage =
  | { readonly type: 'hello' }
  /** The PIN as typed; checked against the hash in config, rate limited, audited (never the PIN). */
  | { readonly type: 'unlock'; readonly pin: string }
  /** The token the kiosk wrote to its data dir; taken from this machine only. */
  | { readonly type: 'unlock-token'; readonly token: string }
  | { readonly type: 'lock' }
  /** Send the status now (it is also pushed when something changes). */
  | { readonly type: 'status' }
  /** Take the kiosk out of service (`on: true`) or put it back. */
  | { readonly type: 'service'; readonly on: boolean }
  | { readonly type: 'self-test'; readonly device: TechDevice };

/** Where a technician is: on the kiosk's own screen, a program on the kiosk, or a laptop on the network. */
export type TechWhere = 'kiosk-screen' | 'this-machine' | 'network';

export interface TechAccess {
  readonly unlocked: boolean;
  readonly where: TechWhere;
  /** False while no PIN is set in the config: nothing can be unlocked with a PIN. */
  readonly pinSet: boolean;
  /** Locked after too many wrong PINs, until this time (ISO). */
  readonly lockedUntil?: string;
  /** Wrong PINs that may still be tried before the lock. */
  readonly attemptsLeft?: number;
  /** Unlocked: the screen locks itself after this long without use. */
  readonly idleLockS?: number;
}

export const UNLOCK_REFUSALS = ['wrong-pin', 'locked-out', 'rate-limited', 'no-pin-set', 'bad-token'] as const;
export type UnlockRefusal = (typeof UNLOCK_REFUSALS)[number];

export const TECH_ERROR_CODES = ['locked', 'bad-json', 'bad-message', 'not-allowed-now', 'busy'] as const;
export type TechErrorCode = (typeof TECH_ERROR_CODES)[number];

/**
 * Whether the kiosk serves citizens:
 *  - in-service: it does;
 *  - maintenance: the technician took it out of service (self-tests may run);
 *  - maintenance-pending: asked for, but a citizen is still in a session; it goes out of
 *    service when they finish (nobody is cut off half way);
 *  - out-of-service: a device or the storage is down (not the technician's doing).
 */
export type ServiceState = 'in-service' | 'maintenance' | 'maintenance-pending' | 'out-of-service';

export interface DeviceCounters {
  /** Times it stopped working (ready or busy → fault or disconnected) since the kiosk started. */
  readonly faults: number;
  /** Times it came back (fault or disconnected → ready). */
  readonly recoveries: number;
  readonly selfTests: number;
  readonly selfTestsFailed: number;
}

/**
 * A device's last error on the service screen: the driver's own words (`message`, English, for
 * whoever reads logs), and what it means in both languages for the technician: the state it left
 * the device in, or a failed self-test's summary.
 */
export interface DeviceError {
  readonly at: string;
  readonly message: string;
  readonly state?: DeviceState;
  readonly summary?: Bilingual;
}

export interface TechDeviceStatus {
  readonly device: TechDevice;
  readonly kind: DeviceKind;
  readonly state: DeviceState;
  readonly driver: string;
  /** When it entered this state (ISO). */
  readonly since?: string;
  /** What its driver says now (a port, a reason), in English. */
  readonly detail?: string;
  readonly lastError?: DeviceError;
  readonly counters: DeviceCounters;
  readonly lastSelfTest?: { readonly at: string; readonly ok: boolean };
}

export interface TechStatus {
  readonly at: string;
  readonly kioskId: string;
  readonly version: string;
  readonly uptimeS: number;
  /** The screen the citizen's side shows now. */
  readonly citizenScreen: string;
  readonly service: ServiceState;
  readonly selfTests: { readonly allowed: boolean; readonly why?: Bilingual; readonly running?: TechDevice };
  readonly devices: readonly TechDeviceStatus[];
  readonly storage: {
    readonly state: DeviceState;
    readonly problem?: string;
    readonly freeMiB: number | null;
    readonly minFreeMiB: number;
    readonly checkedAt: string;
  };
  readonly outbox: {
    /** Not yet handed to the central receiver. */
    readonly pending: number;
    /** Handed over, waiting for the centre's acknowledgement. */
    readonly awaitingAck: number;
    readonly acked: number;
    readonly oldestPendingAgeS: number | null;
    /** off · misconfigured · the sync loop's state. */
    readonly syncState: string;
    readonly lastSyncAt: string | null;
    readonly lastError: { readonly at: string; readonly message: string } | null;
  };
}

export interface FaceCheckResult {
  readonly name: string;
  readonly pass: boolean;
  /** What the citizen would be told, for a check that failed. */
  readonly advice?: Bilingual;
}

/** One self-test's outcome: `ok`, what happened, and when not ok what to check next. */
export interface SelfTestResult {
  readonly device: TechDevice;
  readonly ok: boolean;
  readonly at: string;
  readonly ms: number;
  readonly summary: Bilingual;
  readonly next?: Bilingual;
  /** The driver's own words (a port, a reason), in English, for notes and the log. */
  readonly detail?: string;
  readonly fingerprint?: { readonly image: string; readonly width: number; readonly height: number; readonly score: number; readonly threshold: number };
  /**
   * A code that is not an ID document is shown as read; an ID card is named by kind only (whose
   * card it is does not belong on a service screen or in a terminal).
   */
  readonly scan?: { readonly document?: string; readonly characters: number; readonly text?: string };
  readonly photo?: { readonly image: string; readonly width: number; readonly height: number; readonly faceFound: boolean; readonly checks: readonly FaceCheckResult[] };
  readonly printer?: { readonly status: string };
  readonly panel?: {
    readonly leds: readonly { readonly led: string; readonly ok: boolean }[];
    /** Each input as read now, and whether it changed while the test watched it. */
    readonly inputs: readonly { readonly input: string; readonly active: boolean; readonly changed: boolean }[];
  };
}

export type TechServerMessage =
  | { readonly type: 'access'; readonly access: TechAccess }
  | {
      readonly type: 'unlock-refused';
      readonly reason: UnlockRefusal;
      readonly message: Bilingual;
      readonly attemptsLeft?: number;
      /** Locked out or rate limited: when a PIN may be tried again (ISO). */
      readonly retryAt?: string;
    }
  | { readonly type: 'status'; readonly status: TechStatus }
  | { readonly type: 'self-test-started'; readonly device: TechDevice; readonly prompt?: Bilingual }
  | { readonly type: 'self-test'; readonly result: SelfTestResult }
  | { readonly type: 'error'; readonly code: TechErrorCode; readonly message: Bilingual };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isBilingual = (v: unknown): boolean => isRecord(v) && typeof v.vi === 'string' && typeof v.en === 'string';

/**
 * The kiosk is trusted, but a half-updated one must not crash the page: each kind of message is
 * checked for the parts the page reads before anything else.
 */
export function isTechServerMessage(v: unknown): v is TechServerMessage {
  if (!isRecord(v)) return false;
  switch (v.type) {
    case 'access':
      return isRecord(v.access) && typeof v.access.unlocked === 'boolean' && typeof v.access.where === 'string';
    case 'unlock-refused':
    case 'error':
      return isBilingual(v.message);
    case 'status':
      return isRecord(v.status) && Array.isArray(v.status.devices) && isRecord(v.status.selfTests) && isRecord(v.status.outbox) && isRecord(v.status.storage);
    case 'self-test-started':
      return typeof v.device === 'string';
    case 'self-test':
      return isRecord(v.result) && typeof v.result.device === 'string' && typeof v.result.ok === 'boolean' && isBilingual(v.result.summary);
    default:
      return false;
  }
}
