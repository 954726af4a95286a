/**
 * A person's age in whole years on a given day, from the birth date as the document codecs give
 * it: ISO `yyyy-mm-dd` (controller/documents/dates.ts turns the QR's ddmmyyyy and the MRZ's
 * YYMMDD into it). `today` is an ISO date too: the kiosk's day in Vietnam (todayIso).
 *
 * The birthday counts from its first moment: on the day someone turns 14 they are 14. A person
 * born on 29 February turns a year older on 1 March in a year without one (the day after 28
 * February), as a date comparison of month and day gives.
 *
 * Undefined when either date is not a real ISO date, or the birth is after `today`.
 */
export function ageOn(birthDate: string, today: string): number | undefined {
  const b = isoParts(birthDate);
  const t = isoParts(today);
  if (!b || !t) return undefined;
  const beforeBirthday = t.month < b.month || (t.month === b.month && t.day < b.day);
  const age = t.year - b.year - (beforeBirthday ? 1 : 0);
  return age < 0 ? undefined : age;
}

function isoParts(iso: string): { year: number; month: number; day: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}
