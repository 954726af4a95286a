import type { DocumentCheck, DocumentFields } from '../../domain/documents';
import type { Bilingual } from '../../domain/language';

/**
 * The shapes every document parser returns. The enrollment step only ever sees these: a parsed
 * document with its checks, or one error naming the field that is broken and what to do next.
 */

export type DocumentKind = 'cccd-qr' | 'cccd-mrz' | 'cmnd-9' | 'cmnd-12' | 'cccd-typed';

export interface ParsedDocument extends DocumentFields {
  readonly kind: DocumentKind;
  /** ISO yyyy-mm-dd. */
  readonly expiryDate?: string;
  readonly checks: readonly DocumentCheck[];
  /** For staff, carried into the packet: 'expired', 'qr-6-field-variant', 'text-repaired', … */
  readonly flags: readonly string[];
}

export interface DocumentError {
  /** The field that is broken ('dateOfBirth', 'documentNumber', 'layout', …). */
  readonly field: string;
  /** Machine-readable reason ('check-digit', 'length', 'unknown-layout', …). */
  readonly code: string;
  readonly message: Bilingual;
}

export type DocumentParseResult =
  | { readonly ok: true; readonly document: ParsedDocument }
  | { readonly ok: false; readonly error: DocumentError };

/** Internal result for the pieces (dates, ID numbers) the parsers are built from. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DocumentError };

/** Options every parser accepts; `today` makes expiry checks testable. */
export interface ParseOptions {
  readonly today?: Date;
}

export function failure(field: string, code: string, message: Bilingual): { readonly ok: false; readonly error: DocumentError } {
  return { ok: false, error: { field, code, message } };
}

export function success(document: ParsedDocument): DocumentParseResult {
  return { ok: true, document };
}
