import { assign, fromCallback, fromPromise, not, raise, setup, stateIn, type EventObject } from 'xstate';
import type { FlowConfig } from '../config/schema';
import {
  REQUIRED_DEVICES,
  emptySession,
  wipeBiometrics,
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
import type { FingerPosition } from '../../domain/fingers';
import type { SignatureBox, SignatureStroke } from '../../domain/signature';
import type { Lang } from '../../domain/language';

/**
 * The citizen's path through the kiosk, as one statechart (docs/architecture.md, the machine is
 * the product). No I/O here: every device, the store and the printer are actors provided by
 * main.ts (or by a test), and every timeout is a named delay read from config, so a simulated
 * clock drives the whole flow.
 *
 * Shape: attract → session (parallel: `main` = the steps + help, `idle` = the inactivity watch)
 * → attract. An iris step or age branches (Identity Law 2023) slot in as further states of
 * `main.flow` between document and fingerprints without touching the rest.
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

/** Events that prove a person is at the kiosk; each one restarts the idle timer. */
const ACTIVITY: readonly EnrollmentEvent['type'][] = [
  'SET_LANGUAGE', 'HELP', 'HELP_DONE', 'TOUCH', 'DOC_TYPE_NUMBER', 'DOC_SCAN_INSTEAD', 'DOC_TYPED', 'DOC_CONFIRM',
  'DOC_RESCAN', 'DOC_ACCEPT_MISMATCH', 'FINGER_RETRY', 'FINGER_EXCEPTION', 'FACE_ACCEPT', 'FACE_RETAKE',
  'SIGNATURE_SUBMIT', 'REVIEW_EDIT', 'REVIEW_CONFIRM', 'SUBMIT_RETRY', 'FINGER_PROGRESS', 'FINGER_RESULT', 'FACE_CAPTURED',
];

export const enrollmentMachine = setup({
  types: {
    context: {} as EnrollmentContext,
    events: {} as EnrollmentEvent,
    input: {} as MachineInput,
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
    devicesReady: ({ context }) => REQUIRED_DEVICES.every((k) => context.devices[k] === 'ready' || context.devices[k] === 'busy'),
    fromReview: ({ context }) => context.fromReview,
    fingersDone: ({ context }) => context.fingers.every((s) => s.status !== 'pending'),
    isParsedClean: (_, o: DocumentOutcome) => o.kind === 'parsed' && o.checks.every((c) => c.ok),
    isParsedMismatch: (_, o: DocumentOutcome) => o.kind === 'parsed',
    isInvalid: (_, o: DocumentOutcome) => o.kind === 'invalid' || o.kind === 'fault',
    fingerGood: ({ context }, o: FingerOutcome) => o.kind === 'captured' && o.score >= context.flow.fingerQualityThreshold,
    fingerLowCanRetry: ({ context }, o: FingerOutcome) => o.kind === 'captured' && context.fingerAttempts + 1 < context.flow.fingerAttempts,
    fingerLowLast: (_, o: FingerOutcome) => o.kind === 'captured',
    fingerDuplicate: (_, o: FingerOutcome) => o.kind === 'duplicate',
    fingerNone: (_, o: FingerOutcome) => o.kind === 'no-finger',
    signatureValid: (_, o: SignatureOutcome) => o.kind === 'valid',
  },
}).createMachine({
  id: 'kiosk',
  context: ({ input }) => emptySession(input.flow, 'vi', {}),
  initial: 'attract',
  on: {
    DEVICES: { actions: assign({ devices: ({ context, event }) => ({ ...context.devices, ...event.states }) }) },
    SET_LANGUAGE: { actions: assign({ lang: ({ event }) => event.lang }) },
  },
  states: {
    outOfService: {
      always: { guard: 'devicesReady', target: 'attract' },
    },
    attract: {
      entry: [({ context }) => wipeBiometrics(context), assign(({ context }) => emptySession(context.flow, 'vi', context.devices))],
      always: { guard: not('devicesReady'), target: 'outOfService' },
      on: { START: { target: 'session', actions: assign({ startedAt: ({ event }) => event.at }) } },
    },
    abandoned: {
      entry: [({ context }) => wipeBiometrics(context), assign(({ context }) => emptySession(context.flow, context.lang, context.devices))],
      after: { abandonedScreen: 'attract' },
      on: { START: { target: 'session', actions: assign({ startedAt: ({ event }) => event.at }) } },
    },
    session: {
      type: 'parallel',
      on: { QUIT: '#kiosk.abandoned', ABANDON: '#kiosk.abandoned' },
      states: {
        main: {
          initial: 'flow',
          states: {
            flow: {
              initial: 'language',
              on: { HELP: '#kiosk.session.main.help' },
              states: {
                hist: { type: 'history', history: 'deep' },
                language: { on: { SET_LANGUAGE: { target: 'document', actions: assign({ lang: ({ event }) => event.lang }) } } },
                document: {
                  initial: 'scan',
                  states: {
                    scan: {
                      invoke: {
                        src: 'readDocument',
                        input: ({ context }) => ({ waitMs: context.flow.documentWaitMs }),
                        onDone: [
                          { guard: { type: 'isParsedClean', params: ({ event }) => event.output }, target: 'shown.confirm', actions: assign(({ context, event }) => fx.docPending(context, event.output)) },
                          { guard: { type: 'isParsedMismatch', params: ({ event }) => event.output }, target: 'shown.mismatch', actions: assign(({ context, event }) => fx.docPending(context, event.output)) },
                          { guard: { type: 'isInvalid', params: ({ event }) => event.output }, target: 'scan', reenter: true, actions: assign(({ context, event }) => fx.docError(context, event.output)) },
                          { target: 'scan', reenter: true },
                        ],
                        onError: { target: 'scan', reenter: true, actions: assign(({ context }) => fx.docFault(context)) },
                      },
                      on: { DOC_TYPE_NUMBER: { target: 'typing', actions: assign(({ context }) => fx.clearDocError(context)) } },
                    },
                    typing: {
                      on: {
                        DOC_TYPED: 'checkingTyped',
                        DOC_SCAN_INSTEAD: { target: 'scan', actions: assign(({ context }) => fx.clearDocError(context)) },
                      },
                    },
                    checkingTyped: {
                      invoke: {
                        src: 'parseTypedNumber',
                        input: ({ event }) => ({ digits: event.type === 'DOC_TYPED' ? event.digits : '' }),
                        onDone: [
                          { guard: { type: 'isParsedClean', params: ({ event }) => event.output }, target: 'shown.confirm', actions: assign(({ context, event }) => fx.docPending(context, event.output)) },
                          { guard: { type: 'isParsedMismatch', params: ({ event }) => event.output }, target: 'shown.mismatch', actions: assign(({ context, event }) => fx.docPending(context, event.output)) },
                          { target: 'typing', actions: assign(({ context, event }) => fx.docError(context, event.output)) },
                        ],
                        onError: { target: 'typing', actions: assign(({ context }) => fx.docFault(context)) },
                      },
                    },
                    shown: {
                      // The parsed document is on screen for the citizen to confirm (or, when its
                      // checks failed, to see what disagrees). Meanwhile keep listening: the citizen
                      // may scan the card's other side, which is cross-checked against it (QR vs MRZ).
                      initial: 'confirm',
                      invoke: {
                        src: 'readDocument',
                        input: ({ context }) => ({ waitMs: context.flow.documentWaitMs, ...(context.doc.pending ? { previous: context.doc.pending } : {}) }),
                        onDone: [
                          { guard: { type: 'isParsedClean', params: ({ event }) => event.output }, target: '.confirm', reenter: true, actions: assign(({ context, event }) => fx.docPending(context, event.output)) },
                          { guard: { type: 'isParsedMismatch', params: ({ event }) => event.output }, target: '.mismatch', reenter: true, actions: assign(({ context, event }) => fx.docPending(context, event.output)) },
                          // Unreadable or nothing scanned: keep what is on screen and keep listening.
                          { target: '.hist', reenter: true },
                        ],
                        onError: { target: '.hist', reenter: true },
                      },
                      on: { DOC_RESCAN: { target: 'scan', actions: assign(({ context }) => fx.clearDocError(context)) } },
                      states: {
                        hist: { type: 'history' },
                        confirm: { on: { DOC_CONFIRM: { target: '#documentAccepted', actions: assign(({ context }) => fx.docAccept(context, [])) } } },
                        mismatch: { on: { DOC_ACCEPT_MISMATCH: { target: '#documentAccepted', actions: assign(({ context }) => fx.docAccept(context, ['mismatch-confirmed'])) } } },
                      },
                    },
                    accepted: { id: 'documentAccepted', type: 'final' },
                  },
                  onDone: [{ guard: 'fromReview', target: 'review' }, { target: 'fingerprints' }],
                },
                fingerprints: {
                  initial: 'capturing',
                  entry: assign(({ context }) => fx.fingerStart(context)),
                  states: {
                    capturing: {
                      entry: assign(() => fx.fingerAttemptStart()),
                      invoke: {
                        src: 'captureFinger',
                        input: ({ context }) => ({
                          position: context.fingers[context.fingerIndex]?.position ?? 'right_thumb',
                          waitMs: context.flow.fingerWaitMs,
                          previous: context.fingers,
                        }),
                      },
                      on: {
                        FINGER_PROGRESS: { actions: assign({ fingerProgress: ({ event }) => event.fraction }) },
                        FINGER_RESULT: [
                          { guard: { type: 'fingerGood', params: ({ event }) => event.outcome }, target: 'accepted', actions: [assign(({ context, event }) => fx.fingerKeepBest(context, event.outcome)), assign(({ context }) => fx.fingerCommitBest(context))] },
                          { guard: { type: 'fingerLowCanRetry', params: ({ event }) => event.outcome }, target: 'lowQuality', actions: assign(({ context, event }) => fx.fingerKeepBest(context, event.outcome)) },
                          { guard: { type: 'fingerLowLast', params: ({ event }) => event.outcome }, target: 'accepted', actions: [assign(({ context, event }) => fx.fingerKeepBest(context, event.outcome)), assign(({ context }) => fx.fingerCommitBest(context))] },
                          { guard: { type: 'fingerDuplicate', params: ({ event }) => event.outcome }, target: 'duplicate', actions: assign(({ context, event }) => fx.fingerDuplicate(context, event.outcome)) },
                          { guard: { type: 'fingerNone', params: ({ event }) => event.outcome }, target: 'noFinger' },
                          { target: 'fault' },
                        ],
                      },
                    },
                    lowQuality: { after: { fingerPause: 'capturing' }, on: { FINGER_RETRY: 'capturing' } },
                    duplicate: { after: { fingerPause: 'capturing' }, on: { FINGER_RETRY: 'capturing' } },
                    noFinger: { on: { FINGER_RETRY: 'capturing' } },
                    fault: { on: { FINGER_RETRY: 'capturing' } },
                    accepted: {
                      after: {
                        fingerAcceptedPause: [
                          { guard: 'fingersDone', target: 'complete' },
                          { target: 'capturing', actions: assign(({ context }) => fx.fingerNext(context)) },
                        ],
                      },
                    },
                    complete: { type: 'final' },
                  },
                  on: {
                    FINGER_EXCEPTION: { target: '.accepted', actions: assign(({ context, event }) => fx.fingerException(context, event.reason, event.scope)) },
                  },
                  onDone: [{ guard: 'fromReview', target: 'review' }, { target: 'face' }],
                },
                face: {
                  initial: 'live',
                  states: {
                    live: {
                      invoke: { src: 'faceSession', input: ({ context }) => ({ stableFrames: context.flow.faceStableFrames }) },
                      on: {
                        FACE_GUIDANCE: { actions: assign(({ context, event }) => fx.faceGuidance(context, event.guidance, event.checks)) },
                        FACE_CAPTURED: { target: 'captured', actions: assign(({ context, event }) => fx.facePending(context, event.face)) },
                        FACE_FAULT: { target: 'fault', actions: assign({ face: ({ context, event }) => ({ ...context.face, faultMessage: event.message }) }) },
                      },
                    },
                    captured: {
                      on: {
                        FACE_ACCEPT: { target: 'accepted', actions: assign(({ context }) => fx.faceAccept(context)) },
                        FACE_RETAKE: { target: 'live', actions: assign(({ context }) => fx.faceRetake(context)) },
                      },
                    },
                    fault: { on: { FACE_RETAKE: { target: 'live', actions: assign(({ context }) => fx.faceRetake(context)) } } },
                    accepted: { type: 'final' },
                  },
                  onDone: [{ guard: 'fromReview', target: 'review' }, { target: 'signature' }],
                },
                signature: {
                  initial: 'drawing',
                  states: {
                    drawing: { on: { SIGNATURE_SUBMIT: 'checking' } },
                    checking: {
                      invoke: {
                        src: 'checkSignature',
                        input: ({ event }) =>
                          event.type === 'SIGNATURE_SUBMIT' ? { strokes: event.strokes, box: event.box } : { strokes: [], box: { width: 1, height: 1 } },
                        onDone: [
                          { guard: { type: 'signatureValid', params: ({ event }) => event.output }, target: 'accepted', actions: assign(({ context, event }) => fx.signatureAccept(context, event.output)) },
                          { target: 'drawing', actions: assign(({ context, event }) => fx.signatureError(context, event.output)) },
                        ],
                        onError: { target: 'drawing', actions: assign(({ context }) => ({ signature: { ...context.signature, error: fx.SIGNATURE_FAULT } })) },
                      },
                    },
                    accepted: { type: 'final' },
                  },
                  onDone: 'review',
                },
                review: {
                  entry: assign({ fromReview: false }),
                  on: {
                    REVIEW_EDIT: [
                      { guard: ({ event }) => event.step === 'document', target: 'document', actions: assign({ fromReview: true }) },
                      { guard: ({ event }) => event.step === 'fingerprints', target: 'fingerprints', actions: [assign({ fromReview: true }), assign(({ context }) => fx.fingersReset(context))] },
                      { guard: ({ event }) => event.step === 'face', target: 'face', actions: assign({ fromReview: true }) },
                      { target: 'signature', actions: assign({ fromReview: true }) },
                    ],
                    REVIEW_CONFIRM: { guard: ({ context }) => fx.isComplete(context), target: 'submitting' },
                  },
                },
                submitting: {
                  invoke: {
                    src: 'submitEnrollment',
                    input: ({ context }) => ({ draft: fx.toDraft(context) }),
                    onDone: { target: 'done', actions: assign(({ context, event }) => ({ submit: { ...context.submit, trackingCode: event.output.trackingCode, error: undefined } })) },
                    onError: { target: 'submitFailed', actions: assign(({ context }) => ({ submit: { ...context.submit, error: fx.SUBMIT_FAILED } })) },
                  },
                },
                submitFailed: { on: { SUBMIT_RETRY: 'submitting' } },
                done: {
                  // Sealed and committed: the biometrics in memory are no longer needed.
                  entry: ({ context }) => wipeBiometrics(context),
                  invoke: {
                    src: 'printReceipt',
                    input: ({ context }) => fx.receiptInput(context),
                    onDone: { actions: assign(({ context, event }) => fx.printed(context, event.output)) },
                    onError: { actions: assign(({ context }) => ({ submit: { ...context.submit, printed: false, printerMessage: fx.PRINTER_FAILED } })) },
                  },
                  after: { doneTimeout: '#kiosk.attract' },
                  on: { FINISH: '#kiosk.attract' },
                },
              },
            },
            help: { on: { HELP_DONE: 'flow.hist' } },
          },
        },
        idle: {
          initial: 'watching',
          states: {
            watching: {
              on: Object.fromEntries(ACTIVITY.map((t) => [t, { target: 'watching', reenter: true }])),
              after: {
                idleTimeout: [
                  // Nobody needs to tap while the packet is being committed or the receipt is up.
                  { guard: stateIn('#kiosk.session.main.flow.submitting'), target: 'watching', reenter: true },
                  { guard: stateIn('#kiosk.session.main.flow.done'), target: 'watching', reenter: true },
                  { target: 'prompting' },
                ],
              },
            },
            prompting: {
              on: { STILL_HERE: 'watching', TOUCH: 'watching' },
              after: { promptTimeout: { actions: raise({ type: 'ABANDON' }) } },
            },
          },
        },
      },
    },
  },
});

export type EnrollmentMachine = typeof enrollmentMachine;
