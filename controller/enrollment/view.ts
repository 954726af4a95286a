import type { SnapshotFrom } from 'xstate';
import { REQUIRED_DEVICES, type EnrollmentContext, type FingerSlot } from './context';
import { enrollmentMachine, type EnrollmentMachine } from './machine';
import type { OverlayName, ScreenDeclaration, StateMeta } from './screens';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { FingerPhase, FingerSlotView, Screen, ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Bilingual } from '../../domain/language';
import type { FaultReason } from '../../domain/devices';

/**
 * Snapshot → view model: a pure function, so what the citizen sees is testable without a
 * browser and the page can be reloaded at any moment.
 */

type Snapshot = SnapshotFrom<EnrollmentMachine>;
type StateNodeOf = EnrollmentMachine['root'];

export function toViewModel(snapshot: Snapshot, seq: number): ViewModel {
  const ctx = snapshot.context;
  const base = { seq, lang: ctx.lang, fromReview: ctx.fromReview };
  const { overlay, behind } = shown(snapshot);
  const declared = behind.find((m) => m.screen)?.screen;
  const step = behind.find((m) => m.step)?.step;
  const screen: Screen = declared ? toScreen(declared, ctx) : { name: 'attract' };
  const shownOverlay =
    overlay === 'help' ? { name: 'help' as const } : overlay === 'timeout-prompt' ? { name: 'timeout-prompt' as const, secondsLeft: Math.round(ctx.flow.promptTimeoutMs / 1000) } : undefined;
  return { ...base, screen, ...(step ? { step } : {}), ...(shownOverlay ? { overlay: shownOverlay } : {}) };
}

/**
 * The screens declared by the states that decide what the citizen sees now. Exactly one for
 * every state a citizen can reach (test/unit/controller/enrollment/machine.paths.test.ts checks it).
 */
export function declaredScreens(snapshot: Snapshot): ScreenDeclaration[] {
  return shown(snapshot).behind.flatMap((m) => (m.screen ? [m.screen] : []));
}

/**
 * The overlay (help wins over the timeout prompt), and the meta of the states whose screen is
 * shown: the active states, or in help the states HELP_DONE returns to, so the step the citizen
 * left stays visible behind the overlay.
 */
function shown(snapshot: Snapshot): { overlay?: OverlayName; behind: StateMeta[] } {
  const active = activeMeta(snapshot);
  if (active.some((m) => m.overlay === 'help')) return { overlay: 'help', behind: helpReturnMeta(snapshot) };
  const overlay = active.find((m) => m.overlay)?.overlay;
  return { ...(overlay ? { overlay } : {}), behind: active };
}

function activeMeta(snapshot: Snapshot): StateMeta[] {
  return Object.values(snapshot.getMeta()).filter((m): m is StateMeta => m !== undefined);
}

/**
 * The meta of the states HELP_DONE returns to, read from the machine itself: the targets of the
 * help state's HELP_DONE transition, and where a target is a history state, the states it
 * recorded when the citizen left; each with the states it is inside.
 */
function helpReturnMeta(snapshot: Snapshot): StateMeta[] {
  const helpIds = Object.entries(snapshot.getMeta()).flatMap(([id, m]) => (m?.overlay === 'help' ? [id] : []));
  const targets = helpIds.flatMap((id) => (enrollmentMachine.getStateNodeById(id).on.HELP_DONE ?? []).flatMap((t) => t.target ?? []));
  const returnIds = targets.flatMap((t) => (t.type === 'history' ? (snapshot.historyValue[t.id] ?? []).map((n) => n.id) : [t.id]));
  return returnIds.flatMap((id) => {
    const meta: StateMeta[] = [];
    for (let node: StateNodeOf | undefined = enrollmentMachine.getStateNodeById(id); node; node = node.parent) if (node.meta) meta.push(node.meta);
    return meta;
  });
}

