import type { FlowConfig } from '../config/schema';
import type { ParsedDocument } from '../documents/types';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { DocumentCheck } from '../../domain/documents';
import { FINGER_POSITIONS, type FingerExceptionReason, type FingerPosition } from '../../domain/fingers';
import type { GreyImage } from '../../domain/images';
import type { DocumentSummary, FaceCheckView } from '../../domain/kiosk-channel/view-model';
import type { Bilingual, Lang } from '../../domain/language';
import type { SignatureBox, SignatureStroke } from '../../domain/signature';
import type { FingerExceptionScope } from '../../domain/fingers';
import type { ExceptionApproval, ExceptionProof } from '../../domain/enrollment-record';
import type { EditableStep, PrinterProblem } from '../../domain/kiosk-channel/view-model';
import type { FaultReason } from '../../domain/devices';
import type { ApplicationCase, InfoChange, InvitationFacts, InvitationRefusal } from '../../domain/application';

/** What the document actor hands the machine: already parsed (parsing is pure, in documents/). */
export type DocumentOutcome =
  | {
      readonly kind: 'parsed';
      readonly document: DocumentSummary;
      readonly checks: readonly DocumentCheck[];
      readonly fields: Readonly<Record<string, string>>;
      /** The parser's full reading, handed back when the other side of the card is scanned too. */
      readonly reading?: ParsedDocument;
    }
  | { readonly kind: 'invalid'; readonly error: Bilingual }
  | { readonly kind: 'timeout' }
  /** `reason`: the driver's typed fault reason (unplugged, timeout…), when a driver reported it. */
  | { readonly kind: 'fault'; readonly message: string; readonly reason?: FaultReason };

/** What the start screen's scanner watch reports: an invitation to start a session with, or why not. */
export type InvitationOutcome =
  | { readonly kind: 'accepted'; readonly invitation: InvitationFacts; readonly at: number }
  | { readonly kind: 'refused'; readonly reason: InvitationRefusal };

export type FingerOutcome =
  | { readonly kind: 'captured'; readonly image: GreyImage; readonly png: Uint8Array; readonly score: number }
  | { readonly kind: 'duplicate'; readonly of: FingerPosition }
  | { readonly kind: 'no-finger' }
  /** `reason`: the driver's typed fault reason (unplugged, timeout…), when a driver reported it. */
  | { readonly kind: 'fault'; readonly message: string; readonly reason?: FaultReason };

/** What the camera gave when asked for the photo of a hand (a finger exception's proof). */
export type ProofOutcome =
  | { readonly kind: 'photo'; readonly jpeg: Uint8Array; readonly width: number; readonly height: number }
  /** `reason`: the driver's typed fault reason, when it reported one. */
  | { readonly kind: 'fault'; readonly message: string; readonly reason?: FaultReason };

/** A photo of the hand proving one exception declaration; the slots it covers refer to its id. */
export interface FingerProof extends ExceptionProof {
  readonly id: number;
}

export interface CapturedFace {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly measurements: Readonly<Record<string, number | boolean>>;
  /** How well it met the checks, 0–100 (capture/face-quality.ts): the best is kept at the retake limit. */
  readonly score?: number;
}

export type SignatureOutcome =
  | { readonly kind: 'valid'; readonly png: Uint8Array; readonly width: number; readonly height: number; readonly strokeCount: number }
  | { readonly kind: 'invalid'; readonly error: Bilingual };

export interface SubmitOutput {
  readonly trackingCode: string;
}

export interface PrintOutcome {
  readonly printed: boolean;
  readonly receiptLines: readonly string[];
  readonly message?: Bilingual;
}

export type FingerSlot =
  | { readonly position: FingerPosition; readonly status: 'pending' }
  | {
      readonly position: FingerPosition;
      readonly status: 'captured';
      readonly image: GreyImage;
      readonly png: Uint8Array;
      readonly score: number;
      readonly attempts: number;
    }
  | {
      readonly position: FingerPosition;
      readonly status: 'exception';
      readonly reason: FingerExceptionReason;
      readonly attempts: number;
      readonly scope?: FingerExceptionScope;
      /** The id of its photo in `fingerProofs`. */
      readonly proof?: number;
      /** The hall officer's answer about the photo, when a console was asked (issue #14). */
      readonly approval?: ExceptionApproval;
    };

