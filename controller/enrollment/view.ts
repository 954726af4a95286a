import type { SnapshotFrom } from 'xstate';
import { REQUIRED_DEVICES, type EnrollmentContext, type FingerSlot } from './context';
import { enrollmentMachine, type EnrollmentMachine } from './machine';
import { SCANNER_BACK, backSideOnly, canReprint, fingerAfterThis } from './assigners';
import { doneTimeoutMs, promptTimeoutMs } from './elderly';
import type { CountdownDelay, OverlayName, ScreenDeclaration, StateMeta } from './screens';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import { fingerKeepOffered, fingerRetryOffered } from './setup';
import { handOf, type Hand } from '../../domain/fingers';
import type { FingerChoice, FingerPhase, FingerSlotView, Screen, ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Bilingual } from '../../domain/language';
import type { FaultReason } from '../../domain/devices';
import { applicantAge, takesBiometrics } from './application';

/**
 * Snapshot → view model: a pure function, so what the citizen sees is testable without a
 * browser and the page can be reloaded at any moment.
 */

type Snapshot = SnapshotFrom<EnrollmentMachine>;
type StateNodeOf = EnrollmentMachine['root'];

/**
 * The controller's clock, for the countdowns a screen shows: now, and when each state with a
 * `countdown` in its meta was entered (by its id). Without one, a countdown shows its full length.
 */
export interface ViewClock {
  readonly now: number;
  enteredAt(stateId: string): number | undefined;
}

export function toViewModel(snapshot: Snapshot, seq: number, clock?: ViewClock): ViewModel {
  const ctx = snapshot.context;
  const base = { seq, lang: ctx.lang, fromReview: ctx.fromReview, ...accessibility(ctx) };
  const { overlay, behind } = shown(snapshot);
  const declared = behind.find((m) => m.screen)?.screen;
  const step = behind.find((m) => m.step)?.step;
  const left = secondsLeft(snapshot, clock);
  const screen: Screen = declared ? toScreen(declared, ctx, left.doneTimeout) : { name: 'attract' };
  const shownOverlay =
    overlay === 'help'
      ? { name: 'help' as const }
      : overlay === 'timeout-prompt'
        ? { name: 'timeout-prompt' as const, secondsLeft: left.promptTimeout ?? Math.round(promptTimeoutMs(ctx) / 1000) }
        : undefined;
  return { ...base, screen, ...(step ? { step } : {}), ...(shownOverlay ? { overlay: shownOverlay } : {}) };
}

/** The citizen's text size and mute (issue #15), only when set. */
function accessibility(ctx: EnrollmentContext): Pick<ViewModel, 'largeText' | 'voiceMuted'> {
  return { ...(ctx.largeText ? { largeText: true } : {}), ...(ctx.voiceMuted ? { voiceMuted: true } : {}) };
}

/** The active states that leave by themselves after a delay the citizen is shown, by state id. */
export function countdowns(snapshot: Snapshot): ReadonlyMap<string, CountdownDelay> {
  const out = new Map<string, CountdownDelay>();
  for (const [id, m] of Object.entries(snapshot.getMeta())) if (m?.countdown) out.set(id, m.countdown);
  return out;
}

const COUNTDOWN_MS: Readonly<Record<CountdownDelay, (ctx: EnrollmentContext) => number>> = {
  promptTimeout: promptTimeoutMs,
  doneTimeout: doneTimeoutMs,
};

/** Whole seconds left on each running countdown: rounded up, so "0" is shown only at the end. */
function secondsLeft(snapshot: Snapshot, clock: ViewClock | undefined): Partial<Record<CountdownDelay, number>> {
  const out: Partial<Record<CountdownDelay, number>> = {};
  for (const [id, delay] of countdowns(snapshot)) {
    const total = COUNTDOWN_MS[delay](snapshot.context);
    const since = clock?.enteredAt(id);
    const leftMs = clock && since !== undefined ? total - (clock.now - since) : total;
    out[delay] = Math.max(0, Math.ceil(leftMs / 1000));
  }
  return out;
}

/**
 * The screens declared by the states that decide what the citizen sees now. Exactly one for
 * every state a citizen can reach (test/unit/controller/enrollment/machine.paths.test.ts checks it).
 */
