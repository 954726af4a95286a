import type { DeviceKind, DeviceState } from '../devices';
import type { FingerExceptionReason, FingerExceptionScope, FingerPosition } from '../fingers';
import type { Bilingual } from '../language';

/**
 * The kiosk's ops channel (issue #14, docs/ops-console.md): ws /ws/ops on the kiosk, opened by
 * the hall's ops process (`npm run kiosk -- ops`) with the kiosk's own token. The kiosk pushes a
 * small status (on change, and every `heartbeatS` seconds); the ops process sends an officer's
 * commands, each audited on the kiosk. No biometrics travel on it, except the photo of the hand
 * of an exception waiting for an officer, and only when the console asks for it (`show-photo`).
 *
 * This file is the words (the console page imports it); messages.ts adds the zod schemas.
 */

export const OPS_PROTOCOL = 1;
/** What the ops process may send the kiosk in one message: commands are small. */
export const MAX_OPS_CONSOLE_MESSAGE_BYTES = 4096;
/** What the kiosk may send in one message: a status is small, a photo of a hand is up to 1.5 MiB of JPEG (as base64). */
export const MAX_OPS_KIOSK_MESSAGE_BYTES = 2 * 1024 * 1024 + 4096;
/** An officer's name as the console gives it. */
export const OFFICER_NAME_MAX = 64;

/** Why the kiosk does not take citizens now: the hall officer's switch, a technician's, or a device (or the disk). */
export type OpsServiceReason = 'officer' | 'technician' | 'devices';

/** A citizen asked for staff (the screen's Help or the panel's button) and nobody has answered yet. */
export interface OpsHelpCall {
  readonly id: string;
  /** When it was asked (ISO 8601, the kiosk's clock). */
  readonly since: string;
  readonly source: 'screen' | 'panel';
  /** Asked during a session (the citizen waits at the kiosk), or on the start screen. */
  readonly inSession: boolean;
  /** The screen the citizen was on when they asked. */
  readonly screen: string;
}

/** A finger exception waiting for the officer's answer about the photo of the hand. */
export interface OpsExceptionRequest {
  readonly id: string;
  readonly since: string;
  readonly finger: FingerPosition;
  readonly reason: FingerExceptionReason;
  readonly scope: FingerExceptionScope;
  /** The photo's size; its bytes only on `show-photo`. */
  readonly photo: { readonly width: number; readonly height: number };
  /** When the kiosk stops waiting and keeps the exception unanswered for staff. */
  readonly until: string;
}

export interface OpsKioskStatus {
  readonly kioskId: string;
  readonly version: string;
  /** When this status was made (the kiosk's clock). */
  readonly at: string;
  /** The citizen's screen now, and its phase on steps that have phases. */
  readonly screen: string;
  readonly phase?: string;
  /** The step of the progress header, during a session. */
  readonly step?: string;
  /** Since when the citizen has been on this step (or, outside a session, this screen). */
  readonly stepSince: string;
  readonly inSession: boolean;
  readonly devices: Readonly<Partial<Record<DeviceKind, DeviceState>>>;
  /** Sessions ended today (the kiosk's local date) since it started: with a receipt, or before one. */
  readonly today: { readonly date: string; readonly completed: number; readonly abandoned: number };
  readonly outbox: { readonly pending: number; readonly oldestPendingAgeS: number | null };
  readonly service: { readonly inService: boolean; readonly reason?: OpsServiceReason; readonly officer?: string };
  readonly help?: OpsHelpCall;
  readonly exception?: OpsExceptionRequest;
  /** The status comes at least this often (seconds): the console calls a kiosk silent for three of these unreachable. */
  readonly heartbeatS: number;
}

export type OpsCommand =
  /** The officer has seen the help call (and goes to the citizen): the call leaves the queue; the kiosk's help screen closes. */
  | { readonly kind: 'answer-help'; readonly helpId: string }
  | { readonly kind: 'decide-exception'; readonly exceptionId: string; readonly approve: boolean }
  /** Send the photo of the hand of the exception waiting (to this console only; audited). */
  | { readonly kind: 'show-photo'; readonly exceptionId: string }
  /** End the session in progress: wiped, the citizen sees the "session ended" screen. */
  | { readonly kind: 'end-session' }
  /** Out of service (`on`) or back in service; a session in progress finishes first. */
  | { readonly kind: 'service'; readonly on: boolean };

export type OpsCommandKind = OpsCommand['kind'];

export type OpsConsoleMessage =
  /** `id` names the command in its answer; `officer` is who pressed it, as the console's login says. */
  | { readonly type: 'command'; readonly id: string; readonly officer: string; readonly command: OpsCommand }
  /** Send the status now. */
  | { readonly type: 'status' };

export type OpsRefusal = 'not-found' | 'not-allowed-now';
export type OpsBadMessage = 'binary' | 'too-large' | 'bad-json' | 'bad-message';

export type OpsKioskMessage =
  | { readonly type: 'hello'; readonly protocol: number; readonly kioskId: string; readonly version: string }
  | { readonly type: 'status'; readonly status: OpsKioskStatus }
  | { readonly type: 'result'; readonly id: string; readonly ok: true }
  | { readonly type: 'result'; readonly id: string; readonly ok: false; readonly code: OpsRefusal; readonly message: Bilingual }
  | { readonly type: 'photo'; readonly id: string; readonly exceptionId: string; readonly jpegBase64: string; readonly width: number; readonly height: number }
  /** The message before was refused without being acted on, and why. */
  | { readonly type: 'error'; readonly code: OpsBadMessage; readonly message: string };

// ───────────── the console page ⇄ the ops process ─────────────

/** One kiosk of the hall as the ops process knows it. */
export interface HallKiosk {
  /** The id in the kiosks file (the kiosk's own kioskId once it has said hello). */
  readonly kioskId: string;
  /** A name for the officers ("Quầy 3"), from the kiosks file. */
  readonly label?: string;
  /** up: connected and heard within three heartbeats; connecting: never reached yet; down: unreachable or silent. */
  readonly link: 'connecting' | 'up' | 'down';
  readonly lastHeardAt?: string;
  /** Since when it has been down (unreachable or silent). */
  readonly downSince?: string;
  /**
   * Why it is down: `refused` (nothing listens: the kiosk is off or its program stopped), `closed`
   * (the connection dropped), `silent` (no status for three heartbeats), `bad-token` (the kiosk
   * refused the token in the kiosks file), `no-token` (the kiosk has no console token set),
   * `http-<status>`, or the network's own code (EHOSTUNREACH, ETIMEDOUT…).
   */
  readonly linkError?: string;
  readonly status?: OpsKioskStatus;
}

export type BrowserMessage = { readonly type: 'command'; readonly id: string; readonly kioskId: string; readonly command: OpsCommand };

export type ConsoleServerMessage =
  | { readonly type: 'hall'; readonly officer: string; readonly at: string; readonly kiosks: readonly HallKiosk[] }
  /** The kiosks that changed since the last message (at most one batch every 50 ms). */
  | { readonly type: 'kiosks'; readonly at: string; readonly kiosks: readonly HallKiosk[] }
  | { readonly type: 'result'; readonly id: string; readonly ok: boolean; readonly code?: string; readonly message?: Bilingual }
  | { readonly type: 'photo'; readonly id: string; readonly kioskId: string; readonly exceptionId: string; readonly dataUrl: string; readonly width: number; readonly height: number }
  | { readonly type: 'error'; readonly code: string; readonly message: string };
