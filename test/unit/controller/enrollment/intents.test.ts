import { describe, expect, it } from 'vitest';
import type { EnrollmentEvent } from '../../../../controller/enrollment/context';
import { toViewModel } from '../../../../controller/enrollment/view';
import type { Intent } from '../../../../domain/kiosk-channel/messages';
import { WALKS, startWalk, type Walk } from '../../../helpers/screen-walks';

/**
 * Every intent the page can send, on every screen: the kiosk either acts on it (the state, the
 * context or a timer changes) or refuses it (the runtime answers `not-allowed-now`, because the
 * machine cannot take it). Nothing is "accepted" and then ignored: a refused tap is logged and
 * visible, an ignored one is a silent bug (and used to restart the idle timer besides).
 */

/**
 * The intents the statechart takes (DIALOG, a dialog's open state, is the runtime's own, tested
 * in runtime.test.ts).
 */
type MachineIntent = Exclude<Intent, { type: 'DIALOG' }>;

/** One sample of each intent, in the language the walks are not in. Adding an intent type without a sample fails to compile. */
const SAMPLES: { readonly [T in MachineIntent['type']]: Extract<MachineIntent, { type: T }> } = {
  START: { type: 'START' },
  SET_LANGUAGE: { type: 'SET_LANGUAGE', lang: 'en' },
  HELP: { type: 'HELP' },
  HELP_DONE: { type: 'HELP_DONE' },
  STILL_HERE: { type: 'STILL_HERE' },
  QUIT: { type: 'QUIT' },
  TOUCH: { type: 'TOUCH' },
  DOC_TYPE_NUMBER: { type: 'DOC_TYPE_NUMBER' },
  DOC_SCAN_INSTEAD: { type: 'DOC_SCAN_INSTEAD' },
  DOC_TYPED: { type: 'DOC_TYPED', digits: '123456789' },
  DOC_DIGITS: { type: 'DOC_DIGITS', digits: '0792' },
  CASE_CHOOSE: { type: 'CASE_CHOOSE', case: 'lost' },
  CASE_CHANGES: { type: 'CASE_CHANGES', changes: ['address'] },
  CASE_BACK: { type: 'CASE_BACK' },
  INVITATION_DROP: { type: 'INVITATION_DROP' },
  GUARDIAN_CONFIRM: { type: 'GUARDIAN_CONFIRM' },
  GUARDIAN_RESCAN: { type: 'GUARDIAN_RESCAN' },
  IRIS_DONE: { type: 'IRIS_DONE' },
  DOC_CONFIRM: { type: 'DOC_CONFIRM' },
  DOC_RESCAN: { type: 'DOC_RESCAN' },
  DOC_ACCEPT_MISMATCH: { type: 'DOC_ACCEPT_MISMATCH' },
  START_OVER: { type: 'START_OVER' },
  FINGER_RETRY: { type: 'FINGER_RETRY' },
  FINGER_EXCEPTION: { type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'finger' },
  FINGER_KEEP: { type: 'FINGER_KEEP' },
  FINGER_PROOF_PHOTO: { type: 'FINGER_PROOF_PHOTO' },
  FINGER_EXCEPTION_CANCEL: { type: 'FINGER_EXCEPTION_CANCEL' },
  FINGER_REDO_CANCEL: { type: 'FINGER_REDO_CANCEL' },
  FACE_ACCEPT: { type: 'FACE_ACCEPT' },
  FACE_RETAKE: { type: 'FACE_RETAKE' },
  SIGNATURE_SUBMIT: { type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 40, y: 20, t: 9 }]], box: { width: 600, height: 200 } },
  REVIEW_EDIT: { type: 'REVIEW_EDIT', step: 'face' },
  REVIEW_REDO_FINGERS: { type: 'REVIEW_REDO_FINGERS', fingers: ['right_index'] },
  REVIEW_CONFIRM: { type: 'REVIEW_CONFIRM' },
  SUBMIT_RETRY: { type: 'SUBMIT_RETRY' },
  FINISH: { type: 'FINISH' },
  REPRINT: { type: 'REPRINT' },
  SET_LARGE_TEXT: { type: 'SET_LARGE_TEXT', on: true },
  SET_VOICE: { type: 'SET_VOICE', muted: true },
};

const toEvent = (intent: MachineIntent): EnrollmentEvent => (intent.type === 'START' ? { type: 'START', at: 2 } : intent);

/**
 * What changes when an event is acted on: the state or the context. TOUCH, the page's "someone is
 * still here", is the one intent whose whole effect is a timer: the idle timer starts again.
 */
function observe(w: Walk, type: MachineIntent['type']): string {
  const s = w.snapshot();
  const timers = type === 'TOUCH' ? w.clock.started : [];
  return JSON.stringify({ value: s.value, context: s.context, timers }, (_, v: unknown) => (v instanceof Uint8Array ? [...v] : v));
}

const screens = Object.keys(WALKS);

describe('every intent on every screen is acted on or refused', () => {
  describe.each(screens)('on %s', (screen) => {
    it.each(Object.keys(SAMPLES) as MachineIntent['type'][])('%s', async (type) => {
      const w = startWalk();
      await WALKS[screen]?.(w);
      // A tick, so that a timer restarted now is told apart from the one started before.
      await w.advance(1);
      const event = toEvent(SAMPLES[type]);
      const before = observe(w, type);
      if (!w.snapshot().can(event)) return; // refused: the runtime answers not-allowed-now, nothing changes
      await w.send(event);
      expect(w.errors).toEqual([]);
      expect(observe(w, type), `${type} was accepted on ${screen} and changed nothing`).not.toBe(before);
    });
  });
});

describe('the language can be switched on every screen', () => {
  it.each(screens)('on %s', async (screen) => {
    const w = startWalk();
    await WALKS[screen]?.(w);
    const before = toViewModel(w.snapshot(), 0);
    const other = before.lang === 'vi' ? 'en' : 'vi';
    expect(w.snapshot().can({ type: 'SET_LANGUAGE', lang: other })).toBe(true);
    await w.send({ type: 'SET_LANGUAGE', lang: other });
    const after = toViewModel(w.snapshot(), 0);
    expect(after.lang).toBe(other);
    // The language changes; what the citizen is doing does not (on the language screen, choosing
    // one is what the citizen is doing: it goes on to the document step).
    if (screen !== 'language') expect(after.screen.name).toBe(before.screen.name);
    expect(after.overlay?.name).toBe(before.overlay?.name);
  });
});
