import { ageOn } from '../../domain/age';
import type { AgeGroup } from '../../domain/application';
import type { DocumentFields } from '../../domain/documents';

/**
 * Which path the law sets for the citizen, from what their document says (Luật Căn cước 2023,
 * Điều 19 and 23; docs/facts/identity-law-2023.md, docs/facts/application-cases.md): 14 and over
 * as ever; 6 to 13 with a guardian, biometrics taken; under 6 with a guardian, none taken.
 */

/** Where the age came from; the packet carries it so staff know how sure it is. */
export type AgeBasis =
  /** The date of birth read from the card: exact. */
  | 'birth-date'
  /** Only the birth year, from the 12-digit personal ID number's digits 4–6: the younger of the two ages it allows is taken. */
  | 'id-year'
  /** An old CMND, which was issued from age 14 (Nghị định 05/1999/NĐ-CP, Điều 3): an adult. */
  | 'old-cmnd'
  /** Nothing to go by (a date of birth after today): taken as an adult, for staff to check. */
  | 'unknown';

export interface AgeReading {
  readonly group: AgeGroup;
  /** Whole years on `today` (the younger possible age when only the year is known). */
  readonly age?: number;
  readonly basis: AgeBasis;
}

export const ADULT_FROM = 14;
export const BIOMETRICS_FROM = 6;
/** A guardian must be of full age (Bộ luật Dân sự 2015, Điều 20 and 49). */
export const GUARDIAN_FROM = 18;

export function groupOf(age: number): AgeGroup {
  return age >= ADULT_FROM ? 'adult' : age >= BIOMETRICS_FROM ? 'child' : 'infant';
}

/** What the document says about the holder's age on `today` (ISO yyyy-mm-dd, Vietnam). */
export function ageReading(d: DocumentFields & { readonly kind: string }, today: string): AgeReading {
  if (d.dateOfBirth !== undefined) {
    const age = ageOn(d.dateOfBirth, today);
    return age === undefined ? { group: 'adult', basis: 'unknown' } : { group: groupOf(age), age, basis: 'birth-date' };
  }
  if (d.kind.startsWith('cmnd')) return { group: 'adult', basis: 'old-cmnd' };
  const m = /^\d{3}(\d)(\d{2})\d{6}$/.exec(d.idNumber);
  if (m) {
    const birthYear = 1900 + 100 * Math.floor(Number(m[1]) / 2) + Number(m[2]);
    // Born in that year: on `today` the holder is (year − birth year) or one less, if the
    // birthday has not come yet. The younger is taken: a guardian or no biometrics, never too few.
    const youngest = Number(today.slice(0, 4)) - birthYear - 1;
    if (youngest >= 0) return { group: groupOf(youngest), age: youngest, basis: 'id-year' };
    if (youngest === -1) return { group: 'infant', age: 0, basis: 'id-year' };
  }
  return { group: 'adult', basis: 'unknown' };
}
