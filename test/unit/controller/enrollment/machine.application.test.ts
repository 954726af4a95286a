import { describe, expect, it } from 'vitest';
import type { DocumentOutcome, InvitationOutcome } from '../../../../controller/enrollment/context';
import { receiptInput } from '../../../../controller/enrollment/assigners';
import { CLEAN_DOC, NOBODY_SCANS, SIGNED, TEST_FLOW, createHarness, throughFaceCountdown, walkOnTo, type Harness } from '../../../helpers/enrollment-harness';
import { SESSION_DAY } from '../../../helpers/screen-walks';
import { APPLICATION_CASES, type ApplicationCase, type InvitationFacts, type InvitationRefusal } from '../../../../domain/application';

/**
 * The application as the police take it (issue #15), on the real statechart with scripted
 * devices and a simulated clock: the case first, invitations, the age read from the card (a
 * guardian under 14, no biometrics under 6) and the iris step that is there only when configured.
 * Sessions start on 30 November 2026 (SESSION_DAY): the ages below are on that day.
 */

type Parsed = Extract<DocumentOutcome, { kind: 'parsed' }>;

/** A card read from its QR code, of someone born on `dob` (ISO). */
function card(idNumber: string, fullName: string, dob: string): Parsed {
  return {
    kind: 'parsed',
    document: { kind: 'cccd-qr', idNumber, fullName, dateOfBirth: dob, sex: 'male', flags: [] },
    checks: [{ name: 'id-birth-year', ok: true }],
    fields: { fullName, dateOfBirth: dob },
  };
}
const PARENT = card('001185004321', 'Trần Thị Bích Ngọc', '1985-02-03');

const screen = (h: Harness) => h.view().screen;
const at = (h: Harness) => JSON.stringify(h.actor.getSnapshot().value);

async function start(h: Harness, kase: ApplicationCase = 'expired'): Promise<void> {
  h.actor.send({ type: 'START', at: SESSION_DAY });
  h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
  await h.flush();
  h.actor.send({ type: 'CASE_CHOOSE', case: kase });
  await h.flush();
}


/** From the first finger to review: ten good prints, a photo, a signature. */
async function fingersFaceSignature(h: Harness): Promise<void> {
  await walkOnTo(h, 'review');
}

async function submit(h: Harness) {
  expect(screen(h).name).toBe('review');
  h.actor.send({ type: 'REVIEW_CONFIRM' });
  await h.flush();
  const draft = h.script.drafts.at(-1);
  if (!draft) throw new Error('nothing was submitted');
  return draft;
}

