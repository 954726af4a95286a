import { todayIso } from './dates';
import { msg } from './messages';
import { provinceName } from './provinces';
import { failure, type Parsed } from './types';
import type { DocumentCheck, Sex } from '../../domain/documents';

/**
 * The 12-digit personal ID number (số định danh cá nhân), `PPP G YY NNNNNN`
 * (Thông tư 59/2021/TT-BCA, Điều 4; docs/facts/id-numbers.md):
 *   PPP    province where the birth was registered (provinces.ts)
 *   G      century and sex: year = 1900 + 100·⌊G/2⌋ + YY; even = male, odd = female
 *   YY     last two digits of the birth year
 *   NNNNNN random; there is no check digit, so structure is all we can verify.
 */
export interface PersonalId {
  readonly idNumber: string;
  readonly provinceCode: string;
  /** Undefined when the code is not in the table (the check says so; the number still parses). */
  readonly provinceName: string | undefined;
  readonly centuryDigit: number;
  readonly sex: Sex;
  readonly birthYear: number;
}

/** Structure only: 12 ASCII digits. Everything else about the number is a soft check. */
export function parsePersonalId(text: string, field = 'idNumber'): Parsed<PersonalId> {
  if (!/^\d{12}$/.test(text)) {
    return failure(field, /^\d*$/.test(text) ? 'length' : 'not-digits', msg.badField(field));
  }
  const provinceCode = text.slice(0, 3);
  const centuryDigit = Number(text.charAt(3));
  const yy = Number(text.slice(4, 6));
  return {
    ok: true,
    value: {
      idNumber: text,
      provinceCode,
      provinceName: provinceName(provinceCode),
      centuryDigit,
      sex: centuryDigit % 2 === 0 ? 'male' : 'female',
      birthYear: 1900 + 100 * Math.floor(centuryDigit / 2) + yy,
    },
  };
}

/** What the rest of the same document says about the holder, to hold the ID number against. */
export interface HolderFacts {
  readonly dateOfBirth?: string | undefined;
  readonly sex?: Sex | undefined;
}

/**
 * Soft checks of the ID's digits against the document. A failure is not a parse error: the card
 * may be right and our table stale (a new province code), or the card may carry an error the
 * staff must see; the step shows a mismatch screen either way.
 */
export function personalIdChecks(id: PersonalId, facts: HolderFacts, now: Date): DocumentCheck[] {
  const checks: DocumentCheck[] = [];
  checks.push(
    id.provinceName === undefined
      ? { name: 'id-province', ok: false, message: msg.province(id.provinceCode) }
      : { name: 'id-province', ok: true },
  );
  const currentYear = Number(todayIso(now).slice(0, 4));
  // Digits 4–9 mean births in 2100 or later: impossible today, whatever the document says.
  const centuryOk = id.birthYear <= currentYear;
  checks.push(centuryOk ? { name: 'id-century', ok: true } : { name: 'id-century', ok: false, message: msg.idCentury() });
  if (facts.dateOfBirth !== undefined) {
    const docYear = Number(facts.dateOfBirth.slice(0, 4));
    checks.push(
      docYear === id.birthYear
        ? { name: 'id-birth-year', ok: true }
        : { name: 'id-birth-year', ok: false, message: msg.idBirthYear(id.birthYear, facts.dateOfBirth.slice(0, 4)) },
    );
  }
  if (facts.sex !== undefined) {
    checks.push(facts.sex === id.sex ? { name: 'id-sex', ok: true } : { name: 'id-sex', ok: false, message: msg.idSex() });
  }
  return checks;
}

/** Old CMND numbers: 9 digits (1976–2012 cards) or 12 digits (2012–2016 cards). No check digit. */
export function isOldCmnd(text: string): boolean {
  return /^(\d{9}|\d{12})$/.test(text);
}
