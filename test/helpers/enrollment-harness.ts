import { createActor, fromCallback, fromPromise, SimulatedClock, type EventObject, type SnapshotFrom } from 'xstate';
import { configSchema, type FlowConfig } from '../../controller/config/schema';
import { FACE_TAKE_STILL, type CapturedFace, type DocumentOutcome, type InvitationOutcome, type FingerOutcome, type PrintOutcome, type ProofOutcome, type SignatureOutcome, type SubmitOutput } from '../../controller/enrollment/context';
import type { EnrollmentDraft } from '../../controller/enrollment/draft';
import { FACE_COUNTDOWN_TICK_MS } from '../../controller/enrollment/setup';
import {
  enrollmentMachine,
  type CaptureFingerInput,
  type CheckSignatureInput,
  type EnrollmentMachine,
  type FaceSessionInput,
  type PrintInput,
  type ProofPhotoInput,
  type ReadDocumentInput,
  type SubmitInput,
  type TypedNumberInput,
  type WatchInvitationsInput,
} from '../../controller/enrollment/machine';
import { toViewModel } from '../../controller/enrollment/view';
import type { FingerPosition } from '../../domain/fingers';

/**
 * Fakes for every actor the statechart invokes, and a simulated clock, so tests (and the
 * benchmark) run the whole citizen path in microseconds. Each fake takes its next answer from
 * a script the test sets; an empty script gives the cooperative citizen's answer. The real
 * machine runs; only its actors are swapped, with machine.provide().
 */

export const TEST_FLOW: FlowConfig = {
  ...configSchema.parse({}).flow,
  idleTimeoutMs: 30_000,
  promptTimeoutMs: 10_000,
  doneTimeoutMs: 20_000,
  abandonedScreenMs: 3_000,
  helpWaitMs: 120_000,
  staffCalledScreenMs: 5_000,
  fingerPauseMs: 500,
  fingerAcceptedPauseMs: 500,
};

export const CLEAN_DOC: Extract<DocumentOutcome, { kind: 'parsed' }> = {
  kind: 'parsed',
  document: { kind: 'cccd-qr', idNumber: '079203001234', fullName: 'Nguyễn Văn An', dateOfBirth: '2003-05-14', sex: 'male', flags: [] },
  checks: [{ name: 'id-vs-birth-year', ok: true }],
  fields: { fullName: 'Nguyễn Văn An', dateOfBirth: '2003-05-14' },
};

/** A captured finger with fresh, non-zero buffers (`seed` fills them, so it must not be 0). */
export function goodFinger(score = 80, seed = 1): FingerOutcome {
  const pixels = new Uint8Array(16).fill(seed);
  return { kind: 'captured', image: { width: 4, height: 4, pixels }, png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, seed]), score };
}

/** A face photo with a fresh, non-zero JPEG buffer. */
export function facePhoto(seed = 1): CapturedFace {
  return { jpeg: new Uint8Array([0xff, 0xd8, 0xff, seed]), width: 413, height: 531, measurements: { eyeDistancePx: 120 } };
}

/** A photo of the citizen's hand (the proof of a finger exception) with a fresh, non-zero JPEG buffer. */
export function handPhoto(seed = 1): Extract<ProofOutcome, { kind: 'photo' }> {
  return { kind: 'photo', jpeg: new Uint8Array([0xff, 0xd8, 0xff, seed]), width: 640, height: 480 };
}

/** A valid signature with a fresh, non-zero PNG buffer. */
export function validSignature(seed = 1): Extract<SignatureOutcome, { kind: 'valid' }> {
  return { kind: 'valid', png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, seed]), width: 600, height: 200, strokeCount: 3 };
}

/** In `Script.documents`: nobody scans now; the read waits (in `waitingRead`) until answered or the step is left. */
export const NOBODY_SCANS = 'nobody-scans';

export interface Script {
  documents: Array<DocumentOutcome | typeof NOBODY_SCANS>;
  typed: DocumentOutcome[];
  fingers: FingerOutcome[];
  /** Answers to "take a photo of the hand" (a finger exception's proof); empty → a fresh photo. */
  proofs: ProofOutcome[];
  faces: Array<'capture' | 'fault' | CapturedFace>;
  signatures: SignatureOutcome[];
  submits: Array<SubmitOutput | Error>;
  prints: PrintOutcome[];
  drafts: EnrollmentDraft[];
  fingerInputs: FingerPosition[];
  /** A read that is waiting for the citizen to scan (set by the fake while it waits). */
  waitingRead?: (o: DocumentOutcome) => void;
  /** What the typed-number actor was asked (the digits, and as which card). */
  typedInputs: TypedNumberInput[];
  /** While the start screen listens for invitations: hand it what the scanner made of one. */
  scanInvitation?: (o: InvitationOutcome) => void;
}

export const emptyScript = (): Script => ({ documents: [], typed: [], fingers: [], proofs: [], faces: [], signatures: [], submits: [], prints: [], drafts: [], fingerInputs: [], typedInputs: [] });

