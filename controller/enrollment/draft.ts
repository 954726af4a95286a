import type { ApplicationRecord, DocumentRecord, FaceRecord, FingerRecord, GuardianRecord, SignatureRecord } from '../../domain/enrollment-record';
import type { Lang } from '../../domain/language';

/**
 * What the statechart hands to the submit actor: the record minus what only I/O can supply
 * (the enrollment id, the kiosk id and the completion time).
 */
export interface EnrollmentDraft {
  readonly startedAt: number;
  readonly language: Lang;
  readonly document: DocumentRecord;
  /** Ten, or none under 6 (`application.biometrics`). */
  readonly fingers: readonly FingerRecord[];
  /** Absent under 6 (`application.biometrics`). */
  readonly face?: FaceRecord;
  readonly signature: SignatureRecord;
  readonly application: ApplicationRecord;
  readonly guardian?: GuardianRecord;
}
