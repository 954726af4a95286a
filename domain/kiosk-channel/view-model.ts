import type { DeviceKind, DeviceState, FaultReason } from '../devices';
import type { DocumentCheck, DocumentFields } from '../documents';
import type { FingerExceptionReason, FingerExceptionScope, FingerPosition, Hand } from '../fingers';
import type { Bilingual, Lang } from '../language';
import type { ApplicationCase, InfoChange, InvitationRefusal } from '../application';

/**
 * What the touchscreen shows, as data. The UI renders the last view model it was sent and holds
 * no business state, so a reload (or a crashed browser tab) shows the same screen.
 * Texts that come from the controller (errors, guidance) travel in both languages; the UI's own
 * labels live in ui/common/i18n.ts.
 */

/** The steps shown in the progress header, in order. */
export const STEPS = ['document', 'fingerprints', 'face', 'signature', 'review'] as const;
export type StepName = (typeof STEPS)[number];

/** The steps the review screen can send the citizen back to. */
export const EDITABLE_STEPS = ['document', 'fingerprints', 'face', 'signature'] as const;
export type EditableStep = (typeof EDITABLE_STEPS)[number];

/** The card as the citizen sees it on the confirm and review screens. */
export interface DocumentSummary extends DocumentFields {
  readonly kind: string;
  /** For staff: 'expired', 'mismatch-confirmed', … */
  readonly flags: readonly string[];
}

/**
 * One finger as the screens show it. The score is for staff and tests (the page keeps it in a
 * data attribute); the citizen sees a tick, or words saying staff will check it.
 */
export type FingerSlotView =
  | { readonly position: FingerPosition; readonly status: 'pending' }
  | { readonly position: FingerPosition; readonly status: 'captured'; readonly score: number; readonly attempts: number; readonly belowThreshold: boolean }
  | { readonly position: FingerPosition; readonly status: 'exception'; readonly reason: FingerExceptionReason };

export type FingerPhase =
  | 'place' // waiting for the finger on the window
  | 'uploading' // image on its way from the sensor
  | 'low-quality' // scored below threshold, will ask again
  | 'duplicate' // the same finger as one already taken
  | 'no-finger' // nobody touched the window in time
  | 'fault' // the sensor stopped answering
  | 'accepted' // brief confirmation before the next finger (taken, kept, or declared)
  | 'unreadable' // a round of attempts ended below threshold: the citizen decides what next
  | 'proof-photo' // an exception was declared: hold the hand up to the camera
  | 'proof-taking' // the photo of the hand is being taken
  | 'staff-check' // more fingers declared than allowed without staff: staff were called
  | 'officer-check'; // the photo of the hand is with the hall officer, who approves or refuses it (issue #14)

/**
 * What the citizen may press on the fingerprint step now; the page shows exactly these.
 * retry: "Try again" · keep: keep the best print below threshold (staff will check) ·
 * exception: "This finger cannot be taken" · take-photo / cancel-exception: on the photo of the
 * hand · cancel-redo: back to review, keeping the fingers as they were.
 */
export const FINGER_CHOICES = ['retry', 'keep', 'exception', 'take-photo', 'cancel-exception', 'cancel-redo'] as const;
export type FingerChoice = (typeof FINGER_CHOICES)[number];

/**
 * Why the receipt printer cannot print now, as far as the kiosk knows: found before a session
 * starts, so the citizen is told up front. `not-ready` when the printer is down for a reason it
 * did not say (unplugged, not answering, its own error).
 */
export const PRINTER_PROBLEMS = ['paper-out', 'cover-open', 'not-ready'] as const;
export type PrinterProblem = (typeof PRINTER_PROBLEMS)[number];

export interface FaceCheckView {
  readonly name: string;
  readonly pass: boolean;
}