/** The statechart with every actor replaced by a fake that answers from `script`. */
export function createFakeMachine(script: Script) {
  let proofSeed = 100;
  return enrollmentMachine.provide({
    actors: {
      readDocument: fromPromise<DocumentOutcome, ReadDocumentInput>(({ input, signal }) => {
        const next = script.documents.shift();
        if (next && next !== NOBODY_SCANS) return Promise.resolve(next);
        // On the confirm screen the kiosk keeps listening for the card's other side: with
        // nothing scripted, nobody scans again, so the read waits until the step is left.
        if (input.previous || next === NOBODY_SCANS) {
          return new Promise<DocumentOutcome>((resolve) => {
            script.waitingRead = resolve;
            signal.addEventListener('abort', () => resolve({ kind: 'timeout' }));
          });
        }
        return Promise.resolve(CLEAN_DOC);
      }),
      parseTypedNumber: fromPromise<DocumentOutcome, TypedNumberInput>(async ({ input }) => (script.typedInputs.push(input), script.typed.shift() ?? CLEAN_DOC)),
      watchInvitations: fromCallback<EventObject, WatchInvitationsInput>(({ sendBack }) => {
        const report = (outcome: InvitationOutcome) => sendBack({ type: 'INVITATION', outcome });
        script.scanInvitation = report;
        return () => {
          if (script.scanInvitation === report) delete script.scanInvitation;
        };
      }),
      captureFinger: fromCallback<EventObject, CaptureFingerInput>(({ sendBack, input }) => {
        script.fingerInputs.push(input.position);
        const next = script.fingers.shift() ?? goodFinger();
        queueMicrotask(() => {
          sendBack({ type: 'FINGER_PROGRESS', fraction: 0.5 });
          sendBack({ type: 'FINGER_RESULT', outcome: next });
        });
      }),
      takeProofPhoto: fromPromise<ProofOutcome, ProofPhotoInput>(async () => script.proofs.shift() ?? handPhoto(++proofSeed)),
      // The cooperative citizen's camera: a good, steady face at once, and the photo when the
      // statechart asks for it (once its countdown has run on the simulated clock).
      faceSession: fromCallback<EventObject, FaceSessionInput>(({ sendBack, receive }) => {
        const next = script.faces.shift() ?? 'capture';
        queueMicrotask(() => {
          if (next === 'fault') sendBack({ type: 'FACE_FAULT', message: 'no frames for 3 s' });
          else sendBack({ type: 'FACE_GUIDANCE', checks: [{ name: 'face-count', pass: true }], steady: true });
        });
        receive((e) => {
          if (e.type === FACE_TAKE_STILL && next !== 'fault') queueMicrotask(() => sendBack({ type: 'FACE_CAPTURED', face: next === 'capture' ? facePhoto() : next }));
        });
      }),
      checkSignature: fromPromise<SignatureOutcome, CheckSignatureInput>(async () => script.signatures.shift() ?? validSignature()),
      submitEnrollment: fromPromise<SubmitOutput, SubmitInput>(async ({ input }) => {
        script.drafts.push(input.draft);
        const next = script.submits.shift() ?? { trackingCode: 'K7Q-4MX-92P' };
        if (next instanceof Error) throw next;
        return next;
      }),
      printReceipt: fromPromise<PrintOutcome, PrintInput>(async () => script.prints.shift() ?? { printed: true, receiptLines: ['CCCD', 'K7Q-4MX-92P'] }),
    },
  });
}

export type EnrollmentSnapshot = SnapshotFrom<EnrollmentMachine>;

export type FakeMachine = ReturnType<typeof createFakeMachine>;

export interface HarnessOptions {
  readonly flow?: FlowConfig;
  /** Swap more of the machine's implementations (e.g. an action) with `machine.provide()`. */
  readonly provide?: (machine: FakeMachine) => FakeMachine;
  /** Resume from this snapshot (as the kiosk would after a restart) instead of starting fresh. */
  readonly resumeFrom?: (machine: FakeMachine) => EnrollmentSnapshot;
}

