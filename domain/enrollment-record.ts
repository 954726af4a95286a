import type { FingerExceptionReason, FingerExceptionScope, FingerPosition } from './fingers';
import type { Lang } from './language';
import type { AgeGroup, ApplicationCase, InfoChange, PriorityGroup } from './application';

/**
 * One citizen's enrollment as it leaves the statechart on "confirm": everything the packet
 * carries. It lives in memory only; the controller's packet/ seals it before any byte reaches disk.
 */
export interface EnrollmentRecord {
  readonly id: string; // UUID v4
  readonly kioskId: string;
  readonly startedAt: string; // ISO 8601
  readonly completedAt: string; // ISO 8601
  readonly language: Lang;
  readonly document: DocumentRecord;
  /** Exactly 10, in FINGER_POSITIONS order; none when `application.biometrics` is 'none-under-6'. */
  readonly fingers: readonly FingerRecord[];
  /** Absent only when `application.biometrics` is 'none-under-6'. */
  readonly face?: FaceRecord;
  readonly signature: SignatureRecord;
  /** Why the citizen applied and how (issue #15). Absent in records made before it existed. */
  readonly application?: ApplicationRecord;
  /** A child under 14 applies with a guardian: the guardian's own document, as read. */
  readonly guardian?: GuardianRecord;
}

/** The application's own facts, beside the card's (docs/packet-format.md, `application`). */
export interface ApplicationRecord {
  readonly case: ApplicationCase;
  /** For the `changed` case: what changed, for staff. */
  readonly changes?: readonly InfoChange[];
  /** The invitation (giấy mời) that started the session, by its id. */
  readonly invitationId?: string;
  readonly priority?: PriorityGroup;
  readonly ageGroup: AgeGroup;
  /** Where the age came from: 'birth-date' | 'id-year' | 'old-cmnd' | 'unknown'. */
  readonly ageBasis: string;
  /** 'none-under-6': under 6, no biometrics are taken (Luật Căn cước 2023, Điều 23). */
  readonly biometrics: 'collected' | 'none-under-6';
  /** Who signed: the applicant, or for a child the guardian. */
  readonly signedBy: 'applicant' | 'guardian';
}

export interface GuardianRecord {
  readonly document: DocumentRecord;
}

export interface DocumentRecord {
  /** How the citizen identified: 'cccd-qr' | 'cccd-mrz' | 'cmnd-typed' | … */
  readonly kind: string;
  readonly idNumber: string;
  /** Parsed fields (name, dateOfBirth ISO, sex, address, issueDate ISO, …) as read. */
  readonly fields: Readonly<Record<string, string>>;
  /** For staff: 'expired', 'damaged', 'mismatch-confirmed', … */
  readonly flags: readonly string[];
}

export type FingerRecord =
  | {
      readonly position: FingerPosition;
      readonly status: 'captured';
      /** Lossless 8-bit greyscale PNG. */
      readonly png: Uint8Array;
      readonly width: number;
      readonly height: number;
      /** Quality 0..100 of the kept attempt. */
      readonly score: number;
      readonly attempts: number;
      /**
       * For staff: the kept attempt scored below `threshold`, and the citizen chose to keep it
       * after every round of attempts. Absent in records made before the flag existed.
       */
      readonly belowThreshold?: boolean;
      /** The quality threshold the kiosk applied (0..100). */
      readonly threshold?: number;
    }
  | {
      readonly position: FingerPosition;
      readonly status: 'exception';
      readonly reason: FingerExceptionReason;
      readonly attempts: number;
      /** Declared for this finger alone, or for every finger still to take on its hand. */
      readonly scope?: FingerExceptionScope;
      /**
       * The photo of the hand taken when the exception was declared, for staff to confirm. One
       * declaration covering several fingers shares one photo (the same object).
       */
      readonly proof?: ExceptionProof;
      /**
       * What an officer at the hall's console said about the photo (issue #14), when the kiosk had
       * one: approved (and by whom), or not answered in time (kept for staff to review). Absent:
       * no console was asked. `refusedBy`: officers who refused an earlier declaration of this
       * finger in the same session, before this one was kept.
       */
      readonly approval?: ExceptionApproval;
    };

export const EXCEPTION_APPROVAL_OUTCOMES = ['approved', 'unanswered'] as const;
export interface ExceptionApproval {
  readonly outcome: (typeof EXCEPTION_APPROVAL_OUTCOMES)[number];
  /** The officer who approved it (as the console names them). */
  readonly officer?: string;
  readonly refusedBy?: readonly string[];
}

/** A camera still of the citizen's hand, proving a finger exception. */
export interface ExceptionProof {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
}

export interface FaceRecord {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Each check's measured value, for the manifest (ICAO checks, liveness signals). */
  readonly measurements: Readonly<Record<string, number | boolean>>;
}

export interface SignatureRecord {
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly strokeCount: number;
}
