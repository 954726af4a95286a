import { describe, expect, it } from 'vitest';
import type { EnrollmentNotice } from '../../../../controller/enrollment/context';
import { toViewModel } from '../../../../controller/enrollment/view';
import { CLEAN_DOC, TEST_FLOW } from '../../../helpers/enrollment-harness';
import { BACK_ONLY_DOC, OTHER_PERSON_DOC, WALKS, onToReview, startWalk, type Walk } from '../../../helpers/screen-walks';

/** The session as a whole: help, the idle watch, the printer, the receipt screen, a change of person. */

const view = (w: Walk) => toViewModel(w.snapshot(), 0);
const screen = (w: Walk) => view(w).screen;

async function walk(name: string): Promise<Walk> {
  const w = startWalk();
  const go = WALKS[name];
  if (!go) throw new Error(`no walk to ${name}`);
  await go(w);
  return w;
}

function notices(w: Walk): EnrollmentNotice[] {
  const seen: EnrollmentNotice[] = [];
  w.actor.on('help-requested', (n) => seen.push(n));
  return seen;
}

describe('waiting for staff', () => {
  it('does not end the session after the idle timeout and the prompt: a citizen waiting for help is not idle', async () => {
    const w = await walk('+help');
    // (One step per timer: a simulated clock fires only the timers already running.)
    await w.advance(TEST_FLOW.idleTimeoutMs);
    await w.advance(TEST_FLOW.promptTimeoutMs);
    await w.advance(1000);
    expect(view(w).overlay).toEqual({ name: 'help' });
    expect(screen(w).name).toBe('document-confirm');
    expect(w.snapshot().context.doc.pending).toBeDefined();
  });

  it('after the (long) help wait shows the "need more time?" prompt over the help overlay, not under it', async () => {
    const w = await walk('+help');
    await w.advance(TEST_FLOW.helpWaitMs);
    expect(view(w).overlay).toEqual({ name: 'timeout-prompt', secondsLeft: TEST_FLOW.promptTimeoutMs / 1000 });
    // The screen behind is still the step the citizen asked for help on.
    expect(screen(w).name).toBe('document-confirm');
    // "I need more time" goes back to waiting for staff, with the help overlay and a new long wait.
    await w.send({ type: 'STILL_HERE' });
    expect(view(w).overlay).toEqual({ name: 'help' });
    await w.advance(TEST_FLOW.helpWaitMs - 1);
    expect(view(w).overlay).toEqual({ name: 'help' });
  });

  it('ends and wipes the session when nobody answers the prompt after the help wait (the citizen left)', async () => {
    const w = await walk('+help');
    await w.advance(TEST_FLOW.helpWaitMs);
    await w.advance(TEST_FLOW.promptTimeoutMs);
    expect(screen(w).name).toBe('abandoned');
    expect(w.snapshot().context.doc.pending).toBeUndefined();
  });

  it('watches for idleness again, from zero, once staff have answered', async () => {
    const w = await walk('+help');
    await w.advance(TEST_FLOW.idleTimeoutMs * 2);
    await w.send({ type: 'HELP_DONE' });
    expect(view(w).overlay).toBeUndefined();
    await w.advance(TEST_FLOW.idleTimeoutMs - 1);
    expect(view(w).overlay).toBeUndefined();
    await w.advance(1);
    expect(view(w).overlay?.name).toBe('timeout-prompt');
  });

  it('asking for help while the prompt is up answers it: the prompt gives way to the help overlay', async () => {
    const w = await walk('+timeout-prompt');
    await w.send({ type: 'HELP' });
    expect(view(w).overlay).toEqual({ name: 'help' });
    await w.advance(TEST_FLOW.promptTimeoutMs + 1);
    expect(screen(w).name).toBe('document-confirm');
  });

  it('tells the world a help request was made, and where it came from (no personal data)', async () => {
    const w = startWalk();
    const seen = notices(w);
    await WALKS['document-confirm']?.(w);
    await w.send({ type: 'HELP' });
    await w.send({ type: 'HELP_DONE' });
    await w.send({ type: 'HELP', source: 'panel' });
    expect(seen).toEqual([
      { type: 'help-requested', source: 'screen', inSession: true },
      { type: 'help-requested', source: 'panel', inSession: true },
    ]);
  });
});