function toScreen(d: ScreenDeclaration, ctx: EnrollmentContext): Screen {
  switch (d.name) {
    case 'attract':
    case 'language':
    case 'abandoned':
    case 'submitting':
      return { name: d.name };
    case 'out-of-service': {
      // Storage (the data directory) is listed once the kiosk has reported it.
      const kinds: DeviceKind[] = [...REQUIRED_DEVICES, 'printer'];
      if (ctx.devices.storage) kinds.push('storage');
      return { name: 'out-of-service', devices: kinds.map((kind) => ({ kind, state: ctx.devices[kind] ?? ('disconnected' satisfies DeviceState) })) };
    }
    case 'document':
      return documentScreen(d.phase, ctx);
    case 'document-confirm':
    case 'document-mismatch': {
      const p = ctx.doc.pending;
      // Nothing to confirm (never expected): show the scan screen rather than an empty card.
      if (!p) return documentScreen('scan', ctx);
      return { name: d.name === 'document-confirm' ? 'document-confirm' : 'document-mismatch', document: p.document, checks: p.checks };
    }
    case 'fingerprints':
      return fingerScreen(d.phase, ctx);
    case 'face':
      return {
        name: 'face',
        phase: d.phase,
        ...(d.phase === 'fault' ? { guidance: CAMERA_FAULT } : ctx.face.guidance ? { guidance: ctx.face.guidance } : {}),
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
    case 'submit-failed':
      return { name: 'submit-failed', message: ctx.submit.error ?? { vi: 'Chưa lưu được hồ sơ.', en: 'Not saved yet.' } };
    case 'done':
      return {
        name: 'done',
        trackingCode: ctx.submit.trackingCode ?? '',
        printed: ctx.submit.printed,
        receiptLines: ctx.submit.receiptLines,
        ...(ctx.submit.printerMessage ? { printerMessage: ctx.submit.printerMessage } : {}),
      };
  }
}

function documentScreen(phase: Extract<ScreenDeclaration, { name: 'document' }>['phase'], ctx: EnrollmentContext): Screen {
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
  accepted: { vi: 'Đã lấy xong ngón này.', en: 'This finger is done.' },
};

/** What a reader fault means for the citizen, by its kind (the driver's typed reason). */
const FINGER_FAULT_MESSAGES: Readonly<Record<FaultReason, Bilingual>> = {
  unplugged: {
    vi: 'Máy lấy vân tay bị ngắt kết nối. Cán bộ đã được báo. Bấm "Thử lại" khi máy sẵn sàng, hoặc "Trợ giúp".',
    en: 'The fingerprint reader is disconnected. Staff have been told. Press "Try again" when it is back, or "Help".',
  },
  timeout: {
    vi: 'Máy lấy vân tay không trả lời. Bấm "Thử lại"; nếu vẫn không được, bấm "Trợ giúp".',
    en: 'The fingerprint reader is not answering. Press "Try again"; if it still fails, press "Help".',
  },
  protocol: {
    vi: 'Ảnh vân tay bị lỗi khi truyền. Bấm "Thử lại" và giữ yên ngón tay.',
    en: 'The fingerprint image was damaged on its way. Press "Try again" and keep your finger still.',
  },
  'device-error': {
    vi: 'Máy lấy vân tay đang gặp sự cố. Bấm "Thử lại" hoặc "Trợ giúp".',
    en: 'The fingerprint reader has a problem. Press "Try again" or "Help".',
  },
  aborted: {
    vi: 'Việc lấy vân tay đã dừng. Bấm "Thử lại".',
    en: 'Taking the fingerprint was stopped. Press "Try again".',
  },
};

function fingerScreen(declared: Extract<ScreenDeclaration, { name: 'fingerprints' }>['phase'], ctx: EnrollmentContext): Screen {
  const phase: FingerPhase = declared !== 'capturing' ? declared : ctx.fingerProgress > 0 ? 'uploading' : 'place';
  const index = Math.min(ctx.fingerIndex, ctx.fingers.length - 1);
  const finger = ctx.fingers[index]?.position ?? 'right_thumb';
  const fault = phase === 'fault' ? (ctx.fingerFault ?? 'device-error') : undefined;
  const message = fault !== undefined ? FINGER_FAULT_MESSAGES[fault] : FINGER_MESSAGES[phase];
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
    ...(fault !== undefined ? { faultReason: fault } : {}),
    ...(message ? { message } : {}),
  };
}

const CAMERA_FAULT: Bilingual = {
  vi: 'Máy ảnh không gửi hình. Bấm "Chụp lại" để thử lại, hoặc "Gọi cán bộ".',
  en: 'The camera stopped sending pictures. Press "Take again" to try again, or "Call staff".',
};
