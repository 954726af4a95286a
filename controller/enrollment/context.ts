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
import type { EditableStep } from '../../domain/kiosk-channel/view-model';
import type { FaultReason } from '../../domain/devices';

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

export type FingerOutcome =
  | { readonly kind: 'captured'; readonly image: GreyImage; readonly png: Uint8Array; readonly score: number }
  | { readonly kind: 'duplicate'; readonly of: FingerPosition }
  | { readonly kind: 'no-finger' }
  /** `reason`: the driver's typed fault reason (unplugged, timeout…), when a driver reported it. */
  | { readonly kind: 'fault'; readonly message: string; readonly reason?: FaultReason };

export interface CapturedFace {
  readonly jpeg: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly measurements: Readonly<Record<string, number | boolean>>;
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
  | { readonly position: FingerPosition; readonly status: 'exception'; readonly reason: FingerExceptionReason; readonly attempts: number };

export interface EnrollmentContext {
  readonly flow: FlowConfig;
  readonly lang: Lang;
  readonly devices: Readonly<Partial<Record<DeviceKind, DeviceState>>>;
  readonly startedAt?: number;
  readonly fromReview: boolean;
  readonly doc: {
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
  readonly fingerLastScore?: number;
  readonly fingerDuplicateOf?: FingerPosition;
  /** Why the reader failed the last attempt, kept so the screen can say what is wrong. */
  readonly fingerFault?: FaultReason;
  readonly face: {
    readonly pending?: CapturedFace;
    readonly accepted?: CapturedFace;
    readonly guidance?: Bilingual;
    readonly checks: readonly FaceCheckView[];
    readonly rev: number;
    readonly attempt: number;
    readonly faultMessage?: string;
  };
  readonly signature: {
    readonly accepted?: Extract<SignatureOutcome, { kind: 'valid' }>;
    readonly error?: Bilingual;
    readonly rev: number;
  };
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
  | { type: 'HELP' }
  | { type: 'HELP_DONE' }
  | { type: 'STILL_HERE' }
  | { type: 'QUIT' }
  | { type: 'TOUCH' }
  | { type: 'DOC_TYPE_NUMBER' }
  | { type: 'DOC_SCAN_INSTEAD' }
  | { type: 'DOC_TYPED'; digits: string }
  | { type: 'DOC_CONFIRM' }
  | { type: 'DOC_RESCAN' }
  | { type: 'DOC_ACCEPT_MISMATCH' }
  | { type: 'FINGER_RETRY' }
  | { type: 'FINGER_EXCEPTION'; reason: FingerExceptionReason; scope: FingerExceptionScope }
  | { type: 'FACE_ACCEPT' }
  | { type: 'FACE_RETAKE' }
  | { type: 'SIGNATURE_SUBMIT'; strokes: readonly SignatureStroke[]; box: SignatureBox }
  | { type: 'REVIEW_EDIT'; step: EditableStep }
  | { type: 'REVIEW_CONFIRM' }
  | { type: 'SUBMIT_RETRY' }
  | { type: 'FINISH' }
  // from device actors
  | { type: 'DEVICES'; states: Partial<Record<DeviceKind, DeviceState>> }
  | { type: 'FINGER_PROGRESS'; fraction: number }
  | { type: 'FINGER_RESULT'; outcome: FingerOutcome }
  | { type: 'FACE_GUIDANCE'; guidance?: Bilingual; checks: readonly FaceCheckView[] }
  | { type: 'FACE_CAPTURED'; face: CapturedFace }
  | { type: 'FACE_FAULT'; message: string }
  // internal
  | { type: 'ABANDON' };

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
    fromReview: false,
    doc: {},
    fingers: FINGER_POSITIONS.map((position) => ({ position, status: 'pending' as const })),
    fingerIndex: 0,
    fingerAttempts: 0,
    fingerProgress: 0,
    face: { checks: [], rev: 0, attempt: 1 },
    signature: { rev: 0 },
    submit: { printed: 'pending', receiptLines: [] },
  };
}
