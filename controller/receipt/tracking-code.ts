/**
 * Tracking codes citizens read aloud, type and photograph: `K7Q-4MX-92P`.
 *
 * Crockford base32 (no I, L, O, U: nothing to confuse with 1, 0 or V), 8 random symbols
 * (40 bits) and a check symbol: the code's value mod 37, as in Crockford's check-symbol scheme.
 * 37 is prime and 32 ≢ 0, 1 (mod 37), so every single-symbol error and every adjacent
 * transposition changes the remainder. Crockford needs five extra symbols (* ~ $ = U) for
 * remainders 32–36; instead we draw again until the remainder is below 32 (about 1 in 7
 * draws), so the check symbol is an ordinary letter or digit.
 */

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PAYLOAD = 8;
const CHECK_MOD = 37;

/** `(n) => crypto.randomBytes(n)` in production; a fixed sequence in tests. */
export type RandomBytes = (size: number) => Uint8Array;

function remainder(values: readonly number[]): number {
  return values.reduce((r, v) => (r * 32 + v) % CHECK_MOD, 0);
}

function group(symbols: string): string {
  return `${symbols.slice(0, 3)}-${symbols.slice(3, 6)}-${symbols.slice(6, 9)}`;
}

/** A uniform source ends the loop within a few draws; a stuck one must not hang the kiosk. */
const MAX_DRAWS = 1000;

export function makeTrackingCode(random: RandomBytes): string {
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const bytes = random(PAYLOAD);
    // Low 5 bits of each byte: uniform over the 32 symbols when the bytes are uniform.
    const values = Array.from({ length: PAYLOAD }, (_, i) => (bytes[i] ?? 0) & 31);
    const check = remainder(values);
    if (check < 32) return group(values.map((v) => CROCKFORD[v] ?? '0').join('') + (CROCKFORD[check] ?? '0'));
  }
  throw new Error('makeTrackingCode: the random source keeps returning the same bytes');
}

/** Crockford's reading rules: case-insensitive, O → 0, I and L → 1; hyphens and spaces ignored. */
export function normaliseTrackingCode(input: string): string | undefined {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== PAYLOAD + 1 || [...s].some((c) => !CROCKFORD.includes(c))) return undefined;
  return group(s);
}

export function verifyTrackingCode(code: string): boolean {
  const s = normaliseTrackingCode(code);
  if (s === undefined) return false;
  const values = [...s.replace(/-/g, '')].map((c) => CROCKFORD.indexOf(c));
  const check = values.pop();
  return check !== undefined && remainder(values) === check;
}
