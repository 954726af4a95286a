import { z } from 'zod';
import { TECH_DEVICES, type TechClientMessage } from './types';

export * from './types';

/**
 * The schema of what a client may send on the tech channel (types.ts has the words). Objects
 * are strict: an unknown key is refused, not stripped.
 */
export const techClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello') }),
  /** The PIN as typed; checked against the hash in config, rate limited, audited (never the PIN). */
  z.strictObject({ type: z.literal('unlock'), pin: z.string().max(32) }),
  /** The token the kiosk wrote to its data dir; taken from this machine only. */
  z.strictObject({ type: z.literal('unlock-token'), token: z.string().max(64) }),
  z.strictObject({ type: z.literal('lock') }),
  /** Send the status now (it is also pushed when something changes). */
  z.strictObject({ type: z.literal('status') }),
  /** Take the kiosk out of service (`on: true`) or put it back. */
  z.strictObject({ type: z.literal('service'), on: z.boolean() }),
  z.strictObject({ type: z.literal('self-test'), device: z.enum(TECH_DEVICES) }),
]);

/** The schema and the type say the same thing: a change to one without the other fails to compile here. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SCHEMA_MATCHES_TYPE: Same<z.infer<typeof techClientMessageSchema>, TechClientMessage> = true;
