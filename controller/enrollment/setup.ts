import { assign, fromCallback, fromPromise, not, or, raise, setup, stateIn, type EventObject } from 'xstate';
import type { FlowConfig } from '../config/schema';
import {
  REQUIRED_DEVICES,
  storageUsable,
  emptySession,
  type CapturedFace,
  type DocumentOutcome,
  type EnrollmentContext,
  type EnrollmentEvent,
  type FingerOutcome,
  type PrintOutcome,
  type SignatureOutcome,
  type SubmitOutput,
} from './context';
import * as fx from './assigners';
import type { EnrollmentDraft } from './draft';
import type { StateMeta } from './screens';
import { biometricBytes, overwrite, type WipeTarget } from './wipe';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { FingerExceptionReason, FingerExceptionScope, FingerPosition } from '../../domain/fingers';
import type { EditableStep, FaceCheckView } from '../../domain/kiosk-channel/view-model';
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
export interface TypedNumberInput { readonly digits: string }
export interface CaptureFingerInput { readonly position: FingerPosition; readonly waitMs: number; readonly previous: EnrollmentContext['fingers'] }
export interface FaceSessionInput { readonly stableFrames: number }
export interface CheckSignatureInput { readonly strokes: readonly SignatureStroke[]; readonly box: SignatureBox }
export interface SubmitInput { readonly draft: EnrollmentDraft }
export interface PrintInput { readonly trackingCode: string; readonly fullName: string; readonly idNumber: string; readonly lang: Lang }

const notProvided = (name: string) => () => {
  throw new Error(`actor "${name}" was not provided: main.ts (or the test) must supply it with machine.provide()`);
};

const meetsThreshold = (ctx: EnrollmentContext, score: number): boolean => score >= ctx.flow.fingerQualityThreshold;
// Written as "does not meet" so a score that is not a number counts as below, never as neither.
const fingerBelowThreshold = (ctx: EnrollmentContext, o: FingerOutcome): boolean => o.kind === 'captured' && !meetsThreshold(ctx, o.score);
const lastFingerAttempt = (ctx: EnrollmentContext): boolean => ctx.fingerAttempts + 1 >= ctx.flow.fingerAttempts;