export interface EnrollmentContext {
  readonly flow: FlowConfig;
  readonly lang: Lang;
  readonly devices: Readonly<Partial<Record<DeviceKind, DeviceState>>>;
  /** Why the receipt printer cannot print, when it cannot (reported by the printer watch). */
  readonly printerProblem?: PrinterProblem;
  /**
   * A technician took the kiosk out of service (the service screen, controller/tech/): no new
   * session starts; one in progress finishes first. Like the devices, the kiosk's, not the citizen's.
   */
  readonly maintenance?: true;
  /** The panel's tamper switch says the kiosk's enclosure is open: no session until it is shut. */
  readonly enclosureOpen: boolean;
  /** The panel's PIR says someone is in front of the kiosk now (its last report). */
  readonly someoneNear: boolean;
  /**
   * The hall's officer took the kiosk out of service from the ops console (issue #14): like the
   * technician's switch, but the screen says who; the kiosk's, not the citizen's.
   */
  readonly officerOutOfService?: { readonly officer: string };
  /** An officer's console is connected to the kiosk's ops channel: finger exceptions wait for its answer. */
  readonly opsConsole?: true;
  readonly startedAt?: number;
  readonly fromReview: boolean;
  readonly doc: {
    readonly pending?: Extract<DocumentOutcome, { kind: 'parsed' }>;
    readonly accepted?: Extract<DocumentOutcome, { kind: 'parsed' }>;
    readonly error?: Bilingual;
    /** Why the scanner failed, when `error` is its fault: the screen says when it works again (issue #13). */
    readonly fault?: FaultReason;
    /** The scanner's supervisor reported it not working since this scan began. */
    readonly scannerDropped?: boolean;
    /** Digits on the keypad so far (an ID number: memory only, gone with the session). */
    readonly typed?: string;
  };
  /**
   * Why the citizen came (issue #15): the case they chose (or their invitation named), what
   * changed for the `changed` case, and the invitation that started the session.
   */
  readonly application: {
    readonly case?: ApplicationCase;
    readonly changes?: readonly InfoChange[];
    readonly invitation?: InvitationFacts;
  };
  /** On the start screen: why the invitation just scanned was refused (shown for a while). */
  readonly invitationRefusal?: InvitationRefusal;
  /** A child under 14 applies with a guardian (Luật Căn cước 2023): the guardian's own card. */
  readonly guardian: {
    readonly pending?: Extract<DocumentOutcome, { kind: 'parsed' }>;
    readonly accepted?: Extract<DocumentOutcome, { kind: 'parsed' }>;
    readonly error?: Bilingual;
  };
  readonly fingers: readonly FingerSlot[];
  readonly fingerIndex: number;
  /** Attempts made on the current finger (quality attempts; duplicates don't count). */
  readonly fingerAttempts: number;
  /** Best capture so far for the current finger, kept while the citizen retries. */
  readonly fingerBest?: Extract<FingerSlot, { status: 'captured' }>;
  readonly fingerProgress: number;
  /**
   * The sensor holds this attempt's image and is sending it (issue #15): the finger may be lifted
   * now. Kept while the same image is sent again after a damaged transfer (progress back to 0).
   */
  readonly fingerImageTaken?: true;
  readonly fingerLastScore?: number;
  readonly fingerDuplicateOf?: FingerPosition;
  /** Why the reader failed the last attempt, kept so the screen can say what is wrong. */
  readonly fingerFault?: FaultReason;
  /** The reader's supervisor reported it not working since this attempt began (issue #13). */
  readonly fingerReaderDropped?: boolean;
  /** The round of attempts on the current finger, from 1 ("Try again" after a round starts the next). */
  readonly fingerRound: number;
  /**
   * An exception being declared, waiting for the photo of the hand; with `proof`, the photo is
   * taken and waits for the hall officer's answer (issue #14). Nothing is recorded until then.
   */
  readonly fingerExceptionPending?: { readonly reason: FingerExceptionReason; readonly scope: FingerExceptionScope; readonly proof?: ExceptionProof };
  /** Officers who refused a declaration for the finger on screen (it is asked for again). */
  readonly fingerRefusedBy?: readonly string[];
  /** An officer just refused the declaration: the finger's screen says so until the next attempt. */
  readonly fingerRefusalNote?: true;
  /** The camera could not take that photo: what to tell the citizen. */
  readonly fingerProofError?: Bilingual;
  /** The photos proving exceptions, each referred to by the exception slots it covers. */
  readonly fingerProofs: readonly FingerProof[];
  /**
   * Redoing fingers from review: the fingers as they were before, kept until each is retaken (or
   * put back if the citizen returns to review without retaking).
   */
  readonly fingerRedoKept: readonly FingerSlot[];
  readonly face: {
    /** The photo on the confirm screen. */
    readonly pending?: CapturedFace;
    readonly accepted?: CapturedFace;
    /** The best of the photos retaken so far, kept in case the last attempt is used up. */
    readonly best?: CapturedFace;
    readonly guidance?: Bilingual;
    readonly checks: readonly FaceCheckView[];
    readonly rev: number;
    /** The photo being taken, or just taken: 1 … flow.faceAttempts. */
    readonly attempt: number;
    /** Seconds left before the photo (3, 2, 1), 0 while it is being taken; absent otherwise. */
    readonly countdown?: number;
    readonly faultMessage?: string;
  };
  readonly signature: {
    readonly accepted?: Extract<SignatureOutcome, { kind: 'valid' }>;
    readonly error?: Bilingual;
    readonly rev: number;
    /** Signatures checked on this step so far; `error` belongs to the last one. */
    readonly attempts: number;
  };
  // ── accessibility (issue #15); all three reset with the session ──
  /** "Larger text, stronger contrast" is on (the citizen's choice, or by itself at 60 or more). */
  readonly largeText: boolean;
  /** The citizen muted the spoken prompts. */
  readonly voiceMuted: boolean;
  /** The card read says the citizen is `flow.elderly.fromAge` or older: longer timeouts (elderly.ts). */
  readonly elderly: boolean;
  readonly submit: {
    readonly trackingCode?: string;
    readonly error?: Bilingual;
    readonly printed: boolean | 'pending';
    readonly receiptLines: readonly string[];
    readonly printerMessage?: Bilingual;
  };
}

