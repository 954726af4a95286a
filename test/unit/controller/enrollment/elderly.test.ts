import { describe, expect, it } from 'vitest';
import { fromCallback, type EventObject } from 'xstate';
import type { DocumentOutcome } from '../../../../controller/enrollment/context';
import type { CaptureFingerInput } from '../../../../controller/enrollment/machine';
import type { FlowConfig } from '../../../../controller/config/schema';
import { todayIso } from '../../../../controller/documents/dates';
import type { InvitationFacts } from '../../../../domain/application';
import { CLEAN_DOC, NOBODY_SCANS, TEST_FLOW, createHarness, walkOnTo, type Harness } from '../../../helpers/enrollment-harness';

/**
 * A citizen of 60 or more (issue #15): the card read says so, by its birth date on the day the
 * session started (the kiosk's day, Vietnam's time); larger text turns on by itself and the idle
 * watch waits `flow.elderly.timeoutFactor` times longer. The citizen can turn larger text off.
 */

const bornOn = (dateOfBirth: string): Extract<DocumentOutcome, { kind: 'parsed' }> => ({
  ...CLEAN_DOC,
  document: { ...CLEAN_DOC.document, idNumber: '001050001234', dateOfBirth },
  fields: { ...CLEAN_DOC.fields, dateOfBirth },
});

/** 09:00 in Vietnam on that day. */
const at = (day: string): number => Date.parse(`${day}T09:00:00+07:00`);

/** After a touch, the "are you still there?" prompt comes at timeoutFactor times the idle wait, not a millisecond sooner. */
async function promptsAfterElderlyWait(h: Harness): Promise<void> {
  h.actor.send({ type: 'TOUCH' });
  await h.advance(TEST_FLOW.idleTimeoutMs * TEST_FLOW.elderly.timeoutFactor - 1);
  expect(h.view().overlay).toBeUndefined();
  await h.advance(1);
  expect(h.view().overlay?.name).toBe('timeout-prompt');
}

async function scanCard(doc: DocumentOutcome, day: string, flow?: FlowConfig): Promise<Harness> {
  const h = createHarness(flow ? { flow } : {});
  h.script.documents.push(doc);
  h.actor.send({ type: 'START', at: at(day) });
  h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
  await h.flush();
  expect(h.view().screen.name).toBe('document-confirm');
  return h;
}

describe('the elderly defaults', () => {
  it('stay off for a citizen who is 59 years and 364 days old', async () => {
    const h = await scanCard(bornOn('1966-12-01'), '2026-11-30');
    expect(h.view().largeText).toBeUndefined();
    expect(h.actor.getSnapshot().context.elderly).toBe(false);
  });

  it('turn larger text on for a citizen who is 60 today', async () => {
    const h = await scanCard(bornOn('1966-12-01'), '2026-12-01');
    expect(h.view().largeText).toBe(true);
    expect(h.actor.getSnapshot().context.elderly).toBe(true);
  });

  it('count the birthday by the kiosk’s day: 00:30 in Vietnam is still the previous day in UTC', async () => {
    expect(todayIso(new Date(Date.parse('2026-12-01T00:30:00+07:00')))).toBe('2026-12-01');
    const h = createHarness();
    h.script.documents.push(bornOn('1966-12-01'));
    h.actor.send({ type: 'START', at: Date.parse('2026-12-01T00:30:00+07:00') });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    expect(h.view().largeText).toBe(true);
  });

  it('take a 29 February birthday as reached on 1 March in other years', async () => {
    // 60 is a multiple of 4, so a 29 February birth turns 60 in a leap year (1964 → 2024); at
    // fromAge 61 it falls in 2025, which has no 29 February. (1966-02-29 is no date at all.)
    const flow = { ...TEST_FLOW, elderly: { ...TEST_FLOW.elderly, fromAge: 61 } };
    expect((await scanCard(bornOn('1964-02-29'), '2025-02-28', flow)).view().largeText).toBeUndefined();
    expect((await scanCard(bornOn('1964-02-29'), '2025-03-01', flow)).view().largeText).toBe(true);
  });

  it('stay off for a card without a birth date (a typed number)', async () => {
    const { dateOfBirth: _, ...noBirth } = CLEAN_DOC.document;
    const h = await scanCard({ ...CLEAN_DOC, document: noBirth }, '2026-12-01');
    expect(h.view().largeText).toBeUndefined();
  });

  it('make the "need more time?" prompt come, and wait, timeoutFactor times longer for a citizen of 60', async () => {
    const factor = TEST_FLOW.elderly.timeoutFactor;
    expect(factor).toBeGreaterThan(1);
    const h = await scanCard(bornOn('1950-03-14'), '2026-12-01');
    h.actor.send({ type: 'TOUCH' });
    await h.advance(TEST_FLOW.idleTimeoutMs * factor - 1);
    expect(h.view().overlay).toBeUndefined();
    await h.advance(1);
    expect(h.view().overlay).toEqual({ name: 'timeout-prompt', secondsLeft: (TEST_FLOW.promptTimeoutMs * factor) / 1000 });
    await h.advance(TEST_FLOW.promptTimeoutMs * factor - 1);
    expect(h.view().screen.name).toBe('document-confirm');
    await h.advance(1);
    expect(h.view().screen.name).toBe('abandoned');
  });

  it('leave the usual timeouts for a younger citizen', async () => {
    const h = await scanCard(bornOn('1967-01-01'), '2026-12-01');
    h.actor.send({ type: 'TOUCH' });
    await h.advance(TEST_FLOW.idleTimeoutMs);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
  });

  it('can be turned off by the citizen, and are not turned on again by the same card read again', async () => {
    const h = await scanCard(bornOn('1950-03-14'), '2026-12-01');
    h.actor.send({ type: 'SET_LARGE_TEXT', on: false });
    expect(h.view().largeText).toBeUndefined();
    // The other side of the card scanned on the confirm screen: the citizen's choice stands.
    h.script.waitingRead?.(bornOn('1950-03-14'));
    await h.flush();
    expect(h.view().screen.name).toBe('document-confirm');
    expect(h.view().largeText).toBeUndefined();
    // Turned off, the timeouts stay longer: it is the citizen's age, not their text size.
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(h.actor.getSnapshot().context.elderly).toBe(true);
  });

  it('are reset for the next citizen, and so are the text size and mute a citizen chose', async () => {
    const h = await scanCard(bornOn('1950-03-14'), '2026-12-01');
    h.actor.send({ type: 'SET_VOICE', muted: true });
    expect(h.view()).toMatchObject({ largeText: true, voiceMuted: true });
    h.actor.send({ type: 'QUIT' });
    await h.flush();
    expect(h.view().screen.name).toBe('abandoned');
    expect(h.view().largeText).toBeUndefined();
    expect(h.view().voiceMuted).toBeUndefined();
    expect(h.actor.getSnapshot().context.elderly).toBe(false);
  });
});