describe('the panel’s help button outside a session', () => {
  it('on the start screen: says staff have been called for a few seconds, and tells the world', async () => {
    const w = startWalk();
    const seen = notices(w);
    await w.send({ type: 'HELP', source: 'panel' });
    expect(screen(w)).toEqual({ name: 'attract', staffCalled: true });
    expect(seen).toEqual([{ type: 'help-requested', source: 'panel', inSession: false }]);
    // Pressed again while it says so: nothing new to say (refused, not silently accepted).
    expect(w.snapshot().can({ type: 'HELP', source: 'panel' })).toBe(false);
    await w.advance(TEST_FLOW.staffCalledScreenMs);
    expect(screen(w)).toEqual({ name: 'attract' });
  });

  it('a citizen can still start while it says so', async () => {
    const w = startWalk();
    await w.send({ type: 'HELP', source: 'panel' });
    await w.send({ type: 'START', at: 5 });
    expect(screen(w).name).toBe('language');
  });

  it('on the "session ended" screen: the same', async () => {
    const w = await walk('abandoned');
    const seen = notices(w);
    await w.send({ type: 'HELP', source: 'panel' });
    expect(screen(w)).toEqual({ name: 'attract', staffCalled: true });
    expect(seen).toHaveLength(1);
  });
});

describe('what cannot be left half-way', () => {
  it('help waits while the packet is committed, and while the receipt prints: leaving would lose (and redo) either', async () => {
    for (const name of ['submitting', 'done:printing']) {
      const w = await walk(name);
      expect(w.snapshot().can({ type: 'HELP' }), name).toBe(false);
    }
    const w = await walk('done:not-printed');
    expect(w.snapshot().can({ type: 'HELP' })).toBe(true);
  });

  it('quitting is refused while the packet is committed (the citizen would be told their data was deleted while it is saved)', async () => {
    const w = await walk('submitting');
    expect(w.snapshot().can({ type: 'QUIT' })).toBe(false);
  });

  it('quitting from help over the receipt goes back to the start: the application is saved, nothing is deleted', async () => {
    const w = await walk('done:not-printed');
    await w.send({ type: 'HELP' });
    await w.send({ type: 'QUIT' });
    expect(screen(w).name).toBe('attract');
  });

  it('help over the receipt returns to it without printing again', async () => {
    const w = await walk('done:printed');
    await w.send({ type: 'HELP' });
    await w.send({ type: 'HELP_DONE' });
    expect(screen(w)).toMatchObject({ name: 'done', printed: true });
    expect(w.waiting.prints.size).toBe(0);
  });
});

