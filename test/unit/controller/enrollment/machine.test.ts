import { describe, expect, it } from 'vitest';
import { CLEAN_DOC, TEST_FLOW, createHarness, goodFinger, throughFaceCountdown, walkToReview } from '../../../helpers/enrollment-harness';
import type { EnrollmentContext } from '../../../../controller/enrollment/context';
import { FINGER_POSITIONS } from '../../../../domain/fingers';

const screen = (h: ReturnType<typeof createHarness>) => h.view().screen;

describe('the enrollment statechart', () => {
  it('walks a cooperative citizen from attract to the receipt and back to attract', async () => {
    const h = createHarness();
    expect(screen(h).name).toBe('attract');
    await walkToReview(h);
    expect(screen(h).name).toBe('review');
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    const done = screen(h);
    expect(done).toMatchObject({ name: 'done', trackingCode: 'K7Q-4MX-92P', printed: true });
    const draft = h.script.drafts[0];
    expect(draft?.fingers).toHaveLength(10);
    expect(draft?.fingers.map((f) => f.position)).toEqual([...FINGER_POSITIONS]);
    expect(draft?.document.idNumber).toBe('079203001234');
    await h.advance(TEST_FLOW.doneTimeoutMs);
    expect(screen(h).name).toBe('attract');
  });

  it('asks fingers one at a time, in the fixed order right thumb to left little', async () => {
    const h = createHarness();
    await walkToReview(h);
    expect(h.script.fingerInputs).toEqual([...FINGER_POSITIONS]);
  });

  it('shows the mismatch screen when the document checks fail, and flags the record if the citizen goes on', async () => {
    const h = createHarness();
    h.script.documents.push({ ...CLEAN_DOC, checks: [{ name: 'id-vs-sex', ok: false, message: { vi: 'Giới tính không khớp', en: 'Sex does not match' } }] });
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'en' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    expect(screen(h).name).toBe('document-mismatch');
    h.actor.send({ type: 'DOC_ACCEPT_MISMATCH' });
    await h.flush();
    expect(screen(h).name).toBe('fingerprints');
    expect(h.actor.getSnapshot().context.doc.accepted?.document.flags).toContain('mismatch-confirmed');
  });

  it('cross-checks a scan of the card’s other side made on the confirm screen', async () => {
    const h = createHarness();
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    expect(screen(h).name).toBe('document-confirm');
    // The service hands back the combined reading; here, one whose cross-check failed.
    const scanOtherSide = h.script.waitingRead;
    if (!scanOtherSide) throw new Error('the confirm screen is not listening for another scan');
    scanOtherSide({ ...CLEAN_DOC, checks: [{ name: 'cross-idNumber', ok: false, message: { vi: 'Số định danh hai mặt thẻ khác nhau', en: 'ID differs between sides' } }] });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document-mismatch', checks: [{ name: 'cross-idNumber', ok: false }] });
    // Still listening, and a read that times out leaves the mismatch screen where it was.
    const again = h.script.waitingRead;
    if (!again || again === scanOtherSide) throw new Error('the mismatch screen is not listening for another scan');
    again({ kind: 'timeout' });
    await h.flush();
    expect(screen(h).name).toBe('document-mismatch');
    expect(h.script.waitingRead).not.toBe(again);
    h.actor.send({ type: 'DOC_ACCEPT_MISMATCH' });
    expect(screen(h).name).toBe('fingerprints');
  });

  it('keeps scanning after an unreadable code and shows what to do', async () => {
    const h = createHarness();
    h.script.documents.push({ kind: 'invalid', error: { vi: 'Mã không đọc được', en: 'Unreadable code' } }, { kind: 'timeout' });
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    // invalid → error shown while scanning again; the timeout keeps waiting; then a clean read.
    expect(screen(h).name).toBe('document-confirm');
  });

  it('accepts a typed old CMND number through the keypad path', async () => {
    const h = createHarness();
    h.script.documents.push({ kind: 'timeout' }, { kind: 'timeout' }, { kind: 'timeout' });
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document', phase: 'typing' });
    h.script.typed.push({ kind: 'invalid', error: { vi: 'Số CMND phải có 9 hoặc 12 chữ số', en: 'must be 9 or 12 digits' } });
    h.actor.send({ type: 'DOC_TYPED', digits: '1234' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document', phase: 'typing', error: { en: 'must be 9 or 12 digits' } });
    h.script.typed.push({ ...CLEAN_DOC, document: { kind: 'cmnd-9', idNumber: '123456789', flags: [] } });
    h.actor.send({ type: 'DOC_TYPED', digits: '123456789' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document-confirm', document: { idNumber: '123456789' } });
  });

  it('retries a low-quality finger, keeps the best attempt, and accepts once the threshold is met', async () => {
    const h = createHarness();
    h.script.fingers.push(goodFinger(20, 1), goodFinger(30, 2), goodFinger(90, 3));
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'fingerprints', phase: 'low-quality', lastScore: 20 });
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(screen(h)).toMatchObject({ name: 'fingerprints', phase: 'low-quality', lastScore: 30, attempt: 2 });
    await h.advance(TEST_FLOW.fingerPauseMs);
    const s = screen(h);
    expect(s).toMatchObject({ name: 'fingerprints', phase: 'accepted' });
    if (s.name !== 'fingerprints') throw new Error('not on fingerprints');
    expect(s.slots[0]).toEqual({ position: 'right_thumb', status: 'captured', score: 90, attempts: 3, belowThreshold: false });
  });

  it('after the last attempt of a round keeps the best image but does not take the finger as done: it asks the citizen', async () => {
    const h = createHarness();
    h.script.fingers.push(goodFinger(35, 1), goodFinger(10, 2), goodFinger(20, 3));
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerPauseMs);
    await h.advance(TEST_FLOW.fingerPauseMs);
    const s = screen(h);
    if (s.name !== 'fingerprints') throw new Error(`expected fingerprints, got ${s.name}`);
    expect(s).toMatchObject({ phase: 'unreadable', finger: 'right_thumb', lastScore: 20 });
    expect(s.slots[0]).toEqual({ position: 'right_thumb', status: 'pending' });
    expect(h.actor.getSnapshot().context.fingerBest).toMatchObject({ score: 35, attempts: 3 });
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(screen(h)).toMatchObject({ name: 'fingerprints', phase: 'unreadable', finger: 'right_thumb' });
  });

  it('asks again when the same finger is presented twice, without spending an attempt', async () => {
    const h = createHarness();
    h.script.fingers.push(goodFinger(), { kind: 'duplicate', of: 'right_thumb' }, goodFinger());
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerPauseMs);
    expect(screen(h)).toMatchObject({ name: 'fingerprints', phase: 'duplicate', finger: 'right_index', duplicateOf: 'right_thumb', attempt: 1 });
  });

  it('records a whole-hand exception with its reason instead of skipping silently', async () => {
    const h = createHarness();
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerPauseMs); // right thumb captured → right index
    h.actor.send({ type: 'FINGER_EXCEPTION', reason: 'bandaged', scope: 'hand' });
    h.actor.send({ type: 'FINGER_PROOF_PHOTO' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerPauseMs);
    // Four fingers declared: staff are called, and the step goes on once they answer.
    expect(h.view().overlay).toEqual({ name: 'help' });
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    await h.advance(TEST_FLOW.fingerPauseMs);
    const s = screen(h);
    if (s.name !== 'fingerprints') throw new Error(`expected fingerprints, got ${s.name}`);
    expect(s.finger).toBe('left_thumb');
    expect(s.slots.slice(1, 5).map((x) => x.status)).toEqual(['exception', 'exception', 'exception', 'exception']);
    expect(s.slots[1]).toEqual({ position: 'right_index', status: 'exception', reason: 'bandaged' });
    expect(s.slots[0]?.status).toBe('captured');
  });

  it('offers a retry after a sensor fault instead of hanging', async () => {
    const h = createHarness();
    h.script.fingers.push({ kind: 'fault', message: 'unplugged' });
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'fingerprints', phase: 'fault' });
    h.actor.send({ type: 'FINGER_RETRY' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'fingerprints', phase: 'accepted', finger: 'right_thumb' });
  });

  it('keeps the kind of a reader fault up to the screen: a pulled cable is not "not answering" and neither is "a problem"', async () => {
    const messages = new Map<string, string>();
    for (const reason of ['unplugged', 'timeout', 'protocol'] as const) {
      const h = createHarness();
      h.script.fingers.push({ kind: 'fault', reason, message: `driver says ${reason}` });
      h.actor.send({ type: 'START', at: 1 });
      h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
      h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
      await h.flush();
      h.actor.send({ type: 'DOC_CONFIRM' });
      await h.flush();
      const s = screen(h);
      expect(s).toMatchObject({ name: 'fingerprints', phase: 'fault', faultReason: reason });
      if (s.name !== 'fingerprints' || !s.message) throw new Error('no fault message');
      messages.set(reason, s.message.vi);
      // A retry clears it: the next attempt is not shown as a fault.
      h.actor.send({ type: 'FINGER_RETRY' });
      await h.flush();
      const after = screen(h);
      expect(after.name === 'fingerprints' && after.faultReason).toBeFalsy();
    }
    expect(messages.get('unplugged')).toMatch(/ngắt kết nối/);
    expect(messages.get('timeout')).toMatch(/không trả lời/);
    expect(new Set(messages.values()).size).toBe(3);
  });

  it('goes to the "need more time?" prompt after the idle timeout, then abandons and wipes every biometric', async () => {
    const h = createHarness();
    await walkToReview(h);
    const ctx = h.actor.getSnapshot().context;
    const captured = ctx.fingers.flatMap((f) => (f.status === 'captured' ? [f] : []));
    const face = ctx.face.accepted;
    expect(captured).toHaveLength(10);
    expect(face?.jpeg.some((b) => b !== 0)).toBe(true);
    await h.advance(TEST_FLOW.idleTimeoutMs);
    expect(h.view().overlay).toEqual({ name: 'timeout-prompt', secondsLeft: 10 });
    await h.advance(TEST_FLOW.promptTimeoutMs);
    expect(screen(h).name).toBe('abandoned');
    // The old buffers were overwritten, and the new context holds nothing of the citizen.
    expect(captured.every((f) => f.png.every((b) => b === 0) && f.image.pixels.every((b) => b === 0))).toBe(true);
    expect(face?.jpeg.every((b) => b === 0)).toBe(true);
    const after = h.actor.getSnapshot().context;
    expect(after.fingers.every((f) => f.status === 'pending')).toBe(true);
    expect(after.doc.accepted).toBeUndefined();
    expect(after.face.accepted).toBeUndefined();
    expect(after.signature.accepted).toBeUndefined();
    await h.advance(TEST_FLOW.abandonedScreenMs);
    expect(screen(h).name).toBe('attract');
  });

  it('keeps the session when the citizen answers the prompt, and restarts the idle timer on every touch', async () => {
    const h = createHarness();
    h.actor.send({ type: 'START', at: 1 });
    await h.advance(TEST_FLOW.idleTimeoutMs - 1);
    h.actor.send({ type: 'TOUCH' });
    await h.advance(TEST_FLOW.idleTimeoutMs - 1);
    expect(h.view().overlay).toBeUndefined();
    await h.advance(1);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
    h.actor.send({ type: 'STILL_HERE' });
    await h.advance(TEST_FLOW.promptTimeoutMs);
    expect(screen(h).name).toBe('language');
    expect(h.view().overlay).toBeUndefined();
  });

  it('quitting wipes the session at once', async () => {
    const h = createHarness();
    await walkToReview(h);
    h.actor.send({ type: 'QUIT' });
    expect(screen(h).name).toBe('abandoned');
    expect(h.actor.getSnapshot().context.fingers.every((f) => f.status === 'pending')).toBe(true);
  });

  it('help shows over the current step and returns to exactly that step', async () => {
    const h = createHarness();
    h.actor.send({ type: 'START', at: 1 });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'HELP' });
    expect(h.view().overlay).toEqual({ name: 'help' });
    // The step the citizen left stays visible behind the overlay.
    expect(screen(h).name).toBe('document-confirm');
    expect(h.view().step).toBe('document');
    h.actor.send({ type: 'HELP_DONE' });
    await h.flush();
    expect(h.view().overlay).toBeUndefined();
    expect(screen(h).name).toBe('document-confirm');
  });

  it('goes back from review to a step and returns to review, not to the next step', async () => {
    const h = createHarness();
    await walkToReview(h);
    h.actor.send({ type: 'REVIEW_EDIT', step: 'face' });
    await h.flush();
    await throughFaceCountdown(h);
    expect(screen(h)).toMatchObject({ name: 'face', phase: 'captured' });
    expect(h.view().fromReview).toBe(true);
    h.actor.send({ type: 'FACE_ACCEPT' });
    expect(screen(h).name).toBe('review');
    h.actor.send({ type: 'REVIEW_EDIT', step: 'document' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    expect(screen(h).name).toBe('review');
    h.actor.send({ type: 'REVIEW_EDIT', step: 'signature' });
    h.actor.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }]], box: { width: 600, height: 200 } });
    await h.flush();
    expect(screen(h).name).toBe('review');
  });

  it('shows out of service when a required device is missing, and recovers when it returns', async () => {
    const h = createHarness();
    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'disconnected' } });
    const s = screen(h);
    expect(s.name).toBe('out-of-service');
    if (s.name !== 'out-of-service') throw new Error('expected out of service');
    expect(s.devices).toContainEqual({ kind: 'fingerprint', state: 'disconnected' });
    h.actor.send({ type: 'START', at: 1 });
    expect(screen(h).name).toBe('out-of-service');
    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'ready' } });
    expect(screen(h).name).toBe('attract');
  });

  it('keeps the citizen’s data when the commit fails and lets them retry', async () => {
    const h = createHarness();
    h.script.submits.push(new Error('SQLITE_FULL'));
    await walkToReview(h);
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    expect(screen(h).name).toBe('submit-failed');
    // Everything the citizen gave is still held, bytes intact, for the retry.
    const ctx = h.actor.getSnapshot().context;
    expect(ctx.face.accepted?.jpeg.some((b) => b !== 0)).toBe(true);
    expect(ctx.signature.accepted?.png.some((b) => b !== 0)).toBe(true);
    expect(ctx.fingers.every((f) => f.status === 'captured' && f.png.some((b) => b !== 0))).toBe(true);
    h.actor.send({ type: 'SUBMIT_RETRY' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'done', trackingCode: 'K7Q-4MX-92P' });
  });

  it('still completes when the printer fails, with a message to photograph the screen', async () => {
    const h = createHarness();
    h.script.prints.push({ printed: false, receiptLines: ['K7Q-4MX-92P'], message: { vi: 'Hết giấy', en: 'Out of paper' } });
    await walkToReview(h);
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'done', printed: false, printerMessage: { en: 'Out of paper' } });
  });

  describe('refuses to submit before every step is complete', () => {
    // The cooperative flow never reaches review with a gap, so resume a session there (as the
    // kiosk does from a persisted snapshot after a restart) with one thing missing.
    const gaps: Array<[string, (ctx: EnrollmentContext) => EnrollmentContext]> = [
      ['the document', (ctx) => ({ ...ctx, doc: { ...ctx.doc, accepted: undefined } })],
      ['a finger', (ctx) => ({ ...ctx, fingers: ctx.fingers.map((f, i) => (i === 3 ? { position: f.position, status: 'pending' } : f)) })],
      ['the photo', (ctx) => ({ ...ctx, face: { ...ctx.face, accepted: undefined } })],
      ['the signature', (ctx) => ({ ...ctx, signature: { ...ctx.signature, accepted: undefined } })],
    ];
    it.each(gaps)('stays on review when %s is missing, and hands nothing to the store', async (_, withGap) => {
      const complete = createHarness();
      await walkToReview(complete);
      const atReview = complete.actor.getSnapshot();
      const h = createHarness({ resumeFrom: (machine) => machine.resolveState({ value: atReview.value, context: withGap(atReview.context) }) });
      expect(screen(h).name).toBe('review');
      h.actor.send({ type: 'REVIEW_CONFIRM' });
      await h.flush();
      expect(h.errors).toEqual([]);
      expect(screen(h).name).toBe('review');
      expect(h.script.drafts).toHaveLength(0);
    });

    it('and submits the same session once nothing is missing', async () => {
      const complete = createHarness();
      await walkToReview(complete);
      const atReview = complete.actor.getSnapshot();
      const h = createHarness({ resumeFrom: (machine) => machine.resolveState({ value: atReview.value, context: atReview.context }) });
      h.actor.send({ type: 'REVIEW_CONFIRM' });
      await h.flush();
      expect(screen(h)).toMatchObject({ name: 'done', trackingCode: 'K7Q-4MX-92P' });
      expect(h.script.drafts).toHaveLength(1);
    });
  });

  it('shows the face step’s fault with a way to retake when the camera stops', async () => {
    const h = createHarness();
    h.script.faces.push('fault');
    await walkToReview(h);
    // walkToReview's FACE_ACCEPT was ignored in fault: the citizen is still on the face step.
    expect(screen(h)).toMatchObject({ name: 'face', phase: 'fault' });
    h.actor.send({ type: 'FACE_RETAKE' });
    await h.flush();
    await throughFaceCountdown(h);
    // A camera fault is not one of the citizen's photos: still the first attempt.
    expect(screen(h)).toMatchObject({ name: 'face', phase: 'captured', attempt: 1 });
  });
});
