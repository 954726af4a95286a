import { fromDdMmYyyy, todayIso } from './dates';
import { personalIdChecks, parsePersonalId } from './id-number';
import { msg } from './messages';
import { cleanScanText } from './text';
import { failure, type DocumentParseResult, type ParseOptions, type Parsed } from './types';
import { cccdExpiry } from './validity';
import type { DocumentCheck, Sex } from '../../domain/documents';

/**
 * The QR code on the front of the 2021 chip CCCD. Seven UTF-8 fields separated by `|`:
 *
 *   idNumber | oldIdNumber | fullName | dateOfBirth | sex | address | issueDate
 *   12 digits  9 digits/''   diacritics  ddmmyyyy     Nam/Nữ  commas ok  ddmmyyyy
 *
 *   e.g. 036190001234|163012345|Trần Thị Bích Ngọc|12081990|Nữ|Xóm 3, Nam Điền, Nam Trực, Nam Định|10052021
 *
 * Source: docs/facts/cccd-qr.md, checked against open-source readers (e.g. GitHub parsers
 * documenting "ID|CMND|name|ddmmyyyy|Nam|address|ddmmyyyy"). The layout is not published by the
 * Ministry of Public Security, which is why every field is validated by its own pattern: a
 * reader that guesses positions would silently shift fields. A six-field variant
 * without the old-CMND slot (some readers and re-encoders produce it) is accepted only when every
 * field matches; anything else, including the 2024 identity card's longer QR (family members), is
 * refused as an unknown layout rather than guessed.
 */

interface QrFields {
  readonly idNumber: string;
  readonly oldIdNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly sex: Sex;
  readonly address: string;
  readonly issueDate: string;
}

type FieldName = keyof QrFields;
type FieldParser = (raw: string) => Parsed<string>;

const ok = (value: string): Parsed<string> => ({ ok: true, value });

const FIELD_PARSERS: Readonly<Record<FieldName, FieldParser>> = {
  idNumber: (raw) => (/^\d{12}$/.test(raw) ? ok(raw) : failure('idNumber', 'format', msg.badField('idNumber'))),
  oldIdNumber: (raw) => (/^(\d{9}|\d{12})?$/.test(raw) ? ok(raw) : failure('oldIdNumber', 'format', msg.badField('oldIdNumber'))),
  fullName: (raw) => {
    const name = raw.replace(/\s+/g, ' ').trim();
    return /^\p{L}[\p{L}\p{M}' .-]*$/u.test(name) ? ok(name) : failure('fullName', 'format', msg.badField('fullName'));
  },
  dateOfBirth: (raw) => parseDate('dateOfBirth', raw),
  sex: (raw) => {
    const folded = raw.trim().toLowerCase();
    if (folded === 'nam') return ok('male');
    if (folded === 'nữ' || folded === 'nu') return ok('female');
    return failure('sex', 'format', msg.badField('sex'));
  },
  address: (raw) => {
    const address = raw.replace(/\s+/g, ' ').trim();
    // An address has words; a bare number or date here means the fields are shifted.
    return /\p{L}/u.test(address) ? ok(address) : failure('address', 'format', msg.badField('address'));
  },
  issueDate: (raw) => parseDate('issueDate', raw),
};

function parseDate(field: string, raw: string): Parsed<string> {
  if (!/^\d{8}$/.test(raw)) return failure(field, 'format', msg.badField(field));
  const iso = fromDdMmYyyy(raw);
  return iso === undefined ? failure(field, 'date', msg.badField(field)) : ok(iso);
}

const SEVEN: readonly FieldName[] = ['idNumber', 'oldIdNumber', 'fullName', 'dateOfBirth', 'sex', 'address', 'issueDate'];
const SIX: readonly FieldName[] = ['idNumber', 'fullName', 'dateOfBirth', 'sex', 'address', 'issueDate'];

interface LayoutMatch {
  readonly values: Partial<Record<FieldName, string>>;
  readonly errors: readonly Extract<Parsed<string>, { ok: false }>[];
}

function matchLayout(parts: readonly string[], layout: readonly FieldName[]): LayoutMatch {
  const values: Partial<Record<FieldName, string>> = {};
  const errors: Extract<Parsed<string>, { ok: false }>[] = [];
  layout.forEach((name, i) => {
    const result = FIELD_PARSERS[name](parts[i] ?? '');
    if (result.ok) values[name] = result.value;
    else errors.push(result);
  });
  return { values, errors };
}

/** True when the text has the shape of a CCCD QR at all (so parseScan routes it here). */
export function looksLikeCccdQr(text: string): boolean {
  return text.includes('|');
}

export function parseCccdQr(raw: string, opts: ParseOptions = {}): DocumentParseResult {
  const clean = cleanScanText(raw);
  if (clean.text === '') return failure('scan', 'empty', msg.empty());
  const parts = clean.text.split('|');
  const flags: string[] = clean.repaired ? ['text-repaired'] : [];

  let match: LayoutMatch;
  if (parts.length === 7) {
    match = matchLayout(parts, SEVEN);
    // Most fields fit: a damaged card or misread, so name the first bad field. Few fit: the
    // fields are in an order we do not know, which must not be guessed.
    const first = match.errors[0];
    if (first !== undefined) return match.errors.length <= 2 ? first : failure('layout', 'unknown-layout', msg.unknownLayout());
  } else if (parts.length === 6) {
    match = matchLayout(parts, SIX);
    if (match.errors.length > 0) return failure('layout', 'unknown-layout', msg.unknownLayout());
    flags.push('qr-6-field-variant');
  } else {
    return failure('layout', 'unknown-layout', msg.unknownLayout());
  }
  return build(match.values, flags, opts.today ?? new Date());
}

function build(v: Partial<Record<FieldName, string>>, flags: string[], now: Date): DocumentParseResult {
  const { idNumber, fullName, dateOfBirth, sex, address, issueDate } = v;
  if (idNumber === undefined || fullName === undefined || dateOfBirth === undefined || address === undefined || issueDate === undefined) {
    return failure('layout', 'unknown-layout', msg.unknownLayout());
  }
  const sexValue = sex === 'male' || sex === 'female' ? sex : undefined;
  const id = parsePersonalId(idNumber);
  if (!id.ok) return id;
  const today = todayIso(now);
  const checks: DocumentCheck[] = personalIdChecks(id.value, { dateOfBirth, sex: sexValue }, now);
  checks.push(dateOfBirth <= today ? { name: 'birth-not-future', ok: true } : { name: 'birth-not-future', ok: false, message: msg.birthInFuture() });
  checks.push(issueDate >= dateOfBirth ? { name: 'issue-after-birth', ok: true } : { name: 'issue-after-birth', ok: false, message: msg.issueBeforeBirth() });
  const expiryDate = cccdExpiry(dateOfBirth, issueDate);
  if (expiryDate !== undefined && expiryDate < today) flags.push('expired');
  return {
    ok: true,
    document: {
      kind: 'cccd-qr',
      idNumber,
      ...(v.oldIdNumber ? { oldIdNumber: v.oldIdNumber } : {}),
      fullName,
      dateOfBirth,
      ...(sexValue ? { sex: sexValue } : {}),
      address,
      issueDate,
      ...(expiryDate ? { expiryDate } : {}),
      checks,
      flags,
    },
  };
}
