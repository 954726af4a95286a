import type { Bilingual } from './language';

/**
 * A soft check on a document (a field that disagrees with another, an expired card): failing it
 * does not reject the document; the citizen sees what disagrees and staff review it.
 */
export interface DocumentCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly message?: Bilingual;
}

export type Sex = 'male' | 'female';

/** What a citizen's card says about them, as read (dates are ISO yyyy-mm-dd). */
export interface DocumentFields {
  /** The 12-digit personal ID number (docs/facts/id-numbers.md), or an old 9-digit CMND. */
  readonly idNumber: string;
  readonly oldIdNumber?: string;
  readonly fullName?: string;
  readonly dateOfBirth?: string;
  readonly sex?: Sex;
  readonly address?: string;
  readonly issueDate?: string;
}
