import { describe, expect, it } from 'vitest';
import { cccdMrz, MRZ_PUBLISHED, MRZ_VALID } from '../../../fixtures/documents/samples';
import { icaoCheckDigit, parseCccdMrz } from '../../../../controller/documents/mrz';

const today = new Date('2025-06-01T00:00:00Z');

/** Replace one character of line `line` at `col`. */
function mutate(mrz: string, line: number, col: number, ch: string): string {
  const lines = mrz.split('\n');
  const l = lines[line] ?? '';
  lines[line] = l.slice(0, col) + ch + l.slice(col + 1);
  return lines.join('\n');
}
const bump = (d: string) => String((Number(d) + 1) % 10);

describe('CCCD back MRZ (TD1)', () => {
  it('computes ICAO check digits (ICAO 9303 part 3 worked example)', () => {
    expect(icaoCheckDigit('D23145890')).toBe(7);
    expect(icaoCheckDigit('740812')).toBe(2);
  });

  it('reads a published real-shaped MRZ', () => {
    const r = parseCccdMrz(MRZ_PUBLISHED, { today });
    expect(r).toMatchObject({
      ok: true,
      document: { kind: 'cccd-mrz', idNumber: '001093047064', fullName: 'UNG HOANG HIEP', dateOfBirth: '1993-01-05', sex: 'male', expiryDate: '2033-01-05' },
    });
  });

  it('reads the 12-digit ID from the optional data field and all checks pass', () => {
    const r = parseCccdMrz(MRZ_VALID, { today });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.document.idNumber).toBe('036190001234');
    expect(r.document.fullName).toBe('TRAN THI BICH NGOC');
    expect(r.document.checks.every((c) => c.ok)).toBe(true);
  });

  it('accepts the three lines run together as 90 characters', () => {
    expect(parseCccdMrz(MRZ_VALID.replace(/\n/g, ''), { today }).ok).toBe(true);
  });

  const broken: Array<[string, number, number, string]> = [
    ['documentNumber', 0, 14, 'document number check digit'],
    ['idNumber', 0, 29, 'optional-data (12-digit ID) check digit'],
    ['dateOfBirth', 1, 6, 'birth date check digit'],
    ['expiryDate', 1, 14, 'expiry check digit'],
    ['composite', 1, 29, 'composite check digit'],
  ];
  for (const [field, line, col, what] of broken) {
    it(`rejects a wrong ${what}, naming ${field}`, () => {
      const original = MRZ_VALID.split('\n')[line]?.charAt(col) ?? '0';
      const r = parseCccdMrz(mutate(MRZ_VALID, line, col, bump(original)), { today });
      expect(r).toMatchObject({ ok: false, error: { field, code: 'check-digit' } });
    });
  }

  it('rejects an MRZ whose 9-digit document number is not the end of the 12-digit ID', () => {
    const other = cccdMrz({ id: '036190001234', birth: '900812', sex: 'F', expiry: '300812', surname: 'A', given: 'B' });
    // Re-sign line 1 with a different document number but keep the ID: check digits stay valid.
    const l1 = `IDVNM190001235${icaoCheckDigit('190001235')}`.slice(0, 14);
    const line1 = `${l1}${icaoCheckDigit('190001235')}036190001234<<${icaoCheckDigit('036190001234')}`;
    const [, l2 = '', l3 = ''] = other.split('\n');
    const fixedComposite = l2.slice(0, 29) + icaoCheckDigit(line1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29));
    const r = parseCccdMrz([line1, fixedComposite, l3].join('\n'), { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'idNumber', code: 'mismatch' } });
  });

  it('refuses a passport-style or foreign TD1', () => {
    const r = parseCccdMrz(MRZ_VALID.replace('IDVNM', 'IDFRA'), { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'issuingState', code: 'not-vietnamese' } });
  });

  it('names the MRZ shape when a line is short', () => {
    const r = parseCccdMrz(MRZ_VALID.split('\n').slice(0, 2).join('\n'), { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'mrz', code: 'format' } });
  });

  it('flags an expired card but still reads it', () => {
    const r = parseCccdMrz(cccdMrz({ id: '036190001234', birth: '900812', sex: 'F', expiry: '150812', surname: 'TRAN', given: 'THI' }), { today });
    expect(r).toMatchObject({ ok: true, document: { flags: ['expired'], expiryDate: '2015-08-12' } });
  });

  it('flags a century/sex digit that disagrees with the MRZ sex', () => {
    const r = parseCccdMrz(cccdMrz({ id: '036090001234', birth: '900812', sex: 'F', expiry: '300812', surname: 'TRAN', given: 'THI' }), { today });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.document.checks.find((c) => c.name === 'id-sex')?.ok).toBe(false);
  });

  it('keeps an elderly holder in the 1900s when the ID says so', () => {
    const r = parseCccdMrz(cccdMrz({ id: '040020007788', birth: '200101', sex: 'M', expiry: '<<<<<<', surname: 'VO', given: 'VAN' }), { today });
    expect(r).toMatchObject({ ok: true, document: { dateOfBirth: '1920-01-01' } });
  });

  it("reads a card whose printed expiry is a day that does not exist, and flags the date for staff", () => {
    // Born 29 Feb 2000: the card's expiry at 25 is "29 Feb 2025", which the printer printed as is.
    const r = parseCccdMrz(cccdMrz({ id: '036300001234', birth: '000229', sex: 'F', expiry: '250229', surname: 'TRAN', given: 'THI<MAI' }), { today: new Date('2024-06-01T00:00:00Z') });
    expect(r).toMatchObject({ ok: true, document: { idNumber: '036300001234', dateOfBirth: '2000-02-29', expiryDate: '2025-02-28' } });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.document.flags).toContain('expiry-date-not-a-real-day');
  });

  it('reads a card whose printed birth date does not exist (check digits intact), and flags it for staff', () => {
    const r = parseCccdMrz(cccdMrz({ id: '036201001234', birth: '010229', sex: 'F', expiry: '410229', surname: 'LE', given: 'THI' }), { today });
    expect(r).toMatchObject({ ok: true, document: { dateOfBirth: '2001-02-28' } });
    if (!r.ok) throw new Error(r.error.code);
    expect(r.document.flags).toEqual(expect.arrayContaining(['birth-date-not-a-real-day', 'expiry-date-not-a-real-day']));
  });

  it('still refuses a date field that is not a date at all', () => {
    const r = parseCccdMrz(cccdMrz({ id: '036190001234', birth: '901312', sex: 'F', expiry: '300812', surname: 'TRAN', given: 'THI' }), { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'dateOfBirth' } });
  });
});
