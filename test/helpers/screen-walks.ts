import { createActor, SimulatedClock } from 'xstate';
import type { DocumentOutcome, EnrollmentEvent } from '../../controller/enrollment/context';
import { FACE_COUNTDOWN_TICK_MS } from '../../controller/enrollment/setup';
import { CLEAN_DOC, TEST_FLOW, createDrivenMachine, facePhoto, goodFinger, settle, validSignature, type EnrollmentSnapshot } from './enrollment-harness';

/**
 * Every screen (and overlay) a citizen can be shown, each reached on the real statechart by the
 * events a person and the devices would send. The machine's actors are driven fakes (nothing
 * answers by itself), on a simulated clock, so each walk stops exactly on its screen and stays.
 */

export const MISMATCH_DOC: Extract<DocumentOutcome, { kind: 'parsed' }> = {
  ...CLEAN_DOC,
  checks: [{ name: 'id-vs-sex', ok: false, message: { vi: 'Giới tính không khớp', en: 'Sex does not match' } }],
};

/** The same card's back side alone: the MRZ, whose name has no accents and which has no address. */
export const BACK_ONLY_DOC: Extract<DocumentOutcome, { kind: 'parsed' }> = {
  kind: 'parsed',
  document: { kind: 'cccd-mrz', idNumber: '079203001234', fullName: 'NGUYEN VAN AN', dateOfBirth: '2003-05-14', sex: 'male', flags: [] },
  checks: [{ name: 'id-vs-birth-year', ok: true }],
  fields: { fullName: 'NGUYEN VAN AN', dateOfBirth: '2003-05-14' },
};

/** Another citizen's card. */
export const OTHER_PERSON_DOC: Extract<DocumentOutcome, { kind: 'parsed' }> = {
  kind: 'parsed',
  document: { kind: 'cccd-qr', idNumber: '001185004321', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1985-02-03', sex: 'female', flags: [] },
  checks: [{ name: 'id-vs-birth-year', ok: true }],
  fields: { fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '1985-02-03' },
};

/** A child of 10 on the session's day (START at SESSION_DAY), with a card (6–13: the 2024 card is optional, on request). */
export const SESSION_DAY = Date.UTC(2026, 10, 30, 3);
export const CHILD_DOC: Extract<DocumentOutcome, { kind: 'parsed' }> = {
  kind: 'parsed',
  document: { kind: 'cccd-qr', idNumber: '079216001234', fullName: 'Nguyễn Minh Khoa', dateOfBirth: '2016-03-02', sex: 'male', flags: [] },
  checks: [{ name: 'id-birth-year', ok: true }],
  fields: { fullName: 'Nguyễn Minh Khoa', dateOfBirth: '2016-03-02' },
};
/** A child of 4: under 6, no biometrics. */
export const INFANT_DOC: Extract<DocumentOutcome, { kind: 'parsed' }> = {
  kind: 'parsed',
  document: { kind: 'cccd-qr', idNumber: '079322004321', fullName: 'Nguyễn Ngọc Vy', dateOfBirth: '2022-06-01', sex: 'female', flags: [] },
  checks: [{ name: 'id-birth-year', ok: true }],
  fields: { fullName: 'Nguyễn Ngọc Vy', dateOfBirth: '2022-06-01' },
};

export type Walk = ReturnType<typeof startWalk>;

/** A simulated clock that keeps a note of each timer started (delay and start time), to tell when one restarts. */
export class NotingClock extends SimulatedClock {
  readonly started: string[] = [];
  override setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    this.started.push(`${timeout}@${this.now()}`);
    return super.setTimeout(fn, timeout);
  }
}

