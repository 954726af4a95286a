import type { DocumentOutcome, EnrollmentEvent } from './context';
import * as fx from './assigners';
import * as app from './application';
import { enrollmentSetup, initialContext } from './setup';
import { fingerWaitMs } from './elderly';
import type { WipeTarget } from './wipe';
import { FINGER_POSITIONS, handOf } from '../../domain/fingers';

export type {
  CaptureFingerInput,
  CheckSignatureInput,
  FaceSessionInput,
  MachineInput,
  PrintInput,
  ProofPhotoInput,
  ReadDocumentInput,
  SubmitInput,
  TypedNumberInput,
  WatchInvitationsInput,
} from './setup';

/**
 * The citizen's path through the kiosk, as one statechart (docs/architecture.md, "the machine
 * is the product"). No I/O here: every device, the store and the printer are actors provided by
 * main.ts (or by a test), every timeout is a named delay read from config, so a simulated clock
 * drives the whole flow, and every guard and action is named in setup.ts. Each state declares
 * the screen it shows in its `meta` (screens.ts); view.ts reads that, never the state's name.
 *
 * Shape: attract → session (parallel: `main` = the steps + help, `idle` = the inactivity watch)
 * → attract. In `main.flow`: language → case (why the citizen came; skipped when an invitation
 * named it) → document → guardian (under 14, Luật Căn cước 2023) → iris (only when
 * `flow.iris.enabled`) → fingerprints → face → signature → review; under 6 the guardian's step
 * goes straight to the signature (no biometrics). docs/facts/application-cases.md.
 */

/**
 * Events that prove a person is at the kiosk; each one restarts the idle timer. The page sends
 * TOUCH on every tap (before the tap's own intent), the sensors report a finger or a face. Other
 * intents do not restart it themselves: the idle watch must not take an event the steps refuse,
 * or a refused tap would be "accepted" and do nothing (every intent is acted on or refused).
 */
const ACTIVITY: readonly EnrollmentEvent['type'][] = ['TOUCH', 'FINGER_PROGRESS', 'FINGER_RESULT', 'FACE_CAPTURED'];

const wipeSession = { type: 'wipeBiometrics', params: { what: 'session' } } as const;

type Invitation = Extract<EnrollmentEvent, { type: 'INVITATION' }>;
/** The document step, where the case decides how it starts: on the keypad when there is no card to scan. */
const DOCUMENT = '#kiosk.session.main.flow.document';
const DOCUMENT_TYPING = '#kiosk.session.main.flow.document.typing';
/** A card that is not the one the invitation is for: said before anything else is done with it. */
const notTheInvitedCard = {
  guard: { type: 'notTheInvitedCard', params: ({ event }: { event: { output: DocumentOutcome } }) => event.output },
  target: 'notInvited',
  actions: { type: 'holdParsedDocument', params: ({ event }: { event: { output: DocumentOutcome } }) => ({ outcome: event.output }) },
} as const;

type Enclosure = Extract<EnrollmentEvent, { type: 'ENCLOSURE' }>;
type Presence = Extract<EnrollmentEvent, { type: 'PRESENCE' }>;
const recordEnclosure = { type: 'recordEnclosure', params: ({ event }: { event: Enclosure }) => ({ open: event.open }) } as const;
const enclosureOpening = { type: 'enclosureOpening', params: ({ event }: { event: Enclosure }) => ({ open: event.open }) } as const;
const personArrived = { type: 'personArrived', params: ({ event }: { event: Presence }) => ({ present: event.present }) } as const;
const personLeft = { type: 'personLeft', params: ({ event }: { event: Presence }) => ({ present: event.present }) } as const;
const recordPresence = { type: 'recordPresence', params: ({ event }: { event: Presence }) => ({ present: event.present }) } as const;
/**
 * The enclosure opened (the panel's tamper switch): whatever the citizen was doing ends now, every
 * biometric in memory is overwritten, and the kiosk stays out of service until it is shut.
 */
const endSessionOnTamper = {
  ENCLOSURE: { guard: enclosureOpening, target: '#kiosk.tampered', actions: [recordEnclosure, wipeSession, { type: 'resetSession', params: { keepLanguage: false } }] },
} as const;

type FingerResult = Extract<EnrollmentEvent, { type: 'FINGER_RESULT' }>;
type FaceGuidance = Extract<EnrollmentEvent, { type: 'FACE_GUIDANCE' }>;
const faceSteady = { type: 'faceSteady', params: ({ event }: { event: FaceGuidance }) => ({ steady: event.steady }) } as const;
const showFaceGuidance = { type: 'showFaceGuidance', params: ({ event }: { event: FaceGuidance }) => ({ guidance: event.guidance, checks: event.checks }) } as const;
/** Of the best attempt so far and this one, overwrite the worse and keep the better. */
const keepBetterAttempt = [
  { type: 'wipeBiometrics', params: ({ event }: { event: FingerResult }): WipeTarget => ({ what: 'worseFingerAttempt', outcome: event.outcome }) },
  { type: 'keepBetterFingerAttempt', params: ({ event }: { event: FingerResult }) => ({ outcome: event.outcome }) },
] as const;

/** After a finger's slots change: overwrite what the fingers no longer need, then let go of it. */
const releaseFingerData = [{ type: 'wipeBiometrics', params: { what: 'releasedFingerData' } }, 'releaseFingerData'] as const;

