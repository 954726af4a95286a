import { z } from 'zod';
import { DEVICE_KINDS, DEVICE_STATES } from '../devices';
import { FINGER_EXCEPTION_REASONS, FINGER_EXCEPTION_SCOPES, FINGER_POSITIONS } from '../fingers';
import {
  MAX_OPS_CONSOLE_MESSAGE_BYTES,
  MAX_OPS_KIOSK_MESSAGE_BYTES,
  OFFICER_NAME_MAX,
  type BrowserMessage,
  type OpsBadMessage,
  type OpsConsoleMessage,
  type OpsKioskMessage,
} from './types';

export * from './types';

/**
 * The ops channel's schemas and its one decoder (types.ts has the words). Every message is
 * bounded before it is parsed (bytes, then every string and array), objects are strict (an
 * unknown key is refused, not stripped), and a refusal says why, so neither side acts on a
 * message it half understood.
 */

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'an id of 1–64 letters, digits, "_", ".", ":" or "-"');
/** A person's name as an officer typed it at login: no control characters, not blank. */
export const officerName = z
  .string()
  .min(1)
  .max(OFFICER_NAME_MAX)
  .regex(/^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+$/u, 'no control characters')
  .refine((s) => s.trim().length > 0 && s.trim() === s, 'not blank, no spaces at either end');
const iso = z.string().max(40);
const shortText = z.string().max(64);
const bilingual = z.strictObject({ vi: z.string().max(1000), en: z.string().max(1000) });

export const opsCommandSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('answer-help'), helpId: id }),
  z.strictObject({ kind: z.literal('decide-exception'), exceptionId: id, approve: z.boolean() }),
  z.strictObject({ kind: z.literal('show-photo'), exceptionId: id }),
  z.strictObject({ kind: z.literal('end-session') }),
  z.strictObject({ kind: z.literal('service'), on: z.boolean() }),
]);

export const opsConsoleMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('command'), id, officer: officerName, command: opsCommandSchema }),
  z.strictObject({ type: z.literal('status') }),
]);

const count = z.number().int().min(0).max(1e9);
export const opsKioskStatusSchema = z.strictObject({
  kioskId: shortText,
  version: shortText,
  at: iso,
  screen: shortText,
  phase: shortText.optional(),
  step: shortText.optional(),
  stepSince: iso,
  inSession: z.boolean(),
  devices: z.partialRecord(z.enum(DEVICE_KINDS), z.enum(DEVICE_STATES)),
  today: z.strictObject({ date: z.string().max(10), completed: count, abandoned: count }),
  outbox: z.strictObject({ pending: count, oldestPendingAgeS: z.number().min(0).max(1e10).nullable() }),
  service: z.strictObject({ inService: z.boolean(), reason: z.enum(['officer', 'technician', 'devices']).optional(), officer: officerName.optional() }),
  help: z.strictObject({ id, since: iso, source: z.enum(['screen', 'panel']), inSession: z.boolean(), screen: shortText }).optional(),
  exception: z
    .strictObject({
      id,
      since: iso,
      finger: z.enum(FINGER_POSITIONS),
      reason: z.enum(FINGER_EXCEPTION_REASONS),
      scope: z.enum(FINGER_EXCEPTION_SCOPES),
      photo: z.strictObject({ width: z.number().int().min(1).max(10_000), height: z.number().int().min(1).max(10_000) }),
      until: iso,
    })
    .optional(),
  heartbeatS: z.number().min(0.01).max(3600),
});

export const opsKioskMessageSchema = z.union([
  z.strictObject({ type: z.literal('hello'), protocol: z.number().int(), kioskId: shortText, version: shortText }),
  z.strictObject({ type: z.literal('status'), status: opsKioskStatusSchema }),
  z.strictObject({ type: z.literal('result'), id, ok: z.literal(true) }),
  z.strictObject({ type: z.literal('result'), id, ok: z.literal(false), code: z.enum(['not-found', 'not-allowed-now']), message: bilingual }),
  z.strictObject({
    type: z.literal('photo'),
    id,
    exceptionId: id,
    jpegBase64: z.string().max(MAX_OPS_KIOSK_MESSAGE_BYTES).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
    width: z.number().int().min(1).max(10_000),
    height: z.number().int().min(1).max(10_000),
  }),
  z.strictObject({ type: z.literal('error'), code: z.enum(['binary', 'too-large', 'bad-json', 'bad-message']), message: z.string().max(500) }),
]);

/** What the console page may send the ops process. */
export const browserMessageSchema = z.strictObject({ type: z.literal('command'), id, kioskId: shortText, command: opsCommandSchema });
export const MAX_BROWSER_MESSAGE_BYTES = 2048;

export type Decoded<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly code: OpsBadMessage; readonly reason: string };

/**
 * One message off the wire: text only, at most `maxBytes`, JSON, and valid for `schema`; a
 * refusal names the first thing wrong (its path and what was expected).
 */
export function decodeWith<T>(schema: z.ZodType<T>, maxBytes: number, data: string | Uint8Array, isBinary = false): Decoded<T> {
  if (isBinary) return { ok: false, code: 'binary', reason: 'only JSON text messages are taken' };
  const size = typeof data === 'string' ? new TextEncoder().encode(data).length : data.length;
  if (size > maxBytes) return { ok: false, code: 'too-large', reason: `the message is ${size} bytes; at most ${maxBytes} are taken` };
  let json: unknown;
  try {
    json = JSON.parse(typeof data === 'string' ? data : new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch {
    return { ok: false, code: 'bad-json', reason: 'the message is not JSON (UTF-8)' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.map(String).join('.') || '(message)'}: ${first.message}` : 'invalid';
    return { ok: false, code: 'bad-message', reason: `the message is not valid (${where})` };
  }
  return { ok: true, message: parsed.data };
}

export const decodeConsoleMessage = (data: string | Uint8Array, isBinary = false): Decoded<OpsConsoleMessage> =>
  decodeWith(opsConsoleMessageSchema, MAX_OPS_CONSOLE_MESSAGE_BYTES, data, isBinary);
export const decodeKioskMessage = (data: string | Uint8Array, isBinary = false): Decoded<OpsKioskMessage> =>
  decodeWith(opsKioskMessageSchema, MAX_OPS_KIOSK_MESSAGE_BYTES, data, isBinary);
export const decodeBrowserMessage = (data: string | Uint8Array, isBinary = false): Decoded<BrowserMessage> =>
  decodeWith(browserMessageSchema, MAX_BROWSER_MESSAGE_BYTES, data, isBinary);

/** The schemas and the types say the same thing: a change to one without the other fails to compile here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const CONSOLE_SCHEMA_MATCHES_TYPE: Same<z.infer<typeof opsConsoleMessageSchema>, DeepMutable<OpsConsoleMessage>> = true;
export const BROWSER_SCHEMA_MATCHES_TYPE: Same<z.infer<typeof browserMessageSchema>, DeepMutable<BrowserMessage>> = true;
type DeepMutable<T> = T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