export const enrollmentSetup = setup({
  types: {
    context: {} as EnrollmentContext,
    events: {} as EnrollmentEvent,
    input: {} as MachineInput,
    meta: {} as StateMeta,
  },
  actors: {
    readDocument: fromPromise<DocumentOutcome, ReadDocumentInput>(notProvided('readDocument')),
    parseTypedNumber: fromPromise<DocumentOutcome, TypedNumberInput>(notProvided('parseTypedNumber')),
    captureFinger: fromCallback<EventObject, CaptureFingerInput>(notProvided('captureFinger')),
    faceSession: fromCallback<EventObject, FaceSessionInput>(notProvided('faceSession')),
    checkSignature: fromPromise<SignatureOutcome, CheckSignatureInput>(notProvided('checkSignature')),
    submitEnrollment: fromPromise<SubmitOutput, SubmitInput>(notProvided('submitEnrollment')),
    printReceipt: fromPromise<PrintOutcome, PrintInput>(notProvided('printReceipt')),
  },
  delays: {
    idleTimeout: ({ context }) => context.flow.idleTimeoutMs,
    promptTimeout: ({ context }) => context.flow.promptTimeoutMs,
    doneTimeout: ({ context }) => context.flow.doneTimeoutMs,
    abandonedScreen: ({ context }) => context.flow.abandonedScreenMs,
    fingerPause: ({ context }) => context.flow.fingerPauseMs,
    fingerAcceptedPause: ({ context }) => context.flow.fingerAcceptedPauseMs,
  },
  guards: {
    devicesReady: ({ context }) =>
      REQUIRED_DEVICES.every((k) => context.devices[k] === 'ready' || context.devices[k] === 'busy') && storageUsable(context.devices.storage),
    requiredDeviceMissing: not('devicesReady'),
    fromReview: ({ context }) => context.fromReview,
    fingersDone: ({ context }) => context.fingers.every((s) => s.status !== 'pending'),
    everyStepComplete: ({ context }) => fx.isComplete(context),
    // Nobody needs to tap while the packet is being committed or the receipt is up.
    committingOrShowingReceipt: or([stateIn('#kiosk.session.main.flow.submitting'), stateIn('#kiosk.session.main.flow.done')]),
    documentClean: (_, o: DocumentOutcome) => o.kind === 'parsed' && o.checks.every((c) => c.ok),
    documentHasMismatch: (_, o: DocumentOutcome) => o.kind === 'parsed' && o.checks.some((c) => !c.ok),
    documentUnreadable: (_, o: DocumentOutcome) => o.kind === 'invalid' || o.kind === 'fault',
    fingerMeetsThreshold: ({ context }, o: FingerOutcome) => o.kind === 'captured' && meetsThreshold(context, o.score),
    fingerBelowThresholdWithAttemptsLeft: ({ context }, o: FingerOutcome) => fingerBelowThreshold(context, o) && !lastFingerAttempt(context),
    fingerBelowThresholdLastAttempt: ({ context }, o: FingerOutcome) => fingerBelowThreshold(context, o) && lastFingerAttempt(context),
    fingerIsDuplicate: (_, o: FingerOutcome) => o.kind === 'duplicate',
    noFingerPlaced: (_, o: FingerOutcome) => o.kind === 'no-finger',
    signatureValid: (_, o: SignatureOutcome) => o.kind === 'valid',
    editingDocument: (_, p: { step: EditableStep }) => p.step === 'document',
    editingFingerprints: (_, p: { step: EditableStep }) => p.step === 'fingerprints',
    editingFace: (_, p: { step: EditableStep }) => p.step === 'face',
    editingSignature: (_, p: { step: EditableStep }) => p.step === 'signature',
  },
  actions: {
    // The one action that writes zeros; it runs before the assigner that drops the bytes.
    wipeBiometrics: ({ context }, target: WipeTarget) => overwrite(biometricBytes(context, target)),
    resetSession: assign(({ context }, p: { keepLanguage: boolean }) => fx.freshSession(context, p.keepLanguage)),
    recordDeviceStates: assign(({ context }, p: { states: Partial<Record<DeviceKind, DeviceState>> }) => fx.recordDevices(context, p.states)),
    setLanguage: assign((_, p: { lang: Lang }) => ({ lang: p.lang })),
    recordStart: assign((_, p: { at: number }) => ({ startedAt: p.at })),
    abandonSession: raise({ type: 'ABANDON' }),
    markEditingFromReview: assign({ fromReview: true }),
    clearEditingFromReview: assign({ fromReview: false }),
    // document
    holdParsedDocument: assign(({ context }, p: { outcome: DocumentOutcome }) => fx.docPending(context, p.outcome)),
    showDocumentError: assign(({ context }, p: { outcome: DocumentOutcome }) => fx.docError(context, p.outcome)),
    showScannerFault: assign(({ context }) => fx.docFault(context)),
    clearDocumentError: assign(({ context }) => fx.clearDocError(context)),
    acceptDocument: assign(({ context }, p: { flags: readonly string[] }) => fx.docAccept(context, p.flags)),
    // fingerprints
    startFingerprints: assign(({ context }) => fx.fingerStart(context)),
    startFingerAttempt: assign(() => fx.fingerAttemptStart()),
    showFingerProgress: assign((_, p: { fraction: number }) => ({ fingerProgress: p.fraction })),
    keepBetterFingerAttempt: assign(({ context }, p: { outcome: FingerOutcome }) => fx.fingerKeepBest(context, p.outcome)),
    commitBestFingerAttempt: assign(({ context }) => fx.fingerCommitBest(context)),
    showDuplicateFinger: assign(({ context }, p: { outcome: FingerOutcome }) => fx.fingerDuplicate(context, p.outcome)),
    showFingerFault: assign((_, p: { outcome: FingerOutcome }) => fx.fingerFault(p.outcome)),
    recordFingerException: assign(({ context }, p: { reason: FingerExceptionReason; scope: FingerExceptionScope }) => fx.fingerException(context, p.reason, p.scope)),
    moveToNextFinger: assign(({ context }) => fx.fingerNext(context)),
    resetFingers: assign(() => fx.fingersReset()),
    // face
    showFaceGuidance: assign(({ context }, p: { guidance?: Bilingual; checks: readonly FaceCheckView[] }) => fx.faceGuidance(context, p.guidance, p.checks)),
    holdFacePhoto: assign(({ context }, p: { face: CapturedFace }) => fx.facePending(context, p.face)),
    showCameraFault: assign(({ context }, p: { message: string }) => fx.faceFault(context, p.message)),
    acceptFacePhoto: assign(({ context }) => fx.faceAccept(context)),
    retakeFacePhoto: assign(({ context }) => fx.faceRetake(context)),
    // signature
    acceptSignature: assign(({ context }, p: { outcome: SignatureOutcome }) => fx.signatureAccept(context, p.outcome)),
    showSignatureError: assign(({ context }, p: { outcome: SignatureOutcome }) => fx.signatureError(context, p.outcome)),
    showSignatureFault: assign(({ context }) => fx.signatureFault(context)),
    // submit & receipt
    recordTrackingCode: assign(({ context }, p: { trackingCode: string }) => fx.submitted(context, p.trackingCode)),
    showSubmitFailure: assign(({ context }) => fx.submitFailed(context)),
    recordPrintOutcome: assign(({ context }, p: { outcome: PrintOutcome }) => fx.printed(context, p.outcome)),
    showPrinterFault: assign(({ context }) => fx.printerFailed(context)),
  },
});

/** The context a machine starts with, before the devices have reported. */
export const initialContext = ({ input }: { input: MachineInput }): EnrollmentContext => emptySession(input.flow, fx.DEFAULT_LANG, {});
