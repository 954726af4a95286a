import { createHash } from 'node:crypto';
import { canonicalJson } from '../packet/canonical-json';

/**
 * The audit trail is a hash chain (as MOSIP links its captures): each entry's hash covers the
 * previous entry's hash and the entry itself, so editing or deleting any entry in the middle
 * breaks every hash after it. It cannot detect the *last* entries being cut off; that needs an
 * anchor held elsewhere (the central server records the latest hash it saw with each upload).
 *
 *   hash = sha256( prev_hash as 32 raw bytes ‖ UTF-8 canonical JSON of
 *                  {seq, at, kind, enrollmentId, detail} )
 *
 * Canonical JSON is the packets' own (packet/canonical-json.ts, RFC 8785): object keys sorted
 * by code unit, no whitespace, so the same entry always hashes the same whatever order its
 * detail was built in.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The chain starts from 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly enrollmentId: string | null;
  readonly detail: JsonValue;
}

export function auditHash(prevHash: string, entry: AuditEntry): string {
  const body = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    enrollmentId: entry.enrollmentId,
    detail: entry.detail,
  });
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(body, 'utf8').digest('hex');
}

/** One stored row as read back, detail still as the text that was stored. */
export interface StoredAuditRow {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly enrollmentId: string | null;
  readonly detail: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** Why a row does not fit the chain (`npm run kiosk -- audit verify` names it). */
export type ChainBreak =
  /** Its detail is not JSON: the row was edited by hand. */
  | 'detail-not-json'
  /** Its seq does not follow the row before: rows were deleted (or inserted) before it. */
  | 'seq-gap'
  /** Its prev_hash is not the hash of the row before: a row before it was deleted, inserted or rewritten. */
  | 'prev-hash-mismatch'
  /** Its own content no longer gives its hash: this row was edited. */
  | 'hash-mismatch';

export const CHAIN_BREAK_TEXT: Readonly<Record<ChainBreak, string>> = {
  'detail-not-json': 'its detail is not JSON: the row was edited',
  'seq-gap': 'its seq does not follow the row before: rows are missing before it',
  'prev-hash-mismatch': 'its prev_hash is not the hash of the row before: a row before it was deleted, inserted or rewritten',
  'hash-mismatch': 'its content does not give its hash: the row was edited',
};

export type ChainCheck =
  | { readonly ok: true; readonly lastHash: string; readonly lastSeq: number }
  | { readonly ok: false; readonly brokenAt: number; readonly reason: ChainBreak; readonly expectedSeq: number };

/**
 * Check a run of consecutive rows, given the hash (and seq) the row before them ended with.
 * Returns the seq of the first row that does not fit, and why: edited, inserted, or following a
 * deleted one.
 */
export function checkChainSegment(prevHash: string, rows: readonly StoredAuditRow[], prevSeq = 0): ChainCheck {
  let prev = prevHash;
  let seq = prevSeq;
  for (const row of rows) {
    const broken = (reason: ChainBreak): ChainCheck => ({ ok: false, brokenAt: row.seq, reason, expectedSeq: seq + 1 });
    let detail: JsonValue;
    try {
      detail = parseJson(row.detail);
    } catch {
      return broken('detail-not-json');
    }
    const expected = auditHash(prev, { seq: row.seq, at: row.at, kind: row.kind, enrollmentId: row.enrollmentId, detail });
    if (row.prevHash !== prev) return broken(row.seq !== seq + 1 ? 'seq-gap' : 'prev-hash-mismatch');
    if (row.hash !== expected) return broken('hash-mismatch');
    if (row.seq !== seq + 1) return broken('seq-gap');
    prev = row.hash;
    seq = row.seq;
  }
  return { ok: true, lastHash: prev, lastSeq: seq };
}

/**
 * Any JSON-able value (a parsed config: plain objects, arrays, strings, numbers, booleans) as a
 * JsonValue, the way JSON would carry it (undefined members dropped). Throws on anything else.
 */
export function asJsonValue(value: unknown): JsonValue {
  return parseJson(JSON.stringify(value) ?? 'null');
}

/** An entry's detail as stored (canonical JSON) back to a value; throws on text that is not JSON. */
export function parseAuditDetail(text: string): JsonValue {
  return parseJson(text);
}

function parseJson(text: string): JsonValue {
  const value: unknown = JSON.parse(text);
  if (!isJsonValue(value)) throw new TypeError('not JSON');
  return value;
}

function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') return Object.values(value).every(isJsonValue);
  return false;
}
