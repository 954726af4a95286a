import type { DocumentOutcome, EnrollmentContext, InvitationOutcome } from './context';
import { GUARDIAN_FROM, ageReading, type AgeReading } from './age';
import { samePerson } from './assigners';
import { todayIso } from '../documents/dates';
import type { ApplicationCase, InfoChange, InvitationRefusal } from '../../domain/application';
import type { ApplicationRecord, DocumentRecord } from '../../domain/enrollment-record';
import type { Bilingual } from '../../domain/language';

/**
 * The application as the police take it (issue #15): the case, the invitation, the guardian and
 * the age branch. Pure context updates and readings for the statechart's named actions and
 * guards (setup.ts), beside assigners.ts, which holds the steps'.
 */

type Patch = Partial<EnrollmentContext>;
type Parsed = Extract<DocumentOutcome, { kind: 'parsed' }>;

// ───────────── the case ─────────────

/** The cases whose document step starts on the keypad: no card in hand (lost, never had one). */
export const TYPING_FIRST: readonly ApplicationCase[] = ['lost', 'first'];

/** A number typed in these cases is the 12-digit personal ID number (a CCCD's), not an old CMND's. */
export const TYPED_AS_CCCD: readonly ApplicationCase[] = ['lost', 'first', 'damaged'];

export function chooseCase(ctx: EnrollmentContext, c: ApplicationCase): Patch {
  return { application: { ...ctx.application, case: c, changes: undefined } };
}

export function recordChanges(ctx: EnrollmentContext, changes: readonly InfoChange[]): Patch {
  return { application: { ...ctx.application, changes: [...new Set(changes)] } };
}

/** Staff see the case on the document's flags too (the packet's `application` says which). */
export function caseFlags(ctx: EnrollmentContext): string[] {
  return ctx.application.case === 'changed' ? ['info-changed'] : ctx.application.case === 'lost' ? ['card-lost'] : [];
}

// ───────────── the invitation ─────────────

export function startWithInvitation(o: InvitationOutcome): Patch {
  if (o.kind !== 'accepted') return {};
  return { startedAt: o.at, invitationRefusal: undefined, application: { case: o.invitation.case, invitation: o.invitation } };
}

export function refuseInvitation(reason: InvitationRefusal): Patch {
  return { invitationRefusal: reason };
}

/** The ID numbers an invitation can be matched by: the number it names. */
export function isInvitedCard(ctx: EnrollmentContext, o: DocumentOutcome): boolean {
  const inv = ctx.application.invitation;
  return inv === undefined || o.kind !== 'parsed' || samePerson({ kind: 'invitation', idNumber: inv.idNumber, flags: [] }, o.document);
}

/** Going on without the invitation: the citizen chooses the case again, and scans again. */
export function dropInvitation(ctx: EnrollmentContext): Patch {
  return { application: {}, doc: { ...ctx.doc, pending: undefined, error: undefined } };
}

// ───────────── age and guardian ─────────────

/** The day of the session in Vietnam (its start), so the age is that day's, whatever the clock does later. */
export const sessionDay = (ctx: EnrollmentContext): string => todayIso(new Date(ctx.startedAt ?? 0));

/** The applicant's age reading, from the accepted document (an adult until one is accepted). */
export function applicantAge(ctx: EnrollmentContext): AgeReading {
  const d = ctx.doc.accepted?.document ?? ctx.doc.pending?.document;
  return d ? ageReading(d, sessionDay(ctx)) : { group: 'adult', basis: 'unknown' };
}

export const needsGuardian = (ctx: EnrollmentContext): boolean => applicantAge(ctx).group !== 'adult';
export const takesBiometrics = (ctx: EnrollmentContext): boolean => applicantAge(ctx).group !== 'infant';

export type GuardianProblem = 'same-person' | 'under-18' | 'age-unknown';

/** Why this card cannot be the guardian's, or undefined when it can. */
export function guardianProblem(ctx: EnrollmentContext, o: DocumentOutcome): GuardianProblem | undefined {
  if (o.kind !== 'parsed') return undefined;
  const child = ctx.doc.accepted?.document;
  if (child && samePerson(child, o.document)) return 'same-person';
  const age = ageReading(o.document, sessionDay(ctx));
  if (age.age === undefined) return age.basis === 'old-cmnd' ? undefined : 'age-unknown';
  return age.age >= GUARDIAN_FROM ? undefined : 'under-18';
}

const GUARDIAN_PROBLEMS: Readonly<Record<GuardianProblem, Bilingual>> = {
  'same-person': {
    vi: 'Đây là thẻ của cháu. Xin người giám hộ (cha, mẹ hoặc người đại diện) quét thẻ căn cước của chính mình.',
    en: "This is the child's card. Please have the guardian (a parent or legal representative) scan their own ID card.",
  },
  'under-18': {
    vi: 'Người giám hộ phải từ đủ 18 tuổi. Xin một người lớn (cha, mẹ hoặc người đại diện) quét thẻ của mình, hoặc bấm "Trợ giúp".',
    en: 'The guardian must be 18 or over. Please have an adult (a parent or legal representative) scan their card, or press "Help".',
  },
  'age-unknown': {
    vi: 'Không đọc được ngày sinh trên thẻ này. Xin quét mã QR ở mặt trước thẻ, hoặc bấm "Trợ giúp".',
    en: 'The date of birth on this card could not be read. Please scan the QR code on the front of the card, or press "Help".',
  },
};

export function holdGuardian(ctx: EnrollmentContext, o: DocumentOutcome): Patch {
  return o.kind === 'parsed' ? { guardian: { ...ctx.guardian, pending: o, error: undefined } } : {};
}

/** A card that cannot be the guardian's, or a scan that could not be read: say why. */
export function guardianError(ctx: EnrollmentContext, o: DocumentOutcome, scannerFault: Bilingual): Patch {
  const problem = guardianProblem(ctx, o);
  const error = problem ? GUARDIAN_PROBLEMS[problem] : o.kind === 'invalid' ? o.error : o.kind === 'fault' ? scannerFault : undefined;
  return { guardian: { ...ctx.guardian, pending: undefined, error } };
}

export function acceptGuardian(ctx: EnrollmentContext): Patch {
  const p = ctx.guardian.pending;
  return p ? { guardian: { accepted: p } } : {};
}

export function clearGuardianError(ctx: EnrollmentContext): Patch {
  return { guardian: { ...ctx.guardian, pending: undefined, error: undefined } };
}

// ───────────── into the packet ─────────────

export function applicationRecord(ctx: EnrollmentContext): ApplicationRecord {
  const age = applicantAge(ctx);
  const inv = ctx.application.invitation;
  return {
    case: ctx.application.case ?? 'other',
    ...(ctx.application.changes ? { changes: ctx.application.changes } : {}),
    ...(inv ? { invitationId: inv.id, priority: inv.priority } : {}),
    ageGroup: age.group,
    ageBasis: age.basis,
    biometrics: age.group === 'infant' ? 'none-under-6' : 'collected',
    signedBy: ctx.guardian.accepted ? 'guardian' : 'applicant',
  };
}

export function documentRecord(p: Parsed): DocumentRecord {
  return { kind: p.document.kind, idNumber: p.document.idNumber, fields: p.fields, flags: p.document.flags };
}