/** "This finger cannot be taken": nothing is recorded until the photo of the hand is taken. */
const declareException = {
  FINGER_EXCEPTION: {
    target: '#kiosk.session.main.flow.fingerprints.proof',
    actions: { type: 'holdFingerException', params: ({ event }: { event: Extract<EnrollmentEvent, { type: 'FINGER_EXCEPTION' }> }) => ({ reason: event.reason, scope: event.scope }) },
  },
} as const;

/** The photo of the hand held for the officer's answer, overwritten when it will not be used. */
const wipeHeldProof = { type: 'wipeBiometrics', params: { what: 'heldProof' } } as const;
type ExceptionDecision = Extract<EnrollmentEvent, { type: 'OPS_EXCEPTION_DECISION' }>;
const refuseException = [wipeHeldProof, { type: 'refuseFingerException', params: ({ event }: { event: ExceptionDecision }) => ({ officer: event.officer }) }] as const;

/** Redoing fingers from review: back to review with every finger not yet retaken as it was. */
const cancelRedo = {
  FINGER_REDO_CANCEL: { guard: 'fromReview', target: '#kiosk.session.main.flow.review', actions: [{ type: 'wipeBiometrics', params: { what: 'bestFingerAttempt' } }, 'cancelFingerRedo', ...releaseFingerData] },
} as const;

/** Once a finger is done: the next finger, or the end of the step. */
const onToNextFinger = [
  { guard: 'fingersDone', target: 'complete' },
  { target: 'capturing', actions: 'moveToNextFinger' },
] as const;

