import type { SnapshotFrom } from 'xstate';
import { REQUIRED_DEVICES, type EnrollmentContext, type FingerSlot } from './context';
import type { EnrollmentMachine } from './machine';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { FingerPhase, FingerSlotView, Screen, StepName, ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Bilingual } from '../../domain/language';

/**
 * Snapshot → view model: a pure function, so what the citizen sees is testable without a
 * browser and the page can be reloaded at any moment.
 */

type Snapshot = SnapshotFrom<EnrollmentMachine>;

/** The active leaf path under `session.main` (e.g. ['flow','fingerprints','capturing']), or the top state. */
export function statePath(value: Snapshot['value']): string[] {
  const path: string[] = [];
  let v: unknown = value;
  while (v !== null && typeof v === 'object') {
    const obj: Record<string, unknown> = Object.fromEntries(Object.entries(v));
    // In the parallel `session` state follow `main`; `idle` is read separately.
    const key = 'main' in obj ? 'main' : Object.keys(obj)[0];
    if (key === undefined) break;
    path.push(key);
    v = obj[key];
  }
  if (typeof v === 'string') path.push(v);
  return path;
}

export function toViewModel(snapshot: Snapshot, seq: number): ViewModel {
  const ctx = snapshot.context;
  const path = statePath(snapshot.value);
  const base = { seq, lang: ctx.lang, fromReview: ctx.fromReview };
  const prompting = snapshot.matches({ session: { idle: 'prompting' } });
  const overlay = path[2] === 'help' ? { name: 'help' as const } : prompting ? { name: 'timeout-prompt' as const, secondsLeft: Math.round(ctx.flow.promptTimeoutMs / 1000) } : undefined;
  const [top] = path;
  if (top !== 'session') return { ...base, screen: topScreen(top, ctx) };
  // In help, the screen behind the overlay is the step the citizen left: the flow's history.
  const [, , , step, sub, leaf] = path[2] === 'help' ? helpReturnPath(snapshot) : path; // session, main, flow, <step>, <substate>, <leaf>
  const flowStep = step;
  // The document's confirm and mismatch screens sit one level deeper, under `shown`.
  const screen = flowStep ? stepScreen(flowStep, sub === 'shown' ? leaf : sub, ctx) : { name: 'attract' as const };
  const shown: StepName | undefined = isStep(flowStep) ? flowStep : undefined;
  return { ...base, screen, ...(shown ? { step: shown } : {}), ...(overlay ? { overlay } : {}) };
}

const FLOW_ID = 'kiosk.session.main.flow';

/** Where HELP_DONE will return to, as a state path like statePath() gives. */
function helpReturnPath(snapshot: Snapshot): string[] {
  const leafId = snapshot.historyValue[`${FLOW_ID}.hist`]?.[0]?.id;
  if (!leafId?.startsWith(`${FLOW_ID}.`)) return [];
  return ['session', 'main', 'flow', ...leafId.slice(FLOW_ID.length + 1).split('.')];
}

const isStep = (s: string | undefined): s is StepName => s === 'document' || s === 'fingerprints' || s === 'face' || s === 'signature' || s === 'review';

function topScreen(top: string | undefined, ctx: EnrollmentContext): Screen {
  if (top === 'abandoned') return { name: 'abandoned' };
  if (top === 'outOfService') {
    const kinds: DeviceKind[] = [...REQUIRED_DEVICES, 'printer'];
    return { name: 'out-of-service', devices: kinds.map((kind) => ({ kind, state: ctx.devices[kind] ?? ('disconnected' satisfies DeviceState) })) };
  }
  return { name: 'attract' };
}

function stepScreen(step: string, sub: string | undefined, ctx: EnrollmentContext): Screen {
  switch (step) {
    case 'language':
      return { name: 'language' };
    case 'document':
      return documentScreen(sub, ctx);
    case 'fingerprints':
      return fingerScreen(sub, ctx);
    case 'face':
      return {
        name: 'face',
        phase: sub === 'captured' ? 'captured' : sub === 'fault' ? 'fault' : 'live',
        ...(sub === 'fault' ? { guidance: CAMERA_FAULT } : ctx.face.guidance ? { guidance: ctx.face.guidance } : {}),
        checks: ctx.face.checks,
        photoRev: ctx.face.rev,
        attempt: ctx.face.attempt,
        maxAttempts: ctx.flow.faceAttempts,
      };
    case 'signature':
      return { name: 'signature', signatureRev: ctx.signature.rev, ...(ctx.signature.error ? { error: ctx.signature.error } : {}) };
    case 'review': {
      const d = ctx.doc.accepted?.document;
      return { name: 'review', document: d ?? { kind: 'unknown', idNumber: '', flags: [] }, slots: ctx.fingers.map(slotView(ctx)), photoRev: ctx.face.rev, signatureRev: ctx.signature.rev };
    }
    case 'submitting':
      return { name: 'submitting' };
    case 'submitFailed':
      return { name: 'submit-failed', message: ctx.submit.error ?? { vi: 'Chưa lưu được hồ sơ.', en: 'Not saved yet.' } };
    case 'done':
      return {
        name: 'done',
        trackingCode: ctx.submit.trackingCode ?? '',
        printed: ctx.submit.printed,
        receiptLines: ctx.submit.receiptLines,
        ...(ctx.submit.printerMessage ? { printerMessage: ctx.submit.printerMessage } : {}),
      };
    default:
      return { name: 'attract' };
  }
}

