import { z } from 'zod';
import { FINGER_EXCEPTION_REASONS, FINGER_EXCEPTION_SCOPES, FINGER_POSITIONS } from '../fingers';
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
  z.object({ type: z.literal('DOC_CONFIRM') }),
  z.object({ type: z.literal('DOC_RESCAN') }),
  z.object({ type: z.literal('DOC_ACCEPT_MISMATCH') }),
  // fingerprints
  z.object({ type: z.literal('FINGER_RETRY') }),
  z.object({
    type: z.literal('FINGER_EXCEPTION'),
    reason: z.enum(FINGER_EXCEPTION_REASONS),
    scope: z.enum(FINGER_EXCEPTION_SCOPES),
  }),
  /** Keep the best print below the threshold, after every round (staff will check it). */
  z.object({ type: z.literal('FINGER_KEEP') }),
  /** Take the photo of the hand that proves the exception being declared. */
  z.object({ type: z.literal('FINGER_PROOF_PHOTO') }),
  /** Not declaring it after all: back to the finger. */
  z.object({ type: z.literal('FINGER_EXCEPTION_CANCEL') }),
  /** Redoing fingers from review: go back to review with the fingers as they were. */
  z.object({ type: z.literal('FINGER_REDO_CANCEL') }),
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
  /** Retake only these fingers; every other finger (and its exception) is kept. */
  z.object({ type: z.literal('REVIEW_REDO_FINGERS'), fingers: z.array(z.enum(FINGER_POSITIONS)).min(1).max(FINGER_POSITIONS.length) }),
  z.object({ type: z.literal('REVIEW_CONFIRM') }),
  z.object({ type: z.literal('SUBMIT_RETRY') }),
  // done
  z.object({ type: z.literal('FINISH') }),
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