describe('a different person’s card from review', () => {
  it('warns that a new application will start, and shows whose card it is', async () => {
    const w = await walk('review→document');
    await w.document('scanDocument', OTHER_PERSON_DOC);
    expect(screen(w)).toEqual({ name: 'different-person', document: OTHER_PERSON_DOC.document });
    expect(view(w).step).toBe('document');
  });

  it('"start over" erases the photo, fingerprints and signature and goes on with the new card as a new application', async () => {
    const w = await walk('review→document');
    const before = w.snapshot().context;
    const face = before.face.accepted?.jpeg;
    const sig = before.signature.accepted?.png;
    if (!face || !sig) throw new Error('the walk to review took no photo or signature');
    await w.document('scanDocument', OTHER_PERSON_DOC);
    await w.send({ type: 'START_OVER' });
    expect(face.every((b) => b === 0)).toBe(true);
    expect(sig.every((b) => b === 0)).toBe(true);
    const ctx = w.snapshot().context;
    expect(ctx.doc.accepted).toBeUndefined();
    expect(ctx.face.accepted).toBeUndefined();
    expect(ctx.signature.accepted).toBeUndefined();
    expect(ctx.fingers.every((f) => f.status === 'pending')).toBe(true);
    expect(screen(w)).toMatchObject({ name: 'document-confirm', document: { idNumber: OTHER_PERSON_DOC.document.idNumber } });
    expect(view(w).fromReview).toBe(false);
    await w.send({ type: 'DOC_CONFIRM' });
    expect(screen(w).name).toBe('fingerprints');
  });

  it('"scan my own card again" keeps everything and waits for the first card', async () => {
    const w = await walk('review→document');
    await w.document('scanDocument', OTHER_PERSON_DOC);
    await w.send({ type: 'DOC_RESCAN' });
    expect(screen(w)).toMatchObject({ name: 'document', phase: 'scan' });
    expect(w.snapshot().context.face.accepted).toBeDefined();
    await w.document('scanDocument', CLEAN_DOC);
    await w.send({ type: 'DOC_CONFIRM' });
    expect(screen(w).name).toBe('review');
  });

  it('a typed number of another person is the same', async () => {
    const w = await walk('review→document');
    await w.send({ type: 'DOC_TYPE_NUMBER' });
    await w.send({ type: 'DOC_TYPED', digits: '123456789' });
    await w.document('checkTypedNumber', { ...CLEAN_DOC, document: { kind: 'cmnd-9', idNumber: '123456789', flags: [] } });
    expect(screen(w).name).toBe('different-person');
  });

  it('the same person’s new card after their old CMND number was typed is not a different person', async () => {
    const w = await walk('document:reading');
    await w.document('checkTypedNumber', { ...CLEAN_DOC, document: { kind: 'cmnd-9', idNumber: '123456789', flags: [] } });
    await w.send({ type: 'DOC_CONFIRM' });
    await onToReview(w);
    expect(screen(w).name).toBe('review');
    await w.send({ type: 'REVIEW_EDIT', step: 'document' });
    await w.document('scanDocument', { ...CLEAN_DOC, document: { ...CLEAN_DOC.document, oldIdNumber: '123456789' } });
    expect(screen(w).name).toBe('document-confirm');
    await w.send({ type: 'DOC_CONFIRM' });
    expect(screen(w).name).toBe('review');
  });
});

describe('the receipt printer', () => {
  it('a printer found unable to print is shown on the start screen, session after session, until it can again', async () => {
    const w = startWalk();
    await w.send({ type: 'PRINTER', problem: 'paper-out' });
    expect(screen(w)).toEqual({ name: 'attract', printerProblem: 'paper-out' });
    await WALKS.abandoned?.(w);
    await w.advance(TEST_FLOW.abandonedScreenMs);
    expect(screen(w)).toEqual({ name: 'attract', printerProblem: 'paper-out' });
    await w.send({ type: 'PRINTER' });
    expect(screen(w)).toEqual({ name: 'attract' });
  });

  it('the receipt screen counts down to the start once the receipt is printed (not while it prints)', async () => {
    const w = await walk('done:printing');
    const printing = screen(w);
    expect(printing).toMatchObject({ name: 'done', printed: 'pending' });
    expect(printing).not.toHaveProperty('secondsLeft');
    await w.advance(TEST_FLOW.doneTimeoutMs - 1);
    expect(screen(w).name).toBe('done');
    await w.print(true);
    expect(screen(w)).toMatchObject({ name: 'done', printed: true, secondsLeft: TEST_FLOW.doneTimeoutMs / 1000, canReprint: false });
    await w.advance(TEST_FLOW.doneTimeoutMs - 1);
    expect(screen(w).name).toBe('done');
    await w.advance(1);
    expect(screen(w).name).toBe('attract');
  });

  it('a printer that never answers does not keep the receipt screen: it is shown as not printed, then the countdown runs', async () => {
    const w = await walk('done:printing');
    await w.advance(TEST_FLOW.doneTimeoutMs);
    expect(screen(w)).toMatchObject({ name: 'done', printed: false });
  });

  it('offers "Print again" once the printer is back, and prints again', async () => {
    const w = await walk('done:printing');
    await w.send({ type: 'PRINTER', problem: 'paper-out' });
    await w.print(false);
    expect(screen(w)).toMatchObject({ name: 'done', printed: false, canReprint: false });
    expect(w.snapshot().can({ type: 'REPRINT' })).toBe(false);
    await w.send({ type: 'PRINTER' });
    expect(screen(w)).toMatchObject({ name: 'done', printed: false, canReprint: true });
    await w.send({ type: 'REPRINT' });
    expect(screen(w)).toMatchObject({ name: 'done', printed: 'pending', canReprint: false });
    await w.print(true);
    expect(screen(w)).toMatchObject({ name: 'done', printed: true, canReprint: false });
    expect(w.snapshot().can({ type: 'REPRINT' })).toBe(false);
  });

  it('does not offer "Print again" while the printer is not connected', async () => {
    const w = await walk('done:printing');
    await w.send({ type: 'DEVICES', states: { printer: 'disconnected' } });
    await w.print(false);
    expect(screen(w)).toMatchObject({ canReprint: false });
    await w.send({ type: 'DEVICES', states: { printer: 'ready' } });
    expect(screen(w)).toMatchObject({ canReprint: true });
  });
});

