/** Dates as Vietnamese people write them (dd/mm/yyyy), whatever shape the controller sent. */
export function formatDate(value: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (iso) return `${iso[3] ?? ''}/${iso[2] ?? ''}/${iso[1] ?? ''}`;
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (compact) return `${compact[1] ?? ''}/${compact[2] ?? ''}/${compact[3] ?? ''}`;
  return value;
}

/**
 * Digit strings in groups of three so they can be read aloud and checked: 9- and 12-digit ID
 * numbers split evenly, and the groups don't jump while a number is still being typed.
 */
export function groupDigits(digits: string): string {
  const size = 3;
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += size) groups.push(digits.slice(i, i + size));
  return groups.join(' ');
}
