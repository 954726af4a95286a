import { describe, expect, it } from 'vitest';
import { LANGS, type Bilingual } from '../../../../domain/language';
import { labelTable, type LabelLookup } from '../../../../ui/common/label-table';
import { LABELS, t } from '../../../../ui/common/i18n';
import { OPS_LABELS, opsLabel } from '../../../../ui/ops/labels';
import { TECH_LABELS, tl } from '../../../../ui/tech/labels';

/** What `lookup` gives for every key of `table` in both languages, beside the table's own words. */
function lookedUp<K extends string>(table: Readonly<Record<K, Bilingual>>, lookup: LabelLookup<K>) {
  const isKey = (k: string): k is K => Object.hasOwn(table, k);
  const keys = Object.keys(table).filter(isKey);
  expect(keys.length).toBeGreaterThan(10);
  return {
    got: keys.flatMap((key) => LANGS.map((lang) => `${key}.${lang}: ${lookup(lang, key)}`)),
    want: keys.flatMap((key) => LANGS.map((lang) => `${key}.${lang}: ${table[key][lang]}`)),
  };
}

describe('labelTable', () => {
  it("looks a key up in the language asked for, in the table's own words", () => {
    const tr = labelTable({ start: { vi: 'Bắt đầu', en: 'Start' }, help: { vi: 'Trợ giúp', en: 'Help' } });
    expect([tr('vi', 'start'), tr('en', 'start'), tr('vi', 'help'), tr('en', 'help')]).toEqual(['Bắt đầu', 'Start', 'Trợ giúp', 'Help']);
    // @ts-expect-error: a key the table lacks does not compile.
    expect(() => tr('vi', 'stop')).toThrow(TypeError);
  });

  it('is the lookup of the kiosk page (t), the service screen (tl) and the console (opsLabel), label for label', () => {
    for (const { got, want } of [lookedUp(LABELS, t), lookedUp(TECH_LABELS, tl), lookedUp(OPS_LABELS, opsLabel)]) expect(got).toEqual(want);
  });
});