describe('larger text and mute, by the citizen', () => {
  it('can be set on any screen, before the session too, and carry into it', async () => {
    const h = createHarness();
    h.actor.send({ type: 'SET_LARGE_TEXT', on: true });
    h.actor.send({ type: 'SET_VOICE', muted: true });
    expect(h.view()).toMatchObject({ screen: { name: 'attract' }, largeText: true, voiceMuted: true });
    h.actor.send({ type: 'START', at: at('2026-12-01') });
    await h.flush();
    expect(h.view()).toMatchObject({ screen: { name: 'language' }, largeText: true, voiceMuted: true });
  });

  it('are refused when they change nothing, so a repeated tap is not acted on twice', () => {
    const h = createHarness();
    expect(h.actor.getSnapshot().can({ type: 'SET_LARGE_TEXT', on: false })).toBe(false);
    expect(h.actor.getSnapshot().can({ type: 'SET_VOICE', muted: false })).toBe(false);
    h.actor.send({ type: 'SET_LARGE_TEXT', on: true });
    expect(h.actor.getSnapshot().can({ type: 'SET_LARGE_TEXT', on: true })).toBe(false);
  });
});

/**
 * Every wait a citizen can run into is as much longer for a citizen of 60 or more (issue #15):
 * not only the idle watch and its prompt, but the prompt that comes sooner once the PIR sees
 * nobody, the wait for staff after "Help", the wait for a finger on the glass, the receipt
 * screen, and the steps where the citizen types or signs (the idle watch, restarted by each tap).
 */
