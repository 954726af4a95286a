import {
  emptySession,
  type CapturedFace,
  type DocumentOutcome,
  type EnrollmentContext,
  type FingerOutcome,
  type FingerProof,
  type FingerSlot,
  type PrintOutcome,
  type ProofOutcome,
  type SignatureOutcome,
} from './context';
import type { EnrollmentDraft } from './draft';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { ExceptionApproval, ExceptionProof, FingerRecord } from '../../domain/enrollment-record';
import { handOf, type FingerExceptionReason, type FingerExceptionScope, type FingerPosition } from '../../domain/fingers';
import type { DocumentSummary, FaceCheckView, PrinterProblem } from '../../domain/kiosk-channel/view-model';
import type { Bilingual, Lang } from '../../domain/language';
import type { ApplicationCase } from '../../domain/application';
import { applicationRecord, caseFlags, documentRecord, takesBiometrics, needsGuardian } from './application';

/**
 * Pure context updates used by the statechart's named actions: (context, params) → the part of
 * the context that changes. They never touch a buffer: bytes that a patch drops are overwritten
 * by the `wipeBiometrics` action (wipe.ts), which runs before the patch in the same transition.
 */

type Patch = Partial<EnrollmentContext>;
type Captured = Extract<FingerSlot, { status: 'captured' }>;
type CapturedOutcome = Extract<FingerOutcome, { kind: 'captured' }>;

/** The language a fresh session starts in, before the citizen picks one. */
export const DEFAULT_LANG: Lang = 'vi';

export const SCANNER_FAULT: Bilingual = {
  vi: 'Máy quét giấy tờ đang gặp sự cố. Xin thử lại, hoặc nhập số CMND, hoặc bấm "Trợ giúp".',
  en: 'The document scanner has a problem. Please try again, type your ID number, or press "Help".',
};

/** The scanner's cable is out (issue #13): say so, and what to do while it is. */
export const SCANNER_UNPLUGGED: Bilingual = {
  vi: 'Máy quét giấy tờ bị ngắt kết nối. Xin chờ máy hoạt động lại, hoặc nhập số CMND, hoặc bấm "Trợ giúp" để gọi cán bộ.',
  en: 'The document scanner is disconnected. Please wait for it to work again, type your ID number, or press "Help" to call staff.',
};

/** It is back: the citizen can scan now. */
export const SCANNER_BACK: Bilingual = {
  vi: 'Máy quét giấy tờ đã hoạt động lại. Xin đặt thẻ dưới máy quét.',
  en: 'The document scanner is working again. Please hold your card under it.',
};

// ───────────── session ─────────────

/** Nothing of the last citizen; the devices and (when asked) the language carry over. */
export function freshSession(ctx: EnrollmentContext, keepLanguage: boolean): EnrollmentContext {
  const fresh = { ...emptySession(ctx.flow, keepLanguage ? ctx.lang : DEFAULT_LANG, ctx.devices), enclosureOpen: ctx.enclosureOpen, someoneNear: ctx.someoneNear };
  // The printer's state is the kiosk's, not the citizen's: it carries over like the devices.
  return { ...fresh, ...(ctx.printerProblem ? { printerProblem: ctx.printerProblem } : {}), ...kioskMaintenance(ctx) };
}

/** The technician's and the officer's out-of-service switches, and the console, are the kiosk's: they outlive every session. */
const kioskMaintenance = (ctx: EnrollmentContext): Patch => ({
  ...(ctx.maintenance ? { maintenance: true } : {}),
  ...(ctx.officerOutOfService ? { officerOutOfService: ctx.officerOutOfService } : {}),
  ...(ctx.opsConsole ? { opsConsole: true } : {}),
});

export function recordOfficerService(on: boolean, officer: string): Patch {
  return { officerOutOfService: on ? { officer } : undefined };
}

export function recordConsole(connected: boolean): Patch {
  return { opsConsole: connected ? true : undefined };
}

export function recordMaintenance(on: boolean): Patch {
  return { maintenance: on ? true : undefined };
}

const isWorking = (s: DeviceState | undefined): boolean => s === 'ready' || s === 'busy';

