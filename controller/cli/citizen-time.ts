/**
 * How long a citizen takes at each step, as a written model (docs/facts/citizen-time.md gives
 * each figure's source, or says it is our assumption). Two personas: an ordinary adult and an
 * elderly citizen. Each action's time is log-normal around its median (people's times are
 * skewed: most are quick, a few take much longer), with the spread given as the ratio of the
 * 90th percentile to the median.
 *
 * Used by `simulate --realistic` (a simulated citizen waits this long before each action) and by
 * `npm run bench -- citizen-time` (modelled sessions, with the kiosk's own fixed times added).
 */

import { configSchema, type FlowConfig } from '../config/schema';

export const PERSONAS = ['ordinary', 'elderly'] as const;
export type Persona = (typeof PERSONAS)[number];

export const CITIZEN_ACTIONS = [
  /** Read one screen's instruction (a short one, ~25 words) before acting on it. */
  'read-instruction',
  /** Decide and tap one button. */
  'tap',
  /** Take the card out of a wallet or bag. */
  'find-card',
  /** Hold the card's code under the scanner window until it beeps. */
  'present-card',
  /** Read the document details back and confirm them (~40 words). */
  'check-details',
  /** Move the right finger to the sensor and press it flat. */
  'place-finger',
  /** Lift the finger when told. */
  'lift-finger',
  /** Stand in the frame, look at the camera, hold still. */
  'pose',
  /** Sign on the pad. */
  'sign',
  /** Read the summary and confirm (REVIEW_WORDS and a photo). */
  'review',
  /** Take the receipt from the printer. */
  'take-receipt',
] as const;
export type CitizenAction = (typeof CITIZEN_ACTIONS)[number];

export interface ActionTime {
  /** Seconds. */
  readonly median: number;
  /** p90 / median: 1.5 is a tight action, 2.5 a very variable one. */
  readonly p90Ratio: number;
}

/** Silent reading of non-fiction, words per minute (Brysbaert 2019: 238; older readers ~30 % slower). */
export const READING_WPM: Readonly<Record<Persona, number>> = { ordinary: 238, elderly: 170 };

const read = (words: number, persona: Persona, p90Ratio: number): ActionTime => ({ median: (words / READING_WPM[persona]) * 60, p90Ratio });

/**
 * The words of the review that the citizen reads: ~60 when it repeated every line of the card
 * (140 words on screen in Vietnamese for a card with an old ID number and a long address);
 * since issue #15 it shows only whose application it is (the card's other lines were checked on
 * the document step), 97 words on screen for the same card: 60 × 97 / 140 ≈ 42. Both counts are
 * the page's visible words in Chromium (docs/facts/citizen-time.md says how they were taken).
 */
export const REVIEW_WORDS = 42;

export const CITIZEN_TIME: Readonly<Record<Persona, Readonly<Record<CitizenAction, ActionTime>>>> = {
  ordinary: {
    'read-instruction': read(25, 'ordinary', 1.8),
    tap: { median: 1.2, p90Ratio: 1.8 },
    'find-card': { median: 6, p90Ratio: 2.2 },
    'present-card': { median: 3, p90Ratio: 2.2 },
    'check-details': read(40, 'ordinary', 1.8),
    'place-finger': { median: 2, p90Ratio: 1.8 },
    'lift-finger': { median: 0.6, p90Ratio: 1.6 },
    pose: { median: 4, p90Ratio: 2 },
    sign: { median: 5, p90Ratio: 1.8 },
    review: read(REVIEW_WORDS, 'ordinary', 2),
    'take-receipt': { median: 3, p90Ratio: 1.8 },
  },
  elderly: {
    'read-instruction': read(25, 'elderly', 2.2),
    tap: { median: 2.2, p90Ratio: 2.2 },
    'find-card': { median: 12, p90Ratio: 2.5 },
    'present-card': { median: 6, p90Ratio: 2.5 },
    'check-details': read(40, 'elderly', 2.2),
    'place-finger': { median: 3.5, p90Ratio: 2 },
    'lift-finger': { median: 1, p90Ratio: 1.8 },
    pose: { median: 8, p90Ratio: 2.2 },
    sign: { median: 9, p90Ratio: 2 },
    review: read(REVIEW_WORDS, 'elderly', 2.2),
    'take-receipt': { median: 5, p90Ratio: 2 },
  },
};

/**
 * How often an action has to be repeated: a fingerprint below the quality threshold, a face
 * photo that fails a check. Elderly skin gives lower-quality prints (Modi & Elliott 2006).
 */
