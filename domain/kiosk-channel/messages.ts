import { z } from 'zod';
import { FINGER_EXCEPTION_REASONS, FINGER_EXCEPTION_SCOPES } from '../fingers';
import { LANGS } from '../language';
import { EDITABLE_STEPS, type ViewModel } from './view-model';

/**
 * The kiosk channel (ws /ws/kiosk). Every message in either direction is one JSON object with a
 * `type`. Client messages are validated here; a message that fails gets an `error` reply and
 * changes nothing.
 */

const point = z.object({
  x: z.number().finite(),
  y: z.number().finite(),
  t: z.number().finite().min(0),
  pressure: z.number().finite().min(0).max(1).optional(),
});

/** Bounds keep one message from exhausting memory: 64 strokes × 2000 points is plenty for a name. */
export const signatureStrokes = z.array(z.array(point).max(2000)).max(64);

export const intentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('START') }),
  z.object({ type: z.literal('SET_LANGUAGE'), lang: z.enum(LANGS) }),
  z.object({ type: z.literal('HELP') }),
  z.object({ type: z.literal('HELP_DONE') }),
  z.object({ type: z.literal('STILL_HERE') }),
  z.object({ type: z.literal('QUIT') }),
  z.object({ type: z.literal('TOUCH') }),
  // document
  z.object({ type: z.literal('DOC_TYPE_NUMBER') }),
  z.object({ type: z.literal('DOC_SCAN_INSTEAD') }),
  z.object({ type: z.literal('DOC_TYPED'), digits: z.string().max(32) }),
  /** The digits on the keypad as they are typed, so a reloaded page shows them again. */
  z.object({ type: z.literal('DOC_DIGITS'), digits: z.string().regex(/^[0-9]{0,12}$/, 'up to 12 digits') }),
  z.object({ type: z.literal('DOC_CONFIRM') }),
  z.object({ type: z.literal('DOC_RESCAN') }),
  z.object({ type: z.literal('DOC_ACCEPT_MISMATCH') }),
  /** From review, a card of another person was scanned: start a new application with it. */
  z.object({ type: z.literal('START_OVER') }),
  // fingerprints
  z.object({ type: z.literal('FINGER_RETRY') }),
  z.object({
    type: z.literal('FINGER_EXCEPTION'),
    reason: z.enum(FINGER_EXCEPTION_REASONS),
    scope: z.enum(FINGER_EXCEPTION_SCOPES),
  }),
  // face
  z.object({ type: z.literal('FACE_ACCEPT') }),
  z.object({ type: z.literal('FACE_RETAKE') }),
  // signature
  z.object({
    type: z.literal('SIGNATURE_SUBMIT'),
    strokes: signatureStrokes,
    box: z.object({ width: z.number().finite().positive().max(10_000), height: z.number().finite().positive().max(10_000) }),
  }),
  // review
  z.object({ type: z.literal('REVIEW_EDIT'), step: z.enum(EDITABLE_STEPS) }),
  z.object({ type: z.literal('REVIEW_CONFIRM') }),
  z.object({ type: z.literal('SUBMIT_RETRY') }),
  // done
  z.object({ type: z.literal('FINISH') }),
  /** The receipt did not print and the printer is back: print it again. */
  z.object({ type: z.literal('REPRINT') }),
]);

export type Intent = z.infer<typeof intentSchema>;

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** `id` is echoed in the error reply so the page can tell which tap failed. */
  z.object({ type: z.literal('intent'), id: z.string().max(64).optional(), intent: intentSchema }),
  z.object({ type: z.literal('hello') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { readonly type: 'view'; readonly view: ViewModel }
  | { readonly type: 'error'; readonly id?: string; readonly code: 'bad-json' | 'bad-message' | 'not-allowed-now' | 'too-large'; readonly message: string };
