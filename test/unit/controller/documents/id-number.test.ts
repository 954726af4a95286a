import { describe, expect, it } from 'vitest';
import { parsePersonalId, personalIdChecks } from '../../../../controller/documents/id-number';
import { PROVINCE_TABLE, provinceName } from '../../../../controller/documents/provinces';

const now = new Date('2025-06-01T00:00:00Z');

describe('personal ID number structure', () => {
  it('splits province, century/sex digit and birth year', () => {
    const r = parsePersonalId('079203004567');
    expect(r).toMatchObject({ ok: true, value: { provinceCode: '079', provinceName: 'Hồ Chí Minh', centuryDigit: 2, sex: 'male', birthYear: 2003 } });
  });

  it('maps century digits 0–3 to the 1900s and 2000s, odd digits to women', () => {
    const years = [0, 1, 2, 3].map((g) => {
      const r = parsePersonalId(`001${g}85000001`);
      return r.ok ? [r.value.birthYear, r.value.sex] : undefined;
    });
    expect(years).toEqual([[1985, 'male'], [1985, 'female'], [2085, 'male'], [2085, 'female']]);
  });

  it('holds the digits against the date of birth and sex on the document', () => {
    const r = parsePersonalId('036190001234');
    if (!r.ok) throw new Error('parse');
    const checks = personalIdChecks(r.value, { dateOfBirth: '1991-08-12', sex: 'male' }, now);
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['id-birth-year', 'id-sex']);
  });

  it('knows all 63 province codes, as versioned data with a source', () => {
    expect(Object.keys(PROVINCE_TABLE.codes)).toHaveLength(63);
    expect(PROVINCE_TABLE.source).toMatch(/Thông tư/);
    expect(provinceName('045')).toBe('Quảng Trị');
    expect(provinceName('099')).toBeUndefined();
  });

  it('rejects anything but 12 ASCII digits', () => {
    expect(parsePersonalId('٠٣٦١٩٠٠٠١٢٣٤').ok).toBe(false);
    expect(parsePersonalId('03619000123').ok).toBe(false);
  });
});