export type Screen =
  | {
      readonly name: 'attract';
      /** The panel's help button was pressed: staff have been called (shown for a few seconds). */
      readonly staffCalled?: boolean;
      /** The receipt printer cannot print: the citizen is told before they start. */
      readonly printerProblem?: PrinterProblem;
      /** Nobody has come near for a while: a quiet screen until the panel's PIR (or a touch) wakes it. */
      readonly asleep?: boolean;
      /** An invitation was just scanned and refused: why (the screen says it in both languages). */
      readonly invitationRefused?: InvitationRefusal;
    }
  | { readonly name: 'language' }
  /**
   * Why the citizen came (issue #15): `choose` the case, then for `changed` what changed.
   * `chosen`: the case chosen so far (on `changes`).
   */
  | { readonly name: 'case'; readonly phase: 'choose' | 'changes'; readonly chosen?: ApplicationCase; readonly changes?: readonly InfoChange[] }
  | {
      readonly name: 'document';
      readonly phase: 'scan' | 'typing' | 'reading';
      readonly error?: Bilingual;
      /** In phase 'typing': the digits typed so far (kept by the controller, so a reload keeps them). */
      readonly digits?: string;
      /** Why the citizen came: a lost card is typed, a damaged one may not scan (the screen says what to do). */
      readonly case?: ApplicationCase;
      /** The session started from an invitation: the card must be the invited person's. */
      readonly invited?: boolean;
    }
  /** The card scanned is not the one the invitation is for; `expected`: the invited number, masked. */
  | { readonly name: 'invitation-mismatch'; readonly expected: string; readonly document: DocumentSummary }
  /**
   * A child under 14: the guardian scans their own card (`scan`), then checks it (`confirm`).
   * `child`: whose application it is; `noBiometrics`: under 6, none are taken.
   */
  | {
      readonly name: 'guardian';
      readonly phase: 'scan' | 'confirm';
      readonly child: { readonly fullName?: string; readonly age?: number };
      readonly noBiometrics: boolean;
      readonly guardian?: DocumentSummary;
      readonly error?: Bilingual;
    }
  /** The iris step, on a kiosk with an iris camera (flow.iris.enabled). */
  | { readonly name: 'iris' }
  | {
      readonly name: 'document-confirm';
      readonly document: DocumentSummary;
      readonly checks: readonly DocumentCheck[];
      /** Only the back (MRZ) was read: ask for the QR on the front too (the name with its accents, the address). */
      readonly askFront?: boolean;
    }
  | { readonly name: 'document-mismatch'; readonly document: DocumentSummary; readonly checks: readonly DocumentCheck[] }
  | {
      readonly name: 'fingerprints';
      readonly phase: FingerPhase;
      readonly finger: FingerPosition;
      readonly index: number; // 0..9
      readonly attempt: number; // 1-based attempt being made / just made
      readonly maxAttempts: number;
      readonly progress: number; // 0..1 upload progress
      readonly lastScore?: number;
      readonly threshold: number;
      readonly duplicateOf?: FingerPosition;
      /** In phase 'accepted': the finger asked for next, named with the tick so the citizen can move to it. */
      readonly nextFinger?: FingerPosition;
      /** In phase 'fault': why the reader failed (a pulled cable, no answer, …). */
      readonly faultReason?: FaultReason;
      readonly message?: Bilingual;
      readonly slots: readonly FingerSlotView[];
      /** The buttons to show, in order (the first is the one to press in the usual case). */
      readonly choices: readonly FingerChoice[];
      /** While the photo of the hand is taken: what was declared, and which hand to hold up. */
      readonly exception?: { readonly reason: FingerExceptionReason; readonly scope: FingerExceptionScope; readonly hand: Hand };
    }
  | {
      readonly name: 'face';
      readonly phase: 'live' | 'captured' | 'fault';
      readonly guidance?: Bilingual;
      readonly checks: readonly FaceCheckView[];
      /** Bumped whenever a new photo is taken, so the page refetches /session/face.jpg. */
      readonly photoRev: number;
      /** The photo being taken or just taken, 1 … maxAttempts (never more). */
      readonly attempt: number;
      readonly maxAttempts: number;
      /** Photos the citizen may still take after this one; at 0 "Take again" is not offered. */
      readonly retakesLeft: number;
      /** In phase 'live': seconds before the photo (3, 2, 1), 0 while it is being taken. */
      readonly countdown?: number;
      /** Said plainly when the retakes have run out: the best photo is kept for staff, or call staff. */
      readonly notice?: Bilingual;
    }
  | {
      readonly name: 'signature';
      readonly error?: Bilingual;
      readonly signatureRev: number;
      /**
       * Signatures checked so far on this step. `error` is about the last one: a page that did not
       * send it (reloaded since, its pad blank) does not show it.
       */
      readonly attempt?: number;
      /** A child's application: the guardian signs, and the screen says so. */
      readonly signer?: 'guardian';
    }
  | {
      readonly name: 'review';
      readonly document: DocumentSummary;
      readonly slots: readonly FingerSlotView[];
      readonly photoRev: number;
      readonly signatureRev: number;
      /** Why the citizen came. */
      readonly case?: ApplicationCase;
      /** A child's application: the guardian's card, and who signed. */
      readonly guardian?: DocumentSummary;
      /** Under 6: no fingerprints and no photo were taken (the review shows none). */
      readonly noBiometrics?: boolean;
      /** The receipt printer cannot print now: said before the citizen submits, not found after (issue #13). */
      readonly printerProblem?: PrinterProblem;
    }
  | { readonly name: 'submitting' }
  | { readonly name: 'submit-failed'; readonly message: Bilingual }
  | {
      readonly name: 'done';
      readonly trackingCode: string;
      readonly printed: boolean | 'pending';
      readonly receiptLines: readonly string[];
      readonly printerMessage?: Bilingual;
      /** Seconds until the kiosk returns to the start screen, by the controller's clock (absent while printing). */
      readonly secondsLeft?: number;
      /** The receipt did not print and the printer is ready again: "Print again" is offered. */
      readonly canReprint?: boolean;
      /** Under 6 (no biometrics here): where the application is finished (from config). */
      readonly finishAt?: Bilingual;
    }
  /**
   * From review, the citizen scanned a card with another ID number: another person's application.
   * Shows who the new card belongs to; going on erases what was taken.
   */
  | { readonly name: 'different-person'; readonly document: DocumentSummary }
  | { readonly name: 'abandoned' }
  | {
      readonly name: 'out-of-service';
      readonly devices: readonly { readonly kind: DeviceKind; readonly state: DeviceState }[];
      /** A technician took the kiosk out of service (the service screen): "under maintenance". */
      readonly maintenance?: true;
      /** The panel's tamper switch says the kiosk's enclosure is open. */
      readonly enclosureOpen?: boolean;
      /** The hall officer took the kiosk out of service from the ops console (issue #14): "please ask at the staff desk". */
      readonly officer?: true;
    };

