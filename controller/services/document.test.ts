import { describe, expect, it } from 'vitest';
import { parseScan } from '../documents/parse';
import { MRZ_VALID, QR_EMPTY_OLD_ID, QR_VALID, cccdMrz } from '../../test/fixtures/documents/samples';
import { combineSides, toOutcome } from './document';

const parsed = (text: string) => {
  const r = parseScan(text);
  if (!r.ok) throw new Error(`sample did not parse: ${r.error.code}`);
  return r.document;
};

describe('reading both sides of a chip CCCD', () => {
  it('merges the front QR and the back MRZ of the same card, keeping the QR’s diacritics and adding the expiry', () => {
    const out = combineSides(parsed(QR_VALID), parsed(MRZ_VALID));
    expect(out.kind).toBe('parsed');
    if (out.kind !== 'parsed') return;
    expect(out.document.fullName).toBe('Trần Thị Bích Ngọc');
    expect(out.fields.expiryDate).toBe('2030-08-12');
    expect(out.document.flags).toContain('front-and-back-read');
    expect(out.checks.filter((c) => c.name.startsWith('cross-')).every((c) => c.ok)).toBe(true);
  });

  it('is order-independent: back first, then front', () => {
    const out = combineSides(parsed(MRZ_VALID), parsed(QR_VALID));
    expect(out.kind === 'parsed' && out.document.fullName).toBe('Trần Thị Bích Ngọc');
  });

  it('flags a back side that belongs to another card', () => {
    const other = cccdMrz({ id: '036190009999', birth: '900812', sex: 'F', expiry: '300812', surname: 'TRAN', given: 'THI BICH NGOC' });
    const out = combineSides(parsed(QR_VALID), parsed(other));
    expect(out.kind === 'parsed' && out.checks.find((c) => c.name === 'cross-idNumber')).toMatchObject({ ok: false, message: { vi: expect.any(String), en: expect.any(String) } });
  });

  it('treats a second scan of the same side as a fresh reading, not a cross-check', () => {
    const out = combineSides(parsed(QR_VALID), parsed(QR_EMPTY_OLD_ID));
    expect(out).toEqual(toOutcome({ ok: true, document: parsed(QR_EMPTY_OLD_ID) }));
  });
});