export function recordDevices(ctx: EnrollmentContext, states: Partial<Record<DeviceKind, DeviceState>>): Patch {
  // A reader or scanner that stops working mid-step is remembered, so that its screen can say
  // "working again" once it is back (issue #13).
  const fingerDown = states.fingerprint !== undefined && !isWorking(states.fingerprint);
  const scannerDown = states.document !== undefined && !isWorking(states.document);
  return {
    devices: { ...ctx.devices, ...states },
    ...(fingerDown ? { fingerReaderDropped: true } : {}),
    ...(scannerDown ? { doc: { ...ctx.doc, scannerDropped: true } } : {}),
  };
}

export function recordPrinter(problem: PrinterProblem | undefined): Patch {
  return { printerProblem: problem };
}

/**
 * A new application, for the person whose card was just scanned: nothing of the one before (its
 * buffers were wiped first), except the language, the devices, and the new card waiting to be
 * confirmed.
 */
export function startOverWith(ctx: EnrollmentContext): EnrollmentContext {
  const fresh = emptySession(ctx.flow, ctx.lang, ctx.devices);
  return {
    ...fresh,
    ...(ctx.printerProblem ? { printerProblem: ctx.printerProblem } : {}),
    ...kioskMaintenance(ctx),
    ...(ctx.startedAt !== undefined ? { startedAt: ctx.startedAt } : {}),
    doc: ctx.doc.pending ? { pending: ctx.doc.pending } : {},
    // The person at the kiosk is the same: their text size and mute stay (the age is the new card's).
    largeText: ctx.largeText,
    voiceMuted: ctx.voiceMuted,
    // The case is why they came; an invitation names one person, not this one.
    application: ctx.application.case ? { case: ctx.application.case, ...(ctx.application.changes ? { changes: ctx.application.changes } : {}) } : {},
  };
}

// ───────────── document ─────────────

export function docPending(ctx: EnrollmentContext, o: DocumentOutcome): Patch {
  return o.kind === 'parsed' ? { doc: { ...ctx.doc, pending: o, error: undefined, fault: undefined, scannerDropped: undefined } } : {};
}

export function docError(ctx: EnrollmentContext, o: DocumentOutcome): Patch {
  if (o.kind === 'invalid') return { doc: { ...ctx.doc, error: o.error, fault: undefined } };
  // Down now counts as having dropped: the notice turns to "working again" once it is back.
  const scannerDropped = ctx.doc.scannerDropped === true || !isWorking(ctx.devices.document) ? true : undefined;
  if (o.kind === 'fault' && o.reason === 'unplugged') return { doc: { ...ctx.doc, error: SCANNER_UNPLUGGED, fault: 'unplugged', scannerDropped } };
  return { doc: { ...ctx.doc, error: SCANNER_FAULT, fault: o.kind === 'fault' ? (o.reason ?? 'device-error') : undefined, scannerDropped } };
}

export function docFault(ctx: EnrollmentContext): Patch {
  return { doc: { ...ctx.doc, error: SCANNER_FAULT, fault: 'device-error' } };
}

export function clearDocError(ctx: EnrollmentContext): Patch {
  return { doc: { ...ctx.doc, error: undefined, fault: undefined, scannerDropped: undefined } };
}

export function docDigits(ctx: EnrollmentContext, digits: string): Patch {
  return { doc: { ...ctx.doc, typed: digits } };
}

/** The scan in hand was the card's back alone (its MRZ): no accents in the name, no address. */
export function backSideOnly(d: DocumentSummary): boolean {
  return d.kind === 'cccd-mrz';
}

/** Staff add by hand what the front of the card would have given (the name with its accents, the address). */
export const FRONT_NOT_READ = 'front-not-read';

export function docAccept(ctx: EnrollmentContext, extraFlags: readonly string[]): Patch {
  const p = ctx.doc.pending;
  if (!p) return {};
  const flags = [...p.document.flags, ...extraFlags, ...(backSideOnly(p.document) ? [FRONT_NOT_READ] : []), ...caseFlags(ctx)];
  const accepted = { ...p, document: { ...p.document, flags: [...new Set(flags)] } };
  return { doc: { accepted, pending: undefined, error: undefined } };
}

/**
 * Whether two readings are of one person: the same ID number, or one card's old CMND number is
 * the other's number (a CCCD's QR carries the CMND it replaced).
 */
export function samePerson(a: DocumentSummary, b: DocumentSummary): boolean {
  const ids = (d: DocumentSummary): string[] => [d.idNumber, ...(d.oldIdNumber ? [d.oldIdNumber] : [])].filter((n) => n !== '');
  const mine = ids(a);
  return ids(b).some((n) => mine.includes(n));
}