export type EnrollmentEvent =
  // citizen intents (from the page, via the server)
  | { type: 'START'; at: number }
  | { type: 'SET_LANGUAGE'; lang: Lang }
  /** `source`: the panel's physical button; absent, the screen's. */
  | { type: 'HELP'; source?: HelpSource }
  | { type: 'HELP_DONE' }
  | { type: 'STILL_HERE' }
  | { type: 'QUIT' }
  | { type: 'TOUCH' }
  | { type: 'DOC_TYPE_NUMBER' }
  | { type: 'DOC_SCAN_INSTEAD' }
  | { type: 'DOC_TYPED'; digits: string }
  // the case, the invitation, the guardian, the iris step (issue #15)
  | { type: 'CASE_CHOOSE'; case: ApplicationCase }
  | { type: 'CASE_CHANGES'; changes: readonly InfoChange[] }
  | { type: 'CASE_BACK' }
  /** The card scanned is not the invited person's: go on without the invitation. */
  | { type: 'INVITATION_DROP' }
  | { type: 'GUARDIAN_CONFIRM' }
  | { type: 'GUARDIAN_RESCAN' }
  | { type: 'IRIS_DONE' }
  | { type: 'DOC_DIGITS'; digits: string }
  | { type: 'DOC_CONFIRM' }
  | { type: 'DOC_RESCAN' }
  | { type: 'DOC_ACCEPT_MISMATCH' }
  | { type: 'START_OVER' }
  | { type: 'FINGER_RETRY' }
  | { type: 'FINGER_EXCEPTION'; reason: FingerExceptionReason; scope: FingerExceptionScope }
  | { type: 'FINGER_KEEP' }
  | { type: 'FINGER_PROOF_PHOTO' }
  | { type: 'FINGER_EXCEPTION_CANCEL' }
  | { type: 'FINGER_REDO_CANCEL' }
  | { type: 'FACE_ACCEPT' }
  | { type: 'FACE_RETAKE' }
  | { type: 'SIGNATURE_SUBMIT'; strokes: readonly SignatureStroke[]; box: SignatureBox }
  | { type: 'REVIEW_EDIT'; step: EditableStep }
  | { type: 'REVIEW_REDO_FINGERS'; fingers: readonly FingerPosition[] }
  | { type: 'REVIEW_CONFIRM' }
  | { type: 'SUBMIT_RETRY' }
  | { type: 'FINISH' }
  | { type: 'REPRINT' }
  | { type: 'SET_LARGE_TEXT'; on: boolean }
  | { type: 'SET_VOICE'; muted: boolean }
  // from device actors
  | { type: 'DEVICES'; states: Partial<Record<DeviceKind, DeviceState>> }
  /** From the printer watch: why the printer cannot print now, or nothing when it can. */
  | { type: 'PRINTER'; problem?: PrinterProblem }
  /** From the service screen: the technician takes the kiosk out of service (`on`) or puts it back. */
  | { type: 'MAINTENANCE'; on: boolean }
  // from the hall officer's console (the ops channel, controller/ops/console-link.ts)
  /** An officer's console connected (or the last one went away). */
  | { type: 'OPS_CONSOLE'; connected: boolean }
  /** The officer's answer about the photo of the hand of the exception waiting for it. */
  | { type: 'OPS_EXCEPTION_DECISION'; approve: boolean; officer: string }
  /** End the session in progress (wiped as any abandoned session). */
  | { type: 'OPS_END_SESSION'; officer: string }
  /** The officer takes the kiosk out of service (`on`) or puts it back. */
  | { type: 'OPS_SERVICE'; on: boolean; officer: string }
  /** From the start screen's scanner watch: an invitation was scanned, and what the kiosk made of it. */
  | { type: 'INVITATION'; outcome: InvitationOutcome }
  | { type: 'FINGER_PROGRESS'; fraction: number }
  | { type: 'FINGER_RESULT'; outcome: FingerOutcome }
  /** `steady`: every check has passed long enough (and the liveness tracker has its frames) for the countdown. */
  | { type: 'FACE_GUIDANCE'; guidance?: Bilingual; checks: readonly FaceCheckView[]; steady?: boolean }
  | { type: 'FACE_CAPTURED'; face: CapturedFace }
  | { type: 'FACE_FAULT'; message: string }
  /** From the panel's PIR: someone is in front of the kiosk (or no longer is). */
  | { type: 'PRESENCE'; present: boolean }
  /** From the panel's tamper switch: the enclosure was opened (or shut again). */
  | { type: 'ENCLOSURE'; open: boolean }
  // internal
  | { type: 'ABANDON' }
  /** The main region tells the idle watch that help was asked for, and that the wait is over. */
  | { type: 'HELP_WAIT_START' }
  | { type: 'HELP_WAIT_END' };