export function startWalk() {
  const driven = createDrivenMachine();
  const clock = new NotingClock();
  const errors: unknown[] = [];
  const actor = createActor(driven.machine, { clock, input: { flow: TEST_FLOW } });
  actor.subscribe({ error: (err) => errors.push(err) });
  actor.start();
  actor.send({ type: 'DEVICES', states: { fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' } });
  const flush = () => settle(() => actor.getSnapshot());
  const resolve = async <T>(map: Map<string, { resolve(v: T): void }>, id: string, value: T) => {
    await flush();
    const w = map.get(id);
    if (!w) throw new Error(`nothing called ${id} is waiting for an answer in ${JSON.stringify(actor.getSnapshot().value)}`);
    w.resolve(value);
    await flush();
  };
  const reject = async (map: Map<string, { reject(r: unknown): void }>, id: string) => {
    await flush();
    const w = map.get(id);
    if (!w) throw new Error(`nothing called ${id} is waiting in ${JSON.stringify(actor.getSnapshot().value)}`);
    w.reject(new Error('simulated failure'));
    await flush();
  };
  const through = async (id: string, event: EnrollmentEvent) => {
    await flush();
    const sendBack = driven.running.get(id);
    if (!sendBack) throw new Error(`${id} is not running in ${JSON.stringify(actor.getSnapshot().value)}`);
    sendBack(event);
    await flush();
  };
  const send = async (event: EnrollmentEvent) => {
    actor.send(event);
    await flush();
  };
  const advance = async (ms: number) => {
    clock.increment(ms);
    await flush();
  };
  return {
    actor,
    clock,
    errors,
    send,
    advance,
    flush,
    snapshot: (): EnrollmentSnapshot => actor.getSnapshot(),
    document: (id: 'scanDocument' | 'scanOtherSide' | 'checkTypedNumber' | 'scanGuardian', o: DocumentOutcome) => resolve(driven.waiting.documents, id, o),
    invitation: (event: EnrollmentEvent) => through('watchInvitations', event),
    failDocument: (id: 'scanDocument' | 'checkTypedNumber') => reject(driven.waiting.documents, id),
    signature: () => resolve(driven.waiting.signatures, 'checkSignature', validSignature()),
    submit: () => resolve(driven.waiting.submits, 'submitEnrollment', { trackingCode: 'K7Q-4MX-92P' }),
    failSubmit: () => reject(driven.waiting.submits, 'submitEnrollment'),
    print: (printed: boolean) =>
      resolve(driven.waiting.prints, 'printReceipt', printed ? { printed: true, receiptLines: ['K7Q-4MX-92P'] } : { printed: false, receiptLines: ['K7Q-4MX-92P'], message: { vi: 'Hết giấy', en: 'Out of paper' } }),
    finger: (event: EnrollmentEvent) => through('captureFinger', event),
    face: (event: EnrollmentEvent) => through('faceSession', event),
    waiting: driven.waiting,
  };
}

const SIGNED: EnrollmentEvent = { type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } };

/** From the first finger to the photo step: ten good prints. */
async function tenFingers(w: Walk): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await w.finger({ type: 'FINGER_RESULT', outcome: goodFinger(90) });
    await w.advance(TEST_FLOW.fingerAcceptedPauseMs);
  }
}

/** A good, steady face, the countdown run out, and the still the statechart then asks for. */
async function facePhotoTaken(w: Walk): Promise<void> {
  await w.face({ type: 'FACE_GUIDANCE', checks: [{ name: 'frontal', pass: true }], steady: true });
  for (let s = 0; s < TEST_FLOW.faceCountdownSeconds; s++) await w.advance(FACE_COUNTDOWN_TICK_MS);
  await w.face({ type: 'FACE_CAPTURED', face: facePhoto() });
}

/** From the first finger to the review screen: ten prints, a photo, a signature. */
export async function onToReview(w: Walk): Promise<void> {
  await tenFingers(w);
  await facePhotoTaken(w);
  await w.send({ type: 'FACE_ACCEPT' });
  await w.send(SIGNED);
  await w.signature();
}