/** Back from review, the card just read is someone else's: not the same application any more. */
export function isDifferentPerson(ctx: EnrollmentContext, o: DocumentOutcome): boolean {
  const accepted = ctx.doc.accepted;
  return ctx.fromReview && accepted !== undefined && o.kind === 'parsed' && !samePerson(accepted.document, o.document);
}

// ───────────── fingerprints ─────────────

const firstPending = (fingers: readonly FingerSlot[]): number => {
  const i = fingers.findIndex((s) => s.status === 'pending');
  return i < 0 ? fingers.length : i;
};

/**
 * Of the best attempt so far and a new one, which is kept: the earlier one unless the new one
 * scores higher. The wipe overwrites the other one with the same rule.
 */
export function keepsEarlierAttempt(best: Captured | undefined, o: CapturedOutcome): boolean {
  return best !== undefined && best.score >= o.score;
}

/** A finger from its first round, nothing kept from earlier attempts. */
const freshFinger = (ctx: EnrollmentContext): Patch => ({
  fingerIndex: firstPending(ctx.fingers),
  fingerAttempts: 0,
  fingerRound: 1,
  fingerBest: undefined,
  fingerLastScore: undefined,
  fingerProofError: undefined,
  fingerRefusedBy: undefined,
  fingerRefusalNote: undefined,
});

/**
 * Entering the step, also on the way back from help: the finger starts over, but a declaration
 * waiting for its photo stays (help from the photo screen comes back to it).
 */
export function fingerStart(ctx: EnrollmentContext): Patch {
  return freshFinger(ctx);
}

export function fingerAttemptStart(ctx: EnrollmentContext): Patch {
  // A reader already down when the attempt starts counts as dropped: "working again" once it is back.
  return {
    fingerProgress: 0,
    fingerImageTaken: undefined,
    fingerDuplicateOf: undefined,
    fingerFault: undefined,
    fingerReaderDropped: isWorking(ctx.devices.fingerprint) ? undefined : true,
  };
}

/** Upload progress; any progress means the sensor has taken the image (the finger may go). */
export function fingerProgress(ctx: EnrollmentContext, fraction: number): Patch {
  return { fingerProgress: fraction, ...(fraction > 0 || ctx.fingerImageTaken ? { fingerImageTaken: true as const } : {}) };
}

/** "Try again" after a round ended below threshold: the next round; the best print so far stays. */
export function fingerRoundStart(ctx: EnrollmentContext): Patch {
  return { fingerRound: ctx.fingerRound + 1 };
}

/** A fault reported without a reason (a service that threw) reads as a device error. */
export function fingerFault(o: FingerOutcome): Patch {
  return o.kind === 'fault' ? { fingerFault: o.reason ?? 'device-error' } : {};
}

export function fingerKeepBest(ctx: EnrollmentContext, o: FingerOutcome): Patch {
  if (o.kind !== 'captured') return {};
  const note = ctx.fingerRefusalNote ? { fingerRefusalNote: undefined } : {};
  const position = ctx.fingers[ctx.fingerIndex]?.position ?? 'right_thumb';
  const attempts = ctx.fingerAttempts + 1;
  const prev = ctx.fingerBest;
  const best: Captured = prev && keepsEarlierAttempt(prev, o)
    ? { ...prev, attempts }
    : { position, status: 'captured', image: o.image, png: o.png, score: o.score, attempts };
  return { fingerAttempts: attempts, fingerBest: best, fingerLastScore: o.score, fingerProgress: 1, ...note };
}

export function fingerCommitBest(ctx: EnrollmentContext): Patch {
  const best = ctx.fingerBest;
  if (!best) return {};
  return { fingers: ctx.fingers.map((s, i) => (i === ctx.fingerIndex ? best : s)), fingerBest: undefined };
}

export function fingerDuplicate(_ctx: EnrollmentContext, o: FingerOutcome): Patch {
  return o.kind === 'duplicate' ? { fingerDuplicateOf: o.of } : {};
}

/** The citizen said the finger cannot be taken: hold what they said until the photo is taken. */
export function fingerExceptionHold(reason: FingerExceptionReason, scope: FingerExceptionScope): Patch {
  return { fingerExceptionPending: { reason, scope }, fingerProofError: undefined, fingerRefusalNote: undefined };
}

