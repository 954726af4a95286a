import type { DocumentRecord, FaceRecord, FingerRecord, SignatureRecord } from './record';

/**
 * What the statechart hands to the submit actor: the record minus what only I/O can supply
 * (the enrollment id, the kiosk id and the completion time).
 */
export interface EnrollmentDraft {
  readonly startedAt: number;
  readonly language: 'vi' | 'en';
  readonly document: DocumentRecord;
  readonly fingers: readonly FingerRecord[];
  readonly face: FaceRecord;
  readonly signature: SignatureRecord;
}
