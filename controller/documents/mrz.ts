import { parse as parseMrzLines, type Details } from 'mrz';
import { printedDate, todayIso, yearsBetween } from './dates';
import { personalIdChecks, parsePersonalId } from './id-number';
import { msg } from './messages';
import { failure, type DocumentParseResult, type ParseOptions } from './types';
import type { DocumentCheck } from '../../domain/documents';

/**
 * The MRZ on the back of the 2021 chip CCCD: ICAO 9303 part 5, TD1, three lines of 30.
 *
 *   IDVNM0930470641001093047064<<2     ID, VNM, document number = last 9 digits of the personal ID,
 *   9301054M3301052VNM<<<<<<<<<<<8     its check digit, optional data = the full 12-digit ID, `<<`,
 *   UNG<<HOANG<HIEP<<<<<<<<<<<<<<<     and a check digit over those 12 digits (Vietnam's use of the
 *                                      optional field). Line 2: birth YYMMDD+check, sex, expiry
 *                                      YYMMDD+check, nationality, composite check. Line 3: name.
 *
 * Source: ICAO Doc 9303 part 5 (TD1) and docs/facts/mrz-td1.md; the optional-data layout
 * checked against MRZs of real cards published in open-source CCCD readers. The standard check
 * digits are verified by the `mrz` package; the optional field's check digit and the 9-vs-12
 * digit agreement are Vietnam-specific and verified here.
 */

const LINE = /^[A-Z0-9<]{30}$/;

/** ICAO 9303 part 3 §4.9: weights 7-3-1, `<` = 0, A = 10 … Z = 35, modulo 10. */
export function icaoCheckDigit(text: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const value = c === 60 ? 0 : c >= 65 ? c - 55 : c - 48;
    sum += value * (weights[i % 3] ?? 0);
  }
  return sum % 10;
}

/** Split scanner output into MRZ lines: by line breaks, or one 90-character run. */
export function mrzLines(text: string): string[] {
  const compact = text.replace(/[ \t]/g, '').toUpperCase();
  const lines = compact.split(/\r\n|\r|\n/).filter((l) => l !== '');
  if (lines.length === 1 && lines[0]?.length === 90) return [lines[0].slice(0, 30), lines[0].slice(30, 60), lines[0].slice(60)];
  return lines;
}

/** True when the text has the shape of a TD1 MRZ (so parseScan routes it here). */
export function looksLikeMrz(text: string): boolean {
  const lines = mrzLines(text.trim());
  return lines.length >= 2 && lines.every((l) => /^[A-Z0-9<]+$/.test(l)) && lines.some((l) => l.includes('<<'));
}

// The mrz package's field names → ours, for naming what failed.
const FIELD_OF: Readonly<Record<string, string>> = {
  documentCode: 'documentCode',
  issuingState: 'issuingState',
  documentNumber: 'documentNumber',
  documentNumberCheckDigit: 'documentNumber',
  birthDate: 'dateOfBirth',
  birthDateCheckDigit: 'dateOfBirth',
  sex: 'sex',
  expirationDate: 'expiryDate',
  expirationDateCheckDigit: 'expiryDate',
  nationality: 'nationality',
  compositeCheckDigit: 'composite',
  lastName: 'fullName',
  firstName: 'fullName',
};

function detailError(d: Details): DocumentParseResult {
  const field = (d.field && FIELD_OF[d.field]) ?? 'mrz';
  if (d.field?.endsWith('CheckDigit')) return failure(field, 'check-digit', msg.checkDigit(field));
  if (field === 'documentCode' || field === 'issuingState' || field === 'nationality') return failure(field, 'not-vietnamese', msg.notVietnamese());
  return failure(field, 'format', msg.badField(field));
}

