import { APPLICATION_CASES, PRIORITY_GROUPS, type ApplicationCase, type InvitationFacts, type PriorityGroup } from '../../domain/application';

/**
 * The invitation QR (giấy mời), version 1: what the police station prints or sends to a phone,
 * and what the kiosk reads on its start screen (docs/invitation-format.md). Pure: text ⇄ fields.
 * Signing and checking are in sign.ts.
 *
 *   GM1*<id>*<idNumber>*<CASE>*<PRIORITY>*<validFrom yyyymmdd>*<validUntil yyyymmdd>*<station>*<keyId>*<signature>
 *
 * Every character is in the QR code's alphanumeric set (0–9, A–Z, space $ % * + - . / :), so the
 * code is drawn in alphanumeric mode (5.5 bits a character): about 200 characters, a version 8
 * symbol (49 × 49 modules) at error correction M, which a phone screen or a paper slip shows.
 * The signature is Ed25519 in base32 (RFC 4648, no padding: 103 characters).
 */

export const INVITATION_PREFIX = 'GM1';
export const INVITATION_VERSION = 1;
const SEPARATOR = '*';
/** Longer than any valid invitation; anything longer is refused unread. */
export const MAX_INVITATION_CHARS = 400;
/** Bytes the signature covers start with this, so no other message of the same key can pass for one. */
export const INVITATION_SIGNING_CONTEXT = 'cccd-kiosk/invitation/1\n';

const ID_PATTERN = /^[A-Z0-9-]{1,20}$/;
const ID_NUMBER_PATTERN = /^(\d{9}|\d{12})$/;
const DATE_PATTERN = /^\d{8}$/;
const STATION_PATTERN = /^[A-Z0-9.-]{1,24}$/;
const KEY_ID_PATTERN = /^[0-9A-F]{16}$/;
const SIGNATURE_PATTERN = /^[A-Z2-7]{103}$/;

/** An invitation as written in the QR, before its signature is checked. */
export interface InvitationPayload extends InvitationFacts {
  /** The signing key's id (sha256 of its raw public key, first 16 hex digits, lower case). */
  readonly keyId: string;
}