export function fingerExceptionCancel(): Patch {
  return { fingerExceptionPending: undefined, fingerProofError: undefined };
}

/** The photo is taken and waits for the hall officer's answer (issue #14): held, nothing recorded yet. */
export function fingerProofHold(ctx: EnrollmentContext, proof: ProofOutcome): Patch {
  const declared = ctx.fingerExceptionPending;
  if (!declared || proof.kind !== 'photo') return {};
  return { fingerExceptionPending: { ...declared, proof: { jpeg: proof.jpeg, width: proof.width, height: proof.height } }, fingerProofError: undefined };
}

/**
 * The officer answered (or nobody did in time): the held photo's exception is recorded as any
 * other, with the answer. `unanswered` keeps it for staff to review; refusal is `fingerExceptionRefused`.
 */
export function fingerExceptionDecided(ctx: EnrollmentContext, approval: { readonly outcome: ExceptionApproval['outcome']; readonly officer?: string }): Patch {
  const held = ctx.fingerExceptionPending?.proof;
  if (!held) return {};
  const refusedBy = ctx.fingerRefusedBy ?? [];
  const full: ExceptionApproval = { outcome: approval.outcome, ...(approval.officer ? { officer: approval.officer } : {}), ...(refusedBy.length > 0 ? { refusedBy } : {}) };
  return fingerException(ctx, { kind: 'photo', ...held }, full);
}

/**
 * The officer refused the photo: nothing is recorded (the held photo was wiped first), the
 * finger is asked for again, and its screen says an officer asked for it.
 */
export function fingerExceptionRefused(ctx: EnrollmentContext, officer: string): Patch {
  return { fingerExceptionPending: undefined, fingerProofError: undefined, fingerRefusedBy: [...(ctx.fingerRefusedBy ?? []), officer], fingerRefusalNote: true };
}

export const PROOF_PHOTO_FAILED: Bilingual = {
  vi: 'Máy ảnh chưa chụp được ảnh bàn tay. Xin giữ tay trước máy ảnh và bấm "Chụp ảnh" lần nữa, hoặc bấm "Trợ giúp".',
  en: 'The camera could not take the photo of your hand. Hold your hand up to it and press "Take the photo" again, or press "Help".',
};

export function fingerProofFailed(): Patch {
  return { fingerProofError: PROOF_PHOTO_FAILED };
}

/**
 * Record the exception being declared, with the photo that proves it: the finger being asked
 * for, and with scope 'hand' every finger still to take on its hand. Nothing is recorded
 * without a photo.
 */
export function fingerException(ctx: EnrollmentContext, proof: ProofOutcome, approval?: ExceptionApproval): Patch {
  const current = ctx.fingers[ctx.fingerIndex];
  const declared = ctx.fingerExceptionPending;
  if (!current || !declared || proof.kind !== 'photo') return {};
  const { reason, scope } = declared;
  const id = ctx.fingerProofs.reduce((max, p) => Math.max(max, p.id), 0) + 1;
  const photo: FingerProof = { id, jpeg: proof.jpeg, width: proof.width, height: proof.height };
  const hand = handOf(current.position);
  const fingers = ctx.fingers.map((s, i): FingerSlot => {
    const hit = i === ctx.fingerIndex || (scope === 'hand' && s.status === 'pending' && handOf(s.position) === hand);
    if (!hit) return s;
    return { position: s.position, status: 'exception', reason, scope, proof: id, attempts: i === ctx.fingerIndex ? ctx.fingerAttempts : 0, ...(approval ? { approval } : {}) };
  });
  return { fingers, fingerBest: undefined, fingerProofs: [...ctx.fingerProofs, photo], fingerExceptionPending: undefined, fingerProofError: undefined };
}

export function fingerNext(ctx: EnrollmentContext): Patch {
  return { ...freshFinger(ctx), fingerExceptionPending: undefined };
}

/** How many fingers are declared as cannot be taken. */
export function fingerExceptionCount(ctx: EnrollmentContext): number {
  return ctx.fingers.filter((s) => s.status === 'exception').length;
}

/** More fingers declared than the kiosk may take alone: staff are called before the citizen goes on. */
export function tooManyFingerExceptions(ctx: EnrollmentContext): boolean {
  return fingerExceptionCount(ctx) > ctx.flow.fingerExceptionsWithoutStaff;
}

/**
 * The finger asked for after "well done" on this one (issue #15: named on the tick, so the
 * citizen moves to it during the pause); none after the last, or when staff are called first.
 */
