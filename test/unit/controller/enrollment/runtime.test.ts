import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { EnrollmentNotice } from '../../../../controller/enrollment/context';
import { createKioskRuntime, type KioskRuntime } from '../../../../controller/enrollment/runtime';
import { TEST_FLOW, createFakeMachine, emptyScript, settle } from '../../../helpers/enrollment-harness';
import { failFast } from '../../../helpers/fail-fast';
import { FACE_COUNTDOWN_TICK_MS } from '../../../../controller/enrollment/setup';

/** The runtime the server talks to: intents in, view models out, on the controller's clock. */

function start() {
  const clock = new SimulatedClock();
  const script = emptyScript();
  const runtime = createKioskRuntime(createFakeMachine(script), TEST_FLOW, { onFatal: failFast, clock });
  runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
  const flush = () => settle(() => JSON.stringify(runtime.view()));
  const advance = async (ms: number) => {
    clock.increment(ms);
    await flush();
  };
  return { runtime, clock, script, flush, advance };
}

async function toConfirm(r: KioskRuntime, flush: () => Promise<void>): Promise<void> {
  r.send({ type: 'START' });
  r.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  r.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await flush();
  expect(r.view().screen.name).toBe('document-confirm');
}

describe('the kiosk runtime', () => {
  it('gives the seconds really left on the "need more time?" prompt, not its full length, to a page that loads late', async () => {
    const k = start();
    await toConfirm(k.runtime, k.flush);
    await k.advance(TEST_FLOW.idleTimeoutMs);
    expect(k.runtime.view().overlay).toEqual({ name: 'timeout-prompt', secondsLeft: 10 });
    await k.advance(6_500);
    // A reloaded page asks for the view now: 3.5 s left, shown as 4 (never 0 before the end).
    expect(k.runtime.view().overlay).toEqual({ name: 'timeout-prompt', secondsLeft: 4 });
    await k.advance(3_500);
    expect(k.runtime.view().screen.name).toBe('abandoned');
  });

  it('gives the seconds really left before the receipt screen returns to the start', async () => {
    const k = start();
    await toConfirm(k.runtime, k.flush);
    k.runtime.send({ type: 'DOC_CONFIRM' });
    await k.flush();
    for (let i = 0; i < 10; i++) await k.advance(TEST_FLOW.fingerPauseMs);
    // The harness's camera is steady at once: the countdown runs out and the photo is taken.
    for (let s = 0; s < TEST_FLOW.faceCountdownSeconds; s++) await k.advance(FACE_COUNTDOWN_TICK_MS);
    k.runtime.send({ type: 'FACE_ACCEPT' });
    await k.flush();
    k.runtime.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }, { x: 50, y: 20, t: 10 }]], box: { width: 600, height: 200 } });
    await k.flush();
    k.runtime.send({ type: 'REVIEW_CONFIRM' });
    await k.flush();
    expect(k.runtime.view().screen).toMatchObject({ name: 'done', printed: true, secondsLeft: 20 });
    await k.advance(12_000);
    expect(k.runtime.view().screen).toMatchObject({ name: 'done', secondsLeft: 8 });
  });

  it('answers an intent the screen cannot take with not-allowed-now and changes nothing', async () => {
    const k = start();
    await toConfirm(k.runtime, k.flush);
    const before = k.runtime.view();
    expect(k.runtime.send({ type: 'REVIEW_CONFIRM' })).toEqual({ ok: false, reason: 'not-allowed-now' });
    expect(k.runtime.send({ type: 'FACE_ACCEPT' })).toEqual({ ok: false, reason: 'not-allowed-now' });
    expect(k.runtime.view()).toEqual(before);
  });

  it('switches the language in the middle of a step', async () => {
    const k = start();
    await toConfirm(k.runtime, k.flush);
    expect(k.runtime.send({ type: 'SET_LANGUAGE', lang: 'en' })).toEqual({ ok: true });
    expect(k.runtime.view()).toMatchObject({ lang: 'en', screen: { name: 'document-confirm' } });
  });

  it('hands on each help request with where it came from', async () => {
    const k = start();
    const seen: EnrollmentNotice[] = [];
    k.runtime.onNotice((n) => seen.push(n));
    expect(k.runtime.send({ type: 'HELP' }, { source: 'panel' })).toEqual({ ok: true });
    await toConfirm(k.runtime, k.flush);
    k.runtime.send({ type: 'HELP' });
    expect(seen).toEqual([
      { type: 'help-requested', source: 'panel', inSession: false },
      { type: 'help-requested', source: 'screen', inSession: true },
    ]);
  });

  it('shows the printer’s problem on the start screen until the printer watch says it can print', async () => {
    const k = start();
    k.runtime.setPrinter('cover-open');
    expect(k.runtime.view().screen).toEqual({ name: 'attract', printerProblem: 'cover-open' });
    k.runtime.setPrinter(undefined);
    expect(k.runtime.view().screen).toEqual({ name: 'attract' });
  });

  it('keeps an open dialog, and the choices made in it, in the view model, so a reloaded page shows it again', async () => {
    const k = start();
    // Nobody touches the reader: "this finger cannot be taken" is offered.
    k.script.fingers.push({ kind: 'no-finger' });
    await toConfirm(k.runtime, k.flush);
    k.runtime.send({ type: 'DOC_CONFIRM' });
    await k.flush();
    expect(k.runtime.view().screen).toMatchObject({ name: 'fingerprints', phase: 'no-finger', choices: expect.arrayContaining(['exception']) });
    expect(k.runtime.send({ type: 'DIALOG', dialog: { name: 'finger-exception', scope: 'finger' } })).toEqual({ ok: true });
    expect(k.runtime.send({ type: 'DIALOG', dialog: { name: 'finger-exception', reason: 'injured', scope: 'hand' } })).toEqual({ ok: true });
    // What a page loading now is sent.
    expect(k.runtime.view().dialog).toEqual({ name: 'finger-exception', reason: 'injured', scope: 'hand' });
    expect(k.runtime.send({ type: 'DIALOG', dialog: null })).toEqual({ ok: true });
    expect(k.runtime.view().dialog).toBeUndefined();
  });

  it('refuses a dialog the screen does not have, and closes one when its screen goes', async () => {
    const k = start();
    await toConfirm(k.runtime, k.flush);
    expect(k.runtime.send({ type: 'DIALOG', dialog: { name: 'finger-exception', scope: 'finger' } })).toEqual({ ok: false, reason: 'not-allowed-now' });
    expect(k.runtime.send({ type: 'DIALOG', dialog: { name: 'redo-fingers', chosen: [] } })).toEqual({ ok: false, reason: 'not-allowed-now' });
    expect(k.runtime.view().dialog).toBeUndefined();
    k.script.fingers.push({ kind: 'no-finger' });
    k.runtime.send({ type: 'DOC_CONFIRM' });
    await k.flush();
    expect(k.runtime.send({ type: 'DIALOG', dialog: { name: 'finger-exception', scope: 'finger' } })).toEqual({ ok: true });
    expect(k.runtime.view().dialog).toBeDefined();
    // The citizen tries again instead and the print is taken: the question about it closes.
    k.runtime.send({ type: 'FINGER_RETRY' });
    await k.flush();
    await k.advance(TEST_FLOW.fingerAcceptedPauseMs);
    expect(k.runtime.view().screen).toMatchObject({ name: 'fingerprints', finger: 'right_index' });
    expect(k.runtime.view().dialog).toBeUndefined();
  });
});
