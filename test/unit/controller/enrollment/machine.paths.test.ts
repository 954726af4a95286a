import { describe, expect, it } from 'vitest';
import { __unsafe_getAllOwnEventDescriptors, createActor, SimulatedClock, type ActorLogic, type ActorScope, type EventObject } from 'xstate';
import { getShortestPaths, type StatePath } from 'xstate/graph';
import type { DocumentOutcome, EnrollmentEvent, EnrollmentNotice, InvitationOutcome, PrintOutcome, ProofOutcome, SignatureOutcome, SubmitOutput } from '../../../../controller/enrollment/context';
import { applicantAge } from '../../../../controller/enrollment/application';
import { CHILD_DOC, INFANT_DOC, OTHER_PERSON_DOC, SESSION_DAY } from '../../../helpers/screen-walks';
import { enrollmentMachine, type MachineInput } from '../../../../controller/enrollment/machine';
import { FACE_COUNTDOWN_TICK_MS } from '../../../../controller/enrollment/setup';
import { declaredScreens, toViewModel } from '../../../../controller/enrollment/view';
import { CLEAN_DOC, TEST_FLOW as HARNESS_FLOW, createDrivenMachine, facePhoto, goodFinger, handPhoto, settle, validSignature, type EnrollmentSnapshot } from '../../../helpers/enrollment-harness';
import { EDITABLE_STEPS, type FingerPhase, type Screen, type ViewModel } from '../../../../domain/kiosk-channel/view-model';

/**
 * Paths generated from the machine's graph (xstate/graph): from the kiosk switched on to every
 * screen a citizen can be shown, by the fewest events. Each path is then played on the real
 * machine (its actors are fakes that wait to be answered, on a simulated clock) and must show,
 * step by step, the state and the screen the graph says it will.
 */

/**
 * Two attempts and one round are enough to reach every state (a retry within the round, the end
 * of it, keeping a print or declaring the finger); more only multiply the graph. A second round
 * ("Try again" after a round) is tested in machine.fingerprints.test.ts.
 */
const TEST_FLOW = { ...HARNESS_FLOW, fingerAttempts: 2, fingerRounds: 1, iris: { enabled: true } };

// ───────────── the events the graph may take, with representative payloads ─────────────

type PromiseActorId = 'scanDocument' | 'scanOtherSide' | 'checkTypedNumber' | 'scanGuardian' | 'takeProofPhoto' | 'checkSignature' | 'submitEnrollment' | 'printReceipt';
type DocumentActorId = 'scanDocument' | 'scanOtherSide' | 'checkTypedNumber' | 'scanGuardian';

/** Events XState makes itself (an invoked actor settled, a delay fired). */
type XStateEvent =
  | { readonly type: `xstate.done.actor.${DocumentActorId}`; readonly output: DocumentOutcome }
  | { readonly type: 'xstate.done.actor.takeProofPhoto'; readonly output: ProofOutcome }
  | { readonly type: 'xstate.done.actor.checkSignature'; readonly output: SignatureOutcome }
  | { readonly type: 'xstate.done.actor.submitEnrollment'; readonly output: SubmitOutput }
  | { readonly type: 'xstate.done.actor.printReceipt'; readonly output: PrintOutcome }
  | { readonly type: `xstate.error.actor.${PromiseActorId}`; readonly error: string }
  | { readonly type: `xstate.after.${string}` };

type GraphEvent = EnrollmentEvent | XStateEvent;

const MISMATCH_DOC: DocumentOutcome = { ...CLEAN_DOC, checks: [{ name: 'id-vs-sex', ok: false, message: { vi: 'Giới tính không khớp', en: 'Sex does not match' } }] };
const UNREADABLE: DocumentOutcome = { kind: 'invalid', error: { vi: 'Mã không đọc được', en: 'Unreadable code' } };
const OTHER_PERSON: DocumentOutcome = { ...CLEAN_DOC, document: { ...CLEAN_DOC.document, idNumber: '001185004321' } };
/** An invitation for CLEAN_DOC's holder (OTHER_PERSON's card is not the invited one). */
const INVITED: InvitationOutcome = {
  kind: 'accepted',
  at: SESSION_DAY,
  invitation: { id: 'GM-1', idNumber: CLEAN_DOC.document.idNumber, case: 'expired', priority: 'elderly', validFrom: '2026-11-01', validUntil: '2026-12-31', station: 'CAP' },
};
const docResults = (id: DocumentActorId, outcomes: DocumentOutcome[]): XStateEvent[] => [
  ...outcomes.map((output): XStateEvent => ({ type: `xstate.done.actor.${id}`, output })),
  { type: `xstate.error.actor.${id}`, error: 'simulated failure' },
];