export const enrollmentMachine = enrollmentSetup.createMachine({
  id: 'kiosk',
  context: initialContext,
  initial: 'attract',
  on: {
    DEVICES: { actions: { type: 'recordDeviceStates', params: ({ event }) => ({ states: event.states }) } },
    PRINTER: { actions: { type: 'recordPrinter', params: ({ event }) => (event.problem ? { problem: event.problem } : {}) } },
    // The technician's switch: a session in progress finishes; the next one waits until it is off.
    MAINTENANCE: { actions: { type: 'recordMaintenance', params: ({ event }) => ({ on: event.on }) } },
    // The hall officer's console (issue #14): connected or not, and its out-of-service switch.
    OPS_CONSOLE: { actions: { type: 'recordConsole', params: ({ event }) => ({ connected: event.connected }) } },
    OPS_SERVICE: { actions: { type: 'recordOfficerService', params: ({ event }) => ({ on: event.on, officer: event.officer }) } },
    // The language can be switched on every screen (a state that takes SET_LANGUAGE itself sets it too).
    SET_LANGUAGE: { actions: { type: 'setLanguage', params: ({ event }) => ({ lang: event.lang }) } },
    ENCLOSURE: { actions: recordEnclosure },
    PRESENCE: { actions: recordPresence },
    // Accessibility (issue #15): on every screen; reset with the session.
    SET_LARGE_TEXT: {
      guard: { type: 'largeTextChanging', params: ({ event }) => ({ on: event.on }) },
      actions: { type: 'setLargeText', params: ({ event }) => ({ on: event.on }) },
    },
    SET_VOICE: {
      guard: { type: 'voiceMuteChanging', params: ({ event }) => ({ muted: event.muted }) },
      actions: { type: 'setVoiceMuted', params: ({ event }) => ({ muted: event.muted }) },
    },
  },
  states: {
    outOfService: {
      meta: { screen: { name: 'out-of-service' } },
      always: [
        { guard: 'inMaintenance', target: 'maintenance' },
        { guard: 'devicesReady', target: 'attract' },
      ],
    },
    // A technician took the kiosk out of service (the service screen): until they put it back,
    // whatever the devices do meanwhile (their self-tests unplug and replug them).
    maintenance: {
      meta: { screen: { name: 'out-of-service', maintenance: true } },
      always: { guard: 'notInMaintenance', target: 'attract' },
    },
    // The enclosure is open (the panel's tamper switch): out of service until it is shut.
    tampered: {
      meta: { screen: { name: 'out-of-service' } },
      always: { guard: 'enclosureShut', target: 'outOfService' },
    },
    attract: {
      entry: [wipeSession, { type: 'resetSession', params: { keepLanguage: false } }],
      always: [
        { guard: 'requiredDeviceMissing', target: 'outOfService' },
        { guard: 'enclosureOpen', target: 'tampered' },
        { guard: 'inMaintenance', target: 'maintenance' },
      ],
      // An invitation (giấy mời) held to the scanner starts a session with its case; one refused says why.
      invoke: { id: 'watchInvitations', src: 'watchInvitations', input: ({ context }) => ({ waitMs: context.flow.documentWaitMs }) },
      initial: 'waiting',
      states: {
        waiting: {
          meta: { screen: { name: 'attract' } },
          // The panel's help button, before anyone started: staff are called, and the screen says so.
          on: {
            HELP: { target: 'staffCalled', actions: { type: 'announceHelp', params: ({ event }) => ({ ...(event.source ? { source: event.source } : {}), inSession: false }) } },
            // Someone near the kiosk keeps the start screen awake; once they go, it waits again.
            PRESENCE: { target: 'waiting', reenter: true, actions: recordPresence },
          },
          after: { attractSleep: { guard: 'attractMaySleep', target: 'asleep' } },
        },
        // Nobody has come near for a while: a quiet screen, woken by the PIR or a touch.
        asleep: {
          meta: { screen: { name: 'attract', asleep: true } },
          on: {
            PRESENCE: [{ guard: personArrived, target: 'waiting', actions: recordPresence }, { actions: recordPresence }],
            TOUCH: 'waiting',
            HELP: { target: 'staffCalled', actions: { type: 'announceHelp', params: ({ event }) => ({ ...(event.source ? { source: event.source } : {}), inSession: false }) } },
          },
        },
        staffCalled: {
          meta: { screen: { name: 'attract', staffCalled: true } },
          after: { staffCalledScreen: 'waiting' },
        },
        invitationRefused: {
          meta: { screen: { name: 'attract', invitationRefused: true } },
          exit: 'clearInvitationRefusal',
          after: { invitationRefusedScreen: 'waiting' },
          on: { TOUCH: 'waiting' },
        },
      },
      on: {
        START: { target: 'session', actions: { type: 'recordStart', params: ({ event }) => ({ at: event.at }) } },
        INVITATION: [
          {
            guard: { type: 'invitationAccepted', params: ({ event }: { event: Invitation }) => event.outcome },
            target: 'session',
            actions: { type: 'startWithInvitation', params: ({ event }: { event: Invitation }) => ({ outcome: event.outcome }) },
          },
          {
            target: '.invitationRefused',
            actions: { type: 'refuseInvitation', params: ({ event }: { event: Invitation }) => ({ reason: event.outcome.kind === 'refused' ? event.outcome.reason : 'malformed' }) },
          },
        ],
      },
    },
    abandoned: {
      meta: { screen: { name: 'abandoned' } },
      entry: [wipeSession, { type: 'resetSession', params: { keepLanguage: true } }],
      after: { abandonedScreen: 'attract' },
      on: {
        START: { guard: 'notInMaintenance', target: 'session', actions: { type: 'recordStart', params: ({ event }) => ({ at: event.at }) } },
        HELP: { target: '#kiosk.attract.staffCalled', actions: { type: 'announceHelp', params: ({ event }) => ({ ...(event.source ? { source: event.source } : {}), inSession: false }) } },
        ENCLOSURE: { guard: enclosureOpening, target: '#kiosk.tampered', actions: recordEnclosure },
      },
    },
    session: {
      type: 'parallel',
      on: {
        ...endSessionOnTamper,
        QUIT: [
          // After the commit there is nothing of the citizen's to delete: back to the start.
          { guard: 'committed', target: '#kiosk.attract' },
          { guard: 'canQuit', target: '#kiosk.abandoned' },
        ],
        ABANDON: '#kiosk.abandoned',
        // The hall officer ends a stuck session: as the citizen's "Quit" (never mid-commit).
        OPS_END_SESSION: [
          { guard: 'committed', target: '#kiosk.attract' },
          { guard: 'canQuit', target: '#kiosk.abandoned' },
        ],
      },
      states: {
        main: {
          initial: 'flow',
          states: {
            flow: {
              initial: 'language',
              on: {
                HELP: {
                  guard: 'helpCanBeAsked',
                  target: '#kiosk.session.main.help',
                  actions: { type: 'announceHelp', params: ({ event }) => ({ ...(event.source ? { source: event.source } : {}), inSession: true }) },
                },
              },
              states: {
                hist: { type: 'history', history: 'deep' },
                language: {
                  meta: { screen: { name: 'language' } },
                  on: {
                    SET_LANGUAGE: [
                      // An invitation named the case: straight to the document step.
                      { guard: 'caseStartsTyping', target: DOCUMENT_TYPING, actions: { type: 'setLanguage', params: ({ event }) => ({ lang: event.lang }) } },
                      { guard: 'caseKnown', target: DOCUMENT, actions: { type: 'setLanguage', params: ({ event }) => ({ lang: event.lang }) } },
                      { target: 'case', actions: { type: 'setLanguage', params: ({ event }) => ({ lang: event.lang }) } },
                    ],
                  },
                },
                // Why the citizen came (issue #15): it decides how the document step starts.
                case: {
                  initial: 'choosing',
                  states: {
                    choosing: {
                      meta: { screen: { name: 'case', phase: 'choose' } },
                      on: {
                        CASE_CHOOSE: [
                          { guard: { type: 'casePicksChanges', params: ({ event }) => ({ case: event.case }) }, target: 'changes', actions: { type: 'chooseCase', params: ({ event }) => ({ case: event.case }) } },
                          { guard: { type: 'chosenCaseStartsTyping', params: ({ event }) => ({ case: event.case }) }, target: DOCUMENT_TYPING, actions: { type: 'chooseCase', params: ({ event }) => ({ case: event.case }) } },
                          { target: DOCUMENT, actions: { type: 'chooseCase', params: ({ event }) => ({ case: event.case }) } },
                        ],
                      },
                    },
                    // Information changed: what changed, so staff know before the card is made.
                    changes: {
                      meta: { screen: { name: 'case', phase: 'changes' } },
                      on: {
                        CASE_CHANGES: { target: DOCUMENT, actions: { type: 'recordCaseChanges', params: ({ event }) => ({ changes: event.changes }) } },
                        CASE_BACK: 'choosing',
                      },
                    },
                  },
                },
                document: {
                  meta: { step: 'document' },
                  initial: 'scan',
                  states: {
                    scan: {
                      meta: { screen: { name: 'document', phase: 'scan' } },
                      invoke: {
                        id: 'scanDocument',
                        src: 'readDocument',
                        input: ({ context }) => ({ waitMs: context.flow.documentWaitMs }),
                        onDone: [
                          // Back from review with another person's card: not a correction, a new application.
                          { guard: { type: 'differentPerson', params: ({ event }) => event.output }, target: 'differentPerson', actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          notTheInvitedCard,
                          { guard: { type: 'documentClean', params: ({ event }) => event.output }, target: 'shown.confirm', actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          { guard: { type: 'documentHasMismatch', params: ({ event }) => event.output }, target: 'shown.mismatch', actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          { guard: { type: 'documentUnreadable', params: ({ event }) => event.output }, target: 'scan', reenter: true, actions: { type: 'showDocumentError', params: ({ event }) => ({ outcome: event.output }) } },
                          // Nothing scanned in time: keep waiting.
                          { target: 'scan', reenter: true },
                        ],
                        onError: { target: 'scan', reenter: true, actions: 'showScannerFault' },
                      },
                      on: { DOC_TYPE_NUMBER: { target: 'typing', actions: 'clearDocumentError' } },
                    },
                    typing: {
                      meta: { screen: { name: 'document', phase: 'typing' } },
                      on: {
                        DOC_DIGITS: {
                          guard: { type: 'typedDigitsChanged', params: ({ event }) => ({ digits: event.digits }) },
                          actions: { type: 'recordTypedDigits', params: ({ event }) => ({ digits: event.digits }) },
                        },
                        DOC_TYPED: 'checkingTyped',
                        DOC_SCAN_INSTEAD: { target: 'scan', actions: 'clearDocumentError' },
                      },
                    },
                    checkingTyped: {
                      meta: { screen: { name: 'document', phase: 'reading' } },
                      invoke: {
                        id: 'checkTypedNumber',
                        src: 'parseTypedNumber',
                        input: ({ context, event }) => ({
                          digits: event.type === 'DOC_TYPED' ? event.digits : '',
                          // Lost, first or damaged card: the number typed is the card's (a CCCD's), not an old CMND's.
                          ...(context.application.case && app.TYPED_AS_CCCD.includes(context.application.case) ? { as: 'cccd' as const } : {}),
                        }),
                        onDone: [
                          // Back from review with another person's card: not a correction, a new application.
                          { guard: { type: 'differentPerson', params: ({ event }) => event.output }, target: 'differentPerson', actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          notTheInvitedCard,
                          { guard: { type: 'documentClean', params: ({ event }) => event.output }, target: 'shown.confirm', actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          { guard: { type: 'documentHasMismatch', params: ({ event }) => event.output }, target: 'shown.mismatch', actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          // Not a number we can use (or the parser failed): say why, let them type again.
                          { target: 'typing', actions: { type: 'showDocumentError', params: ({ event }) => ({ outcome: event.output }) } },
                        ],
                        onError: { target: 'typing', actions: 'showScannerFault' },
                      },
                    },
                    shown: {
                      // The parsed document is on screen for the citizen to confirm (or, when its
                      // checks failed, to see what disagrees). Meanwhile keep listening: the citizen
                      // may scan the card's other side, which is cross-checked against it (QR vs MRZ).
                      initial: 'confirm',
                      // The card on screen may say the citizen is 60 or more (issue #15).
                      entry: 'applyElderlyDefaults',
                      invoke: {
                        id: 'scanOtherSide',
                        src: 'readDocument',
                        input: ({ context }) => ({ waitMs: context.flow.documentWaitMs, ...(context.doc.pending ? { previous: context.doc.pending } : {}) }),
                        onDone: [
                          { guard: { type: 'documentClean', params: ({ event }) => event.output }, target: '.confirm', reenter: true, actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          { guard: { type: 'documentHasMismatch', params: ({ event }) => event.output }, target: '.mismatch', reenter: true, actions: { type: 'holdParsedDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          // Unreadable or nothing scanned: keep what is on screen and keep listening.
                          { target: '.hist', reenter: true },
                        ],
                        onError: { target: '.hist', reenter: true },
                      },
                      on: { DOC_RESCAN: { target: 'scan', actions: 'clearDocumentError' } },
                      states: {
                        hist: { type: 'history' },
                        confirm: {
                          meta: { screen: { name: 'document-confirm' } },
                          on: { DOC_CONFIRM: { target: '#documentAccepted', actions: { type: 'acceptDocument', params: { flags: [] } } } },
                        },
                        mismatch: {
                          meta: { screen: { name: 'document-mismatch' } },
                          on: { DOC_ACCEPT_MISMATCH: { target: '#documentAccepted', actions: { type: 'acceptDocument', params: { flags: ['mismatch-confirmed'] } } } },
                        },
                      },
                    },
                    differentPerson: {
                      // From review, the card just read has another ID number: another person's
                      // application. Going on erases the photo, fingerprints and signature taken.
                      meta: { screen: { name: 'different-person' } },
                      on: {
                        START_OVER: [
                          { guard: 'pendingDocumentClean', target: 'shown.confirm', actions: [wipeSession, 'startOver'] },
                          { target: 'shown.mismatch', actions: [wipeSession, 'startOver'] },
                        ],
                        DOC_RESCAN: { target: 'scan', actions: 'clearDocumentError' },
                      },
                    },
                    // The card is not the one the invitation is for: scan the invited person's card, or go on without it.
                    notInvited: {
                      meta: { screen: { name: 'invitation-mismatch' } },
                      on: {
                        DOC_RESCAN: { target: 'scan', actions: 'clearDocumentError' },
                        INVITATION_DROP: { target: '#kiosk.session.main.flow.case', actions: 'dropInvitation' },
                      },
                    },
                    accepted: { id: 'documentAccepted', type: 'final' },
                  },
                  onDone: [
                    { guard: 'fromReview', target: 'review' },
                    // Under 14 a guardian applies with the child (Luật Căn cước 2023, Điều 23).
                    { guard: 'needsGuardian', target: 'guardian' },
                    { guard: 'irisStep', target: 'iris' },
                    { target: 'fingerprints' },
                  ],
                },
                guardian: {
                  meta: { step: 'document' },
                  initial: 'scan',
                  states: {
                    scan: {
                      meta: { screen: { name: 'guardian', phase: 'scan' } },
                      invoke: {
                        id: 'scanGuardian',
                        src: 'readDocument',
                        input: ({ context }) => ({ waitMs: context.flow.documentWaitMs }),
                        onDone: [
                          { guard: { type: 'guardianCardAcceptable', params: ({ event }) => event.output }, target: 'confirm', actions: { type: 'holdGuardianDocument', params: ({ event }) => ({ outcome: event.output }) } },
                          // The child's own card, someone under 18, an unreadable scan: say why, keep listening.
                          { guard: { type: 'guardianCardRefused', params: ({ event }) => event.output }, target: 'scan', reenter: true, actions: { type: 'showGuardianError', params: ({ event }) => ({ outcome: event.output }) } },
                          { target: 'scan', reenter: true },
                        ],
                        onError: { target: 'scan', reenter: true, actions: { type: 'showGuardianError', params: { outcome: { kind: 'fault', message: 'scanner failed' } } } },
                      },
                    },
                    confirm: {
                      meta: { screen: { name: 'guardian', phase: 'confirm' } },
                      on: {
                        GUARDIAN_CONFIRM: { target: 'accepted', actions: 'acceptGuardian' },
                        GUARDIAN_RESCAN: { target: 'scan', actions: 'clearGuardianError' },
                      },
                    },
                    accepted: { type: 'final' },
                  },
                  onDone: [
                    // Under 6 no biometrics: the guardian signs, and the application is finished at the desk.
                    { guard: 'noBiometrics', target: 'signature' },
                    { guard: 'irisStep', target: 'iris' },
                    { target: 'fingerprints' },
                  ],
                },
                // The iris (from age 6, Luật Căn cước 2023): only on a kiosk with an iris camera (flow.iris.enabled).
                iris: {
                  meta: { step: 'fingerprints', screen: { name: 'iris' } },
                  on: { IRIS_DONE: 'fingerprints' },
                },
                fingerprints: {
                  meta: { step: 'fingerprints' },
                  initial: 'capturing',
                  entry: [{ type: 'wipeBiometrics', params: { what: 'bestFingerAttempt' } }, 'startFingerprints'],
                  states: {
                    capturing: {
                      meta: { screen: { name: 'fingerprints', phase: 'capturing' } },
                      entry: 'startFingerAttempt',
                      invoke: {
                        id: 'captureFinger',
                        src: 'captureFinger',
                        input: ({ context }) => ({
                          position: context.fingers[context.fingerIndex]?.position ?? 'right_thumb',
                          waitMs: fingerWaitMs(context),
                          previous: context.fingers,
                        }),
                      },
                      on: {
                        FINGER_PROGRESS: { actions: { type: 'showFingerProgress', params: ({ event }) => ({ fraction: event.fraction }) } },
                        FINGER_RESULT: [
                          { guard: { type: 'fingerMeetsThreshold', params: ({ event }) => event.outcome }, target: 'accepted', actions: [...keepBetterAttempt, 'commitBestFingerAttempt', ...releaseFingerData] },
                          { guard: { type: 'fingerBelowThresholdWithAttemptsLeft', params: ({ event }) => event.outcome }, target: 'lowQuality', actions: keepBetterAttempt },
                          // The round is spent below threshold: never taken as done; the citizen decides.
                          { guard: { type: 'fingerBelowThresholdLastAttempt', params: ({ event }) => event.outcome }, target: 'unreadable', actions: keepBetterAttempt },
                          { guard: { type: 'fingerIsDuplicate', params: ({ event }) => event.outcome }, target: 'duplicate', actions: { type: 'showDuplicateFinger', params: ({ event }) => ({ outcome: event.outcome }) } },
                          { guard: { type: 'noFingerPlaced', params: ({ event }) => event.outcome }, target: 'noFinger' },
                          // The reader faulted: keep why, so the screen can say it.
                          { target: 'fault', actions: { type: 'showFingerFault', params: ({ event }) => ({ outcome: event.outcome }) } },
                        ],
                        ...declareException,
                        ...cancelRedo,
                      },
                    },
                    lowQuality: { meta: { screen: { name: 'fingerprints', phase: 'low-quality' } }, after: { fingerPause: 'capturing' }, on: { FINGER_RETRY: 'capturing', ...declareException, ...cancelRedo } },
                    duplicate: { meta: { screen: { name: 'fingerprints', phase: 'duplicate' } }, after: { fingerPause: 'capturing' }, on: { FINGER_RETRY: 'capturing', ...declareException, ...cancelRedo } },
                    noFinger: { meta: { screen: { name: 'fingerprints', phase: 'no-finger' } }, on: { FINGER_RETRY: 'capturing', ...declareException, ...cancelRedo } },
                    // A reader fault is not the finger's: only "Try again" (or Help), no declaration.
                    fault: { meta: { screen: { name: 'fingerprints', phase: 'fault' } }, on: { FINGER_RETRY: 'capturing', ...cancelRedo } },
                    unreadable: {
                      meta: { screen: { name: 'fingerprints', phase: 'unreadable' } },
                      on: {
                        FINGER_RETRY: { guard: 'fingerRetryOffered', target: 'capturing', actions: 'startFingerRound' },
                        // Kept below threshold only by this explicit choice; the packet flags it for staff.
                        FINGER_KEEP: { guard: 'fingerKeepOffered', target: 'accepted', actions: ['commitBestFingerAttempt', ...releaseFingerData] },
                        ...declareException,
                        ...cancelRedo,
                      },
                    },
                    accepted: {
                      meta: { screen: { name: 'fingerprints', phase: 'accepted' } },
                      after: { fingerAcceptedPause: onToNextFinger },
                      on: { ...declareException },
                    },
                    proof: {
                      initial: 'aim',
                      on: {
                        FINGER_EXCEPTION_CANCEL: [
                          { guard: 'currentFingerTaken', target: 'accepted', actions: [wipeHeldProof, 'cancelFingerException'] },
                          { guard: 'fingerRoundUsedUp', target: 'unreadable', actions: [wipeHeldProof, 'cancelFingerException'] },
                          { target: 'capturing', actions: [wipeHeldProof, 'cancelFingerException'] },
                        ],
                      },
                      states: {
                        aim: { meta: { screen: { name: 'fingerprints', phase: 'proof-photo' } }, on: { FINGER_PROOF_PHOTO: 'taking' } },
                        taking: {
                          meta: { screen: { name: 'fingerprints', phase: 'proof-taking' } },
                          invoke: {
                            id: 'takeProofPhoto',
                            src: 'takeProofPhoto',
                            input: ({ context }) => ({ hand: handOf(context.fingers[context.fingerIndex]?.position ?? 'right_thumb') }),
                            onDone: [
                              // An officer's console is connected: the photo waits for the officer's answer.
                              {
                                guard: { type: 'proofPhotoForOfficer', params: ({ event }) => event.output },
                                target: 'officerCheck',
                                actions: { type: 'holdProofForOfficer', params: ({ event }) => ({ proof: event.output }) },
                              },
                              {
                                guard: { type: 'proofPhotoTaken', params: ({ event }) => event.output },
                                target: '#kiosk.session.main.flow.fingerprints.noted',
                                actions: [
                                  { type: 'wipeBiometrics', params: { what: 'currentFinger' } },
                                  { type: 'recordFingerException', params: ({ event }) => ({ proof: event.output }) },
                                  ...releaseFingerData,
                                ],
                              },
                              { target: 'aim', actions: 'showProofPhotoFault' },
                            ],
                            onError: { target: 'aim', actions: 'showProofPhotoFault' },
                          },
                        },
                        // "An officer is checking your photo" (issue #14): the hall officer sees the
                        // photo on the ops console and approves or refuses. The citizen may cancel or
                        // ask for help meanwhile; nobody answering in time keeps the exception,
                        // marked unanswered, for staff to review (never a hang).
                        officerCheck: {
                          meta: { screen: { name: 'fingerprints', phase: 'officer-check' } },
                          after: {
                            exceptionApprovalWait: {
                              target: '#kiosk.session.main.flow.fingerprints.noted',
                              actions: [{ type: 'wipeBiometrics', params: { what: 'currentFinger' } }, { type: 'recordDecidedFingerException', params: { outcome: 'unanswered' } }, ...releaseFingerData],
                            },
                          },
                          on: {
                            OPS_EXCEPTION_DECISION: [
                              {
                                guard: { type: 'officerApproved', params: ({ event }) => ({ approve: event.approve }) },
                                target: '#kiosk.session.main.flow.fingerprints.noted',
                                actions: [
                                  { type: 'wipeBiometrics', params: { what: 'currentFinger' } },
                                  { type: 'recordDecidedFingerException', params: ({ event }) => ({ outcome: 'approved' as const, officer: event.officer }) },
                                  ...releaseFingerData,
                                ],
                              },
                              // Refused: nothing recorded, the photo wiped, the finger asked for again.
                              { guard: 'currentFingerTaken', target: '#kiosk.session.main.flow.fingerprints.accepted', actions: refuseException },
                              { guard: 'fingerRoundUsedUp', target: '#kiosk.session.main.flow.fingerprints.unreadable', actions: refuseException },
                              { target: '#kiosk.session.main.flow.fingerprints.capturing', actions: refuseException },
                            ],
                          },
                        },
                      },
                    },
                    noted: {
                      meta: { screen: { name: 'fingerprints', phase: 'accepted' } },
                      after: {
                        fingerAcceptedPause: [
                          // More declared than the kiosk may take alone: call staff (the help request).
                          // Coming back from help means staff answered: staffCheck then goes on.
                          { guard: 'tooManyFingerExceptions', target: 'staffCheck', actions: 'callStaffAboutFingers' },
                          ...onToNextFinger,
                        ],
                      },
                    },
                    staffCheck: {
                      meta: { screen: { name: 'fingerprints', phase: 'staff-check' } },
                      after: { fingerAcceptedPause: onToNextFinger },
                    },
                    complete: { type: 'final' },
                  },
                  onDone: [{ guard: 'fromReview', target: 'review' }, { target: 'face' }],
                },
                face: {
                  meta: { step: 'face' },
                  initial: 'live',
                  states: {
                    live: {
                      meta: { screen: { name: 'face', phase: 'live' } },
                      // The camera's supervisor says it has failed (its frame watchdog fired, or it is
                      // gone): the fault and its way out now, whatever the face session has noticed.
                      always: { guard: 'cameraDown', target: 'fault', actions: { type: 'showCameraFault', params: ({ context }) => ({ message: `camera ${context.devices.camera ?? 'unknown'}` }) } },
                      invoke: {
                        id: 'faceSession',
                        src: 'faceSession',
                        input: ({ context }) => ({ stableFrames: context.flow.faceStableFrames, livenessFrames: context.flow.faceLivenessFrames }),
                      },
                      on: { FACE_FAULT: { target: 'fault', actions: { type: 'showCameraFault', params: ({ event }) => ({ message: event.message }) } } },
                      initial: 'framing',
                      states: {
                        // Guidance until the face has been good long enough.
                        framing: {
                          on: {
                            FACE_GUIDANCE: [
                              { guard: faceSteady, target: 'countingDown', actions: showFaceGuidance },
                              { actions: showFaceGuidance },
                            ],
                          },
                        },
                        // 3, 2, 1 on screen; a face that stops being good starts it over.
                        countingDown: {
                          entry: 'startFaceCountdown',
                          always: { guard: 'faceCountdownOff', target: 'shooting' },
                          initial: 'second',
                          on: {
                            FACE_GUIDANCE: [
                              { guard: faceSteady, actions: showFaceGuidance },
                              { target: 'framing', actions: [showFaceGuidance, 'clearFaceCountdown'] },
                            ],
                          },
                          states: {
                            second: {
                              after: {
                                faceCountdownTick: [
                                  { guard: 'faceCountdownEnding', target: '#kiosk.session.main.flow.face.live.shooting' },
                                  { target: 'second', reenter: true, actions: 'tickFaceCountdown' },
                                ],
                              },
                            },
                          },
                        },
                        // The still is asked for; its check decides: a photo, or back to framing.
                        shooting: {
                          entry: ['tickFaceCountdown', 'takeFaceStill'],
                          on: {
                            FACE_GUIDANCE: [
                              // A steady frame changes nothing while the still is being taken.
                              { guard: faceSteady },
                              { target: 'framing', actions: [showFaceGuidance, 'clearFaceCountdown'] },
                            ],
                            FACE_CAPTURED: [
                              // The last photo allowed: the best of all the photos taken is the one kept.
                              {
                                guard: 'lastFaceAttempt',
                                target: '#kiosk.session.main.flow.face.captured',
                                actions: [
                                  { type: 'wipeBiometrics', params: ({ event }): WipeTarget => ({ what: 'worseFacePhoto', face: event.face }) },
                                  { type: 'keepBestFacePhoto', params: ({ event }) => ({ face: event.face }) },
                                ],
                              },
                              {
                                target: '#kiosk.session.main.flow.face.captured',
                                actions: [{ type: 'wipeBiometrics', params: { what: 'pendingFace' } }, { type: 'holdFacePhoto', params: ({ event }) => ({ face: event.face }) }],
                              },
                            ],
                          },
                        },
                      },
                    },
                    captured: {
                      meta: { screen: { name: 'face', phase: 'captured' } },
                      on: {
                        FACE_ACCEPT: {
                          target: 'accepted',
                          actions: [{ type: 'wipeBiometrics', params: { what: 'replacedFace' } }, { type: 'wipeBiometrics', params: { what: 'unusedBestFace' } }, 'acceptFacePhoto'],
                        },
                        // Only while retakes are left; at the limit the screen offers the kept photo or staff.
                        FACE_RETAKE: { guard: 'faceRetakesLeft', target: 'live', actions: [{ type: 'wipeBiometrics', params: { what: 'worseFacePhoto' } }, 'retakeFacePhoto'] },
                      },
                    },
                    fault: {
                      meta: { screen: { name: 'face', phase: 'fault' } },
                      // The camera is tried again; a camera fault does not use up one of the citizen's photos.
                      on: { FACE_RETAKE: { target: 'live', actions: [{ type: 'wipeBiometrics', params: { what: 'pendingFace' } }, 'clearCameraFault'] } },
                    },
                    accepted: { type: 'final' },
                  },
                  onDone: [{ guard: 'fromReview', target: 'review' }, { target: 'signature' }],
                },
                signature: {
                  meta: { step: 'signature' },
                  initial: 'drawing',
                  states: {
                    drawing: { meta: { screen: { name: 'signature' } }, on: { SIGNATURE_SUBMIT: 'checking' } },
                    checking: {
                      meta: { screen: { name: 'signature' } },
                      invoke: {
                        id: 'checkSignature',
                        src: 'checkSignature',
                        input: ({ event }) =>
                          event.type === 'SIGNATURE_SUBMIT' ? { strokes: event.strokes, box: event.box } : { strokes: [], box: { width: 1, height: 1 } },
                        onDone: [
                          {
                            guard: { type: 'signatureValid', params: ({ event }) => event.output },
                            target: 'accepted',
                            actions: [{ type: 'wipeBiometrics', params: { what: 'acceptedSignature' } }, { type: 'acceptSignature', params: ({ event }) => ({ outcome: event.output }) }],
                          },
                          { target: 'drawing', actions: { type: 'showSignatureError', params: ({ event }) => ({ outcome: event.output }) } },
                        ],
                        onError: { target: 'drawing', actions: 'showSignatureFault' },
                      },
                    },
                    accepted: { type: 'final' },
                  },
                  onDone: 'review',
                },
                review: {
                  meta: { step: 'review', screen: { name: 'review' } },
                  entry: 'clearEditingFromReview',
                  on: {
                    REVIEW_EDIT: [
                      { guard: { type: 'editingDocument', params: ({ event }) => ({ step: event.step }) }, target: 'document', actions: 'markEditingFromReview' },
                      // Every finger again; each one's earlier print is kept until it is retaken.
                      {
                        guard: { type: 'editingFingerprints', params: ({ event }) => ({ step: event.step }) },
                        target: 'fingerprints',
                        actions: ['markEditingFromReview', { type: 'startFingerRedo', params: { fingers: FINGER_POSITIONS } }],
                      },
                      { guard: { type: 'editingFace', params: ({ event }) => ({ step: event.step }) }, target: 'face', actions: ['markEditingFromReview', 'startFaceStep'] },
                      { guard: { type: 'editingSignature', params: ({ event }) => ({ step: event.step }) }, target: 'signature', actions: 'markEditingFromReview' },
                    ],
                    REVIEW_REDO_FINGERS: { guard: 'biometricsTaken', target: 'fingerprints', actions: ['markEditingFromReview', { type: 'startFingerRedo', params: ({ event }) => ({ fingers: event.fingers }) }] },
                    REVIEW_CONFIRM: { guard: 'everyStepComplete', target: 'submitting' },
                  },
                },
                submitting: {
                  meta: { screen: { name: 'submitting' } },
                  invoke: {
                    id: 'submitEnrollment',
                    src: 'submitEnrollment',
                    input: ({ context }) => ({ draft: fx.toDraft(context) }),
                    onDone: { target: 'done', actions: { type: 'recordTrackingCode', params: ({ event }) => ({ trackingCode: event.output.trackingCode }) } },
                    onError: { target: 'submitFailed', actions: 'showSubmitFailure' },
                  },
                },
                submitFailed: { meta: { screen: { name: 'submit-failed' } }, on: { SUBMIT_RETRY: 'submitting' } },
                done: {
                  meta: { screen: { name: 'done' } },
                  // Sealed and committed: the biometrics in memory are no longer needed.
                  entry: wipeSession,
                  initial: 'printing',
                  states: {
                    printing: {
                      entry: 'startPrinting',
                      invoke: {
                        id: 'printReceipt',
                        src: 'printReceipt',
                        input: ({ context }) => fx.receiptInput(context),
                        onDone: { target: 'shown', actions: { type: 'recordPrintOutcome', params: ({ event }) => ({ outcome: event.output }) } },
                        onError: { target: 'shown', actions: 'showPrinterFault' },
                      },
                      // A printer that never answers must not keep the receipt screen up for ever.
                      after: { doneTimeout: { target: 'shown', actions: 'showPrinterFault' } },
                    },
                    shown: {
                      // The countdown back to the start starts once the citizen knows whether they have paper.
                      meta: { countdown: 'doneTimeout' },
                      after: { doneTimeout: '#kiosk.attract' },
                      on: { REPRINT: { guard: 'receiptCanBePrintedAgain', target: 'printing' } },
                    },
                  },
                  on: { FINISH: '#kiosk.attract' },
                },
              },
            },
            help: {
              meta: { overlay: 'help' },
              // Waiting for staff is not being idle: the idle watch waits much longer meanwhile.
              entry: 'startWaitingForStaff',
              exit: 'stopWaitingForStaff',
              on: { HELP_DONE: 'flow.hist' },
            },
          },
        },
        idle: {
          initial: 'watching',
          states: {
            watching: {
              on: {
                ...Object.fromEntries(ACTIVITY.map((t) => [t, { target: 'watching', reenter: true }])),
                HELP_WAIT_START: 'waitingForStaff',
                // The PIR sees nobody any more: the citizen may have walked away.
                PRESENCE: [{ guard: personLeft, target: 'nobodyThere', actions: recordPresence }, { actions: recordPresence }],
              },
              after: {
                idleTimeout: [
                  { guard: 'committingOrShowingReceipt', target: 'watching', reenter: true },
                  { target: 'prompting' },
                ],
              },
            },
            nobodyThere: {
              // Asked sooner whether they are still there (a PIR misses someone sitting still, so
              // the prompt is still shown and a touch keeps the session); someone back, or any
              // activity, and the usual wait starts again.
              on: {
                ...Object.fromEntries(ACTIVITY.map((t) => [t, { target: 'watching' }])),
                PRESENCE: [{ guard: personArrived, target: 'watching', actions: recordPresence }, { actions: recordPresence }],
                HELP_WAIT_START: 'waitingForStaff',
              },
              after: {
                absentTimeout: [
                  { guard: 'committingOrShowingReceipt', target: 'watching' },
                  { target: 'prompting' },
                ],
              },
            },
            waitingForStaff: {
              // Staff answer with HELP_DONE (or end the session); a citizen who left is still
              // wiped, after the help wait and the prompt nobody answers.
              on: { HELP_WAIT_END: 'watching', TOUCH: { target: 'waitingForStaff', reenter: true } },
              after: { helpWait: 'prompting' },
            },
            prompting: {
              meta: { overlay: 'timeout-prompt', countdown: 'promptTimeout' },
              on: {
                STILL_HERE: [{ guard: 'waitingForStaff', target: 'waitingForStaff' }, { target: 'watching' }],
                TOUCH: [{ guard: 'waitingForStaff', target: 'waitingForStaff' }, { target: 'watching' }],
                HELP_WAIT_START: 'waitingForStaff',
                HELP_WAIT_END: 'watching',
              },
              after: { promptTimeout: { actions: 'abandonSession' } },
            },
          },
        },
      },
    },
  },
});

export type EnrollmentMachine = typeof enrollmentMachine;