describe('the elderly defaults, every wait the citizen can hit', () => {
  const factor = TEST_FLOW.elderly.timeoutFactor;
  const DAY = '2026-12-01';
  const elderlyCard = bornOn('1950-03-14');

  /** The fingerprint step reached by a citizen of 60+, with the sensor's inputs recorded. */
  async function elderlyAtFingers(opts: { readonly waits?: number[]; readonly capture?: boolean } = {}): Promise<Harness> {
    const waits = opts.waits ?? [];
    const waiting = fromCallback<EventObject, CaptureFingerInput>(({ input }) => {
      waits.push(input.waitMs);
      return () => {};
    });
    const h = createHarness(opts.capture === false ? { provide: (m) => m.provide({ actors: { captureFinger: waiting } }) } : {});
    h.script.documents.push(elderlyCard);
    h.actor.send({ type: 'START', at: at(DAY) });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(h.actor.getSnapshot().context.elderly).toBe(true);
    return h;
  }

  it('the prompt that comes once the PIR sees nobody comes timeoutFactor times later', async () => {
    const h = await scanCard(elderlyCard, DAY);
    h.actor.send({ type: 'PRESENCE', present: true });
    h.actor.send({ type: 'PRESENCE', present: false });
    await h.advance(TEST_FLOW.absentTimeoutMs * factor - 1);
    expect(h.view().overlay).toBeUndefined();
    await h.advance(1);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
  });

  it('the wait for staff after "Help" is timeoutFactor times longer before the prompt', async () => {
    const h = await scanCard(elderlyCard, DAY);
    h.actor.send({ type: 'HELP' });
    await h.flush();
    expect(h.view().overlay?.name).toBe('help');
    await h.advance(TEST_FLOW.helpWaitMs * factor - 1);
    expect(h.view().overlay?.name).toBe('help');
    await h.advance(1);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
  });

  it('the wait for a finger on the glass is timeoutFactor times longer', async () => {
    const waits: number[] = [];
    await elderlyAtFingers({ waits, capture: false });
    expect(waits).toEqual([TEST_FLOW.fingerWaitMs * factor]);
  });

  it('leaves the wait for a finger as configured for a younger citizen', async () => {
    const waits: number[] = [];
    const waiting = fromCallback<EventObject, CaptureFingerInput>(({ input }) => {
      waits.push(input.waitMs);
      return () => {};
    });
    const h = createHarness({ provide: (m) => m.provide({ actors: { captureFinger: waiting } }) });
    h.script.documents.push(bornOn('1980-01-01'));
    h.actor.send({ type: 'START', at: at(DAY) });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(waits).toEqual([TEST_FLOW.fingerWaitMs]);
  });

  it('the receipt screen stays timeoutFactor times longer, and its countdown says so', async () => {
    const h = await elderlyAtFingers();
    await walkOnTo(h, 'review');
    h.actor.send({ type: 'REVIEW_CONFIRM' });
    await h.flush();
    const done = h.view().screen;
    if (done.name !== 'done') throw new Error(`expected the receipt screen, got ${done.name}`);
    expect(done.secondsLeft).toBe((TEST_FLOW.doneTimeoutMs * factor) / 1000);
    await h.advance(TEST_FLOW.doneTimeoutMs * factor - 1);
    expect(h.view().screen.name).toBe('done');
    await h.advance(1);
    expect(h.view().screen.name).toBe('attract');
  });

  for (const step of ['signature', 'face', 'review'] as const) {
    it(`the idle watch waits timeoutFactor times longer at the ${step} step too`, async () => {
      const h = await elderlyAtFingers();
      await walkOnTo(h, step);
      expect(h.view().screen.name).toBe(step);
      await promptsAfterElderlyWait(h);
    });
  }

  it('the keypad, from review: a citizen of 60 correcting the number by typing waits as long', async () => {
    const h = await elderlyAtFingers();
    await walkOnTo(h, 'review');
    h.script.documents.push(NOBODY_SCANS);
    h.actor.send({ type: 'REVIEW_EDIT', step: 'document' });
    await h.flush();
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'document', phase: 'typing' });
    await promptsAfterElderlyWait(h);
  });

  it('the keypad of a lost card: an invitation whose ID number says 60 or more turns the defaults on before any card', async () => {
    const invitation: InvitationFacts = {
      id: 'GM-2026-0042',
      // Century digit 0 (1900s), birth year 50: at least 75 on the invitation's day.
      idNumber: '079050001234',
      case: 'lost',
      priority: 'elderly',
      validFrom: '2026-11-01',
      validUntil: '2026-12-31',
      station: 'CAP-BEN-NGHE',
    };
    const h = createHarness();
    const report = h.script.scanInvitation;
    if (!report) throw new Error('the start screen is not listening for invitations');
    report({ kind: 'accepted', invitation, at: at(DAY) });
    await h.flush();
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    expect(h.view().screen).toMatchObject({ name: 'document', phase: 'typing' });
    expect(h.view().largeText).toBe(true);
    await promptsAfterElderlyWait(h);
  });

  it('an invitation for a younger citizen leaves the usual waits', async () => {
    const h = createHarness();
    const report = h.script.scanInvitation;
    if (!report) throw new Error('the start screen is not listening for invitations');
    report({ kind: 'accepted', invitation: { id: 'GM-2026-0043', idNumber: '079203001234', case: 'lost', priority: 'exam', validFrom: '2026-11-01', validUntil: '2026-12-31', station: 'CAP-BEN-NGHE' }, at: at(DAY) });
    await h.flush();
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    expect(h.view().largeText).toBeUndefined();
    h.actor.send({ type: 'TOUCH' });
    await h.advance(TEST_FLOW.idleTimeoutMs);
    expect(h.view().overlay?.name).toBe('timeout-prompt');
  });

  it('a typed number without a birth date says 60 or more by its birth year: the defaults turn on at its confirm', async () => {
    const { dateOfBirth: _, ...noBirth } = CLEAN_DOC.document;
    // Typed (lost card): the 12-digit personal ID number of someone born in 1950.
    const h = await scanCard({ ...CLEAN_DOC, document: { ...noBirth, idNumber: '079050001234' }, fields: {} }, DAY);
    expect(h.view().largeText).toBe(true);
    expect(h.actor.getSnapshot().context.elderly).toBe(true);
  });
});