const EVENTS: readonly GraphEvent[] = [
  { type: 'DEVICES', states: { fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' } },
  { type: 'DEVICES', states: { fingerprint: 'disconnected' } },
  { type: 'START', at: SESSION_DAY },
  // the application (issue #15): the case, an invitation, the guardian, the iris step
  { type: 'CASE_CHOOSE', case: 'expired' },
  { type: 'CASE_CHOOSE', case: 'lost' },
  { type: 'CASE_CHOOSE', case: 'changed' },
  { type: 'CASE_CHANGES', changes: ['address'] },
  { type: 'CASE_BACK' },
  { type: 'INVITATION', outcome: INVITED },
  { type: 'INVITATION', outcome: { kind: 'refused', reason: 'forged' } },
  { type: 'INVITATION_DROP' },
  { type: 'GUARDIAN_CONFIRM' },
  { type: 'GUARDIAN_RESCAN' },
  { type: 'IRIS_DONE' },
  { type: 'SET_LANGUAGE', lang: 'en' },
  // Accessibility (issue #15): they change what is shown, never where the citizen can go.
  { type: 'SET_LARGE_TEXT', on: true },
  { type: 'SET_VOICE', muted: true },
  { type: 'HELP' },
  { type: 'HELP_DONE' },
  { type: 'STILL_HERE' },
  { type: 'TOUCH' },
  { type: 'QUIT' },
  { type: 'FINISH' },
  { type: 'DOC_TYPE_NUMBER' },
  { type: 'DOC_SCAN_INSTEAD' },
  { type: 'DOC_TYPED', digits: '123456789' },
  { type: 'DOC_DIGITS', digits: '0792' },
  { type: 'START_OVER' },
  { type: 'REPRINT' },
  { type: 'PRINTER', problem: 'paper-out' },
  { type: 'PRINTER' },
  { type: 'MAINTENANCE', on: true },
  { type: 'MAINTENANCE', on: false },
  // the panel: the PIR and the tamper switch
  { type: 'PRESENCE', present: true },
  { type: 'PRESENCE', present: false },
  { type: 'ENCLOSURE', open: true },
  { type: 'ENCLOSURE', open: false },
  { type: 'OPS_CONSOLE', connected: true },
  { type: 'OPS_CONSOLE', connected: false },
  { type: 'OPS_SERVICE', on: true, officer: 'Trần Thị Bình' },
  { type: 'OPS_SERVICE', on: false, officer: 'Trần Thị Bình' },
  { type: 'OPS_END_SESSION', officer: 'Trần Thị Bình' },
  { type: 'OPS_EXCEPTION_DECISION', approve: true, officer: 'Trần Thị Bình' },
  { type: 'OPS_EXCEPTION_DECISION', approve: false, officer: 'Trần Thị Bình' },
  { type: 'DOC_CONFIRM' },
  { type: 'DOC_RESCAN' },
  { type: 'DOC_ACCEPT_MISMATCH' },
  { type: 'FINGER_PROGRESS', fraction: 0.5 },
  { type: 'FINGER_RESULT', outcome: goodFinger(80) },
  { type: 'FINGER_RESULT', outcome: goodFinger(20) },
  { type: 'FINGER_RESULT', outcome: { kind: 'duplicate', of: 'right_thumb' } },
  { type: 'FINGER_RESULT', outcome: { kind: 'no-finger' } },
  { type: 'FINGER_RESULT', outcome: { kind: 'fault', message: 'unplugged' } },
  { type: 'FINGER_RETRY' },
  { type: 'FINGER_KEEP' },
  { type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'hand' },
  { type: 'FINGER_EXCEPTION_CANCEL' },
  { type: 'FINGER_PROOF_PHOTO' },
  { type: 'xstate.done.actor.takeProofPhoto', output: handPhoto() },
  { type: 'xstate.done.actor.takeProofPhoto', output: { kind: 'fault', reason: 'timeout', message: 'no frame arrived for the still' } },
  { type: 'xstate.error.actor.takeProofPhoto', error: 'simulated failure' },
  { type: 'FINGER_REDO_CANCEL' },
  { type: 'REVIEW_REDO_FINGERS', fingers: ['right_index'] },
  { type: 'FACE_GUIDANCE', guidance: { vi: 'Xin nhìn thẳng', en: 'Please look straight ahead' }, checks: [{ name: 'frontal', pass: false }] },
  { type: 'FACE_GUIDANCE', guidance: { vi: 'Tốt lắm — xin giữ yên', en: 'Good — please hold still' }, checks: [{ name: 'frontal', pass: true }], steady: true },
  { type: 'FACE_CAPTURED', face: facePhoto() },
  { type: 'FACE_FAULT', message: 'no frames for 3 s' },
  { type: 'FACE_ACCEPT' },
  { type: 'FACE_RETAKE' },
  { type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } },
  ...EDITABLE_STEPS.map((step): GraphEvent => ({ type: 'REVIEW_EDIT', step })),
  { type: 'REVIEW_CONFIRM' },
  { type: 'SUBMIT_RETRY' },
  ...docResults('scanDocument', [CLEAN_DOC, MISMATCH_DOC, UNREADABLE, { kind: 'timeout' }, OTHER_PERSON, CHILD_DOC, INFANT_DOC]),
  // The guardian's card: an adult's (taken), the child's own (refused), unreadable, nothing.
  ...docResults('scanGuardian', [OTHER_PERSON_DOC, CHILD_DOC, UNREADABLE, { kind: 'timeout' }]),
  ...docResults('checkTypedNumber', [CLEAN_DOC, MISMATCH_DOC, UNREADABLE]),
  ...docResults('scanOtherSide', [CLEAN_DOC, MISMATCH_DOC, { kind: 'timeout' }]),
  { type: 'xstate.done.actor.checkSignature', output: validSignature() },
  { type: 'xstate.done.actor.checkSignature', output: { kind: 'invalid', error: { vi: 'Chữ ký quá ngắn', en: 'Too short' } } },
  { type: 'xstate.error.actor.checkSignature', error: 'simulated failure' },
  { type: 'xstate.done.actor.submitEnrollment', output: { trackingCode: 'K7Q-4MX-92P' } },
  { type: 'xstate.error.actor.submitEnrollment', error: 'SQLITE_FULL' },
  { type: 'xstate.done.actor.printReceipt', output: { printed: true, receiptLines: ['K7Q-4MX-92P'] } },
  { type: 'xstate.done.actor.printReceipt', output: { printed: false, receiptLines: ['K7Q-4MX-92P'], message: { vi: 'Hết giấy', en: 'Out of paper' } } },
  { type: 'xstate.error.actor.printReceipt', error: 'unplugged' },
];

const isTimer = (e: GraphEvent): e is Extract<XStateEvent, { type: `xstate.after.${string}` }> => e.type.startsWith('xstate.after.');

// ───────────── the graph ─────────────

type Snapshot = EnrollmentSnapshot;

/**
 * The machine's transition function, which takes XState's own events as well; XState's types
 * leave those out of the machine's event type, so it is declared here as a method (TypeScript
 * compares method parameters both ways, which lets the machine be used as it is).
 */
type System = Parameters<typeof enrollmentMachine.transition>[2]['system'];
type Scope = ActorScope<Snapshot, GraphEvent, System, EnrollmentNotice>;
interface TakesXStateEvents {
  transition(snapshot: Snapshot, event: GraphEvent, scope: Scope): Snapshot;
  getInitialSnapshot(scope: Scope, input: MachineInput): Snapshot;
}
const machine: TakesXStateEvents = enrollmentMachine;
const graphLogic: ActorLogic<Snapshot, GraphEvent, MachineInput, System, EnrollmentNotice> = {
  transition: (snapshot, event, scope) => machine.transition(snapshot, event, scope),
  getInitialSnapshot: (scope, input) => machine.getInitialSnapshot(scope, input),
  getPersistedSnapshot: (snapshot) => snapshot,
};

/** What the citizen sees: screen (with its phase) and overlay. */
function screenKey(view: ViewModel): string {
  const s = view.screen;
  const phase =
    'phase' in s
      ? `:${s.phase}`
      : s.name === 'attract' && s.staffCalled
        ? ':staff-called'
        : s.name === 'attract' && s.asleep
          ? ':asleep'
          : s.name === 'attract' && s.invitationRefused
            ? ':invitation-refused'
          : s.name === 'out-of-service' && s.enclosureOpen
            ? ':enclosure-open'
            : s.name === 'out-of-service' && s.maintenance
              ? ':maintenance'
              : s.name === 'out-of-service' && s.officer
                ? ':officer'
                : '';
  return `${s.name}${phase}${view.overlay ? ` +${view.overlay.name}` : ''}`;
}

/**
 * Two snapshots are the same vertex when they show the same thing and every guard will answer
 * the same: the state, the screen, and the parts of the context the guards read.
 */
function vertex(s: Snapshot): string {
  let key = vertices.get(s);
  if (key === undefined) vertices.set(s, (key = vertexOf(s)));
  return key;
}
/**
 * Each snapshot's vertex, computed once: xstate/graph serializes every snapshot once as it leaves
 * the queue and again as it weighs the paths, and a snapshot never changes.
 */
const vertices = new WeakMap<Snapshot, string>();

function vertexOf(s: Snapshot): string {
  const c = s.context;
  return JSON.stringify({
    value: s.value,
    shown: screenKey(toViewModel(s, 0)),
    fromReview: c.fromReview,
    complete: [Boolean(c.doc.accepted), Boolean(c.face.accepted), Boolean(c.signature.accepted)],
    fingers: [c.fingers.filter((f) => f.status === 'pending').length, c.fingerAttempts],
    // What the fingerprint guards read besides: the round, whether a best print is held, the
    // finger on screen, and whether more fingers are declared than the kiosk takes without staff.
    finger: [c.fingerRound, Boolean(c.fingerBest), c.fingers[c.fingerIndex]?.status, c.fingers.filter((f) => f.status === 'exception').length > c.flow.fingerExceptionsWithoutStaff],
    // The photo count and countdown matter only on the photo step (and are reset on coming back to it).
    face: s.matches({ session: { main: { flow: 'face' } } }) ? [c.face.attempt, c.face.countdown ?? null] : null,
    printer: [c.printerProblem ?? null, c.submit.printed],
    maintenance: c.maintenance ?? false,
    enclosureOpen: c.enclosureOpen,
    someoneNear: c.someoneNear,
    // The hall officer's console (issue #14): connected (exceptions wait for it), its switch.
    console: [c.opsConsole ?? false, c.officerOutOfService !== undefined],
    // What the application's guards read: the case known, an invitation, the age group, the guardian.
    application: [c.application.case !== undefined, Boolean(c.application.invitation), applicantAge(c).group, Boolean(c.guardian.pending), Boolean(c.guardian.accepted)],
  });
}

const DELAYS: Readonly<Record<string, number>> = {
  idleTimeout: TEST_FLOW.idleTimeoutMs,
  promptTimeout: TEST_FLOW.promptTimeoutMs,
  doneTimeout: TEST_FLOW.doneTimeoutMs,
  abandonedScreen: TEST_FLOW.abandonedScreenMs,
  helpWait: TEST_FLOW.helpWaitMs,
  staffCalledScreen: TEST_FLOW.staffCalledScreenMs,
  fingerPause: TEST_FLOW.fingerPauseMs,
  fingerAcceptedPause: TEST_FLOW.fingerAcceptedPauseMs,
  exceptionApprovalWait: TEST_FLOW.fingerExceptionApprovalWaitMs,
  faceCountdownTick: FACE_COUNTDOWN_TICK_MS,
  attractSleep: TEST_FLOW.attractSleepMs,
  absentTimeout: TEST_FLOW.absentTimeoutMs,
  invitationRefusedScreen: TEST_FLOW.invitationRefusedScreenMs,
};

/** `xstate.after.fingerPause.kiosk.…` → how long that delay is. */
function delayOf(timerEvent: string): number {
  const name = timerEvent.slice('xstate.after.'.length).split('.')[0] ?? '';
  const ms = DELAYS[name];
  if (ms === undefined) throw new Error(`no length known for the delay "${name}"`);
  return ms;
}

/**
 * The events offered in a snapshot: the representative ones it has a transition for, and the
 * timer that fires first. Timers restart together with the idle timer (the events that start a
 * pause are the citizen's or a device's), so a longer one never fires while a shorter is pending.
 */
function eventsFor(s: Snapshot): GraphEvent[] {
  const own = new Set(__unsafe_getAllOwnEventDescriptors(s).filter((d): d is string => typeof d === 'string'));
  const timers = [...own].filter((t) => t.startsWith('xstate.after.'));
  const soonest = Math.min(...timers.map(delayOf));
  const firing = timers.filter((t) => delayOf(t) === soonest).map((t): GraphEvent => ({ type: `xstate.after.${t.slice('xstate.after.'.length)}` }));
  // A device report (or the technician's switch) during a session only updates the context;
  // attract and out of service act on it (maintenance.test.ts plays the switch mid-session).
  const kioskWide = (e: GraphEvent): boolean => e.type === 'DEVICES' || e.type === 'PRINTER' || e.type === 'MAINTENANCE' || e.type === 'OPS_CONSOLE' || e.type === 'OPS_SERVICE';
  const offered = EVENTS.filter((e) => own.has(e.type) && (!kioskWide(e) || !s.matches('session')));
  return [...(sideRoad(s) ? offered.filter(cooperative) : offered), ...firing];
}

/**
 * A child's session or an invited one goes through the same steps as any other after its own:
 * there the graph offers only what a cooperative citizen and the devices do (good prints, a good
 * photo, a signature), so that its own states are reached without every step's detours again.
 */
function sideRoad(s: Snapshot): boolean {
  return s.matches('session') && (s.context.application.invitation !== undefined || applicantAge(s.context).group !== 'adult');
}
const COOPERATIVE: ReadonlySet<string> = new Set([
  'SET_LANGUAGE', 'DOC_CONFIRM', 'DOC_RESCAN', 'INVITATION_DROP', 'CASE_CHOOSE', 'GUARDIAN_CONFIRM', 'GUARDIAN_RESCAN', 'IRIS_DONE',
  'FACE_CAPTURED', 'FACE_ACCEPT', 'SIGNATURE_SUBMIT', 'REVIEW_CONFIRM', 'FINISH',
  'xstate.done.actor.scanDocument', 'xstate.done.actor.scanGuardian', 'xstate.error.actor.scanGuardian', 'xstate.done.actor.scanOtherSide',
  'xstate.done.actor.submitEnrollment', 'xstate.done.actor.printReceipt',
]);
function cooperative(e: GraphEvent): boolean {
  if (e.type === 'FINGER_RESULT') return e.outcome.kind === 'captured' && e.outcome.score >= TEST_FLOW.fingerQualityThreshold;
  if (e.type === 'FACE_GUIDANCE') return e.steady === true;
  if (e.type === 'xstate.done.actor.checkSignature') return e.output.kind === 'valid';
  if (e.type === 'CASE_CHOOSE') return e.case === 'expired';
  return COOPERATIVE.has(e.type);
}

/**
 * An overlay is somewhere to be, not somewhere to go on from (its screens are reached anyway);
 * except the help request the flow raises itself (staff called about declared fingers): staff
 * answering it is a step of the flow.
 */
function stopsHere(s: Snapshot): boolean {
  const view = toViewModel(s, 0);
  const raisedByTheFlow = view.overlay?.name === 'help' && view.screen.name === 'fingerprints' && view.screen.phase === 'staff-check';
  return view.overlay !== undefined && !raisedByTheFlow;
}

const paths: Array<StatePath<Snapshot, GraphEvent>> = getShortestPaths(graphLogic, {
  input: { flow: TEST_FLOW },
  events: eventsFor,
  serializeState: vertex,
  stopWhen: stopsHere,
});

/** One path per screen: the shortest. */
function shortestPerScreen(): Map<string, StatePath<Snapshot, GraphEvent>> {
  const best = new Map<string, StatePath<Snapshot, GraphEvent>>();
  for (const p of paths) {
    const key = screenKey(toViewModel(p.state, 0));
    const seen = best.get(key);
    if (!seen || p.steps.length < seen.steps.length) best.set(key, p);
  }
  return best;
}
const byScreen = shortestPerScreen();

/**
 * States no screen's shortest path passes through (a state of the idle watch shows no screen of
 * its own: the PIR's "nobody there"), each with the shortest path that reaches it, so that every
 * state is also played on the real machine.
 */
function shortestToUnvisitedStates(): Map<string, StatePath<Snapshot, GraphEvent>> {
  const visited = new Set([...byScreen.values()].flatMap((p) => p.steps.flatMap((step) => activeAtomicIds(step.state))));
  const best = new Map<string, StatePath<Snapshot, GraphEvent>>();
  for (const p of paths) {
    for (const id of activeAtomicIds(p.state)) {
      if (visited.has(id)) continue;
      const seen = best.get(id);
      if (!seen || p.steps.length < seen.steps.length) best.set(id, p);
    }
  }
  return best;
}
const byState = shortestToUnvisitedStates();

// ───────────── playing a path on the real machine ─────────────

/** The driven fakes' answer to one step, or the event itself when it is the citizen's or a device's. */
function play(driven: ReturnType<typeof createDrivenMachine>, clock: SimulatedClock, send: (e: EnrollmentEvent) => void, event: GraphEvent): void {
  // Fresh buffers: the real machine overwrites the ones it drops.
  const e = structuredClone(event);
  const answer = <T>(map: Map<string, { resolve(v: T): void; reject(r: unknown): void }>, id: string) => {
    const waiting = map.get(id);
    if (!waiting) throw new Error(`the path answers ${id}, but no ${id} is running`);
    return waiting;
  };
  const through = (id: string, sent: EventObject) => {
    const sendBack = driven.running.get(id);
    if (!sendBack) throw new Error(`the path has ${sent.type} come from ${id}, but ${id} is not running`);
    sendBack(sent);
  };
  if (isTimer(e)) return clock.increment(delayOf(e.type));
  switch (e.type) {
    case 'xstate.done.actor.scanDocument':
    case 'xstate.done.actor.scanOtherSide':
    case 'xstate.done.actor.checkTypedNumber':
    case 'xstate.done.actor.scanGuardian':
      return answer(driven.waiting.documents, e.type.slice('xstate.done.actor.'.length)).resolve(e.output);
    case 'xstate.done.actor.takeProofPhoto':
      return answer(driven.waiting.proofs, 'takeProofPhoto').resolve(e.output);
    case 'xstate.error.actor.takeProofPhoto':
      return answer(driven.waiting.proofs, 'takeProofPhoto').reject(new Error(e.error));
    case 'xstate.done.actor.checkSignature':
      return answer(driven.waiting.signatures, 'checkSignature').resolve(e.output);
    case 'xstate.done.actor.submitEnrollment':
      return answer(driven.waiting.submits, 'submitEnrollment').resolve(e.output);
    case 'xstate.done.actor.printReceipt':
      return answer(driven.waiting.prints, 'printReceipt').resolve(e.output);
    case 'xstate.error.actor.scanDocument':
    case 'xstate.error.actor.scanOtherSide':
    case 'xstate.error.actor.checkTypedNumber':
    case 'xstate.error.actor.scanGuardian':
      return answer(driven.waiting.documents, e.type.slice('xstate.error.actor.'.length)).reject(new Error(e.error));
    case 'xstate.error.actor.checkSignature':
      return answer(driven.waiting.signatures, 'checkSignature').reject(new Error(e.error));
    case 'xstate.error.actor.submitEnrollment':
      return answer(driven.waiting.submits, 'submitEnrollment').reject(new Error(e.error));
    case 'xstate.error.actor.printReceipt':
      return answer(driven.waiting.prints, 'printReceipt').reject(new Error(e.error));
    case 'FINGER_PROGRESS':
    case 'FINGER_RESULT':
      return through('captureFinger', e);
    case 'FACE_GUIDANCE':
    case 'FACE_CAPTURED':
    case 'FACE_FAULT':
      return through('faceSession', e);
    case 'INVITATION':
      return through('watchInvitations', e);
    default:
      return send(e);
  }
}

async function playOnTheRealMachine(path: StatePath<Snapshot, GraphEvent>): Promise<ViewModel> {
  const driven = createDrivenMachine();
  const clock = new SimulatedClock();
  const errors: unknown[] = [];
  const actor = createActor(driven.machine, { clock, input: { flow: TEST_FLOW } });
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.start();
  const expectSame = (graph: Snapshot, what: string) => {
    const real = actor.getSnapshot();
    expect(errors, what).toEqual([]);
    expect(real.value, what).toEqual(graph.value);
    expect(screenKey(toViewModel(real, 0)), what).toBe(screenKey(toViewModel(graph, 0)));
  };
  const [first, ...rest] = path.steps;
  if (first) expectSame(first.state, 'the kiosk switched on');
  for (const [i, step] of rest.entries()) {
    play(driven, clock, (e) => actor.send(e), step.event);
    await settle(() => actor.getSnapshot());
    expectSame(step.state, `after step ${i + 1}, ${step.event.type}`);
  }
  const view = toViewModel(actor.getSnapshot(), 0);
  actor.stop();
  return view;
}

// ───────────── the tests ─────────────

/** Every screen the page can show, each with its phases (the compiler keeps these lists whole). */
type PhaseOf<N extends Screen['name']> = Extract<Screen, { name: N }> extends { readonly phase: infer P extends string } ? P : never;
const DOCUMENT_PHASES: Record<PhaseOf<'document'>, true> = { scan: true, typing: true, reading: true };
const FINGER_PHASES: Record<FingerPhase, true> = {
  place: true, uploading: true, 'low-quality': true, duplicate: true, 'no-finger': true, fault: true, accepted: true,
  unreadable: true, 'proof-photo': true, 'proof-taking': true, 'staff-check': true, 'officer-check': true,
};
const FACE_PHASES: Record<PhaseOf<'face'>, true> = { live: true, captured: true, fault: true };
const SCREENS: Record<Screen['name'], readonly string[]> = {
  attract: [], language: [], case: ['choose', 'changes'], guardian: ['scan', 'confirm'], 'invitation-mismatch': [], iris: [], document: Object.keys(DOCUMENT_PHASES), 'document-confirm': [], 'document-mismatch': [],
  fingerprints: Object.keys(FINGER_PHASES), face: Object.keys(FACE_PHASES), signature: [], review: [], submitting: [],
  'submit-failed': [], done: [], abandoned: [], 'out-of-service': [], 'different-person': [],
};
const OVERLAYS: Record<NonNullable<ViewModel['overlay']>['name'], true> = { help: true, 'timeout-prompt': true };

describe('paths through the statechart, generated from its graph', () => {
  it('reach every screen, every phase and both overlays', () => {
    const keys = [...byScreen.keys()];
    const shown = new Set(keys.map((k) => k.split(' ')[0]));
    const wanted = Object.entries(SCREENS).flatMap(([name, phases]) => (phases.length ? phases.map((p) => `${name}:${p}`) : [name]));
    expect(wanted.filter((w) => !shown.has(w))).toEqual([]);
    for (const overlay of Object.keys(OVERLAYS)) expect(keys.some((k) => k.endsWith(`+${overlay}`)), overlay).toBe(true);
  });

  it('show exactly one declared screen in every state the graph reaches', () => {
    expect(paths.length).toBeGreaterThan(500);
    for (const p of paths) {
      expect(declaredScreens(p.state), `${JSON.stringify(p.state.value)} declares no screen, or more than one`).toHaveLength(1);
    }
  });

  it('pass, between them, through every state of the chart', () => {
    const visited = new Set([...byScreen.values(), ...byState.values()].flatMap((p) => p.steps.flatMap((step) => activeAtomicIds(step.state))));
    expect(atomicStateIds().filter((id) => !visited.has(id))).toEqual([]);
  });

  describe.each([...byScreen.entries()].sort(([a], [b]) => a.localeCompare(b)))('to %s', (key, path) => {
    it(`plays on the real machine and shows it (${path.steps.length - 1} events)`, async () => {
      expect(screenKey(await playOnTheRealMachine(path))).toBe(key);
    });
  });

  describe.each([...byState.entries()].sort(([a], [b]) => a.localeCompare(b)))('to the state %s', (_id, path) => {
    it(`plays on the real machine (${path.steps.length - 1} events)`, async () => {
      expect(screenKey(await playOnTheRealMachine(path))).toBe(screenKey(toViewModel(path.state, 0)));
    });
  });
});

/** The ids of the atomic states a snapshot is in (from its value: `{ a: { b: 'c' } }` → `kiosk.a.b.c`). */
function activeAtomicIds(s: Snapshot): string[] {
  const walk = (value: unknown, prefix: string): string[] => {
    if (typeof value === 'string') return [`${prefix}.${value}`];
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => walk(v, `${prefix}.${k}`));
  };
  return walk(s.value, enrollmentMachine.id);
}

/** Every atomic state a citizen can be in: not history, and not a final state (left at once). */
function atomicStateIds(): string[] {
  const walk = (node: typeof enrollmentMachine.root): string[] =>
    node.type === 'atomic' ? [node.id] : Object.values(node.states).flatMap(walk);
  return walk(enrollmentMachine.root);
}
