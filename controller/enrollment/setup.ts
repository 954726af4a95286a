import { assign, emit, fromCallback, fromPromise, not, or, raise, sendTo, setup, stateIn, type EventObject } from 'xstate';
import type { FlowConfig } from '../config/schema';
import {
  FACE_TAKE_STILL,
  REQUIRED_DEVICES,
  storageUsable,
  emptySession,
  type CapturedFace,
  type DocumentOutcome,
  type EnrollmentContext,
  type EnrollmentEvent,
  type EnrollmentNotice,
  type HelpSource,
  type InvitationOutcome,
  type FingerOutcome,
  type PrintOutcome,
  type ProofOutcome,
  type SignatureOutcome,
  type SubmitOutput,
} from './context';
import * as fx from './assigners';
import { absentTimeoutMs, doneTimeoutMs, elderlyDefaults, helpWaitMs, idleTimeoutMs, invitationDefaults, promptTimeoutMs } from './elderly';
import * as app from './application';
import type { ApplicationCase, InfoChange, InvitationRefusal } from '../../domain/application';
import type { EnrollmentDraft } from './draft';
import type { StateMeta } from './screens';
import { biometricBytes, overwrite, type WipeTarget } from './wipe';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { FingerExceptionReason, FingerExceptionScope, FingerPosition, Hand } from '../../domain/fingers';
import type { EditableStep, FaceCheckView, PrinterProblem } from '../../domain/kiosk-channel/view-model';
import type { Bilingual, Lang } from '../../domain/language';
import type { SignatureBox, SignatureStroke } from '../../domain/signature';

/**
 * Everything the enrollment statechart (machine.ts) refers to by name: the actors it invokes,
 * its delays, guards and actions. Each one is named here so the Stately inspector and
 * `npm run kiosk -- statechart` show what happens, and so a test can swap any of them with
 * `machine.provide()`. Actions take their data as params; guards read only their own params
 * and the context, so each means what its name says whatever order the transitions are in.
 */

export interface MachineInput {
  readonly flow: FlowConfig;
}

export interface ReadDocumentInput {
  readonly waitMs: number;
  /** Set on the confirm screen: a scan of the card's other side is cross-checked against this. */
  readonly previous?: Extract<DocumentOutcome, { kind: 'parsed' }>;
}
export interface TypedNumberInput {
  readonly digits: string;
  /** 12 digits typed as a CCCD's personal ID number (lost card, first card, damaged card) or an old CMND's (default). */
  readonly as?: 'cccd' | 'cmnd';
}
export interface CaptureFingerInput { readonly position: FingerPosition; readonly waitMs: number; readonly previous: EnrollmentContext['fingers'] }
/** The photo of the hand that proves a finger exception; `hand` is the one the citizen holds up. */
export interface ProofPhotoInput { readonly hand: Hand }
export interface FaceSessionInput {
  /** Passing preview frames in a row before the face counts as steady. */
  readonly stableFrames: number;
  /** Frames the liveness tracker needs before the face counts as steady (and its hint can fire). */
  readonly livenessFrames: number;
}

/** One step of the photo countdown (3, 2, 1): a second, by definition. */
export const FACE_COUNTDOWN_TICK_MS = 1000;
/** The start screen's scanner watch: how long each read waits before it is asked again. */
export interface WatchInvitationsInput { readonly waitMs: number }
export interface CheckSignatureInput { readonly strokes: readonly SignatureStroke[]; readonly box: SignatureBox }
export interface SubmitInput { readonly draft: EnrollmentDraft }
export type PrintInput = fx.ReceiptFacts;

const notProvided = (name: string) => () => {
  throw new Error(`actor "${name}" was not provided: main.ts (or the test) must supply it with machine.provide()`);
};