export function fingerAfterThis(ctx: EnrollmentContext): FingerPosition | undefined {
  if (tooManyFingerExceptions(ctx)) return undefined;
  return ctx.fingers.find((s) => s.status === 'pending')?.position;
}

/**
 * Redo from review: the chosen fingers are asked for again; what they held is set aside (not
 * dropped) until each is retaken, so the citizen can still go back to review with it.
 */
export function fingerRedoStart(ctx: EnrollmentContext, positions: readonly FingerPosition[]): Patch {
  const chosen = new Set(positions);
  const setAside = ctx.fingers.filter((s) => chosen.has(s.position) && s.status !== 'pending');
  const fingers = ctx.fingers.map((s): FingerSlot => (chosen.has(s.position) ? { position: s.position, status: 'pending' } : s));
  return { fingers, fingerRedoKept: [...ctx.fingerRedoKept, ...setAside], fingerIndex: firstPending(fingers) };
}

/** Back to review without retaking: every finger not yet retaken gets back what it held. */
export function fingerRedoCancel(ctx: EnrollmentContext): Patch {
  const kept = new Map(ctx.fingerRedoKept.map((s) => [s.position, s]));
  const fingers = ctx.fingers.map((s) => (s.status === 'pending' ? (kept.get(s.position) ?? s) : s));
  return { fingers, fingerRedoKept: [], fingerBest: undefined, fingerExceptionPending: undefined, fingerProofError: undefined };
}

/**
 * What the fingers no longer need: the set-aside state of fingers that have been retaken (or
 * declared) since, and photos no finger refers to any more. Pure: `fingerRelease` drops them and
 * the wipe overwrites them first (wipe.ts, 'releasedFingerData').
 */
export function releasedFingerData(ctx: EnrollmentContext): { readonly slots: readonly FingerSlot[]; readonly proofs: readonly FingerProof[]; readonly keep: Patch } {
  const waiting = new Set(ctx.fingers.filter((s) => s.status === 'pending').map((s) => s.position));
  const stillKept = ctx.fingerRedoKept.filter((s) => waiting.has(s.position));
  const slots = ctx.fingerRedoKept.filter((s) => !waiting.has(s.position));
  const referenced = new Set([...ctx.fingers, ...stillKept].flatMap((s) => (s.status === 'exception' && s.proof !== undefined ? [s.proof] : [])));
  const proofs = ctx.fingerProofs.filter((p) => !referenced.has(p.id));
  return { slots, proofs, keep: { fingerRedoKept: stillKept, fingerProofs: ctx.fingerProofs.filter((p) => referenced.has(p.id)) } };
}

export function fingerRelease(ctx: EnrollmentContext): Patch {
  return releasedFingerData(ctx).keep;
}

// ───────────── face ─────────────

/**
 * Of the best photo kept so far and another, which is kept: the earlier one unless the other
 * scored higher (capture/face-quality.ts). The wipe overwrites the other one with the same rule.
 */
export function keepsEarlierFace(best: CapturedFace | undefined, other: CapturedFace): boolean {
  return best !== undefined && (best.score ?? 0) >= (other.score ?? 0);
}

/** A fresh count of photos (the citizen came back from review to change the photo). */
export function faceStart(ctx: EnrollmentContext): Patch {
  return { face: { ...ctx.face, best: undefined, attempt: 1, countdown: undefined, guidance: undefined, checks: [], faultMessage: undefined } };
}

export function faceGuidance(ctx: EnrollmentContext, guidance: Bilingual | undefined, checks: readonly FaceCheckView[]): Patch {
  return { face: { ...ctx.face, guidance, checks } };
}

/** Seconds left before the photo; 0 while it is taken; undefined when no countdown runs. */
export function faceCountdown(ctx: EnrollmentContext, countdown: number | undefined): Patch {
  return { face: { ...ctx.face, countdown } };
}

export function facePending(ctx: EnrollmentContext, face: CapturedFace): Patch {
  return { face: { ...ctx.face, pending: face, rev: ctx.face.rev + 1, faultMessage: undefined, guidance: undefined, countdown: undefined } };
}

