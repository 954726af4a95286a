/**
 * Calendar helpers. Documents carry dates as ddmmyyyy (QR) or YYMMDD (MRZ); everything leaves
 * this module as ISO yyyy-mm-dd so that comparisons are plain string comparisons.
 */

/** ISO date for (y, m, d), or undefined when that day does not exist (31 April, 29 Feb 2023). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1800 || year > 2999 || month < 1 || month > 12 || day < 1) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date as printed on a card, where the printer may have printed a day that does not exist
 * (the 29 February of a non-leap year: the expiry of a card whose holder was born on 29 Feb).
 * A day of 1–31 in a month of 1–12 is a printed date; when it is not a real day it is read as
 * the last real day of that month, with `real: false` so the caller can flag it for staff.
 */
export function printedDate(year: number, month: number, day: number): { readonly iso: string; readonly real: boolean } | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const exact = isoDate(year, month, day);
  if (exact !== undefined) return { iso: exact, real: true };
  for (let d = day - 1; d >= 28; d--) {
    const iso = isoDate(year, month, d);
    if (iso !== undefined) return { iso, real: false };
  }
  return undefined;
}

/** "15042021" → "2021-04-15"; undefined when it is not eight digits or not a real day. */
export function fromDdMmYyyy(text: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (!m) return undefined;
  return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
}

/** Today's date in Vietnam (UTC+7, no DST), as ISO: the kiosk's notion of "expired". */
export function todayIso(now: Date): string {
  const vn = new Date(now.getTime() + 7 * 3600_000);
  return vn.toISOString().slice(0, 10);
}

/** The date `years` after an ISO date; 29 Feb rolls to 28 Feb in non-leap years. */
export function addYears(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years;
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  return isoDate(year, month, day) ?? isoDate(year, month, day - 1) ?? iso;
}

/** Whole years between two ISO dates (age on `at` of someone born on `birth`). */
export function yearsBetween(birth: string, at: string): number {
  const years = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  return at.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** The ISO date `days` after an ISO date (negative: before); undefined when `iso` is not a real day. */
export function addDays(iso: string, days: number): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === undefined) return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}
