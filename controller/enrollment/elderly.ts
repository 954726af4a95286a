import { ageOn } from '../../domain/age';
import { todayIso } from '../documents/dates';
import type { DocumentOutcome, EnrollmentContext } from './context';

/**
 * A citizen of 60 or more (issue #15, `flow.elderly`): the card read says so, by its birth date
 * on the day the session started. Then "larger text, stronger contrast" turns on by itself (the
 * citizen can turn it off: it is not turned on again for the same card), and the idle watch
 * waits `timeoutFactor` times longer before asking "need more time?", and that question waits
 * as much longer for an answer. Pure: the statechart's actions and delays call these.
 */

type Patch = Partial<EnrollmentContext>;

/** The card says its holder is `flow.elderly.fromAge` or older on the day the session started. */
export function cardSaysElderly(ctx: EnrollmentContext, doc: Extract<DocumentOutcome, { kind: 'parsed' }> | undefined): boolean {
  const birth = doc?.document.dateOfBirth;
  if (birth === undefined || ctx.startedAt === undefined) return false;
  // The session's day in Vietnam (a session started at 06:30 on a birthday counts it), as the age branches read it.
  const age = ageOn(birth, todayIso(new Date(ctx.startedAt)));
  return age !== undefined && age >= ctx.flow.elderly.fromAge;
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
const factor = (ctx: EnrollmentContext): number => (ctx.elderly ? ctx.flow.elderly.timeoutFactor : 1);
