import { createHash } from 'node:crypto';

/**
 * The audit trail is a hash chain (as MOSIP links its captures): each entry's hash covers the
 * previous entry's hash and the entry itself, so editing or deleting any entry in the middle
 * breaks every hash after it. It cannot detect the *last* entries being cut off; that needs an
 * anchor held elsewhere (the central server records the latest hash it saw with each upload).
 *
 *   hash = sha256( prev_hash as 32 raw bytes ‖ UTF-8 canonical JSON of
 *                  {seq, at, kind, enrollmentId, detail} )
 *
 * Canonical JSON: object keys sorted by code unit, no whitespace, so the same entry always
 * hashes the same whatever order its detail was built in.
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

export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new RangeError(`audit detail holds ${value}, which JSON cannot represent`);
    }
    return JSON.stringify(value);
  }
  if (isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(',')}}`;
}

// Array.isArray does not narrow a readonly array type out of a union; this guard does.
function isArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
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

export type ChainCheck = { readonly ok: true; readonly lastHash: string } | { readonly ok: false; readonly brokenAt: number };

/**
 * Check a run of consecutive rows, given the hash the row before them ended with. Returns the
 * seq of the first row that does not fit: edited, inserted, or following a deleted one.
 */
export function checkChainSegment(prevHash: string, rows: readonly StoredAuditRow[]): ChainCheck {
  let prev = prevHash;
  for (const row of rows) {
    let detail: JsonValue;
    try {
      detail = parseJson(row.detail);
    } catch {
      return { ok: false, brokenAt: row.seq };
    }
    if (row.prevHash !== prev) return { ok: false, brokenAt: row.seq };
    const expected = auditHash(prev, { seq: row.seq, at: row.at, kind: row.kind, enrollmentId: row.enrollmentId, detail });
    if (row.hash !== expected) return { ok: false, brokenAt: row.seq };
    prev = row.hash;
  }
  return { ok: true, lastHash: prev };
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