export interface SignedInvitation {
  readonly payload: InvitationPayload;
  /** The exact bytes the signature covers (INVITATION_SIGNING_CONTEXT + the text before the signature). */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

export type DecodeResult =
  | { readonly ok: true; readonly invitation: SignedInvitation }
  /** `not-invitation`: some other code (a card's QR, its MRZ); `malformed`: an invitation that is not whole. */
  | { readonly ok: false; readonly error: 'not-invitation' | 'malformed'; readonly detail: string };

/** Does this scan claim to be an invitation (the others are the document step's business)? */
export function looksLikeInvitation(text: string): boolean {
  return text.trim().slice(0, INVITATION_PREFIX.length + 1).toUpperCase() === `${INVITATION_PREFIX}${SEPARATOR}`;
}

const caseCode = (c: ApplicationCase): string => c.toUpperCase();
const priorityCode = (p: PriorityGroup): string => p.toUpperCase();
const CASE_BY_CODE: ReadonlyMap<string, ApplicationCase> = new Map(APPLICATION_CASES.map((c) => [caseCode(c), c]));
const PRIORITY_BY_CODE: ReadonlyMap<string, PriorityGroup> = new Map(PRIORITY_GROUPS.map((p) => [priorityCode(p), p]));

const compactDate = (iso: string): string => iso.replaceAll('-', '');
function isoFromCompact(text: string): string | undefined {
  if (!DATE_PATTERN.test(text)) return undefined;
  const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
  const probe = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== iso ? undefined : iso;
}

/** Why these fields cannot be written as an invitation, or undefined when they can. */
export function payloadProblem(p: InvitationPayload): string | undefined {
  if (!ID_PATTERN.test(p.id)) return 'the invitation id must be 1–20 of A–Z, 0–9 and -';
  if (!ID_NUMBER_PATTERN.test(p.idNumber)) return 'the ID number must be 12 digits (or an old 9-digit CMND)';
  if (!APPLICATION_CASES.includes(p.case)) return `the case must be one of ${APPLICATION_CASES.join(', ')}`;
  if (!PRIORITY_GROUPS.includes(p.priority)) return `the priority must be one of ${PRIORITY_GROUPS.join(', ')}`;
  const from = isoFromCompact(compactDate(p.validFrom));
  const until = isoFromCompact(compactDate(p.validUntil));
  if (from === undefined || until === undefined) return 'the validity dates must be real days (yyyy-mm-dd)';
  if (until < from) return 'the invitation must not end before it starts';
  if (!STATION_PATTERN.test(p.station)) return 'the station must be 1–24 of A–Z, 0–9, . and -';
  if (!KEY_ID_PATTERN.test(p.keyId.toUpperCase())) return 'the key id must be 16 hex digits';
  return undefined;
}

/** The text the signature covers (without the signing context): every field but the signature. */
export function unsignedText(p: InvitationPayload): string {
  return [
    INVITATION_PREFIX,
    p.id,
    p.idNumber,
    caseCode(p.case),
    priorityCode(p.priority),
    compactDate(p.validFrom),
    compactDate(p.validUntil),
    p.station,
    p.keyId.toUpperCase(),
  ].join(SEPARATOR);
}

/** The canonical bytes the Ed25519 signature is made over. */
export function signingBytes(unsigned: string): Uint8Array {
  return new TextEncoder().encode(INVITATION_SIGNING_CONTEXT + unsigned);
}

/** The QR text, given the signature over signingBytes(unsignedText(p)). Throws on fields that cannot be written. */
export function encodeInvitation(p: InvitationPayload, signature: Uint8Array): string {
  const problem = payloadProblem(p);
  if (problem) throw new RangeError(problem);
  if (signature.length !== 64) throw new RangeError('an Ed25519 signature is 64 bytes');
  return `${unsignedText(p)}${SEPARATOR}${base32(signature)}`;
}

/**
 * A scanned text → the invitation's fields and the bytes to check the signature over. Never
 * throws; reads at most MAX_INVITATION_CHARS. Letters are taken in either case (a scanner with
 * caps lock on); the signature is checked over the upper-case text, as it was signed.
 */
export function decodeInvitation(raw: string): DecodeResult {
  if (raw.length > MAX_INVITATION_CHARS) return { ok: false, error: looksLikeInvitation(raw.slice(0, 8)) ? 'malformed' : 'not-invitation', detail: 'too long' };
  if (!looksLikeInvitation(raw)) return { ok: false, error: 'not-invitation', detail: 'no GM1 prefix' };
  const text = raw.trim().toUpperCase();
  const parts = text.split(SEPARATOR);
  const bad = (detail: string): DecodeResult => ({ ok: false, error: 'malformed', detail });
  if (parts.length !== 10) return bad(`${parts.length} fields, expected 10`);
  const [, id = '', idNumber = '', c = '', prio = '', from = '', until = '', station = '', keyId = '', sig = ''] = parts;
  const kase = CASE_BY_CODE.get(c);
  const priority = PRIORITY_BY_CODE.get(prio);
  const validFrom = isoFromCompact(from);
  const validUntil = isoFromCompact(until);
  if (!ID_PATTERN.test(id)) return bad('invitation id');
  if (!ID_NUMBER_PATTERN.test(idNumber)) return bad('ID number');
  if (kase === undefined) return bad('case');
  if (priority === undefined) return bad('priority');
  if (validFrom === undefined || validUntil === undefined) return bad('validity dates');
  if (!STATION_PATTERN.test(station)) return bad('station');
  if (!KEY_ID_PATTERN.test(keyId)) return bad('key id');
  if (!SIGNATURE_PATTERN.test(sig)) return bad('signature');
  const signature = fromBase32(sig);
  if (signature === undefined || signature.length !== 64) return bad('signature');
  const payload: InvitationPayload = { id, idNumber, case: kase, priority, validFrom, validUntil, station, keyId: keyId.toLowerCase() };
  return { ok: true, invitation: { payload, signed: signingBytes(text.slice(0, text.lastIndexOf(SEPARATOR))), signature } };
}

// ───────────── base32 (RFC 4648 §6, upper case, no padding) ─────────────

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}

/** Undefined on a character outside the alphabet or leftover bits that are not zero (a non-canonical encoding). */
export function fromBase32(text: string): Uint8Array | undefined {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return undefined;
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits >= 5 || buffer !== 0) return undefined;
  return Uint8Array.from(out);
}
