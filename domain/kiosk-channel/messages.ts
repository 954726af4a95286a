import { z } from 'zod';
import { FINGER_EXCEPTION_REASONS, FINGER_EXCEPTION_SCOPES, FINGER_POSITIONS } from '../fingers';
import { LANGS } from '../language';
import { APPLICATION_CASES, INFO_CHANGES } from '../application';
import { EDITABLE_STEPS, type ViewModel } from './view-model';

/**
 * The kiosk channel (ws /ws/kiosk). Every message in either direction is one JSON object with a
 * `type`. Client messages are validated here; a message that fails gets an `error` reply and
 * changes nothing.
 */

/**
 * A number's JSON is at most this long: "-0.0000012345678901234567" (from 1e-6 to 1e-5 JavaScript
 * writes 17 significant digits out in full, one longer than "-1.2345678901234567e-308"); one
 * less without a sign.
 */
const NUMBER_CHARS = 25;
const UNSIGNED_CHARS = NUMBER_CHARS - 1;
/** The longest `id` a client may send, in UTF-16 units. */
const ID_UNITS = 64;

/**
 * Objects are strict (an unknown key is refused, not stripped): then every message the schema
 * accepts has a size we can count, and MAX_CLIENT_MESSAGE_BYTES is the channel's limit.
 */
const point = z.strictObject({
  x: z.number().finite(),
  y: z.number().finite(),
  t: z.number().finite().min(0),
  pressure: z.number().finite().min(0).max(1).optional(),
});

/**
 * A signature's bounds. The page samples a point every 16 ms at most (signature_pad), so 8,000
 * points is over two minutes of continuous ink: far more than any name, and what keeps the
 * largest message near 1 MB. The page keeps within strokes × pointsPerStroke itself.
 */
export const SIGNATURE_LIMITS = { strokes: 64, pointsPerStroke: 2000, points: 8000 } as const;

export const signatureStrokes = z
  .array(z.array(point).max(SIGNATURE_LIMITS.pointsPerStroke))
  .max(SIGNATURE_LIMITS.strokes)
  .refine((strokes) => strokes.reduce((n, s) => n + s.length, 0) <= SIGNATURE_LIMITS.points, {
    message: `a signature may have at most ${SIGNATURE_LIMITS.points} points in all`,
  });

export const intentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('START') }),
  z.strictObject({ type: z.literal('SET_LANGUAGE'), lang: z.enum(LANGS) }),
  z.strictObject({ type: z.literal('HELP') }),
  z.strictObject({ type: z.literal('HELP_DONE') }),
  z.strictObject({ type: z.literal('STILL_HERE') }),
  z.strictObject({ type: z.literal('QUIT') }),
  z.strictObject({ type: z.literal('TOUCH') }),
  // document
  z.strictObject({ type: z.literal('DOC_TYPE_NUMBER') }),
  z.strictObject({ type: z.literal('DOC_SCAN_INSTEAD') }),
  z.strictObject({ type: z.literal('DOC_TYPED'), digits: z.string().max(32) }),
  /** The digits on the keypad as they are typed, so a reloaded page shows them again. */
  z.strictObject({ type: z.literal('DOC_DIGITS'), digits: z.string().regex(/^[0-9]{0,12}$/, 'up to 12 digits') }),
  // why the citizen came (issue #15), the invitation, the guardian, the iris step
  z.strictObject({ type: z.literal('CASE_CHOOSE'), case: z.enum(APPLICATION_CASES) }),
  z.strictObject({ type: z.literal('CASE_CHANGES'), changes: z.array(z.enum(INFO_CHANGES)).min(1).max(INFO_CHANGES.length) }),
  z.strictObject({ type: z.literal('CASE_BACK') }),
  /** The card is not the invited person's: go on without the invitation (the case is asked again). */
  z.strictObject({ type: z.literal('INVITATION_DROP') }),
  z.strictObject({ type: z.literal('GUARDIAN_CONFIRM') }),
  z.strictObject({ type: z.literal('GUARDIAN_RESCAN') }),
  z.strictObject({ type: z.literal('IRIS_DONE') }),
  z.strictObject({ type: z.literal('DOC_CONFIRM') }),
  z.strictObject({ type: z.literal('DOC_RESCAN') }),
  z.strictObject({ type: z.literal('DOC_ACCEPT_MISMATCH') }),
  /** From review, a card of another person was scanned: start a new application with it. */
  z.strictObject({ type: z.literal('START_OVER') }),
  // fingerprints
  z.strictObject({ type: z.literal('FINGER_RETRY') }),
  z.strictObject({
    type: z.literal('FINGER_EXCEPTION'),
    reason: z.enum(FINGER_EXCEPTION_REASONS),
    scope: z.enum(FINGER_EXCEPTION_SCOPES),
  }),
  /** Keep the best print below the threshold, after every round (staff will check it). */
  z.strictObject({ type: z.literal('FINGER_KEEP') }),
  /** Take the photo of the hand that proves the exception being declared. */
  z.strictObject({ type: z.literal('FINGER_PROOF_PHOTO') }),
  /** Not declaring it after all: back to the finger. */
  z.strictObject({ type: z.literal('FINGER_EXCEPTION_CANCEL') }),
  /** Redoing fingers from review: go back to review with the fingers as they were. */
  z.strictObject({ type: z.literal('FINGER_REDO_CANCEL') }),
  // face
  z.strictObject({ type: z.literal('FACE_ACCEPT') }),
  z.strictObject({ type: z.literal('FACE_RETAKE') }),
  // signature
  z.strictObject({
    type: z.literal('SIGNATURE_SUBMIT'),
    strokes: signatureStrokes,
    box: z.strictObject({ width: z.number().finite().positive().max(10_000), height: z.number().finite().positive().max(10_000) }),
  }),
  // review
  z.strictObject({ type: z.literal('REVIEW_EDIT'), step: z.enum(EDITABLE_STEPS) }),
  /** Retake only these fingers; every other finger (and its exception) is kept. */
  z.strictObject({ type: z.literal('REVIEW_REDO_FINGERS'), fingers: z.array(z.enum(FINGER_POSITIONS)).min(1).max(FINGER_POSITIONS.length) }),
  z.strictObject({ type: z.literal('REVIEW_CONFIRM') }),
  /** Open, update or (null) close a dialog: the controller keeps it for a reloaded page. */
  z.strictObject({
    type: z.literal('DIALOG'),
    dialog: z
      .discriminatedUnion('name', [
        z.strictObject({ name: z.literal('finger-exception'), reason: z.enum(FINGER_EXCEPTION_REASONS).optional(), scope: z.enum(FINGER_EXCEPTION_SCOPES) }),
        z.strictObject({ name: z.literal('redo-fingers'), chosen: z.array(z.enum(FINGER_POSITIONS)).max(FINGER_POSITIONS.length) }),
      ])
      .nullable(),
  }),
  z.strictObject({ type: z.literal('SUBMIT_RETRY') }),
  // done
  z.strictObject({ type: z.literal('FINISH') }),
  /** The receipt did not print and the printer is back: print it again. */
  z.strictObject({ type: z.literal('REPRINT') }),
  // ── accessibility (issue #15): on every screen, for this citizen only ──
  /** "Larger text, stronger contrast" on or off. */
  z.strictObject({ type: z.literal('SET_LARGE_TEXT'), on: z.boolean() }),
  /** The spoken prompts muted or not. */
  z.strictObject({ type: z.literal('SET_VOICE'), muted: z.boolean() }),
]);

