import { describe, expect, it } from 'vitest';
import type { DocumentOutcome } from '../../../../controller/enrollment/context';
import type { FlowConfig } from '../../../../controller/config/schema';
import { todayIso } from '../../../../controller/documents/dates';
import { CLEAN_DOC, TEST_FLOW, createHarness, type Harness } from '../../../helpers/enrollment-harness';

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