describe('the case, first', () => {
  it('is asked after the language, before the document', async () => {
    const h = createHarness();
    h.actor.send({ type: 'START', at: SESSION_DAY });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'en' });
    await h.flush();
    expect(screen(h)).toEqual({ name: 'case', phase: 'choose' });
    expect(h.actor.getSnapshot().can({ type: 'DOC_TYPE_NUMBER' })).toBe(false);
  });

  it.each([
    ['expired', 'scan'],
    ['damaged', 'scan'],
    ['other', 'scan'],
    ['lost', 'typing'],
    ['first', 'typing'],
  ] as const)('%s: the document step starts on %s, and the case goes into the packet', async (kase, phase) => {
    const h = createHarness();
    // Scanned cases read the clean card at once; typed ones wait on the keypad.
    if (phase === 'scan') h.script.documents.push(NOBODY_SCANS);
    h.actor.send({ type: 'START', at: SESSION_DAY });
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    h.actor.send({ type: 'CASE_CHOOSE', case: kase });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document', phase, case: kase });
  });

  it.each(APPLICATION_CASES.filter((c) => c !== 'changed'))('%s is in the draft the packet is built from, with nothing changed', async (kase) => {
    const h = createHarness();
    await start(h, kase);
    if (screen(h).name === 'document') {
      h.actor.send({ type: 'DOC_TYPED', digits: '079203001234' });
      await h.flush();
    }
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    await fingersFaceSignature(h);
    const draft = await submit(h);
    expect(draft.application).toMatchObject({ case: kase, ageGroup: 'adult', biometrics: 'collected', signedBy: 'applicant' });
    expect(draft.application.changes).toBeUndefined();
    expect(receiptInput(h.actor.getSnapshot().context).case).toBe(kase);
  });

  it('lost: the number is typed as the card’s (a CCCD’s, not an old CMND’s), and staff see the card was lost', async () => {
    const h = createHarness();
    await start(h, 'lost');
    h.actor.send({ type: 'DOC_TYPED', digits: '079203001234' });
    await h.flush();
    expect(h.script.typedInputs).toEqual([{ digits: '079203001234', as: 'cccd' }]);
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(h.actor.getSnapshot().context.doc.accepted?.document.flags).toContain('card-lost');
  });

  it('damaged: typing is offered on the scan screen, and the number is then the card’s', async () => {
    const h = createHarness();
    h.script.documents.push(NOBODY_SCANS);
    await start(h, 'damaged');
    expect(h.actor.getSnapshot().can({ type: 'DOC_TYPE_NUMBER' })).toBe(true);
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    h.actor.send({ type: 'DOC_TYPED', digits: '079203001234' });
    await h.flush();
    expect(h.script.typedInputs).toEqual([{ digits: '079203001234', as: 'cccd' }]);
  });

  it('expired: a number typed through "I have an old CMND" is still an old CMND’s', async () => {
    const h = createHarness();
    h.script.documents.push(NOBODY_SCANS);
    await start(h, 'expired');
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    h.actor.send({ type: 'DOC_TYPED', digits: '123456789' });
    await h.flush();
    expect(h.script.typedInputs).toEqual([{ digits: '123456789' }]);
  });

  it('changed: asks what changed, flags the application for staff and carries the changes', async () => {
    const h = createHarness();
    h.script.documents.push(NOBODY_SCANS);
    await start(h, 'changed');
    expect(screen(h)).toEqual({ name: 'case', phase: 'changes', chosen: 'changed' });
    h.actor.send({ type: 'CASE_BACK' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'case', phase: 'choose' });
    h.actor.send({ type: 'CASE_CHOOSE', case: 'changed' });
    h.actor.send({ type: 'CASE_CHANGES', changes: ['address', 'name', 'address'] });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document', phase: 'scan', case: 'changed' });
    h.actor.send({ type: 'DOC_RESCAN' }); // nothing: still scanning
    h.script.documents.length = 0;
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    h.actor.send({ type: 'DOC_SCAN_INSTEAD' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(h.actor.getSnapshot().context.doc.accepted?.document.flags).toContain('info-changed');
    await fingersFaceSignature(h);
    const draft = await submit(h);
    expect(draft.application).toMatchObject({ case: 'changed', changes: ['address', 'name'] });
    expect(draft.document.flags).toContain('info-changed');
  });
});

const INVITATION: InvitationFacts = {
  id: 'GM-2026-0001',
  idNumber: CLEAN_DOC.document.idNumber,
  case: 'expired',
  priority: 'elderly',
  validFrom: '2026-11-01',
  validUntil: '2026-12-31',
  station: 'CAP-BEN-NGHE',
};
const accepted = (invitation: InvitationFacts = INVITATION): InvitationOutcome => ({ kind: 'accepted', invitation, at: SESSION_DAY });

function scanInvitation(h: Harness, o: InvitationOutcome): void {
  const report = h.script.scanInvitation;
  if (!report) throw new Error(`the start screen is not listening for invitations (in ${at(h)})`);
  report(o);
}

