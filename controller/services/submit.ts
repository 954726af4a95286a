import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { SubmitInput } from '../enrollment/machine';
import type { SubmitOutput } from '../enrollment/context';
import { buildPacket } from '../packet/build';
import type { KioskKeys } from '../packet/keys';
import { sealPacket, type Aead } from '../packet/seal';
import { makeTrackingCode } from '../receipt/tracking-code';
import { isStoreError, type Store } from '../store/store';
import type { EnrollmentRecord } from '../../domain/enrollment-record';

export interface SubmitDeps {
  readonly store: Store;
  readonly keys: KioskKeys;
  readonly centralPublicKey: KeyObject;
  readonly aead: Aead;
  readonly kioskId: string;
  readonly log: Logger;
  readonly now?: () => Date;
}

export interface SubmitStats {
  readonly buildMs: number;
  readonly sealMs: number;
  readonly commitMs: number;
  readonly sealedBytes: number;
}

/**
 * Submit = build the signed packet, seal it for the central server, and commit packet + outbox
 * row + audit entry in one transaction. The promise resolves only after COMMIT: the receipt the
 * citizen then sees is a promise we can keep after a power cut.
 */
export function createSubmitService(deps: SubmitDeps, onStats?: (s: SubmitStats) => void) {
  const now = deps.now ?? (() => new Date());
  return async ({ draft }: SubmitInput): Promise<SubmitOutput> => {
    const record: EnrollmentRecord = {
      id: randomUUID(),
      kioskId: deps.kioskId,
      startedAt: new Date(draft.startedAt).toISOString(),
      completedAt: now().toISOString(),
      language: draft.language,
      document: draft.document,
      fingers: draft.fingers,
      ...(draft.face ? { face: draft.face } : {}),
      signature: draft.signature,
      application: draft.application,
      ...(draft.guardian ? { guardian: draft.guardian } : {}),
    };
    const t0 = performance.now();
    const inner = buildPacket(record, deps.keys);
    const t1 = performance.now();
    const sealed = sealPacket(inner, deps.centralPublicKey, { aead: deps.aead });
    // The signed plaintext container is biometric data too: overwrite it once sealed.
    inner.fill(0);
    const t2 = performance.now();
    // A tracking-code collision (1 in 32^8 per pair) is a constraint error: draw again once.
    let trackingCode = makeTrackingCode((n) => randomBytes(n));
    // The case and how the application was taken (no personal data: the invitation by its id).
    const a = draft.application;
    const application = { case: a.case, ageGroup: a.ageGroup, biometrics: a.biometrics, signedBy: a.signedBy, ...(a.invitationId ? { invitationId: a.invitationId } : {}) };
    const auditDetail = { trackingCode, fingers: draft.fingers.map((f) => f.status), flags: [...draft.document.flags], sealedBytes: sealed.length, application };
    const invitation = a.invitationId !== undefined ? { invitationId: a.invitationId } : {};
    try {
      try {
        await deps.store.commitEnrollment({ id: record.id, trackingCode, sealed, auditDetail, ...invitation });
      } catch (err) {
        if (!isStoreError(err, 'constraint')) throw err;
        trackingCode = makeTrackingCode((n) => randomBytes(n));
        await deps.store.commitEnrollment({ id: record.id, trackingCode, sealed, auditDetail: { ...auditDetail, trackingCode }, ...invitation });
      }
    } catch (err) {
      // The citizen sees "not saved yet, your data is still here"; staff and the log see why.
      deps.log.error({ enrollmentId: record.id, code: isStoreError(err) ? err.code : 'unknown', err }, 'enrollment not committed');
      throw err;
    }
    const t3 = performance.now();
    const stats = { buildMs: t1 - t0, sealMs: t2 - t1, commitMs: t3 - t2, sealedBytes: sealed.length };
    // No tracking code in the log (issue #11): it stays on the citizen's screen and receipt.
    deps.log.info({ enrollmentId: record.id, ...stats }, 'enrollment committed');
    onStats?.(stats);
    return { trackingCode };
  };
}