const meetsThreshold = (ctx: EnrollmentContext, score: number): boolean => score >= ctx.flow.fingerQualityThreshold;
// Written as "does not meet" so a score that is not a number counts as below, never as neither.
const fingerBelowThreshold = (ctx: EnrollmentContext, o: FingerOutcome): boolean => o.kind === 'captured' && !meetsThreshold(ctx, o.score);
/** Attempts are counted over every round; each round allows `fingerAttempts` more. */
const attemptsAllowedSoFar = (ctx: EnrollmentContext): number => ctx.fingerRound * ctx.flow.fingerAttempts;
const lastFingerAttempt = (ctx: EnrollmentContext): boolean => ctx.fingerAttempts + 1 >= attemptsAllowedSoFar(ctx);
const fingerRoundUsedUp = (ctx: EnrollmentContext): boolean => ctx.fingerBest !== undefined && ctx.fingerAttempts >= attemptsAllowedSoFar(ctx);
const fingerRoundsLeft = (ctx: EnrollmentContext): boolean => ctx.fingerRound < ctx.flow.fingerRounds;

/**
 * The citizen may keep a print below the threshold only after the last round, and only one with
 * something in it: quality 0 means no usable print (controller/capture/fingerprint-quality).
 */
export const fingerKeepOffered = (ctx: EnrollmentContext): boolean =>
  fingerRoundUsedUp(ctx) && !fingerRoundsLeft(ctx) && (ctx.fingerBest?.score ?? 0) > 0;
export const fingerRetryOffered = (ctx: EnrollmentContext): boolean => fingerRoundUsedUp(ctx) && fingerRoundsLeft(ctx);
/** Not delivering pictures, by its supervisor's report: faulted (its frame watchdog fired) or gone. */
const cameraDown = (ctx: EnrollmentContext): boolean => ctx.devices.camera === 'fault' || ctx.devices.camera === 'disconnected';

