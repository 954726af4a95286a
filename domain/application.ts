/**
 * Why a citizen applies, and the facts of the application that are not the card's: the words the
 * kiosk, the packet, the receipt and the invitation share (docs/invitation-format.md,
 * docs/packet-format.md, docs/facts/application-cases.md).
 */

/**
 * The cases the police take an application for (campaign notices: a first card, a damaged or
 * illegible card, an expired card, a lost card, changed information, other). The codes are what
 * the packet and the invitation carry; the screen says them in a citizen's words.
 */
export const APPLICATION_CASES = ['first', 'damaged', 'expired', 'lost', 'changed', 'other'] as const;
export type ApplicationCase = (typeof APPLICATION_CASES)[number];

/** What changed, for the `changed` case: staff need to know before the card is made. */
export const INFO_CHANGES = ['name', 'birth-date', 'address', 'origin', 'other'] as const;
export type InfoChange = (typeof INFO_CHANGES)[number];

/**
 * Who the police serve first: the elderly, war veterans and people with merit to the revolution,
 * students before their exams, people with a disability. `none` for everyone else.
 */
export const PRIORITY_GROUPS = ['none', 'elderly', 'veteran', 'exam', 'disability'] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];

/**
 * The age bands of Luật Căn cước 2023, Điều 19 and 23 (docs/facts/identity-law-2023.md): 14 and
 * over apply alone; 6 to under 14 attend with a guardian, biometrics taken; under 6, a guardian
 * applies and no biometrics are taken.
 */
export const AGE_GROUPS = ['adult', 'child', 'infant'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Why the kiosk refused an invitation (each has its own words on the start screen). */
export const INVITATION_REFUSALS = ['malformed', 'unknown-key', 'forged', 'expired', 'not-yet-valid', 'used'] as const;
export type InvitationRefusal = (typeof INVITATION_REFUSALS)[number];

/** An invitation as the session holds it, after its signature and dates were checked. */
export interface InvitationFacts {
  readonly id: string;
  /** The 12-digit personal ID number, or a 9-digit old CMND, of the person invited. */
  readonly idNumber: string;
  readonly case: ApplicationCase;
  readonly priority: PriorityGroup;
  /** ISO yyyy-mm-dd, inclusive, Vietnam time. */
  readonly validFrom: string;
  readonly validUntil: string;
  readonly station: string;
}