export function declaredScreens(snapshot: Snapshot): ScreenDeclaration[] {
  return shown(snapshot).behind.flatMap((m) => (m.screen ? [m.screen] : []));
}

/**
 * The overlay, and the meta of the states whose screen is shown: the active states, or in help
 * the states HELP_DONE returns to, so the step the citizen left stays visible behind the overlay.
 * The timeout prompt wins over help: it asks for an answer, and the session ends without one.
 */
function shown(snapshot: Snapshot): { overlay?: OverlayName; behind: StateMeta[] } {
  const active = activeMeta(snapshot);
  const inHelp = active.some((m) => m.overlay === 'help');
  const behind = inHelp ? helpReturnMeta(snapshot) : active;
  const overlay = active.some((m) => m.overlay === 'timeout-prompt') ? 'timeout-prompt' : inHelp ? 'help' : active.find((m) => m.overlay)?.overlay;
  return { ...(overlay ? { overlay } : {}), behind };
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

function toScreen(d: ScreenDeclaration, ctx: EnrollmentContext, doneSecondsLeft: number | undefined): Screen {
  switch (d.name) {
    case 'attract':
      return {
        name: 'attract',
        ...(d.staffCalled ? { staffCalled: true } : {}),
        ...(d.asleep ? { asleep: true } : {}),
        ...(ctx.printerProblem ? { printerProblem: ctx.printerProblem } : {}),
        ...(d.invitationRefused && ctx.invitationRefusal ? { invitationRefused: ctx.invitationRefusal } : {}),
      };
    case 'case':
      return { name: 'case', phase: d.phase, ...(ctx.application.case ? { chosen: ctx.application.case } : {}), ...(ctx.application.changes ? { changes: ctx.application.changes } : {}) };
    case 'invitation-mismatch': {
      const p = ctx.doc.pending;
      if (!p) return documentScreen('scan', ctx);
      return { name: 'invitation-mismatch', expected: maskIdNumber(ctx.application.invitation?.idNumber ?? ''), document: p.document };
    }
    case 'guardian': {
      const child = ctx.doc.accepted?.document;
      const age = applicantAge(ctx).age;
      const g = ctx.guardian.pending;
      return {
        name: 'guardian',
        phase: d.phase === 'confirm' && g ? 'confirm' : 'scan',
        child: { ...(child?.fullName ? { fullName: child.fullName } : {}), ...(age !== undefined ? { age } : {}) },
        noBiometrics: !takesBiometrics(ctx),
        ...(g && d.phase === 'confirm' ? { guardian: g.document } : {}),
        ...(ctx.guardian.error ? { error: ctx.guardian.error } : {}),
      };
    }
    case 'iris':
      return { name: 'iris' };
    case 'language':
    case 'abandoned':
    case 'submitting':
      return { name: d.name };
    case 'out-of-service': {
      // Storage (the data directory) is listed once the kiosk has reported it.
      const kinds: DeviceKind[] = [...REQUIRED_DEVICES, 'printer'];
      if (ctx.devices.storage) kinds.push('storage');
      const devices = kinds.map((kind) => ({ kind, state: ctx.devices[kind] ?? ('disconnected' satisfies DeviceState) }));
      // Out of service by a switch: the technician's says "maintenance", the hall officer's says so (issue #14).
      const byOfficer = d.maintenance === true && ctx.maintenance !== true && ctx.officerOutOfService !== undefined;
      return {
        name: 'out-of-service',
        devices,
        ...(byOfficer ? { officer: true } : d.maintenance ? { maintenance: true } : {}),
        ...(ctx.enclosureOpen ? { enclosureOpen: true } : {}),
      };
    }
    case 'document':
      return documentScreen(d.phase, ctx);
    case 'document-confirm':
    case 'document-mismatch':
    case 'different-person': {
      const p = ctx.doc.pending;
      // Nothing to confirm (never expected): show the scan screen rather than an empty card.
      if (!p) return documentScreen('scan', ctx);
      if (d.name === 'different-person') return { name: 'different-person', document: p.document };
      if (d.name === 'document-mismatch') return { name: 'document-mismatch', document: p.document, checks: p.checks };
      return { name: 'document-confirm', document: p.document, checks: p.checks, ...(backSideOnly(p.document) ? { askFront: true } : {}) };
    }
    case 'fingerprints':
      return fingerScreen(d.phase, ctx);
    case 'face':
      return faceScreen(d.phase, ctx);
    case 'signature':
      return {
        name: 'signature',
        signatureRev: ctx.signature.rev,
        attempt: ctx.signature.attempts,
        ...(ctx.signature.error ? { error: ctx.signature.error } : {}),
        ...(ctx.guardian.accepted ? { signer: 'guardian' as const } : {}),
      };
    case 'review': {
      const d = ctx.doc.accepted?.document;
      const guardian = ctx.guardian.accepted?.document;
      return {
        name: 'review',
        document: d ?? { kind: 'unknown', idNumber: '', flags: [] },
        slots: ctx.fingers.map(slotView(ctx)),
        photoRev: ctx.face.rev,
        signatureRev: ctx.signature.rev,
        ...(ctx.application.case ? { case: ctx.application.case } : {}),
        ...(guardian ? { guardian } : {}),
        ...(!takesBiometrics(ctx) ? { noBiometrics: true } : {}),
        ...(ctx.printerProblem ? { printerProblem: ctx.printerProblem } : {}),
      };
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
        ...(doneSecondsLeft !== undefined ? { secondsLeft: doneSecondsLeft } : {}),
        canReprint: canReprint(ctx),
        ...(!takesBiometrics(ctx) && ctx.doc.accepted ? { finishAt: ctx.flow.childFinishAt } : {}),
      };
  }
}

/** Only the last digits of the invited number, as the receipt shows a number: enough to recognise it. */
function maskIdNumber(id: string): string {
  const keep = id.length >= 12 ? 4 : 3;
  return '•'.repeat(Math.max(0, id.length - keep)) + id.slice(-keep);
}

/** Is the device working now, by its supervisor's last report? */
const working = (state: DeviceState | undefined): boolean => state === 'ready' || state === 'busy';

function documentScreen(phase: Extract<ScreenDeclaration, { name: 'document' }>['phase'], ctx: EnrollmentContext): Screen {
  // The scanner failed, went away and has come back since (issue #13): say it works, not that it failed.
  const error = ctx.doc.fault !== undefined && ctx.doc.scannerDropped === true && working(ctx.devices.document) ? SCANNER_BACK : ctx.doc.error;
  return {
    name: 'document',
    phase,
    ...(error ? { error } : {}),
    ...(phase === 'typing' ? { digits: ctx.doc.typed ?? '' } : {}),
    ...(ctx.application.case ? { case: ctx.application.case } : {}),
    ...(ctx.application.invitation ? { invited: true } : {}),
  };
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
  // The sensor holds the image once it is sending it: the finger may go while it is read (issue #15).
  uploading: { vi: 'Đã lấy được vân tay. Xin nhấc ngón tay lên, máy đang kiểm tra ảnh.', en: 'Got it. Please lift your finger now while the print is checked.' },
  'low-quality': { vi: 'Ảnh vân tay chưa rõ. Xin lau khô ngón tay, đặt phẳng và ấn nhẹ.', en: 'The print is not clear. Dry your finger, lay it flat and press gently.' },
  duplicate: { vi: 'Ngón này đã lấy rồi. Xin đặt đúng ngón được tô sáng.', en: 'That finger was already taken. Please use the highlighted finger.' },
  'no-finger': { vi: 'Chưa thấy ngón tay. Bấm "Thử lại" khi bạn sẵn sàng.', en: 'No finger detected. Press "Try again" when you are ready.' },
  accepted: { vi: 'Tốt lắm! Đã lấy xong ngón này.', en: 'Well done! This finger is done.' },
  'proof-taking': { vi: 'Đang chụp ảnh… Xin giữ yên bàn tay.', en: 'Taking the photo… Please hold your hand still.' },
  'officer-check': {
    vi: 'Cán bộ đang xem ảnh bàn tay của bạn. Xin chờ một chút. Nếu muốn thử lại ngón tay, bấm "Huỷ".',
    en: 'An officer is checking the photo of your hand. Please wait a moment. To try the finger instead, press "Cancel".',
  },
  'staff-check': {
    vi: 'Có nhiều ngón tay không lấy được vân tay. Cán bộ đã được báo và sẽ kiểm tra trước khi bạn làm tiếp.',
    en: 'Several fingers cannot be taken. Staff have been told and will check before you go on.',
  },
};

/** "Done" for a finger kept below the threshold by the citizen's choice, or declared: not "well done". */
const FINGER_KEPT: Bilingual = {
  vi: 'Đã giữ bản vân tay rõ nhất của ngón này. Cán bộ sẽ kiểm tra.',
  en: 'The clearest print of this finger is kept. Staff will check it.',
};
const FINGER_DECLARED: Bilingual = {
  vi: 'Đã ghi nhận: ngón này không lấy được. Cán bộ sẽ xem ảnh bàn tay.',
  en: 'Noted: this finger cannot be taken. Staff will look at the photo of your hand.',
};

const unreadable = (ctx: EnrollmentContext): Bilingual =>
  fingerRetryOffered(ctx) ? FINGER_UNREADABLE.retry : fingerKeepOffered(ctx) ? FINGER_UNREADABLE.keep : FINGER_UNREADABLE.none;

/** The hall officer's answer about the photo of the hand (issue #14), as the citizen is told it. */
const FINGER_APPROVED: Bilingual = {
  vi: 'Cán bộ đã xem ảnh và đồng ý: đã ghi nhận ngón này không lấy được vân tay.',
  en: 'An officer looked at the photo and agreed: this finger is noted as one that cannot be taken.',
};
const FINGER_UNANSWERED: Bilingual = {
  vi: 'Đã ghi nhận: ngón này không lấy được. Cán bộ chưa kịp xem ảnh; cán bộ sẽ xem lại sau.',
  en: 'Noted: this finger cannot be taken. No officer could look at the photo yet; staff will check it later.',
};
const FINGER_REFUSED: Bilingual = {
  vi: 'Cán bộ đã xem ảnh và đề nghị bạn thử lấy vân tay ngón này. Xin đặt ngón tay lên mặt kính. Nếu thật sự không được, bấm "Trợ giúp".',
  en: 'An officer looked at the photo and asks you to try this finger. Please place it on the glass. If it really cannot be done, press "Help".',
};
const FINGER_REFUSED_UNREADABLE: Bilingual = {
  vi: 'Cán bộ đã xem ảnh và chưa đồng ý bỏ qua ngón này. Xin chọn một nút bên dưới, hoặc bấm "Trợ giúp" để cán bộ đến giúp.',
  en: 'An officer looked at the photo and did not agree to skip this finger. Please choose a button below, or press "Help" for an officer to come.',
};
const FINGER_REFUSED_TAKEN: Bilingual = {
  vi: 'Cán bộ đã xem ảnh: vân tay đã lấy của ngón này được giữ lại.',
  en: 'An officer looked at the photo: the print already taken for this finger is kept.',
};

/** After a round of attempts below the threshold, by what the citizen may do next. */
const FINGER_UNREADABLE = {
  retry: {
    vi: 'Chưa đọc được vân tay ngón này đủ rõ. Xin lau khô ngón tay, đặt phẳng và ấn nhẹ, rồi bấm "Thử lại". Nếu ngón này không thể lấy vân tay, bấm "Ngón này không lấy được".',
    en: 'This fingerprint could not be read clearly enough. Dry your finger, lay it flat and press gently, then press "Try again". If this finger cannot give a print, press "This finger cannot be taken".',
  },
  keep: {
    vi: 'Sau nhiều lần thử, vân tay ngón này vẫn chưa đủ rõ. Bấm "Dùng bản này" để giữ bản rõ nhất (cán bộ sẽ kiểm tra), hoặc bấm "Ngón này không lấy được".',
    en: 'After several tries this print could not be read clearly enough. Press "Use this print" to keep the clearest one (staff will check it), or press "This finger cannot be taken".',
  },
  none: {
    vi: 'Sau nhiều lần thử, máy vẫn không đọc được vân tay ngón này. Bấm "Ngón này không lấy được", hoặc bấm "Trợ giúp" để gọi cán bộ.',
    en: 'After several tries the reader still could not read this finger. Press "This finger cannot be taken", or press "Help" to call staff.',
  },
} as const satisfies Record<string, Bilingual>;

const PROOF_PHOTO_ASK: Readonly<Record<Hand, Bilingual>> = {
  right: {
    vi: 'Xin giơ bàn tay phải lên trước máy ảnh, lòng bàn tay hướng về máy ảnh, rồi bấm "Chụp ảnh". Cán bộ sẽ xem ảnh này.',
    en: 'Hold your right hand up to the camera, palm towards it, then press "Take the photo". Staff will look at this photo.',
  },
  left: {
    vi: 'Xin giơ bàn tay trái lên trước máy ảnh, lòng bàn tay hướng về máy ảnh, rồi bấm "Chụp ảnh". Cán bộ sẽ xem ảnh này.',
    en: 'Hold your left hand up to the camera, palm towards it, then press "Take the photo". Staff will look at this photo.',
  },
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

/** The reader failed and works again (its supervisor reopened it; issue #13). */
const FINGER_READER_BACK: Bilingual = {
  vi: 'Máy lấy vân tay đã hoạt động lại. Bấm "Thử lại".',
  en: 'The fingerprint reader is working again. Press "Try again".',
};

/** The buttons the page shows in `phase`: only what the machine will take there. */
function fingerChoices(phase: FingerPhase, ctx: EnrollmentContext): FingerChoice[] {
  const redo: FingerChoice[] = ctx.fromReview ? ['cancel-redo'] : [];
  switch (phase) {
    case 'place':
      // Nothing tried yet: the thing to do is to place the finger, not to "try again".
      return ['exception', ...redo];
    case 'low-quality':
    case 'duplicate':
    case 'no-finger':
      return ['retry', 'exception', ...redo];
    case 'fault':
      return ['retry', ...redo];
    case 'unreadable':
      return [...(fingerRetryOffered(ctx) ? (['retry'] as const) : []), ...(fingerKeepOffered(ctx) ? (['keep'] as const) : []), 'exception', ...redo];
    case 'proof-photo':
      return ['take-photo', 'cancel-exception'];
    case 'officer-check':
      return ['cancel-exception'];
    case 'uploading':
    case 'accepted':
    case 'proof-taking':
    case 'staff-check':
      return [];
  }
}

function fingerMessage(phase: FingerPhase, ctx: EnrollmentContext, hand: Hand, fault: FaultReason | undefined): Bilingual | undefined {
  // A fault of the reader, not of the finger: once the reader works again, say so.
  if (fault !== undefined && fault !== 'protocol' && fault !== 'aborted' && ctx.fingerReaderDropped === true && working(ctx.devices.fingerprint)) return FINGER_READER_BACK;
  if (fault !== undefined) return FINGER_FAULT_MESSAGES[fault];
  const current = ctx.fingers[ctx.fingerIndex];
  switch (phase) {
    case 'accepted':
      if (current?.status === 'exception') return current.approval?.outcome === 'approved' ? FINGER_APPROVED : current.approval?.outcome === 'unanswered' ? FINGER_UNANSWERED : FINGER_DECLARED;
      if (ctx.fingerRefusalNote) return FINGER_REFUSED_TAKEN;
      if (current?.status === 'captured' && !(current.score >= ctx.flow.fingerQualityThreshold)) return FINGER_KEPT;
      return FINGER_MESSAGES.accepted;
    case 'proof-photo':
      return ctx.fingerProofError ?? PROOF_PHOTO_ASK[hand];
    case 'place':
    case 'unreadable':
      return ctx.fingerRefusalNote ? (phase === 'place' ? FINGER_REFUSED : FINGER_REFUSED_UNREADABLE) : phase === 'place' ? FINGER_MESSAGES.place : unreadable(ctx);
    default:
      return FINGER_MESSAGES[phase];
  }
}

function fingerScreen(declared: Extract<ScreenDeclaration, { name: 'fingerprints' }>['phase'], ctx: EnrollmentContext): Screen {
  // An image sent again after a damaged transfer starts its progress at 0: it is still the image taken.
  const phase: FingerPhase = declared !== 'capturing' ? declared : ctx.fingerProgress > 0 || ctx.fingerImageTaken ? 'uploading' : 'place';
  const next = phase === 'accepted' ? fingerAfterThis(ctx) : undefined;
  const index = Math.min(ctx.fingerIndex, ctx.fingers.length - 1);
  const finger = ctx.fingers[index]?.position ?? 'right_thumb';
  const hand = handOf(finger);
  // The reader is not there at all (its port is gone): that is the fault now, whatever the last attempt said.
  const fault = phase !== 'fault' ? undefined : ctx.devices.fingerprint === 'disconnected' ? 'unplugged' : (ctx.fingerFault ?? 'device-error');
  const message = fingerMessage(phase, ctx, hand, fault);
  const pending = ctx.fingerExceptionPending;
  const perRound = ctx.flow.fingerAttempts;
  // Attempts are counted per round: "Try again" after a round starts again at 1.
  const inRound = ctx.fingerAttempts - (ctx.fingerRound - 1) * perRound;
  const scored = phase === 'low-quality' || phase === 'accepted' || phase === 'unreadable';
  return {
    name: 'fingerprints',
    phase,
    finger,
    index,
    // Attempt k of N: the one being made now, or the one just scored.
    attempt: Math.max(1, Math.min(inRound + (scored ? 0 : 1), perRound)),
    maxAttempts: perRound,
    progress: ctx.fingerProgress,
    threshold: ctx.flow.fingerQualityThreshold,
    slots: ctx.fingers.map(slotView(ctx)),
    choices: fingerChoices(phase, ctx),
    ...(ctx.fingerLastScore !== undefined ? { lastScore: ctx.fingerLastScore } : {}),
    ...(ctx.fingerDuplicateOf ? { duplicateOf: ctx.fingerDuplicateOf } : {}),
    ...(next ? { nextFinger: next } : {}),
    ...(fault !== undefined ? { faultReason: fault } : {}),
    ...(pending && (phase === 'proof-photo' || phase === 'proof-taking' || phase === 'officer-check') ? { exception: { reason: pending.reason, scope: pending.scope, hand } } : {}),
    ...(message ? { message } : {}),
  };
}

function faceScreen(phase: Extract<ScreenDeclaration, { name: 'face' }>['phase'], ctx: EnrollmentContext): Screen {
  const maxAttempts = ctx.flow.faceAttempts;
  const attempt = Math.min(ctx.face.attempt, maxAttempts);
  const retakesLeft = maxAttempts - attempt;
  const countdown = phase === 'live' ? ctx.face.countdown : undefined;
  return {
    name: 'face',
    phase,
    ...(phase === 'fault' ? { guidance: CAMERA_FAULT } : ctx.face.guidance ? { guidance: ctx.face.guidance } : {}),
    checks: ctx.face.checks,
    photoRev: ctx.face.rev,
    attempt,
    maxAttempts,
    retakesLeft,
    ...(countdown !== undefined ? { countdown } : {}),
    ...(phase === 'captured' && retakesLeft === 0 ? { notice: FACE_LAST_PHOTO } : {}),
  };
}

/** The last photo allowed has been taken: what happens now, and the two ways on. */
export const FACE_LAST_PHOTO: Bilingual = {
  vi: 'Đây là lần chụp cuối. Máy đã giữ ảnh đẹp nhất trong các lần chụp; cán bộ sẽ xem lại ảnh này. Xin bấm "Dùng ảnh này", hoặc bấm "Gọi cán bộ" nếu cần giúp.',
  en: 'That was the last photo the kiosk can take. It has kept the best of your photos, and staff will check it. Please press "Use this photo", or "Call staff" if you need help.',
};

export const CAMERA_FAULT: Bilingual = {
  vi: 'Máy ảnh không gửi hình. Bấm "Chụp lại" để thử lại, hoặc "Gọi cán bộ".',
  en: 'The camera stopped sending pictures. Press "Take again" to try again, or "Call staff".',
};
