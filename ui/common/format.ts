/** Dates as Vietnamese people write them (dd/mm/yyyy), whatever shape the controller sent. */
export function formatDate(value: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (iso) return `${iso[3] ?? ''}/${iso[2] ?? ''}/${iso[1] ?? ''}`;
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
  if (compact) return `${compact[1] ?? ''}/${compact[2] ?? ''}/${compact[3] ?? ''}`;
  return value;
}

/** Long digit strings in groups of three or four so they can be read aloud and checked. */
export function groupDigits(digits: string): string {
  const size = digits.length === 9 ? 3 : digits.length === 12 ? 3 : 4;
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += size) groups.push(digits.slice(i, i + size));
  return groups.join(' ');
}