export function parseCccdMrz(text: string, opts: ParseOptions = {}): DocumentParseResult {
  const lines = mrzLines(text.trim());
  const [l1, l2, l3] = lines;
  if (lines.length !== 3 || l1 === undefined || l2 === undefined || l3 === undefined || !lines.every((l) => LINE.test(l))) {
    return failure('mrz', 'format', msg.mrzFormat());
  }
  if (!l1.startsWith('IDVNM')) return failure('issuingState', 'not-vietnamese', msg.notVietnamese());

  let details: Details[];
  try {
    details = parseMrzLines(lines).details;
  } catch {
    // The package throws on shapes it does not know; three 30-char lines always reach TD1, so
    // this is belt and braces for a future version.
    return failure('mrz', 'format', msg.mrzFormat());
  }
  // Narrow check digits first (they say which field is misread), then the Vietnamese optional
  // field, and the composite last: a single misread digit breaks the composite too.
  const isComposite = (d: Details) => d.field === 'compositeCheckDigit';
  const bad =
    details.find((d) => !d.valid && !isComposite(d) && d.field?.endsWith('CheckDigit')) ??
    details.find((d) => !d.valid && !isComposite(d));
  if (bad) return detailError(bad);

  const documentNumber = l1.slice(5, 14);
  const opt = /^(\d{12})<<(\d)$/.exec(l1.slice(15, 30));
  if (!opt || opt[1] === undefined) return failure('idNumber', 'format', msg.badField('idNumber'));
  const idNumber = opt[1];
  if (icaoCheckDigit(idNumber) !== Number(opt[2])) return failure('idNumber', 'check-digit', msg.checkDigit('idNumber'));
  const composite = details.find((d) => !d.valid && isComposite(d));
  if (composite) return detailError(composite);
  if (idNumber.slice(3) !== documentNumber) return failure('idNumber', 'mismatch', msg.mrzIdMismatch());

  const id = parsePersonalId(idNumber);
  if (!id.ok) return id;
  const now = opts.today ?? new Date();
  const today = todayIso(now);

  // The check digits passed, so a day that does not exist is what the card says: read the card
  // and flag the date for staff rather than turn the citizen away (docs/facts/mrz-td1.md).
  const birth = birthDate(l2.slice(0, 6), id.value.birthYear, today);
  if (birth === undefined) return failure('dateOfBirth', 'date', msg.badField('dateOfBirth'));
  const dateOfBirth = birth.iso;
  const expiryRaw = l2.slice(8, 14);
  // Cards issued from age 58 never expire; we accept an all-filler expiry for them.
  const expiry = expiryRaw === '<<<<<<' ? undefined : yymmdd(expiryRaw, 2000);
  if (expiryRaw !== '<<<<<<' && expiry === undefined) return failure('expiryDate', 'date', msg.badField('expiryDate'));
  const expiryDate = expiry?.iso;
  const sexChar = l2.charAt(7);
  const sex = sexChar === 'M' ? 'male' : sexChar === 'F' ? 'female' : undefined;

  const [surname = '', given = ''] = l3.split('<<');
  const fullName = `${surname.replace(/</g, ' ')} ${given.replace(/</g, ' ')}`.replace(/\s+/g, ' ').trim();

  const checks: DocumentCheck[] = personalIdChecks(id.value, { dateOfBirth, sex }, now);
  const flags: string[] = [
    ...(expiryDate !== undefined && expiryDate < today ? ['expired'] : []),
    ...(birth.real ? [] : ['birth-date-not-a-real-day']),
    ...(expiry === undefined || expiry.real ? [] : ['expiry-date-not-a-real-day']),
  ];
  return {
    ok: true,
    document: {
      kind: 'cccd-mrz',
      idNumber,
      ...(fullName ? { fullName } : {}),
      dateOfBirth,
      ...(sex ? { sex } : {}),
      ...(expiryDate ? { expiryDate } : {}),
      checks,
      flags,
    },
  };
}

function yymmdd(text: string, century: number): PrintedDate | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return printedDate(century + Number(m[1]), Number(m[2]), Number(m[3]));
}

type PrintedDate = NonNullable<ReturnType<typeof printedDate>>;

/**
 * YYMMDD has no century. Take it from the ID's century digit when that gives a plausible age
 * (0–120), so a 1920 birth stays 1920; otherwise fall back to "not in the future", so that a
 * wrong century digit shows up as an id-birth-year mismatch instead of being copied.
 */
function birthDate(text: string, idBirthYear: number, today: string): PrintedDate | undefined {
  const fromId = yymmdd(text, idBirthYear - (idBirthYear % 100));
  if (fromId !== undefined && fromId.iso <= today && yearsBetween(fromId.iso, today) <= 120) return fromId;
  const recent = yymmdd(text, 2000);
  if (recent === undefined) return undefined;
  return recent.iso <= today ? recent : yymmdd(text, 1900);
}