function documentScreen(sub: string | undefined, ctx: EnrollmentContext): Screen {
  const p = ctx.doc.pending;
  if ((sub === 'confirm' || sub === 'mismatch') && p) {
    return { name: sub === 'confirm' ? 'document-confirm' : 'document-mismatch', document: p.document, checks: p.checks };
  }
  const phase = sub === 'typing' ? 'typing' : sub === 'checkingTyped' ? 'reading' : 'scan';
  return { name: 'document', phase, ...(ctx.doc.error ? { error: ctx.doc.error } : {}) };
}

const slotView =
  (ctx: EnrollmentContext) =>
  (s: FingerSlot): FingerSlotView => {
    switch (s.status) {
      case 'pending':
        return { position: s.position, status: 'pending' };
      case 'captured':
        return { position: s.position, status: 'captured', score: s.score, attempts: s.attempts, belowThreshold: s.score < ctx.flow.fingerQualityThreshold };
      case 'exception':
        return { position: s.position, status: 'exception', reason: s.reason };
    }
  };

const FINGER_MESSAGES: Partial<Record<FingerPhase, Bilingual>> = {
  place: { vi: 'Xin đặt ngón tay lên mặt kính và giữ yên.', en: 'Please place your finger on the glass and hold still.' },
  uploading: { vi: 'Đang đọc vân tay… xin giữ yên.', en: 'Reading your fingerprint… please hold still.' },
  'low-quality': { vi: 'Ảnh vân tay chưa rõ. Xin lau khô ngón tay, đặt phẳng và ấn nhẹ.', en: 'The print is not clear. Dry your finger, lay it flat and press gently.' },
  duplicate: { vi: 'Ngón này đã lấy rồi. Xin đặt đúng ngón được tô sáng.', en: 'That finger was already taken. Please use the highlighted finger.' },
  'no-finger': { vi: 'Chưa thấy ngón tay. Bấm "Thử lại" khi bạn sẵn sàng.', en: 'No finger detected. Press "Try again" when you are ready.' },
  fault: { vi: 'Máy lấy vân tay đang gặp sự cố. Bấm "Thử lại" hoặc "Trợ giúp".', en: 'The fingerprint reader has a problem. Press "Try again" or "Help".' },
  accepted: { vi: 'Đã lấy xong ngón này.', en: 'This finger is done.' },
};

function fingerScreen(sub: string | undefined, ctx: EnrollmentContext): Screen {
  const phase: FingerPhase =
    sub === 'lowQuality' ? 'low-quality' : sub === 'duplicate' ? 'duplicate' : sub === 'noFinger' ? 'no-finger' : sub === 'fault' ? 'fault' : sub === 'accepted' || sub === 'complete' ? 'accepted' : ctx.fingerProgress > 0 ? 'uploading' : 'place';
  const index = Math.min(ctx.fingerIndex, ctx.fingers.length - 1);
  const finger = ctx.fingers[index]?.position ?? 'right_thumb';
  const message = FINGER_MESSAGES[phase];
  return {
    name: 'fingerprints',
    phase,
    finger,
    index,
    // Attempt k of N: the one being made now, or the one just scored.
    attempt: Math.max(1, Math.min(ctx.fingerAttempts + (phase === 'low-quality' || phase === 'accepted' ? 0 : 1), ctx.flow.fingerAttempts)),
    maxAttempts: ctx.flow.fingerAttempts,
    progress: ctx.fingerProgress,
    threshold: ctx.flow.fingerQualityThreshold,
    slots: ctx.fingers.map(slotView(ctx)),
    ...(ctx.fingerLastScore !== undefined ? { lastScore: ctx.fingerLastScore } : {}),
    ...(ctx.fingerDuplicateOf ? { duplicateOf: ctx.fingerDuplicateOf } : {}),
    ...(message ? { message } : {}),
  };
}

const CAMERA_FAULT: Bilingual = {
  vi: 'Máy ảnh không gửi hình. Bấm "Chụp lại" để thử lại, hoặc "Trợ giúp" để gọi cán bộ.',
  en: 'The camera stopped sending pictures. Press "Retake" to try again, or "Help" to call staff.',
};