/**
 * A dialog open over the screen, with what has been chosen in it so far. Held by the controller
 * (not the page), so a reloaded page shows the same dialog with the same choices.
 */
export type Dialog =
  | { readonly name: 'finger-exception'; readonly reason?: FingerExceptionReason; readonly scope: FingerExceptionScope }
  | { readonly name: 'redo-fingers'; readonly chosen: readonly FingerPosition[] };

export interface ViewModel {
  /** Increases with every push; the page ignores anything older than what it shows. */
  readonly seq: number;
  readonly lang: Lang;
  readonly screen: Screen;
  /** The step bar: which step the citizen is on, if any. */
  readonly step?: StepName;
  /** True when the citizen came to this step from the review screen ("change"). */
  readonly fromReview: boolean;
  /**
   * Overlays that sit above the current screen. `secondsLeft` is by the controller's clock when
   * the view was made, so a page loaded mid-countdown shows the time really left.
   */
  readonly overlay?: { readonly name: 'help' } | { readonly name: 'timeout-prompt'; readonly secondsLeft: number };
  readonly dialog?: Dialog;
  // ── accessibility (issue #15): the citizen's, reset for the next one ──
  /** "Larger text, stronger contrast": turned on by the citizen, or by itself for a citizen of 60 or more. */
  readonly largeText?: true;
  /** The spoken prompts are muted. */
  readonly voiceMuted?: true;
}