export type Intent = z.infer<typeof intentSchema>;

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** `id` is echoed in the error reply so the page can tell which tap failed. */
  z.strictObject({ type: z.literal('intent'), id: z.string().max(ID_UNITS).optional(), intent: intentSchema }),
  z.strictObject({ type: z.literal('hello') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/**
 * Why the kiosk refused a message or a connection. `screen-in-use`: another kiosk screen holds
 * the channel (issue #11: one citizen, one screen); the socket is closed after it.
 */
export const ERROR_CODES = ['bad-json', 'bad-message', 'not-allowed-now', 'too-large', 'screen-in-use'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ServerMessage =
  | { readonly type: 'view'; readonly view: ViewModel }
  | { readonly type: 'error'; readonly id?: string; readonly code: ErrorCode; readonly message: string };

/*
 * The size of the largest message the schema accepts, written as the page writes it
 * (JSON.stringify): the channel's limit (ws maxPayload), so the two always agree. The largest
 * is a signature with every point there may be; it is counted, not measured, from:
 *  - a finite number's JSON is at most NUMBER_CHARS characters, UNSIGNED_CHARS if it is ≥ 0;
 *  - a string's JSON is at most 6 bytes a UTF-16 unit ("\u001f", a lone surrogate) and quotes.
 * channel-limits.test.ts builds that message and sends it through the real channel.
 */
const jsonLength = (v: unknown): number => JSON.stringify(v).length; // ASCII skeletons only
/** A point with every field, each number at its longest (t and pressure are never negative). */
const POINT_BYTES = jsonLength({ x: 0, y: 0, t: 0, pressure: 0 }) + 2 * (NUMBER_CHARS - 1) + 2 * (UNSIGNED_CHARS - 1);
/** "[" + strokes + "]": each stroke's brackets, commas between strokes and between points. */
const STROKES_BYTES = 2 + SIGNATURE_LIMITS.strokes * 3 + SIGNATURE_LIMITS.points * (POINT_BYTES + 1);
const SIGNATURE_SKELETON = jsonLength({ type: 'intent', id: '', intent: { type: 'SIGNATURE_SUBMIT', strokes: [], box: { width: 0, height: 0 } } });
export const MAX_CLIENT_MESSAGE_BYTES = SIGNATURE_SKELETON + 6 * ID_UNITS + 2 * (UNSIGNED_CHARS - 1) + (STROKES_BYTES - 2);