describe('an invitation scanned on the start screen', () => {
  it('starts a session with its case and expected number: after the language, straight to the document', async () => {
    const h = createHarness();
    h.script.documents.push(NOBODY_SCANS);
    scanInvitation(h, accepted());
    await h.flush();
    expect(screen(h).name).toBe('language');
    expect(h.actor.getSnapshot().context.startedAt).toBe(SESSION_DAY);
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document', phase: 'scan', case: 'expired', invited: true });
  });

  it('valid: the invited card goes on as any other, and the packet names the invitation and its priority group', async () => {
    const h = createHarness();
    scanInvitation(h, accepted());
    await h.flush();
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    expect(screen(h).name).toBe('document-confirm');
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    await fingersFaceSignature(h);
    const draft = await submit(h);
    expect(draft.application).toMatchObject({ case: 'expired', invitationId: 'GM-2026-0001', priority: 'elderly' });
    expect(receiptInput(h.actor.getSnapshot().context).invitationId).toBe('GM-2026-0001');
  });

  it('for a lost card: the number is typed, and must be the invited one', async () => {
    const h = createHarness();
    scanInvitation(h, accepted({ ...INVITATION, case: 'lost' }));
    await h.flush();
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'en' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document', phase: 'typing', case: 'lost', invited: true });
    h.script.typed.push(card('001185004321', 'Someone Else', '1985-02-03'));
    h.actor.send({ type: 'DOC_TYPED', digits: '001185004321' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'invitation-mismatch', expected: '••••••••1234' });
  });

  it('card does not match: says so, and a scan of the invited card goes on', async () => {
    const h = createHarness();
    h.script.documents.push(PARENT);
    scanInvitation(h, accepted());
    await h.flush();
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'invitation-mismatch', document: { idNumber: PARENT.document.idNumber } });
    // Nothing is accepted from the wrong card.
    expect(h.actor.getSnapshot().can({ type: 'DOC_CONFIRM' })).toBe(false);
    h.actor.send({ type: 'DOC_RESCAN' });
    await h.flush();
    expect(screen(h).name).toBe('document-confirm');
    expect(screen(h)).toMatchObject({ document: { idNumber: INVITATION.idNumber } });
  });

  it('card does not match: going on without the invitation asks the case again and drops the invitation from the packet', async () => {
    const h = createHarness();
    h.script.documents.push(PARENT);
    scanInvitation(h, accepted());
    await h.flush();
    h.actor.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    await h.flush();
    h.actor.send({ type: 'INVITATION_DROP' });
    await h.flush();
    expect(screen(h)).toEqual({ name: 'case', phase: 'choose' });
    h.script.documents.push(PARENT);
    h.actor.send({ type: 'CASE_CHOOSE', case: 'damaged' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'document-confirm', document: { idNumber: PARENT.document.idNumber } });
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    await fingersFaceSignature(h);
    const draft = await submit(h);
    expect(draft.application.case).toBe('damaged');
    expect(draft.application.invitationId).toBeUndefined();
  });

  it.each(['expired', 'not-yet-valid', 'forged', 'unknown-key', 'used', 'malformed'] satisfies InvitationRefusal[])(
    'refused (%s): stays on the start screen and says why, for a while',
    async (reason) => {
      const h = createHarness();
      scanInvitation(h, { kind: 'refused', reason });
      await h.flush();
      expect(screen(h)).toEqual({ name: 'attract', invitationRefused: reason });
      await h.advance(TEST_FLOW.invitationRefusedScreenMs - 1);
      expect(screen(h)).toMatchObject({ invitationRefused: reason });
      await h.advance(1);
      expect(screen(h)).toEqual({ name: 'attract' });
      expect(h.actor.getSnapshot().context.invitationRefusal).toBeUndefined();
    },
  );

  it('refused: a touch clears the reason, and the citizen can start without the invitation', async () => {
    const h = createHarness();
    scanInvitation(h, { kind: 'refused', reason: 'used' });
    await h.flush();
    h.actor.send({ type: 'TOUCH' });
    await h.flush();
    expect(screen(h)).toEqual({ name: 'attract' });
    scanInvitation(h, { kind: 'refused', reason: 'forged' });
    await h.flush();
    h.actor.send({ type: 'START', at: SESSION_DAY });
    await h.flush();
    expect(screen(h).name).toBe('language');
    expect(h.actor.getSnapshot().context.application).toEqual({});
  });

  it('a second refusal shows its own reason, for the whole time again', async () => {
    const h = createHarness();
    scanInvitation(h, { kind: 'refused', reason: 'expired' });
    await h.flush();
    await h.advance(TEST_FLOW.invitationRefusedScreenMs - 1000);
    scanInvitation(h, { kind: 'refused', reason: 'forged' });
    await h.flush();
    await h.advance(1000);
    expect(screen(h)).toEqual({ name: 'attract', invitationRefused: 'forged' });
  });

  it('is listened for on the start screen only: not during a session', async () => {
    const h = createHarness();
    expect(h.script.scanInvitation).toBeDefined();
    await start(h);
    expect(h.script.scanInvitation).toBeUndefined();
  });
});