/** The last attempt: the best of the photos kept during retakes and this one is the one shown. */
export function faceKeepBest(ctx: EnrollmentContext, face: CapturedFace): Patch {
  const best = ctx.face.best;
  const kept = best && keepsEarlierFace(best, face) ? best : face;
  return { face: { ...ctx.face, pending: kept, best: undefined, rev: ctx.face.rev + 1, faultMessage: undefined, guidance: undefined, countdown: undefined } };
}

export function faceFault(ctx: EnrollmentContext, message: string): Patch {
  return { face: { ...ctx.face, faultMessage: message, countdown: undefined } };
}

/** "Take again" after a camera fault: the camera is tried again; the citizen's attempt is not used up. */
export function faceFaultCleared(ctx: EnrollmentContext): Patch {
  return { face: { ...ctx.face, pending: undefined, guidance: undefined, checks: [], faultMessage: undefined, countdown: undefined } };
}

/**
 * Accepted: the photo on screen. Recorded with it, for staff: how many photos were taken, and
 * whether the retakes ran out (the kiosk then kept the best one rather than the citizen choosing).
 */
export function faceAccept(ctx: EnrollmentContext): Patch {
  const p = ctx.face.pending;
  if (!p) return {};
  const limitReached = ctx.face.attempt >= ctx.flow.faceAttempts;
  const accepted: CapturedFace = { ...p, measurements: { ...p.measurements, 'photo-attempts': ctx.face.attempt, 'retake-limit-reached': limitReached } };
  return { face: { ...ctx.face, accepted, pending: undefined, best: undefined } };
}

/** "Take again": the better of this photo and the best kept so far is kept, in case the retakes run out. */
export function faceRetake(ctx: EnrollmentContext): Patch {
  const { pending, best } = ctx.face;
  const keep = pending && !keepsEarlierFace(best, pending) ? pending : best;
  return {
    face: { ...ctx.face, pending: undefined, best: keep, guidance: undefined, checks: [], attempt: ctx.face.attempt + 1, faultMessage: undefined, countdown: undefined },
  };
}

// ───────────── signature ─────────────

export function signatureAccept(ctx: EnrollmentContext, o: SignatureOutcome): Patch {
  if (o.kind !== 'valid') return {};
  return { signature: { accepted: o, error: undefined, rev: ctx.signature.rev + 1, attempts: ctx.signature.attempts + 1 } };
}

export function signatureError(ctx: EnrollmentContext, o: SignatureOutcome): Patch {
  return o.kind === 'invalid' ? { signature: { ...ctx.signature, error: o.error, attempts: ctx.signature.attempts + 1 } } : {};
}

export function signatureFault(ctx: EnrollmentContext): Patch {
  return { signature: { ...ctx.signature, error: SIGNATURE_FAULT, attempts: ctx.signature.attempts + 1 } };
}

export const SIGNATURE_FAULT: Bilingual = {
  vi: 'Không xử lý được chữ ký. Xin ký lại một lần nữa.',
  en: 'The signature could not be processed. Please sign again.',
};

// ───────────── submit & receipt ─────────────

/** True when every step has what the packet needs; REVIEW_CONFIRM is refused otherwise. */
export function isComplete(ctx: EnrollmentContext): boolean {
  // A child applies with a guardian; under 6 no biometrics are taken (Luật Căn cước 2023).
  if (!ctx.doc.accepted || !ctx.signature.accepted) return false;
  if (needsGuardian(ctx) && !ctx.guardian.accepted) return false;
  if (!takesBiometrics(ctx)) return true;
  return Boolean(ctx.face.accepted) && ctx.fingers.every((s) => s.status !== 'pending');
}

