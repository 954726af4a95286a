import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn } from '../../../domain/age';

/** Age in whole years from the ISO birth date the document codecs give. */
describe('ageOn', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageOn('2012-11-30', '2026-11-29')).toBe(13);
    expect(ageOn('2012-11-30', '2026-11-30')).toBe(14);
    expect(ageOn('2012-11-30', '2026-12-01')).toBe(14);
    expect(ageOn('1950-01-01', '2026-11-30')).toBe(76);
  });

  it('turns someone born on 29 February a year older on 1 March in a common year', () => {
    expect(ageOn('2012-02-29', '2026-02-28')).toBe(13);
    expect(ageOn('2012-02-29', '2026-03-01')).toBe(14);
    expect(ageOn('2012-02-29', '2028-02-29')).toBe(16);
  });

  it('is 0 on the day of birth and undefined before it', () => {
    expect(ageOn('2026-11-30', '2026-11-30')).toBe(0);
    expect(ageOn('2026-12-01', '2026-11-30')).toBeUndefined();
  });

  it('is undefined for dates that are not real ISO days', () => {
    expect(ageOn('14052003', '2026-11-30')).toBeUndefined();
    expect(ageOn('2023-02-29', '2026-11-30')).toBeUndefined();
    expect(ageOn('2003-05-14', '30/11/2026')).toBeUndefined();
  });

  it('agrees with counting birthdays one by one', () => {
    const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [birth, today] = a <= b ? [a, b] : [b, a];
        let n = 0;
        while (`${String(Number(birth.slice(0, 4)) + n + 1).padStart(4, '0')}${birth.slice(4)}` <= today) n++;
        return ageOn(birth, today) === n;
      }),
    );
  });
});