export function createHarness(opts: HarnessOptions = {}) {
  const flow = opts.flow ?? TEST_FLOW;
  const clock = new SimulatedClock();
  const script = emptyScript();
  const fake = createFakeMachine(script);
  const machine = opts.provide ? opts.provide(fake) : fake;
  const errors: unknown[] = [];
  const actor = createActor(machine, { clock, input: { flow }, ...(opts.resumeFrom ? { snapshot: opts.resumeFrom(machine) } : {}) });
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.start();
  if (!opts.resumeFrom) actor.send({ type: 'DEVICES', states: { fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' } });
  let seq = 0;
  const view = () => toViewModel(actor.getSnapshot(), ++seq);
  const flush = () => settle(() => actor.getSnapshot());
  const advance = async (ms: number) => {
    clock.increment(ms);
    await flush();
  };
  return { actor, clock, script, errors, view, flush, advance };
}

export type Harness = ReturnType<typeof createHarness>;

/**
 * Let invoked promises and queued callbacks run: the fakes answer in microtasks, so one turn of
 * the event loop with no new snapshot means the machine has nothing left to do.
 */
export async function settle(read: () => unknown): Promise<void> {
  for (let turn = 0; turn < 100; turn++) {
    const before = read();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (read() === before) return;
  }
  throw new Error('the statechart was still changing after 100 turns of the event loop: a loop between states?');
}

/** Walk a cooperative citizen (Vietnamese, an expired card) from the attract screen to the fingerprints. */
export async function walkToFingerprints(h: Harness): Promise<void> {
  h.actor.send({ type: 'START', at: 1 });
  h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await h.flush();
  h.actor.send({ type: 'DOC_CONFIRM' });
  await h.flush();
}

/** Walk a cooperative citizen from the attract screen to the review screen. */
export async function walkToReview(h: Harness): Promise<void> {
  await walkToFingerprints(h);
  await walkOnTo(h, 'review');
}

/** A signature the checks take. */
export const SIGNED = { type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } } as const;

/**
 * From the fingerprint step on, as far as `step`: the ten fingers (the script's, else good
 * ones), the photo taken and accepted, the signature. For tests of what happens there.
 */
export async function walkOnTo(h: Harness, step: 'face' | 'signature' | 'review'): Promise<void> {
  for (let i = 0; i < 10; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
  await h.flush();
  if (step === 'face') return;
  await throughFaceCountdown(h);
  h.actor.send({ type: 'FACE_ACCEPT' });
  await h.flush();
  if (step === 'signature') return;
  h.actor.send(SIGNED);
  await h.flush();
}

/** Let the photo step's countdown run out on the simulated clock, so the photo is taken. */
export async function throughFaceCountdown(h: Harness): Promise<void> {
  for (let s = 0; s < TEST_FLOW.faceCountdownSeconds; s++) await h.advance(FACE_COUNTDOWN_TICK_MS);
}

/** An invoked promise actor waiting for the test to answer it. */
export interface Waiting<T> {
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/**
 * The statechart with fakes that answer nothing by themselves: each invoked actor waits, under
 * its invoke id, until the test resolves or rejects it (promise actors) or sends through it
 * (callback actors). Path tests use this to play back, on the real machine, exactly the events
 * a path through the machine's graph takes.
 */
export function createDrivenMachine() {
  const waiting = {
    documents: new Map<string, Waiting<DocumentOutcome>>(),
    signatures: new Map<string, Waiting<SignatureOutcome>>(),
    proofs: new Map<string, Waiting<ProofOutcome>>(),
    submits: new Map<string, Waiting<SubmitOutput>>(),
    prints: new Map<string, Waiting<PrintOutcome>>(),
  };
  /** Running callback actors (the fingerprint reader, the camera), by invoke id. */
  const running = new Map<string, (event: EventObject) => void>();
  const wait = <T>(map: Map<string, Waiting<T>>, id: string, signal: AbortSignal) =>
    new Promise<T>((resolve, reject) => {
      const forget = () => {
        if (map.get(id) === entry) map.delete(id);
      };
      const entry: Waiting<T> = {
        resolve: (value) => (forget(), resolve(value)),
        reject: (reason) => (forget(), reject(reason)),
      };
      map.set(id, entry);
      // Stopped because the state was left: nobody can answer it any more.
      signal.addEventListener('abort', forget);
    });
  const callback = <I>() =>
    fromCallback<EventObject, I>(({ self, sendBack }) => {
      running.set(self.id, sendBack);
      return () => {
        if (running.get(self.id) === sendBack) running.delete(self.id);
      };
    });
  const machine = enrollmentMachine.provide({
    actors: {
      readDocument: fromPromise<DocumentOutcome, ReadDocumentInput>(({ self, signal }) => wait(waiting.documents, self.id, signal)),
      parseTypedNumber: fromPromise<DocumentOutcome, TypedNumberInput>(({ self, signal }) => wait(waiting.documents, self.id, signal)),
      watchInvitations: callback<WatchInvitationsInput>(),
      captureFinger: callback<CaptureFingerInput>(),
      takeProofPhoto: fromPromise<ProofOutcome, ProofPhotoInput>(({ self, signal }) => wait(waiting.proofs, self.id, signal)),
      faceSession: callback<FaceSessionInput>(),
      checkSignature: fromPromise<SignatureOutcome, CheckSignatureInput>(({ self, signal }) => wait(waiting.signatures, self.id, signal)),
      submitEnrollment: fromPromise<SubmitOutput, SubmitInput>(({ self, signal }) => wait(waiting.submits, self.id, signal)),
      printReceipt: fromPromise<PrintOutcome, PrintInput>(({ self, signal }) => wait(waiting.prints, self.id, signal)),
    },
  });
  return { machine, waiting, running };
}
