import { describe, expect, it } from 'vitest';
import {
  QR_2024_LIKE,
  QR_ELDERLY,
  QR_EMPTY_OLD_ID,
  QR_SEX_MISMATCH,
  QR_SIX_FIELDS,
  QR_UNKNOWN_PROVINCE,
  QR_VALID,
  QR_YEAR_MISMATCH,
} from '../../../fixtures/documents/samples';
import { parseCccdQr } from '../../../../controller/documents/cccd-qr';
import type { DocumentParseResult, ParsedDocument } from '../../../../controller/documents/types';

const today = new Date('2025-06-01T00:00:00Z');

function doc(result: DocumentParseResult): ParsedDocument {
  if (!result.ok) throw new Error(`expected a document, got ${result.error.field}/${result.error.code}`);
  return result.document;
}
function failed(result: DocumentParseResult, name: string) {
  return doc(result).checks.find((c) => c.name === name && !c.ok);
}

describe('CCCD front QR', () => {
  it('reads all seven fields of a valid card, dates as ISO', () => {
    const d = doc(parseCccdQr(QR_VALID, { today }));
    expect(d).toMatchObject({
      kind: 'cccd-qr',
      idNumber: '036190001234',
      oldIdNumber: '163012345',
      fullName: 'Trần Thị Bích Ngọc',
      dateOfBirth: '1990-08-12',
      sex: 'female',
      address: 'Xóm 3, Nam Điền, Nam Trực, Nam Định',
      issueDate: '2021-05-10',
      expiryDate: '2030-08-12',
    });
    expect(d.checks.every((c) => c.ok)).toBe(true);
    expect(d.flags).toEqual([]);
  });

  it('leaves oldIdNumber out when the old CMND slot is empty', () => {
    const d = doc(parseCccdQr(QR_EMPTY_OLD_ID, { today }));
    expect(d.oldIdNumber).toBeUndefined();
    expect(d.sex).toBe('male');
    expect(d.dateOfBirth).toBe('2003-02-03');
  });

  it('returns NFC text when the scanner delivers NFD', () => {
    const d = doc(parseCccdQr(QR_VALID.normalize('NFD'), { today }));
    expect(d.fullName).toBe('Trần Thị Bích Ngọc'.normalize('NFC'));
    expect(d.fullName).not.toBe('Trần Thị Bích Ngọc'.normalize('NFD'));
    expect(d.address?.normalize('NFC')).toBe(d.address);
  });

  it('repairs UTF-8 read through a Windows-1252 code page and flags it', () => {
    const mangled = new TextDecoder('windows-1252').decode(new TextEncoder().encode(QR_VALID));
    expect(mangled).not.toBe(QR_VALID);
    const d = doc(parseCccdQr(mangled, { today }));
    expect(d.fullName).toBe('Trần Thị Bích Ngọc');
    expect(d.flags).toContain('text-repaired');
  });

  it('flags a century/sex digit that disagrees with the sex on the card, but still reads it', () => {
    const check = failed(parseCccdQr(QR_SEX_MISMATCH, { today }), 'id-sex');
    expect(check?.message?.vi).toMatch(/Giới tính/);
  });

  it('flags a century digit whose birth year disagrees with the date of birth', () => {
    const check = failed(parseCccdQr(QR_YEAR_MISMATCH, { today }), 'id-birth-year');
    expect(check?.message?.en).toContain('2096');
  });

  it('flags a province code that is not in the table without rejecting the card', () => {
    const check = failed(parseCccdQr(QR_UNKNOWN_PROVINCE, { today }), 'id-province');
    expect(check?.message?.en).toContain('099');
  });

  it('accepts the six-field variant when every field matches its pattern, and flags it', () => {
    const d = doc(parseCccdQr(QR_SIX_FIELDS, { today }));
    expect(d).toMatchObject({ idNumber: '001190003456', fullName: 'Nguyễn Thị Lan', dateOfBirth: '1990-07-15', issueDate: '2021-08-01' });
    expect(d.oldIdNumber).toBeUndefined();
    expect(d.flags).toContain('qr-6-field-variant');
  });

  it('refuses the longer 2024-card layout instead of guessing', () => {
    const r = parseCccdQr(QR_2024_LIKE, { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'layout', code: 'unknown-layout' } });
  });

  it('refuses a six-field text whose fields are shifted', () => {
    const r = parseCccdQr('001190003456|163012345|Nguyễn Thị Lan|15071990|Nữ|01082021', { today });
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown-layout' } });
  });

  it('names the date of birth when it is not a real day', () => {
    const r = parseCccdQr(QR_VALID.replace('12081990', '31021990'), { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'dateOfBirth', code: 'date' } });
  });

  it('names the ID number when it has the wrong length', () => {
    const r = parseCccdQr(QR_VALID.replace('036190001234', '03619000123'), { today });
    expect(r).toMatchObject({ ok: false, error: { field: 'idNumber' } });
  });

  it('flags a card past its renewal age as expired', () => {
    const d = doc(parseCccdQr(QR_VALID, { today: new Date('2030-09-01T00:00:00Z') }));
    expect(d.flags).toContain('expired');
  });

  it('gives a card issued after 58 no expiry', () => {
    const d = doc(parseCccdQr(QR_ELDERLY, { today }));
    expect(d.expiryDate).toBeUndefined();
    expect(d.checks.every((c) => c.ok)).toBe(true);
  });

  it('speaks Vietnamese with diacritics and English in every error', () => {
    const r = parseCccdQr(QR_2024_LIKE, { today });
    if (r.ok) throw new Error('expected an error');
    expect(r.error.message.vi).toMatch(/[ạảãáàâăđêôơư]/u);
    expect(r.error.message.en).toMatch(/Please/);
  });
});
