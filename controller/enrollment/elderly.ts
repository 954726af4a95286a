import { ageReading } from './age';
import { todayIso } from '../documents/dates';
import type { DocumentOutcome, EnrollmentContext } from './context';
import type { DocumentFields } from '../../domain/documents';

/**
 * A citizen of 60 or more (issue #15, `flow.elderly`): the card read says so, by its birth date
 * on the day the session started (or, for a number typed without one, by the birth year in the
 * 12-digit personal ID number: the younger age it allows); an invitation says so before any
 * card, by the number it names. Then "larger text, stronger contrast" turns on by itself (the
 * citizen can turn it off: it is not turned on again for the same card), and every wait the
 * citizen can run into is `timeoutFactor` times longer: the idle watch before "need more
 * time?" and that question's countdown, the sooner prompt once the PIR sees nobody, the wait for
 * staff after "Help", the wait for a finger on the glass, and the receipt screen. Pure: the
 * statechart's actions, delays and inputs call these.
 */

type Patch = Partial<EnrollmentContext>;

/** The card says its holder is `flow.elderly.fromAge` or older on the day the session started. */
export function cardSaysElderly(ctx: EnrollmentContext, doc: Extract<DocumentOutcome, { kind: 'parsed' }> | undefined): boolean {
  return doc !== undefined && saysElderly(ctx, doc.document);
}

/** What a document (or an invitation's number) says, read as the age branches read it (age.ts). */
function saysElderly(ctx: EnrollmentContext, d: DocumentFields & { readonly kind: string }): boolean {
  if (ctx.startedAt === undefined) return false;
  // The session's day in Vietnam (a session started at 06:30 on a birthday counts it).
  const age = ageReading(d, todayIso(new Date(ctx.startedAt))).age;
  return age !== undefined && age >= ctx.flow.elderly.fromAge;
}

/**
 * An invitation names the citizen's personal ID number, whose digits 4–6 give the birth year:
 * 60 or more by it, the defaults are on from the start (a lost card begins on the keypad, before
 * any card is read). The card read later decides, as for everyone (`elderlyDefaults`).
 */
export function invitationDefaults(ctx: EnrollmentContext): Patch {
  const inv = ctx.application.invitation;
  if (!inv || !saysElderly(ctx, { kind: 'cccd', idNumber: inv.idNumber })) return {};
  return { elderly: true, largeText: true };
}

/**
 * The card on screen decides: an elderly citizen's card turns larger text on the first time it
 * is read (read again, or its other side scanned, it leaves the citizen's own choice alone); a
 * younger person's card ends the longer timeouts and leaves the text as the citizen set it.
 */
export function elderlyDefaults(ctx: EnrollmentContext): Patch {
  const elderly = cardSaysElderly(ctx, ctx.doc.pending);
  if (elderly === ctx.elderly) return {};
  return elderly ? { elderly: true, largeText: true } : { elderly: false };
}

/** How long the idle watch waits before "need more time?", and how long that question waits. */
export function idleTimeoutMs(ctx: EnrollmentContext): number {
  return ctx.flow.idleTimeoutMs * factor(ctx);
}
export function promptTimeoutMs(ctx: EnrollmentContext): number {
  return ctx.flow.promptTimeoutMs * factor(ctx);
}
/** Once the panel's PIR sees nobody, how long before the same question. */
export function absentTimeoutMs(ctx: EnrollmentContext): number {
  return ctx.flow.absentTimeoutMs * factor(ctx);
}
/** After "Help", how long the citizen waits for staff before the question. */
export function helpWaitMs(ctx: EnrollmentContext): number {
  return ctx.flow.helpWaitMs * factor(ctx);
}
/** How long one capture waits for a finger on the glass before "No finger detected". */
export function fingerWaitMs(ctx: EnrollmentContext): number {
  return ctx.flow.fingerWaitMs * factor(ctx);
}
/** How long the receipt screen stays (and, as a last resort, waits for a printer that never answers). */
export function doneTimeoutMs(ctx: EnrollmentContext): number {
  return ctx.flow.doneTimeoutMs * factor(ctx);
}
const factor = (ctx: EnrollmentContext): number => (ctx.elderly ? ctx.flow.elderly.timeoutFactor : 1);
