import type { DocumentOutcome, EnrollmentContext } from './context';

/**
 * A citizen of 60 or more (issue #15, `flow.elderly`): the card read says so, by its birth date
 * on the day the session started. Then "larger text, stronger contrast" turns on by itself (the
 * citizen can turn it off: it is not turned on again for the same card), and the idle watch
 * waits `timeoutFactor` times longer before asking "need more time?", and that question waits
 * as much longer for an answer. Pure: the statechart's actions and delays call these.
 */

type Patch = Partial<EnrollmentContext>;

/**
 * The kiosk's calendar day for an instant: Vietnam's time (UTC+7 all year, no daylight saving),
 * so a session started at 06:30 on a birthday counts that birthday.
 */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
export function kioskDay(at: number): string {
  return new Date(at + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whole years from `birth` to `today` (both yyyy-mm-dd), or undefined when either is not a date.
 * A birthday on 29 February is reached on 1 March in other years.
 * (Private to this file: the age branches of issue #15 bring domain's `ageOn`; one of the two goes.)
 */
function yearsOld(birth: string, today: string): number | undefined {
  const b = ISO_DAY.exec(birth);
  const t = ISO_DAY.exec(today);
  if (!b || !t) return undefined;
  const [, by = '', bm = '', bd = ''] = b;
  const [, ty = '', tm = '', td = ''] = t;
  const years = Number(ty) - Number(by);
  const beforeBirthday = `${tm}-${td}` < `${bm}-${bd}`;
  return years - (beforeBirthday ? 1 : 0);
}

/** The card says its holder is `flow.elderly.fromAge` or older on the day the session started. */
export function cardSaysElderly(ctx: EnrollmentContext, doc: Extract<DocumentOutcome, { kind: 'parsed' }> | undefined): boolean {
  const birth = doc?.document.dateOfBirth;
  if (birth === undefined || ctx.startedAt === undefined) return false;
  const age = yearsOld(birth, kioskDay(ctx.startedAt));
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
