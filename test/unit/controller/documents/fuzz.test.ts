import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MRZ_VALID, QR_SIX_FIELDS, QR_VALID } from '../../../fixtures/documents/samples';
import { parseCccdMrz } from '../../../../controller/documents/mrz';
import { parseCccdQr } from '../../../../controller/documents/cccd-qr';
import { parseScan, parseTypedNumber } from '../../../../controller/documents/parse';
import type { DocumentParseResult } from '../../../../controller/documents/types';

/** Every result is one of the two typed shapes, with bilingual text on errors. */
function wellFormed(r: DocumentParseResult): boolean {
  if (r.ok) return typeof r.document.idNumber === 'string' && Array.isArray(r.document.checks);
  return r.error.field !== '' && r.error.message.vi !== '' && r.error.message.en !== '';
}

const parsers: Array<[string, (t: string) => DocumentParseResult]> = [
  ['parseScan', (t) => parseScan(t)],
  ['parseCccdQr', (t) => parseCccdQr(t)],
  ['parseCccdMrz', (t) => parseCccdMrz(t)],
  ['parseTypedNumber', (t) => parseTypedNumber(t)],
];

/** A valid payload with a few characters replaced, inserted or deleted. */
function mutated(seed: string) {
  const alphabet = fc.constantFrom(...'0123456789<|ANữĐ \n\u0301'.split(''));
  const edit = fc.record({ at: fc.nat({ max: seed.length }), kind: fc.constantFrom('replace', 'insert', 'delete'), ch: alphabet });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) =>
    edits.reduce((s, e) => {
      const at = Math.min(e.at, s.length);
      if (e.kind === 'delete') return s.slice(0, at) + s.slice(at + 1);
      if (e.kind === 'insert') return s.slice(0, at) + e.ch + s.slice(at);
      return s.slice(0, at) + e.ch + s.slice(at + 1);
    }, seed),
  );
}

describe('parsers never throw', () => {
  for (const [name, parse] of parsers) {
    it(`${name}: random strings`, () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (t) => wellFormed(parse(t))), { numRuns: 400 });
    });
    it(`${name}: mutated QR and MRZ payloads`, () => {
      fc.assert(
        fc.property(fc.oneof(mutated(QR_VALID), mutated(MRZ_VALID), mutated(QR_SIX_FIELDS)), (t) => wellFormed(parse(t))),
        { numRuns: 400 },
      );
    });
  }

  it('a single mutated MRZ character is never silently accepted with a different ID', () => {
    fc.assert(
      fc.property(mutated(MRZ_VALID), (t) => {
        const r = parseCccdMrz(t);
        return !r.ok || r.document.idNumber === '036190001234';
      }),
      { numRuns: 400 },
    );
  });

  it('a 4 MB scan is refused by its length, not parsed', () => {
    // How fast is for `npm run bench`; here: refused up front, as too long, before any parsing.
    expect(parseScan('|'.repeat(4_000_000))).toMatchObject({ ok: false, error: { field: 'scan', code: 'too-long' } });
  });
});