export const enrollmentSetup = setup({
  types: {
    context: {} as EnrollmentContext,
    events: {} as EnrollmentEvent,
    input: {} as MachineInput,
    meta: {} as StateMeta,
    emitted: {} as EnrollmentNotice,
  },
  actors: {
    readDocument: fromPromise<DocumentOutcome, ReadDocumentInput>(notProvided('readDocument')),
    // The start screen listens to the scanner for an invitation; it sends INVITATION back.
    watchInvitations: fromCallback<EventObject, WatchInvitationsInput>(notProvided('watchInvitations')),
    parseTypedNumber: fromPromise<DocumentOutcome, TypedNumberInput>(notProvided('parseTypedNumber')),
    captureFinger: fromCallback<EventObject, CaptureFingerInput>(notProvided('captureFinger')),
    takeProofPhoto: fromPromise<ProofOutcome, ProofPhotoInput>(notProvided('takeProofPhoto')),
    faceSession: fromCallback<EventObject, FaceSessionInput>(notProvided('faceSession')),
    checkSignature: fromPromise<SignatureOutcome, CheckSignatureInput>(notProvided('checkSignature')),
    submitEnrollment: fromPromise<SubmitOutput, SubmitInput>(notProvided('submitEnrollment')),
    printReceipt: fromPromise<PrintOutcome, PrintInput>(notProvided('printReceipt')),
  },
  delays: {
    // Longer for a citizen of 60 or more (flow.elderly, elderly.ts).
    idleTimeout: ({ context }) => idleTimeoutMs(context),
    promptTimeout: ({ context }) => promptTimeoutMs(context),
    doneTimeout: ({ context }) => doneTimeoutMs(context),
    abandonedScreen: ({ context }) => context.flow.abandonedScreenMs,
    helpWait: ({ context }) => helpWaitMs(context),
    staffCalledScreen: ({ context }) => context.flow.staffCalledScreenMs,
    fingerPause: ({ context }) => context.flow.fingerPauseMs,
    fingerAcceptedPause: ({ context }) => context.flow.fingerAcceptedPauseMs,
    /** How long a finger exception waits for the hall officer's answer before it is kept unanswered. */
    exceptionApprovalWait: ({ context }) => context.flow.fingerExceptionApprovalWaitMs,
    faceCountdownTick: FACE_COUNTDOWN_TICK_MS,
    // the panel's PIR
    attractSleep: ({ context }) => context.flow.attractSleepMs,
    absentTimeout: ({ context }) => absentTimeoutMs(context),
    invitationRefusedScreen: ({ context }) => context.flow.invitationRefusedScreenMs,
  },
  guards: {
    devicesReady: ({ context }) =>
      REQUIRED_DEVICES.every((k) => context.devices[k] === 'ready' || context.devices[k] === 'busy') && storageUsable(context.devices.storage),
    requiredDeviceMissing: not('devicesReady'),
    // The technician's switch (the service screen), or the hall officer's (the ops console):
    // out of service whatever the devices say.
    inMaintenance: ({ context }) => context.maintenance === true || context.officerOutOfService !== undefined,
    notInMaintenance: not('inMaintenance'),
    // the panel: the tamper switch and the PIR
    enclosureOpen: ({ context }) => context.enclosureOpen,
    enclosureShut: not('enclosureOpen'),
    enclosureOpening: (_, p: { open: boolean }) => p.open,
    personArrived: (_, p: { present: boolean }) => p.present,
    personLeft: (_, p: { present: boolean }) => !p.present,
    /** Nobody in front (as far as the PIR knows), and the start screen is set to go quiet at all. */
    attractMaySleep: ({ context }) => context.flow.attractSleepMs > 0 && !context.someoneNear,
    fromReview: ({ context }) => context.fromReview,
    fingersDone: ({ context }) => context.fingers.every((s) => s.status !== 'pending'),
    everyStepComplete: ({ context }) => fx.isComplete(context),
    // Nobody needs to tap while the packet is being committed or the receipt is up.
    committingOrShowingReceipt: or([stateIn('#kiosk.session.main.flow.submitting'), stateIn('#kiosk.session.main.flow.done')]),
    // Leaving while the packet is committed, or the receipt is printing, would lose the outcome
    // (and, coming back, commit or print a second time): help waits the few seconds they take.
    helpCanBeAsked: not(or([stateIn('#kiosk.session.main.flow.submitting'), stateIn('#kiosk.session.main.flow.done.printing')])),
    // Quitting mid-commit would tell the citizen their data was deleted while it is being saved.
    canQuit: not(stateIn('#kiosk.session.main.flow.submitting')),
    // Committed: the application is saved, there is nothing of the citizen's left to delete.
    committed: ({ context }) => context.submit.trackingCode !== undefined,
    waitingForStaff: stateIn('#kiosk.session.main.help'),
    receiptCanBePrintedAgain: ({ context }) => fx.canReprint(context),
    differentPerson: ({ context }, o: DocumentOutcome) => fx.isDifferentPerson(context, o),
    pendingDocumentClean: ({ context }) => context.doc.pending !== undefined && context.doc.pending.checks.every((c) => c.ok),
    typedDigitsChanged: ({ context }, p: { digits: string }) => (context.doc.typed ?? '') !== p.digits,
    documentClean: (_, o: DocumentOutcome) => o.kind === 'parsed' && o.checks.every((c) => c.ok),
    documentHasMismatch: (_, o: DocumentOutcome) => o.kind === 'parsed' && o.checks.some((c) => !c.ok),
    documentUnreadable: (_, o: DocumentOutcome) => o.kind === 'invalid' || o.kind === 'fault',
    fingerMeetsThreshold: ({ context }, o: FingerOutcome) => o.kind === 'captured' && meetsThreshold(context, o.score),
    fingerBelowThresholdWithAttemptsLeft: ({ context }, o: FingerOutcome) => fingerBelowThreshold(context, o) && !lastFingerAttempt(context),
    fingerBelowThresholdLastAttempt: ({ context }, o: FingerOutcome) => fingerBelowThreshold(context, o) && lastFingerAttempt(context),
    fingerIsDuplicate: (_, o: FingerOutcome) => o.kind === 'duplicate',
    fingerRetryOffered: ({ context }) => fingerRetryOffered(context),
    fingerKeepOffered: ({ context }) => fingerKeepOffered(context),
    /** Every attempt of the round is spent (so a cancelled declaration comes back to the question). */
    fingerRoundUsedUp: ({ context }) => fingerRoundUsedUp(context),
    /** The finger on screen is already taken (an exception declared on the "done" screen). */
    currentFingerTaken: ({ context }) => context.fingers[context.fingerIndex]?.status !== 'pending',
    proofPhotoTaken: (_, o: ProofOutcome) => o.kind === 'photo',
    /** The photo is taken and an officer's console is there to answer about it (issue #14). */
    proofPhotoForOfficer: ({ context }, o: ProofOutcome) => o.kind === 'photo' && context.flow.fingerExceptionApproval && context.opsConsole === true,
    officerApproved: (_, p: { approve: boolean }) => p.approve,
    tooManyFingerExceptions: ({ context }) => fx.tooManyFingerExceptions(context),
    noFingerPlaced: (_, o: FingerOutcome) => o.kind === 'no-finger',
    cameraDown: ({ context }) => cameraDown(context),
    faceSteady: (_, p: { steady: boolean | undefined }) => p.steady === true,
    faceCountdownEnding: ({ context }) => (context.face.countdown ?? 0) <= 1,
    faceCountdownOff: ({ context }) => context.flow.faceCountdownSeconds <= 0,
    lastFaceAttempt: ({ context }) => context.face.attempt >= context.flow.faceAttempts,
    faceRetakesLeft: ({ context }) => context.face.attempt < context.flow.faceAttempts,
    signatureValid: (_, o: SignatureOutcome) => o.kind === 'valid',
    editingDocument: (_, p: { step: EditableStep }) => p.step === 'document',
    // Under 6 no biometrics are taken (Luật Căn cước 2023): not from review either.
    editingFingerprints: ({ context }, p: { step: EditableStep }) => p.step === 'fingerprints' && app.takesBiometrics(context),
    editingFace: ({ context }, p: { step: EditableStep }) => p.step === 'face' && app.takesBiometrics(context),
    biometricsTaken: ({ context }) => app.takesBiometrics(context),
    editingSignature: (_, p: { step: EditableStep }) => p.step === 'signature',
    // accessibility (issue #15): a setting the citizen sends is acted on only when it changes something
    largeTextChanging: ({ context }, p: { on: boolean }) => context.largeText !== p.on,
    voiceMuteChanging: ({ context }, p: { muted: boolean }) => context.voiceMuted !== p.muted,
    // ── the application (issue #15): the case, the invitation, the guardian, the age branch, iris ──
    invitationAccepted: (_, o: InvitationOutcome) => o.kind === 'accepted',
    caseKnown: ({ context }) => context.application.case !== undefined,
    caseStartsTyping: ({ context }) => context.application.case !== undefined && app.TYPING_FIRST.includes(context.application.case),
    casePicksChanges: (_, p: { case: ApplicationCase }) => p.case === 'changed',
    chosenCaseStartsTyping: (_, p: { case: ApplicationCase }) => app.TYPING_FIRST.includes(p.case),
    notTheInvitedCard: ({ context }, o: DocumentOutcome) => !app.isInvitedCard(context, o),
    needsGuardian: ({ context }) => app.needsGuardian(context),
    noBiometrics: ({ context }) => !app.takesBiometrics(context),
    irisStep: ({ context }) => context.flow.iris.enabled && app.takesBiometrics(context),
    guardianCardAcceptable: ({ context }, o: DocumentOutcome) => o.kind === 'parsed' && app.guardianProblem(context, o) === undefined,
    guardianCardRefused: ({ context }, o: DocumentOutcome) => o.kind === 'invalid' || o.kind === 'fault' || app.guardianProblem(context, o) !== undefined,
  },
  actions: {
    // The one action that writes zeros; it runs before the assigner that drops the bytes.
    wipeBiometrics: ({ context }, target: WipeTarget) => overwrite(biometricBytes(context, target)),
    resetSession: assign(({ context }, p: { keepLanguage: boolean }) => fx.freshSession(context, p.keepLanguage)),
    recordDeviceStates: assign(({ context }, p: { states: Partial<Record<DeviceKind, DeviceState>> }) => fx.recordDevices(context, p.states)),
    setLanguage: assign((_, p: { lang: Lang }) => ({ lang: p.lang })),
    recordPrinter: assign((_, p: { problem?: PrinterProblem }) => fx.recordPrinter(p.problem)),
    recordMaintenance: assign((_, p: { on: boolean }) => fx.recordMaintenance(p.on)),
    recordEnclosure: assign((_, p: { open: boolean }) => ({ enclosureOpen: p.open })),
    recordPresence: assign((_, p: { present: boolean }) => ({ someoneNear: p.present })),
    // the hall officer's console (issue #14)
    recordConsole: assign((_, p: { connected: boolean }) => fx.recordConsole(p.connected)),
    recordOfficerService: assign((_, p: { on: boolean; officer: string }) => fx.recordOfficerService(p.on, p.officer)),
    recordStart: assign((_, p: { at: number }) => ({ startedAt: p.at })),
    abandonSession: raise({ type: 'ABANDON' }),
    // help: staff are told (the runtime hands the notice to the kiosk); the idle watch waits longer
    announceHelp: emit((_, p: { source?: HelpSource; inSession: boolean }) => ({ type: 'help-requested' as const, source: p.source ?? 'screen', inSession: p.inSession })),
    startWaitingForStaff: raise({ type: 'HELP_WAIT_START' }),
    stopWaitingForStaff: raise({ type: 'HELP_WAIT_END' }),
    startOver: assign(({ context }) => fx.startOverWith(context)),
    markEditingFromReview: assign({ fromReview: true }),
    clearEditingFromReview: assign({ fromReview: false }),
    // document
    holdParsedDocument: assign(({ context }, p: { outcome: DocumentOutcome }) => fx.docPending(context, p.outcome)),
    showDocumentError: assign(({ context }, p: { outcome: DocumentOutcome }) => fx.docError(context, p.outcome)),
    showScannerFault: assign(({ context }) => fx.docFault(context)),
    clearDocumentError: assign(({ context }) => fx.clearDocError(context)),
    recordTypedDigits: assign(({ context }, p: { digits: string }) => fx.docDigits(context, p.digits)),
    acceptDocument: assign(({ context }, p: { flags: readonly string[] }) => fx.docAccept(context, p.flags)),
    // the application (issue #15)
    chooseCase: assign(({ context }, p: { case: ApplicationCase }) => app.chooseCase(context, p.case)),
    recordCaseChanges: assign(({ context }, p: { changes: readonly InfoChange[] }) => app.recordChanges(context, p.changes)),
    // The invitation's number may say the citizen is 60 or more: the elderly defaults from the start (elderly.ts).
    startWithInvitation: assign(({ context }, p: { outcome: InvitationOutcome }) => {
      const started = app.startWithInvitation(p.outcome);
      return { ...started, ...invitationDefaults({ ...context, ...started }) };
    }),
    refuseInvitation: assign((_, p: { reason: InvitationRefusal }) => app.refuseInvitation(p.reason)),
    clearInvitationRefusal: assign({ invitationRefusal: undefined }),
    dropInvitation: assign(({ context }) => app.dropInvitation(context)),
    holdGuardianDocument: assign(({ context }, p: { outcome: DocumentOutcome }) => app.holdGuardian(context, p.outcome)),
    showGuardianError: assign(({ context }, p: { outcome: DocumentOutcome }) => app.guardianError(context, p.outcome, fx.SCANNER_FAULT)),
    clearGuardianError: assign(({ context }) => app.clearGuardianError(context)),
    acceptGuardian: assign(({ context }) => app.acceptGuardian(context)),
    // fingerprints
    startFingerprints: assign(({ context }) => fx.fingerStart(context)),
    startFingerAttempt: assign(({ context }) => fx.fingerAttemptStart(context)),
    showFingerProgress: assign(({ context }, p: { fraction: number }) => fx.fingerProgress(context, p.fraction)),
    keepBetterFingerAttempt: assign(({ context }, p: { outcome: FingerOutcome }) => fx.fingerKeepBest(context, p.outcome)),
    commitBestFingerAttempt: assign(({ context }) => fx.fingerCommitBest(context)),
    showDuplicateFinger: assign(({ context }, p: { outcome: FingerOutcome }) => fx.fingerDuplicate(context, p.outcome)),
    showFingerFault: assign((_, p: { outcome: FingerOutcome }) => fx.fingerFault(p.outcome)),
    startFingerRound: assign(({ context }) => fx.fingerRoundStart(context)),
    holdFingerException: assign((_, p: { reason: FingerExceptionReason; scope: FingerExceptionScope }) => fx.fingerExceptionHold(p.reason, p.scope)),
    cancelFingerException: assign(() => fx.fingerExceptionCancel()),
    showProofPhotoFault: assign(() => fx.fingerProofFailed()),
    recordFingerException: assign(({ context }, p: { proof: ProofOutcome }) => fx.fingerException(context, p.proof)),
    holdProofForOfficer: assign(({ context }, p: { proof: ProofOutcome }) => fx.fingerProofHold(context, p.proof)),
    recordDecidedFingerException: assign(({ context }, p: { outcome: 'approved' | 'unanswered'; officer?: string }) => fx.fingerExceptionDecided(context, p)),
    refuseFingerException: assign(({ context }, p: { officer: string }) => fx.fingerExceptionRefused(context, p.officer)),
    // Staff are called the way the help button calls them, so they see and answer it the same way.
    callStaffAboutFingers: raise({ type: 'HELP' }),
    moveToNextFinger: assign(({ context }) => fx.fingerNext(context)),
    startFingerRedo: assign(({ context }, p: { fingers: readonly FingerPosition[] }) => fx.fingerRedoStart(context, p.fingers)),
    cancelFingerRedo: assign(({ context }) => fx.fingerRedoCancel(context)),
    releaseFingerData: assign(({ context }) => fx.fingerRelease(context)),
    // face
    startFaceStep: assign(({ context }) => fx.faceStart(context)),
    showFaceGuidance: assign(({ context }, p: { guidance?: Bilingual; checks: readonly FaceCheckView[] }) => fx.faceGuidance(context, p.guidance, p.checks)),
    startFaceCountdown: assign(({ context }) => fx.faceCountdown(context, context.flow.faceCountdownSeconds)),
    tickFaceCountdown: assign(({ context }) => fx.faceCountdown(context, Math.max(0, (context.face.countdown ?? 1) - 1))),
    clearFaceCountdown: assign(({ context }) => fx.faceCountdown(context, undefined)),
    takeFaceStill: sendTo('faceSession', { type: FACE_TAKE_STILL }),
    holdFacePhoto: assign(({ context }, p: { face: CapturedFace }) => fx.facePending(context, p.face)),
    keepBestFacePhoto: assign(({ context }, p: { face: CapturedFace }) => fx.faceKeepBest(context, p.face)),
    showCameraFault: assign(({ context }, p: { message: string }) => fx.faceFault(context, p.message)),
    clearCameraFault: assign(({ context }) => fx.faceFaultCleared(context)),
    acceptFacePhoto: assign(({ context }) => fx.faceAccept(context)),
    retakeFacePhoto: assign(({ context }) => fx.faceRetake(context)),
    // signature
    acceptSignature: assign(({ context }, p: { outcome: SignatureOutcome }) => fx.signatureAccept(context, p.outcome)),
    showSignatureError: assign(({ context }, p: { outcome: SignatureOutcome }) => fx.signatureError(context, p.outcome)),
    showSignatureFault: assign(({ context }) => fx.signatureFault(context)),
    // submit & receipt
    recordTrackingCode: assign(({ context }, p: { trackingCode: string }) => fx.submitted(context, p.trackingCode)),
    showSubmitFailure: assign(({ context }) => fx.submitFailed(context)),
    startPrinting: assign(({ context }) => fx.printing(context)),
    recordPrintOutcome: assign(({ context }, p: { outcome: PrintOutcome }) => fx.printed(context, p.outcome)),
    showPrinterFault: assign(({ context }) => fx.printerFailed(context)),
    // accessibility (issue #15)
    setLargeText: assign((_, p: { on: boolean }) => ({ largeText: p.on })),
    setVoiceMuted: assign((_, p: { muted: boolean }) => ({ voiceMuted: p.muted })),
    /** The card on screen says 60 or more: larger text on, longer timeouts (elderly.ts). */
    applyElderlyDefaults: assign(({ context }) => elderlyDefaults(context)),
  },
});

/** The context a machine starts with, before the devices have reported. */
export const initialContext = ({ input }: { input: MachineInput }): EnrollmentContext => emptySession(input.flow, fx.DEFAULT_LANG, {});