describe('the keypad', () => {
  it('keeps the digits typed so far in the controller, for a reloaded page, and forgets them with the session', async () => {
    const w = await walk('document:typing');
    expect(screen(w)).toEqual({ name: 'document', phase: 'typing', digits: '', case: 'expired' });
    await w.send({ type: 'DOC_DIGITS', digits: '0792' });
    expect(screen(w)).toEqual({ name: 'document', phase: 'typing', digits: '0792', case: 'expired' });
    // The same digits again change nothing: refused, not accepted and ignored.
    expect(w.snapshot().can({ type: 'DOC_DIGITS', digits: '0792' })).toBe(false);
    await w.send({ type: 'QUIT' });
    expect(w.snapshot().context.doc.typed).toBeUndefined();
  });

  it('shows the number again, with what is wrong, after a number that cannot be used', async () => {
    const w = await walk('document:typing');
    await w.send({ type: 'DOC_DIGITS', digits: '123456789' });
    await w.send({ type: 'DOC_TYPED', digits: '123456789' });
    await w.document('checkTypedNumber', { kind: 'invalid', error: { vi: 'Số không hợp lệ', en: 'Not a valid number' } });
    expect(screen(w)).toMatchObject({ name: 'document', phase: 'typing', digits: '123456789', error: { en: 'Not a valid number' } });
  });
});

describe('only the back of the card read', () => {
  it('asks for the front too on the confirm screen, and flags the application for staff if the citizen goes on without it', async () => {
    const w = await walk('document:scan');
    await w.document('scanDocument', BACK_ONLY_DOC);
    expect(screen(w)).toMatchObject({ name: 'document-confirm', askFront: true });
    await w.send({ type: 'DOC_CONFIRM' });
    expect(w.snapshot().context.doc.accepted?.document.flags).toContain('front-not-read');
  });

  it('stops asking once the front is read as well', async () => {
    const w = await walk('document:scan');
    await w.document('scanDocument', BACK_ONLY_DOC);
    // The document service combines the two sides; the combined reading is the front's.
    await w.document('scanOtherSide', { ...CLEAN_DOC, document: { ...CLEAN_DOC.document, flags: ['front-and-back-read'] } });
    expect(screen(w)).not.toHaveProperty('askFront');
    await w.send({ type: 'DOC_CONFIRM' });
    expect(w.snapshot().context.doc.accepted?.document.flags).not.toContain('front-not-read');
  });

  it('a back-only reading with a mismatch is flagged the same when the citizen goes on', async () => {
    const w = await walk('document:scan');
    await w.document('scanDocument', { ...BACK_ONLY_DOC, checks: [{ name: 'id-vs-sex', ok: false }] });
    await w.send({ type: 'DOC_ACCEPT_MISMATCH' });
    expect(w.snapshot().context.doc.accepted?.document.flags).toEqual(expect.arrayContaining(['mismatch-confirmed', 'front-not-read']));
  });
});

describe('the signature', () => {
  it('numbers each signature checked, so a page that did not send the one an error is about can leave it out', async () => {
    const w = await walk('signature');
    expect(screen(w)).toMatchObject({ name: 'signature', attempt: 0 });
    await w.send({ type: 'SIGNATURE_SUBMIT', strokes: [[{ x: 1, y: 1, t: 0 }]], box: { width: 600, height: 200 } });
    await (async () => {
      const waiting = w.waiting.signatures.get('checkSignature');
      if (!waiting) throw new Error('no signature check running');
      waiting.resolve({ kind: 'invalid', error: { vi: 'Chữ ký quá ngắn', en: 'Too short' } });
      await w.flush();
    })();
    expect(screen(w)).toMatchObject({ name: 'signature', attempt: 1, error: { en: 'Too short' } });
  });
});
