import { looksLikeCccdQr, parseCccdQr } from './cccd-qr';
import { personalIdChecks, parsePersonalId } from './id-number';
import { msg } from './messages';
import { looksLikeMrz, parseCccdMrz } from './mrz';
import { cleanScanText } from './text';
import { failure, type DocumentParseResult, type ParseOptions } from './types';

export { crossCheck, type CrossCheckResult } from './cross-check';
export type { DocumentError, DocumentKind, DocumentParseResult, ParsedDocument } from './types';

/** Bound on what a scanner may hand us: a TD1 MRZ is 92 chars, a CCCD QR a few hundred. */
const MAX_SCAN_CHARS = 4096;

/**
 * One scan from a document scanner → a parsed document. Decides between the front QR (pipes)
 * and the back MRZ (lines of A–Z, 0–9, `<`). A bare 12-digit number (some older barcode cards
 * and manual-entry scanners) is read like a typed number.
 */
export function parseScan(text: string, opts: ParseOptions = {}): DocumentParseResult {
  if (text.length > MAX_SCAN_CHARS) return failure('scan', 'too-long', msg.unrecognised());
  const clean = cleanScanText(text).text;
  if (clean === '') return failure('scan', 'empty', msg.empty());
  if (looksLikeCccdQr(clean)) return parseCccdQr(text, opts);
  if (looksLikeMrz(clean)) return parseCccdMrz(clean, opts);
  if (/^\d{12}$/.test(clean)) {
    const typed = parseTypedNumber(clean, { ...opts, as: 'cccd' });
    return typed.ok ? { ok: true, document: { ...typed.document, flags: [...typed.document.flags, 'scanned-number-only'] } } : typed;
  }
  return failure('scan', 'unrecognised', msg.unrecognised());
}

export interface TypedNumberOptions extends ParseOptions {
  /**
   * Which button the citizen pressed. 12-digit CMNDs (2012–2016) and CCCD numbers share one
   * structure, so 12 digits alone cannot tell them apart; the default is the CCCD.
   */
  readonly as?: 'cccd' | 'cmnd';
  /**
   * Typed on the keypad as a CCCD's number (a lost card, a first card): a birth year still to come
   * is a typo to correct now, not a card for staff to review. A scanned number stays a soft check.
   */
  readonly rejectImpossible?: boolean;
}

/** A number typed on the on-screen keypad: 12-digit personal ID, or old 9/12-digit CMND. */
export function parseTypedNumber(digits: string, opts: TypedNumberOptions = {}): DocumentParseResult {
  const text = digits.replace(/[\s.-]/g, '');
  if (text === '') return failure('idNumber', 'empty', msg.typedLength());
  if (!/^\d+$/.test(text)) return failure('idNumber', 'not-digits', msg.typedDigits());
  if (text.length === 9) return { ok: true, document: { kind: 'cmnd-9', idNumber: text, checks: [], flags: [] } };
  if (text.length !== 12) return failure('idNumber', 'length', msg.typedLength());
  const id = parsePersonalId(text);
  if (!id.ok) return id;
  // Nothing else on a typed entry to hold the digits against; province and century still count.
  const checks = personalIdChecks(id.value, {}, opts.today ?? new Date());
  // An unknown province stays a soft check (a stale table), whoever asks.
  if (opts.rejectImpossible === true && opts.as !== 'cmnd' && checks.some((c) => c.name === 'id-century' && !c.ok)) return failure('idNumber', 'impossible', msg.typedImpossible());
  const kind = opts.as === 'cmnd' ? 'cmnd-12' : 'cccd-typed';
  return { ok: true, document: { kind, idNumber: text, checks, flags: [] } };
}