describe('age from the card', () => {
  /** The citizen's session up to the step after the document, with a card of someone born on `dob`. */
  /** Waiting on the guardian's scan, the scanner answers `o` (then waits for the next card). */
  async function guardianScans(h: Harness, o: DocumentOutcome) {
    const answer = h.script.waitingRead;
    if (!answer) throw new Error(`nobody is waiting for a scan in ${at(h)}`);
    h.script.documents.push(NOBODY_SCANS);
    answer(o);
    await h.flush();
    return screen(h);
  }

  /** A session up to the step after the document, with a card of someone born on `dob`; nobody scans next. */
  async function withCard(dob: string, flow = TEST_FLOW) {
    const h = createHarness({ flow });
    h.script.documents.push(card('079216001234', 'Nguyễn Minh Khoa', dob), NOBODY_SCANS, NOBODY_SCANS);
    await start(h, 'first');
    h.actor.send({ type: 'DOC_SCAN_INSTEAD' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    return h;
  }

  it.each([
    ['60 (born 1966)', '1966-05-01'],
    ['17', '2009-01-15'],
    ['14 on the birthday itself', '2012-11-30'],
  ])('%s: as today, no guardian', async (_age, dob) => {
    const h = await withCard(dob);
    expect(screen(h)).toMatchObject({ name: 'fingerprints' });
  });

  it('13, the day before the 14th birthday: a guardian', async () => {
    const h = await withCard('2012-12-01');
    expect(screen(h)).toMatchObject({ name: 'guardian', phase: 'scan', child: { fullName: 'Nguyễn Minh Khoa', age: 13 }, noBiometrics: false });
  });

  it('10: the guardian scans their own card, confirms it, biometrics are taken, the guardian signs; both cards in the packet', async () => {
    const h = await withCard('2016-03-02');
    expect(screen(h)).toMatchObject({ name: 'guardian', phase: 'scan', child: { age: 10 } });
    expect(await guardianScans(h, PARENT)).toMatchObject({ name: 'guardian', phase: 'confirm', guardian: { idNumber: PARENT.document.idNumber } });
    h.actor.send({ type: 'GUARDIAN_CONFIRM' });
    await h.flush();
    expect(screen(h).name).toBe('fingerprints');
    for (let i = 0; i < 10; i++) await h.advance(TEST_FLOW.fingerAcceptedPauseMs);
    await throughFaceCountdown(h);
    h.actor.send({ type: 'FACE_ACCEPT' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'signature', signer: 'guardian' });
    h.actor.send(SIGNED);
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'review', guardian: { idNumber: PARENT.document.idNumber } });
    const draft = await submit(h);
    expect(draft.application).toMatchObject({ ageGroup: 'child', ageBasis: 'birth-date', biometrics: 'collected', signedBy: 'guardian' });
    expect(draft.guardian?.document).toMatchObject({ idNumber: PARENT.document.idNumber, fields: { fullName: 'Trần Thị Bích Ngọc' } });
    expect(draft.fingers).toHaveLength(10);
    expect(draft.face).toBeDefined();
    expect(receiptInput(h.actor.getSnapshot().context)).toMatchObject({ guardianName: 'Trần Thị Bích Ngọc' });
  });

  it('the guardian must be someone else, and 18 or over; an unreadable scan says so; each time the step keeps listening', async () => {
    const h = await withCard('2016-03-02');
    const child = card('079216001234', 'Nguyễn Minh Khoa', '2016-03-02');
    const seventeen = card('001208001111', 'Lê Văn Tuấn', '2009-01-15');
    const eighteen = card('001208002222', 'Lê Văn Hùng', '2008-11-30');
    const said = (o: DocumentOutcome) => guardianScans(h, o);
    expect(await said(child)).toMatchObject({ name: 'guardian', phase: 'scan', error: { en: expect.stringMatching(/child's card/) } });
    expect(await said(seventeen)).toMatchObject({ name: 'guardian', phase: 'scan', error: { en: expect.stringMatching(/18 or over/) } });
    expect(await said({ kind: 'invalid', error: { vi: 'Mã không đọc được', en: 'Unreadable code' } })).toMatchObject({ phase: 'scan', error: { en: 'Unreadable code' } });
    expect(await said(eighteen)).toMatchObject({ name: 'guardian', phase: 'confirm', guardian: { fullName: 'Lê Văn Hùng' } });
    h.actor.send({ type: 'GUARDIAN_RESCAN' });
    expect(await said(PARENT)).toMatchObject({ phase: 'confirm', guardian: { fullName: 'Trần Thị Bích Ngọc' } });
  });

  it('6 on the birthday: a guardian, and biometrics are taken', async () => {
    const h = await withCard('2020-11-30');
    expect(screen(h)).toMatchObject({ name: 'guardian', child: { age: 6 }, noBiometrics: false });
  });

  it('5, the day before the 6th birthday: no biometrics; the guardian signs, the kiosk records it and says where to finish', async () => {
    const h = await withCard('2020-12-01');
    expect(screen(h)).toMatchObject({ name: 'guardian', child: { age: 5 }, noBiometrics: true });
    await guardianScans(h, PARENT);
    h.actor.send({ type: 'GUARDIAN_CONFIRM' });
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'signature', signer: 'guardian' });
    expect(h.script.fingerInputs).toEqual([]);
    h.actor.send(SIGNED);
    await h.flush();
    expect(screen(h)).toMatchObject({ name: 'review', noBiometrics: true });
    // Nothing of the biometric steps can be asked for from here.
    const snap = h.actor.getSnapshot();
    expect(snap.can({ type: 'REVIEW_EDIT', step: 'fingerprints' })).toBe(false);
    expect(snap.can({ type: 'REVIEW_EDIT', step: 'face' })).toBe(false);
    expect(snap.can({ type: 'REVIEW_REDO_FINGERS', fingers: ['right_thumb'] })).toBe(false);
    expect(snap.can({ type: 'REVIEW_EDIT', step: 'signature' })).toBe(true);
    const draft = await submit(h);
    expect(draft.fingers).toEqual([]);
    expect(draft.face).toBeUndefined();
    expect(draft.application).toMatchObject({ ageGroup: 'infant', biometrics: 'none-under-6', signedBy: 'guardian' });
    expect(screen(h)).toMatchObject({ name: 'done', finishAt: TEST_FLOW.childFinishAt });
    expect(receiptInput(h.actor.getSnapshot().context)).toMatchObject({ finishAt: TEST_FLOW.childFinishAt });
  });

  it('a number typed for a first card gives the birth year only: the younger age it allows is taken', async () => {
    // Born in 2016: 9 or 10 on 30 November 2026 → a child either way. Born in 2020: 5 or 6 → no biometrics.
    for (const [digits, group, age] of [['079216001234', 'child', 9], ['079220001234', 'infant', 5], ['079212001234', 'child', 13]] as const) {
      const h = createHarness();
      await start(h, 'first');
      h.script.typed.push({ kind: 'parsed', document: { kind: 'cccd-typed', idNumber: digits, flags: [] }, checks: [], fields: {} });
      h.actor.send({ type: 'DOC_TYPED', digits });
      await h.flush();
      h.actor.send({ type: 'DOC_CONFIRM' });
      await h.flush();
      expect(screen(h)).toMatchObject({ name: 'guardian', child: { age }, noBiometrics: group === 'infant' });
    }
  });

  it('an old CMND (issued from 14) is an adult’s', async () => {
    const h = createHarness();
    h.script.documents.push(NOBODY_SCANS);
    await start(h, 'expired');
    h.script.typed.push({ kind: 'parsed', document: { kind: 'cmnd-9', idNumber: '123456789', flags: [] }, checks: [], fields: {} });
    h.actor.send({ type: 'DOC_TYPE_NUMBER' });
    h.actor.send({ type: 'DOC_TYPED', digits: '123456789' });
    await h.flush();
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(screen(h).name).toBe('fingerprints');
  });
});

describe('the iris step', () => {
  const IRIS = { ...TEST_FLOW, iris: { enabled: true } };

  it('is skipped when flow.iris.enabled is off (the default)', async () => {
    expect(TEST_FLOW.iris.enabled).toBe(false);
    const h = createHarness();
    await start(h);
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(screen(h).name).toBe('fingerprints');
    expect(h.actor.getSnapshot().can({ type: 'IRIS_DONE' })).toBe(false);
  });

  it('comes between the document and the fingers when enabled, and goes on to the fingers', async () => {
    const h = createHarness({ flow: IRIS });
    await start(h);
    h.actor.send({ type: 'DOC_CONFIRM' });
    await h.flush();
    expect(screen(h)).toEqual({ name: 'iris' });
    expect(h.view().step).toBe('fingerprints');
    h.actor.send({ type: 'IRIS_DONE' });
    await h.flush();
    expect(screen(h).name).toBe('fingerprints');
  });

  it('comes after the guardian for a child, and never under 6', async () => {
    for (const [dob, next] of [['2016-03-02', 'iris'], ['2022-06-01', 'signature']] as const) {
      const h = createHarness({ flow: IRIS });
      h.script.documents.push(card('079216001234', 'Nguyễn Minh Khoa', dob), NOBODY_SCANS, PARENT);
      await start(h, 'expired');
      h.actor.send({ type: 'DOC_CONFIRM' });
      await h.flush();
      h.actor.send({ type: 'GUARDIAN_CONFIRM' });
      await h.flush();
      expect(screen(h).name).toBe(next);
    }
  });
});