/** The walks, by the screen (with phase, and overlay) they end on. */
export const WALKS: Readonly<Record<string, (w: Walk) => Promise<void>>> = {
  attract: async () => undefined,
  'out-of-service': (w) => w.send({ type: 'DEVICES', states: { fingerprint: 'disconnected' } }),
  language: (w) => w.send({ type: 'START', at: 1 }),
  'case:choose': async (w) => {
    await WALKS.language?.(w);
    await w.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  },
  'case:changes': async (w) => {
    await WALKS['case:choose']?.(w);
    await w.send({ type: 'CASE_CHOOSE', case: 'changed' });
  },
  'document:scan': async (w) => {
    await WALKS['case:choose']?.(w);
    await w.send({ type: 'CASE_CHOOSE', case: 'expired' });
  },
  'attract:invitation-refused': (w) => w.invitation({ type: 'INVITATION', outcome: { kind: 'refused', reason: 'expired' } }),
  'invitation-mismatch': async (w) => {
    await w.invitation({
      type: 'INVITATION',
      outcome: { kind: 'accepted', at: SESSION_DAY, invitation: { id: 'GM-1', idNumber: '079150001234', case: 'expired', priority: 'elderly', validFrom: '2026-11-01', validUntil: '2026-12-31', station: 'CAP' } },
    });
    await w.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await w.document('scanDocument', CLEAN_DOC);
  },
  'guardian:scan': async (w) => {
    await w.send({ type: 'START', at: SESSION_DAY });
    await w.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await w.send({ type: 'CASE_CHOOSE', case: 'first' });
    await w.send({ type: 'DOC_SCAN_INSTEAD' });
    await w.document('scanDocument', CHILD_DOC);
    await w.send({ type: 'DOC_CONFIRM' });
  },
  'guardian:confirm': async (w) => {
    await WALKS['guardian:scan']?.(w);
    await w.document('scanGuardian', OTHER_PERSON_DOC);
  },
  'document:typing': async (w) => {
    await WALKS['document:scan']?.(w);
    await w.send({ type: 'DOC_TYPE_NUMBER' });
  },
  'document:reading': async (w) => {
    await WALKS['document:typing']?.(w);
    await w.send({ type: 'DOC_TYPED', digits: '123456789' });
  },
  'document-confirm': async (w) => {
    await WALKS['document:scan']?.(w);
    await w.document('scanDocument', CLEAN_DOC);
  },
  'document-mismatch': async (w) => {
    await WALKS['document:scan']?.(w);
    await w.document('scanDocument', MISMATCH_DOC);
  },
  'fingerprints:place': async (w) => {
    await WALKS['document-confirm']?.(w);
    await w.send({ type: 'DOC_CONFIRM' });
  },
  'fingerprints:low-quality': async (w) => {
    await WALKS['fingerprints:place']?.(w);
    await w.finger({ type: 'FINGER_RESULT', outcome: goodFinger(10) });
  },
  'fingerprints:no-finger': async (w) => {
    await WALKS['fingerprints:place']?.(w);
    await w.finger({ type: 'FINGER_RESULT', outcome: { kind: 'no-finger' } });
  },
  'fingerprints:fault': async (w) => {
    await WALKS['fingerprints:place']?.(w);
    await w.finger({ type: 'FINGER_RESULT', outcome: { kind: 'fault', message: 'unplugged', reason: 'unplugged' } });
  },
  'fingerprints:accepted': async (w) => {
    await WALKS['fingerprints:place']?.(w);
    await w.finger({ type: 'FINGER_RESULT', outcome: goodFinger(90) });
  },
  'face:live': async (w) => {
    await WALKS['fingerprints:place']?.(w);
    await tenFingers(w);
  },
  'face:captured': async (w) => {
    await WALKS['face:live']?.(w);
    await facePhotoTaken(w);
  },
  'face:fault': async (w) => {
    await WALKS['face:live']?.(w);
    await w.face({ type: 'FACE_FAULT', message: 'no frames for 3 s' });
  },
  signature: async (w) => {
    await WALKS['face:captured']?.(w);
    await w.send({ type: 'FACE_ACCEPT' });
  },
  'signature:checking': async (w) => {
    await WALKS.signature?.(w);
    await w.send(SIGNED);
  },
  review: async (w) => {
    await WALKS['signature:checking']?.(w);
    await w.signature();
  },
  submitting: async (w) => {
    await WALKS.review?.(w);
    await w.send({ type: 'REVIEW_CONFIRM' });
  },
  'submit-failed': async (w) => {
    await WALKS.submitting?.(w);
    await w.failSubmit();
  },
  'done:printing': async (w) => {
    await WALKS.submitting?.(w);
    await w.submit();
  },
  'done:printed': async (w) => {
    await WALKS['done:printing']?.(w);
    await w.print(true);
  },
  'done:not-printed': async (w) => {
    await WALKS['done:printing']?.(w);
    await w.print(false);
  },
  abandoned: async (w) => {
    await WALKS['document:scan']?.(w);
    await w.send({ type: 'QUIT' });
  },
  '+help': async (w) => {
    await WALKS['document-confirm']?.(w);
    await w.send({ type: 'HELP' });
  },
  '+timeout-prompt': async (w) => {
    await WALKS['document-confirm']?.(w);
    await w.advance(TEST_FLOW.idleTimeoutMs);
  },
  'review→document': async (w) => {
    await WALKS.review?.(w);
    await w.send({ type: 'REVIEW_EDIT', step: 'document' });
  },
};