export const RETRY_CHANCE: Readonly<Record<Persona, { readonly finger: number; readonly face: number }>> = {
  ordinary: { finger: 0.1, face: 0.15 },
  elderly: { finger: 0.3, face: 0.3 },
};

const Z90 = 1.2815515655446004;

/** A standard normal deviate from two uniforms (Box–Muller). */
function normal(rand: () => number): number {
  const u = Math.max(rand(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** One draw of the action's time, in seconds. */
export function sampleSeconds(t: ActionTime, rand: () => number): number {
  const sigma = Math.log(t.p90Ratio) / Z90;
  return t.median * Math.exp(sigma * normal(rand));
}

/** The citizen's own time before an action, in milliseconds, for `simulate --realistic`. */
export function citizenDelayMs(persona: Persona, action: CitizenAction, rand: () => number): number {
  return Math.round(sampleSeconds(CITIZEN_TIME[persona][action], rand) * 1000);
}

/**
 * The kiosk's own time in a session, fixed by the devices and the flow (docs/facts/citizen-time.md):
 * seconds each.
 */
export interface KioskTimes {
  /** One fingerprint image from the sensor (R307 upload at 115,200 baud, plus GenImg). */
  readonly fingerUpload: number;
  /** "This finger is done" before the next (flow.fingerAcceptedPauseMs). */
  readonly fingerAccepted: number;
  /** Before a retry (flow.fingerPauseMs). */
  readonly fingerRetryPause: number;
  /** The 3-2-1 before the photo (flow.faceCountdownSeconds) plus the still. */
  readonly faceCountdown: number;
  /** Seal, commit, print the receipt. */
  readonly submitAndPrint: number;
}

/** The kiosk's times for a flow config: the pauses and the countdown are the config's own. */
export function kioskTimes(flow: FlowConfig): KioskTimes {
  return {
    // 3.5 s of image on the wire at 115,200 baud (fingerprint-r30x.md), and the capture itself.
    fingerUpload: 3.8,
    fingerAccepted: flow.fingerAcceptedPauseMs / 1000,
    fingerRetryPause: flow.fingerPauseMs / 1000,
    // The countdown, and about half a second to take and check the still.
    faceCountdown: flow.faceCountdownSeconds + 0.5,
    // Seal and commit take tens of milliseconds; the default receipt (raster, 80 mm) is 56.7 KB,
    // 4.9 s on the wire at 115,200 baud (`npm run bench -- printer`), printed as it arrives.
    submitAndPrint: 5,
  };
}

/** With the shipped config's defaults. */
export const KIOSK_TIMES: KioskTimes = kioskTimes(configSchema.parse({}).flow);

/** One whole session's time, in seconds: the citizen's actions and the kiosk's fixed times. */
export function modelSession(persona: Persona, rand: () => number, kiosk: KioskTimes = KIOSK_TIMES): number {
  const t = (a: CitizenAction) => sampleSeconds(CITIZEN_TIME[persona][a], rand);
  const retry = RETRY_CHANCE[persona];
  let s = 0;
  // Language, why they came (issue #15: six pictures, one tap), then the document: read, find
  // the card, scan it, check and confirm.
  s += t('read-instruction') + t('tap');
  s += t('read-instruction') + t('tap');
  s += t('read-instruction') + t('find-card') + t('present-card');
  s += t('check-details') + t('tap');
  // Ten fingers: the first screen is read once; each finger is placed and its image taken.
  s += t('read-instruction');
  for (let f = 0; f < 10; f++) {
    for (let attempt = 0; ; attempt++) {
      const place = t('place-finger');
      // "Well done" names the next finger: the citizen moves to it while the tick is shown, so
      // the pause before it is hidden under the move (the first finger has none before it).
      s += f > 0 && attempt === 0 ? Math.max(kiosk.fingerAccepted, place) : place;
      // The sensor has the image: "lift your finger" while it is sent, so the lift is hidden
      // under the upload (issue #15; before, the citizen held still until the upload was done).
      s += Math.max(kiosk.fingerUpload, t('lift-finger'));
      if (rand() >= retry.finger) break;
      s += kiosk.fingerRetryPause; // below the threshold: "try again"
    }
  }
  // The last finger's tick: the face screen comes after it.
  s += kiosk.fingerAccepted;
  // Face: read, pose, countdown, accept (a retake poses again).
  s += t('read-instruction');
  for (;;) {
    s += t('pose') + kiosk.faceCountdown;
    if (rand() >= retry.face) break;
    s += t('tap'); // "take again"
  }
  s += t('tap');
  // Signature, review, receipt.
  s += t('read-instruction') + t('sign') + t('tap');
  s += t('review') + t('tap');
  s += kiosk.submitAndPrint + t('take-receipt');
  return s;
}
