import { msg } from './messages';
import { foldToAscii } from './text';
import type { ParsedDocument } from './types';
import type { DocumentCheck } from '../../domain/documents';

export interface CrossCheckResult {
  /** True when every compared field agrees. */
  readonly ok: boolean;
  readonly checks: readonly DocumentCheck[];
}

/**
 * Compare two readings of the same card (front QR and back MRZ). Only fields both readings
 * carry are compared. Names are compared without diacritics (the MRZ has none) and the MRZ name
 * may be truncated at 30 characters, so a prefix match counts.
 */
export function crossCheck(a: ParsedDocument, b: ParsedDocument): CrossCheckResult {
  const checks: DocumentCheck[] = [];
  const compare = (field: keyof ParsedDocument & string, x: string | undefined, y: string | undefined, same: (p: string, q: string) => boolean) => {
    if (x === undefined || y === undefined) return;
    checks.push(same(x, y) ? { name: `cross-${field}`, ok: true } : { name: `cross-${field}`, ok: false, message: msg.crossMismatch(field) });
  };
  const equal = (p: string, q: string) => p === q;
  compare('idNumber', a.idNumber, b.idNumber, equal);
  compare('dateOfBirth', a.dateOfBirth, b.dateOfBirth, equal);
  compare('sex', a.sex, b.sex, equal);
  compare('fullName', a.fullName, b.fullName, namesAgree);
  compare('expiryDate', a.expiryDate, b.expiryDate, equal);
  return { ok: checks.every((c) => c.ok), checks };
}

function namesAgree(p: string, q: string): boolean {
  const x = foldToAscii(p);
  const y = foldToAscii(q);
  if (x === y) return x !== '';
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  // TD1 line 3 holds 30 characters, so a long name is cut there: a prefix that long counts.
  return short.length >= 25 && long.startsWith(short);
}
