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