export type HelpSource = 'screen' | 'panel';

/**
 * What the statechart tells the world outside it (it does no I/O itself): the runtime hands
 * these to the kiosk, which raises the staff alert, logs and audits. No personal data in them.
 */
export type EnrollmentNotice = { readonly type: 'help-requested'; readonly source: HelpSource; readonly inSession: boolean };

/** What the statechart sends the running face session (its invoked actor) when the countdown has run out. */
export const FACE_TAKE_STILL = 'FACE_TAKE_STILL';

export const REQUIRED_DEVICES: readonly DeviceKind[] = ['fingerprint', 'document', 'camera'];

/**
 * The data directory, reported by the kiosk's storage watch (controller/store/storage-check.ts)
 * as the `storage` pseudo-device: once reported, it must be ready like a required device. A rig
 * without a data directory (tests) does not report it.
 */
export const storageUsable = (state: DeviceState | undefined): boolean => state === undefined || state === 'ready' || state === 'busy';

export function emptySession(flow: FlowConfig, lang: Lang, devices: EnrollmentContext['devices']): EnrollmentContext {
  return {
    flow,
    lang,
    devices,
    enclosureOpen: false,
    someoneNear: false,
    fromReview: false,
    largeText: false,
    voiceMuted: false,
    elderly: false,
    doc: {},
    application: {},
    guardian: {},
    fingers: FINGER_POSITIONS.map((position) => ({ position, status: 'pending' as const })),
    fingerIndex: 0,
    fingerAttempts: 0,
    fingerProgress: 0,
    fingerRound: 1,
    fingerProofs: [],
    fingerRedoKept: [],
    face: { checks: [], rev: 0, attempt: 1 },
    signature: { rev: 0, attempts: 0 },
    submit: { printed: 'pending', receiptLines: [] },
  };
}
