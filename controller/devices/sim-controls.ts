import { z } from 'zod';
import { SIM_SCENARIOS } from '../../drivers/camera/sim-frames';
import { PANEL_INPUTS } from '../../drivers/types';

/**
 * What the simulated citizen can do at the simulated devices (hold a card to the scanner, put a
 * smudged finger on the glass, step out of the picture) and how the simulators can be told to
 * misbehave: the request shapes, and the controls devices/factory.ts builds for them. The server
 * exposes them as POST /api/sim/<device> (server/sim-api.ts).
 */

export const simRequests = {
  document: z.union([
    z.strictObject({ present: z.string().min(1).max(4096) }),
    z.strictObject({ garbage: z.literal(true) }),
    z.strictObject({ half: z.string().min(1).max(4096) }),
    // The cable stays out until the replug (issue #13), for whichever scanner is simulated.
    z.strictObject({ unplug: z.literal(true) }),
    z.strictObject({ replug: z.literal(true) }),
  ]),
  // A name it does not know is refused, never dropped: a misspelt knob must not pass as done.
  fingerprint: z.strictObject({
    next: z
      .array(
        z.union([
          z.object({ kind: z.literal('seed'), seed: z.number().int(), variant: z.enum(['good', 'smudged', 'low-contrast']).optional() }),
          z.object({ kind: z.literal('blank') }),
          z.object({ kind: z.literal('same-again') }),
          z.object({ kind: z.literal('none') }),
        ]),
      )
      .max(50)
      .optional(),
    unplugMidUpload: z.boolean().optional(),
    /** Pull the module's cable now; it stays out (opens fail) until `replug`. */
    unplug: z.boolean().optional(),
    /** Plug it back in (after `unplug` or `unplugMidUpload`): powered up again, its rate kept in flash. */
    replug: z.boolean().optional(),
  }),
  // One of: what the camera sees, its cable pulled, or plugged back.
  camera: z
    .strictObject({ scenario: z.enum(SIM_SCENARIOS).optional(), unplug: z.literal(true).optional(), replug: z.literal(true).optional() })
    .refine((r) => [r.scenario !== undefined, r.unplug, r.replug].filter(Boolean).length === 1, {
      error: 'give one of {"scenario": …}, {"unplug": true} or {"replug": true}',
    }),
  // What the printer answers (paper, cover, offline: true sets, false undoes), or its USB cable
  // pulled, staying out until the replug (issue #13).
  printer: z.union([
    z
      .strictObject({
        paperOut: z.boolean().optional(),
        coverOpen: z.boolean().optional(),
        offline: z.boolean().optional(),
        paperLow: z.boolean().optional(),
      })
      .refine((r) => Object.keys(r).length > 0, { error: 'give one or more of "paperOut", "coverOpen", "offline", "paperLow" as true or false, or {"unplug": true} or {"replug": true}' }),
    z.strictObject({ unplug: z.literal(true) }),
    z.strictObject({ replug: z.literal(true) }),
  ]),
  timing: z.strictObject({ realistic: z.boolean() }),
  panel: z.union([
    /** Press and let go (the help button, someone passing the PIR, the door opened and shut). */
    z.strictObject({ press: z.enum(PANEL_INPUTS) }),
    /** Hold an input where it is put (the door left open, someone standing in front of the PIR). */
    z.strictObject({ set: z.enum(PANEL_INPUTS), active: z.boolean() }),
    /** Pull the board's USB cable, and plug it back in. */
    z.strictObject({ unplug: z.literal(true) }),
    z.strictObject({ replug: z.literal(true) }),
  ]),
} as const;

export type SimDevice = keyof typeof simRequests;

/** What each simulator takes, said with every refusal so the caller can put it right. */
export const SIM_BODIES: Record<SimDevice, string> = {
  document: '{"present": "<the code>"}, {"garbage": true}, {"half": "<the code>"}, {"unplug": true} or {"replug": true}',
  fingerprint: '{"next": [{"kind": "seed", "seed": 1}, {"kind": "blank"}, {"kind": "same-again"}, {"kind": "none"}]}, {"unplugMidUpload": true}, {"unplug": true} or {"replug": true}',
  camera: `{"scenario": ${SIM_SCENARIOS.map((s) => `"${s}"`).join(' | ')}}, {"unplug": true} or {"replug": true}`,
  printer: '{"paperOut" | "coverOpen" | "offline" | "paperLow": true or false, …}, {"unplug": true} or {"replug": true}',
  timing: '{"realistic": true or false}',
  panel: `{"press": ${PANEL_INPUTS.map((s) => `"${s}"`).join(' | ')}}, {"set": <the same>, "active": true or false}, {"unplug": true} or {"replug": true}`,
};
export type SimRequest<D extends SimDevice> = z.infer<(typeof simRequests)[D]>;

export interface SimControls {
  document?(req: SimRequest<'document'>): Promise<void>;
  fingerprint?(req: SimRequest<'fingerprint'>): Promise<void>;
  camera?(req: SimRequest<'camera'>): Promise<void>;
  printer?(req: SimRequest<'printer'>): Promise<void>;
  timing?(req: SimRequest<'timing'>): Promise<void>;
  panel?(req: SimRequest<'panel'>): Promise<void>;
  /** The last receipt the simulated printer printed, as the PNG it rendered from the ESC/POS bytes. */
  receiptPng?(): Promise<Uint8Array | undefined>;
}
