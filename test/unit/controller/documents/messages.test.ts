import { describe, expect, it } from 'vitest';
import type { Bilingual } from '../../../../domain/language';
import { FIELD_LABEL, msg } from '../../../../controller/documents/messages';

const FIELDS = Object.keys(FIELD_LABEL);

/** Every sentence the document step can show a citizen, with sample arguments; the type makes the list complete. */
const SAMPLES: { readonly [K in keyof typeof msg]: readonly Bilingual[] } = {
  empty: [msg.empty()],
  unreadableScan: [msg.unreadableScan()],
  unrecognised: [msg.unrecognised()],
  unknownLayout: [msg.unknownLayout()],
  badField: FIELDS.map((f) => msg.badField(f)),
  checkDigit: FIELDS.map((f) => msg.checkDigit(f)),
  mrzFormat: [msg.mrzFormat()],
  notVietnamese: [msg.notVietnamese()],
  mrzIdMismatch: [msg.mrzIdMismatch()],
  typedLength: [msg.typedLength()],
  typedDigits: [msg.typedDigits()],
  typedImpossible: [msg.typedImpossible()],
  idBirthYear: [msg.idBirthYear(1990, '1991')],
  idSex: [msg.idSex()],
  idCentury: [msg.idCentury()],
  province: [msg.province('099')],
  birthInFuture: [msg.birthInFuture()],
  issueBeforeBirth: [msg.issueBeforeBirth()],
  expired: [msg.expired()],
  crossMismatch: FIELDS.map((f) => msg.crossMismatch(f)),
};
const everyMessage = (): Array<[string, Bilingual]> => Object.entries(SAMPLES).flatMap(([name, list]) => list.map((m): [string, Bilingual] => [name, m]));

describe('what the document step says to a citizen', () => {
  it('never says "MRZ": it names the three lines on the back of the card', () => {
    for (const [name, m] of everyMessage()) {
      expect({ name, mrz: /MRZ/.test(m.vi) || /MRZ/.test(m.en) }).toEqual({ name, mrz: false });
    }
  });

  it('says what differs between the two sides in one short line per field, with the advice left to the screen', () => {
    for (const field of ['idNumber', 'dateOfBirth', 'sex', 'fullName', 'expiryDate']) {
      const m = msg.crossMismatch(field);
      expect(m.vi).toMatch(/mặt trước và mặt sau thẻ/);
      expect(m.en).toMatch(/front and the back of the card/);
      for (const text of [m.vi, m.en]) {
        expect(text.length).toBeLessThanOrEqual(80);
        expect(text.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 2)).toHaveLength(1);
      }
    }
  });

  it('states each soft check in one sentence, without repeating what the citizen can do about it', () => {
    const soft = [msg.idBirthYear(1990, '1991'), msg.idSex(), msg.idCentury(), msg.province('099'), msg.birthInFuture(), msg.issueBeforeBirth(), msg.expired()];
    for (const m of soft) {
      for (const text of [m.vi, m.en]) {
        expect(text.split(/[.;!?](\s|$)/).filter((s) => s.trim().length > 2)).toHaveLength(1);
        expect(text).not.toMatch(/quét lại|scan again|xác nhận|confirm/i);
      }
    }
  });
});
