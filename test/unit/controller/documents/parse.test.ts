import { describe, expect, it } from 'vitest';
import { GARBAGE, MRZ_VALID, QR_EMPTY_OLD_ID, QR_VALID, cccdMrz } from '../../../fixtures/documents/samples';
import { crossCheck, parseScan, parseTypedNumber, type ParsedDocument } from '../../../../controller/documents/parse';

const today = new Date('2025-06-01T00:00:00Z');

function doc(text: string): ParsedDocument {
  const r = parseScan(text, { today });
  if (!r.ok) throw new Error(`${r.error.field}/${r.error.code}`);
  return r.document;
}

describe('parseScan', () => {
  it('routes a QR payload to the QR parser', () => {
    expect(doc(QR_VALID).kind).toBe('cccd-qr');
  });

  it('routes MRZ lines to the MRZ parser, whatever the line endings', () => {
    expect(doc(MRZ_VALID).kind).toBe('cccd-mrz');
    expect(doc(MRZ_VALID.replace(/\n/g, '\r\n') + '\r\n').kind).toBe('cccd-mrz');
    expect(doc(MRZ_VALID.replace(/\n/g, '\r')).kind).toBe('cccd-mrz');
  });

  it('reads a bare 12-digit barcode as a number and says so', () => {
    const d = doc('036190001234');
    expect(d).toMatchObject({ kind: 'cccd-typed', idNumber: '036190001234' });
    expect(d.flags).toContain('scanned-number-only');
  });

  for (const text of GARBAGE) {
    it(`refuses garbage ${JSON.stringify(text)} with a bilingual error`, () => {
      const r = parseScan(text, { today });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.message.vi.length).toBeGreaterThan(10);
        expect(r.error.message.en.length).toBeGreaterThan(10);
      }
    });
  }

  it('refuses an empty scan as empty', () => {
    expect(parseScan(' \r\n', { today })).toMatchObject({ ok: false, error: { field: 'scan', code: 'empty' } });
  });
});

describe('parseTypedNumber', () => {
  it('reads 9 digits as an old CMND', () => {
    expect(parseTypedNumber('163012345')).toMatchObject({ ok: true, document: { kind: 'cmnd-9', idNumber: '163012345' } });
  });

  it('reads 12 digits as a CCCD number by default and as a 12-digit CMND when asked', () => {
    expect(parseTypedNumber('036 190 001 234', { today })).toMatchObject({ ok: true, document: { kind: 'cccd-typed' } });
    expect(parseTypedNumber('036190001234', { today, as: 'cmnd' })).toMatchObject({ ok: true, document: { kind: 'cmnd-12' } });
  });

  it('flags an unknown province code on a typed number', () => {
    const r = parseTypedNumber('003190001234', { today });
    expect(r.ok && r.document.checks.find((c) => c.name === 'id-province')?.ok).toBe(false);
  });

  it('flags a century digit that puts the birth in the future', () => {
    const r = parseTypedNumber('036490001234', { today });
    expect(r.ok && r.document.checks.find((c) => c.name === 'id-century')?.ok).toBe(false);
  });

  it('refuses, when asked, a number typed as a CCCD’s whose digits give a birth year still to come, saying to check it', () => {
    expect(parseTypedNumber('036490001234', { today, as: 'cccd', rejectImpossible: true })).toMatchObject({
      ok: false,
      error: { field: 'idNumber', code: 'impossible', message: { en: expect.stringMatching(/year of birth still to come/) } },
    });
    // A 12-digit CMND's layout is unconfirmed: only ever a soft check. So is an unknown province.
    expect(parseTypedNumber('036490001234', { today, as: 'cmnd', rejectImpossible: true })).toMatchObject({ ok: true });
    expect(parseTypedNumber('003190001234', { today, as: 'cccd', rejectImpossible: true })).toMatchObject({ ok: true });
  });

  it('rejects 10 digits naming the length, and letters naming the digits', () => {
    expect(parseTypedNumber('0361900012')).toMatchObject({ ok: false, error: { field: 'idNumber', code: 'length' } });
    expect(parseTypedNumber('03619000123A')).toMatchObject({ ok: false, error: { field: 'idNumber', code: 'not-digits' } });
  });
});

describe('crossCheck', () => {
  it('agrees when QR and MRZ come from the same card', () => {
    const result = crossCheck(doc(QR_VALID), doc(MRZ_VALID));
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['cross-idNumber', 'cross-dateOfBirth', 'cross-sex', 'cross-fullName']));
  });

  it('names every field that differs between two cards', () => {
    const result = crossCheck(doc(QR_EMPTY_OLD_ID), doc(MRZ_VALID));
    expect(result.ok).toBe(false);
    const failed = result.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(['cross-idNumber', 'cross-dateOfBirth', 'cross-sex', 'cross-fullName']));
  });

  it('accepts an MRZ name cut at 30 characters', () => {
    const qr = doc('036190001234||Tôn Nữ Thị Hoàng Phương Thảo Nguyên|12081990|Nữ|Huế|10052021');
    const mrz = doc(cccdMrz({ id: '036190001234', birth: '900812', sex: 'F', expiry: '300812', surname: 'TON', given: 'NU THI HOANG PHUONG THAO NGUYEN' }));
    expect(crossCheck(qr, mrz).checks.find((c) => c.name === 'cross-fullName')?.ok).toBe(true);
  });
});