export function toDraft(ctx: EnrollmentContext): EnrollmentDraft {
  const doc = ctx.doc.accepted;
  const face = ctx.face.accepted;
  const sig = ctx.signature.accepted;
  const biometrics = takesBiometrics(ctx);
  if (!doc || !sig || (biometrics && !face)) throw new Error('toDraft called before every step was complete (guard everyStepComplete first)');
  const threshold = ctx.flow.fingerQualityThreshold;
  // One photo per declaration, shared by every finger it covers.
  const proofs = new Map(ctx.fingerProofs.map((p): [number, ExceptionProof] => [p.id, { jpeg: p.jpeg, width: p.width, height: p.height }]));
  const fingers = !biometrics ? [] : ctx.fingers.map((s): FingerRecord => {
    switch (s.status) {
      case 'captured':
        return {
          position: s.position,
          status: 'captured',
          png: s.png,
          width: s.image.width,
          height: s.image.height,
          score: s.score,
          attempts: s.attempts,
          belowThreshold: !(s.score >= threshold),
          threshold,
        };
      case 'exception': {
        const proof = s.proof === undefined ? undefined : proofs.get(s.proof);
        return {
          position: s.position,
          status: 'exception',
          reason: s.reason,
          attempts: s.attempts,
          ...(s.scope ? { scope: s.scope } : {}),
          ...(proof ? { proof } : {}),
          ...(s.approval ? { approval: s.approval } : {}),
        };
      }
      case 'pending':
        throw new Error(`finger ${s.position} still pending at submit`);
    }
  });
  return {
    startedAt: ctx.startedAt ?? 0,
    language: ctx.lang,
    document: documentRecord(doc),
    fingers,
    ...(biometrics && face ? { face: { jpeg: face.jpeg, width: face.width, height: face.height, measurements: face.measurements } } : {}),
    signature: { png: sig.png, width: sig.width, height: sig.height, strokeCount: sig.strokeCount },
    application: applicationRecord(ctx),
    ...(ctx.guardian.accepted ? { guardian: { document: documentRecord(ctx.guardian.accepted) } } : {}),
  };
}

export function submitted(ctx: EnrollmentContext, trackingCode: string): Patch {
  return { submit: { ...ctx.submit, trackingCode, error: undefined } };
}

export function submitFailed(ctx: EnrollmentContext): Patch {
  return { submit: { ...ctx.submit, error: SUBMIT_FAILED } };
}

export const SUBMIT_FAILED: Bilingual = {
  vi: 'Chưa lưu được hồ sơ. Dữ liệu của bạn vẫn còn. Xin bấm "Thử lại", hoặc bấm "Trợ giúp" để gọi cán bộ.',
  en: 'Your application could not be saved yet. Your data is still here. Press "Try again", or "Help" to call staff.',
};

export function receiptInput(ctx: EnrollmentContext): ReceiptFacts {
  const d = ctx.doc.accepted?.document;
  const app = applicationRecord(ctx);
  const guardian = ctx.guardian.accepted?.document;
  return {
    trackingCode: ctx.submit.trackingCode ?? '',
    fullName: d?.fullName ?? '',
    idNumber: d?.idNumber ?? '',
    lang: ctx.lang,
    case: app.case,
    ...(app.invitationId ? { invitationId: app.invitationId } : {}),
    ...(guardian ? { guardianName: guardian.fullName ?? '', guardianIdNumber: guardian.idNumber } : {}),
    ...(app.biometrics === 'none-under-6' ? { finishAt: ctx.flow.childFinishAt } : {}),
  };
}

/** What the receipt says (PrintInput): who, the case, the invitation, the guardian, where to finish. */
export interface ReceiptFacts {
  readonly trackingCode: string;
  readonly fullName: string;
  readonly idNumber: string;
  readonly lang: Lang;
  readonly case?: ApplicationCase;
  readonly invitationId?: string;
  readonly guardianName?: string;
  readonly guardianIdNumber?: string;
  /** Under 6: where the application is finished (no biometrics were taken here). */
  readonly finishAt?: Bilingual;
}

/** Printing (again): until the printer answers, nothing is known about this paper. */
export function printing(ctx: EnrollmentContext): Patch {
  return { submit: { ...ctx.submit, printed: 'pending', printerMessage: undefined } };
}

/** "Print again" is offered when the receipt did not print and the printer says it can print now. */
export function canReprint(ctx: EnrollmentContext): boolean {
  const state = ctx.devices.printer;
  return ctx.submit.printed === false && ctx.printerProblem === undefined && (state === 'ready' || state === 'busy');
}

export function printed(ctx: EnrollmentContext, o: PrintOutcome): Patch {
  return { submit: { ...ctx.submit, printed: o.printed, receiptLines: o.receiptLines, printerMessage: o.message } };
}

export function printerFailed(ctx: EnrollmentContext): Patch {
  return { submit: { ...ctx.submit, printed: false, printerMessage: PRINTER_FAILED } };
}

export const PRINTER_FAILED: Bilingual = {
  vi: 'Máy in biên nhận đang gặp sự cố. Xin chụp ảnh màn hình này để giữ mã hồ sơ. Cán bộ đã được báo.',
  en: 'The receipt printer has a problem. Please take a photo of this screen to keep your tracking code. Staff have been told.',
};
