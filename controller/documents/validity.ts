import { addYears } from './dates';

/**
 * When a CCCD issued under the 2014 law stops being valid. Luật Căn cước công dân 2014, Điều 21:
 * the card must be renewed at ages 25, 40 and 60; a card issued or renewed within the two years
 * before one of those ages is valid until the next one; from 58 on it does not expire.
 * The 2021 QR carries no expiry, so this is how the kiosk flags an expired QR card for staff.
 * (Existing CCCDs stay valid under the 2023 Identity Law, Điều 46, until the date printed.)
 */
const RENEWAL_AGES = [25, 40, 60] as const;

export function cccdExpiry(dateOfBirth: string, issueDate: string): string | undefined {
  for (const age of RENEWAL_AGES) {
    if (issueDate < addYears(dateOfBirth, age - 2)) return addYears(dateOfBirth, age);
  }
  return undefined;
}
