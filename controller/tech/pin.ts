import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PIN_PATTERN } from '../../domain/tech-channel/messages';

/**
 * The technician's PIN, kept in the config as a salted scrypt hash in the PHC string format
 * (`$scrypt$ln=14,r=8,p=1$<salt>$<hash>`, base64 without padding), never as the PIN. scrypt
 * because it is in node:crypto and costs memory as well as time (a guess costs 16 MiB and tens
 * of milliseconds on a Pi); the parameters travel in the string so they can be raised later
 * without breaking kiosks already set up.
 */

export const PIN_HASH_PATTERN = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43,88})$/;

const DEFAULT_LN = 14;
const R = 8;
const P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Why a PIN cannot be set, in plain words; undefined when it can. */
export function pinProblem(pin: string): string | undefined {
  if (!PIN_PATTERN.test(pin)) return 'a PIN is 6 to 12 digits (0-9), nothing else';
  if (/^(\d)\1+$/.test(pin)) return 'a PIN of one digit repeated is guessed first; choose another';
  const steps = [...pin].slice(1).map((c, i) => Number(c) - Number(pin[i]));
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'a PIN of digits in a row (123456…) is guessed first; choose another';
  return undefined;
}

const b64 = (b: Buffer): string => b.toString('base64').replace(/=+$/, '');

function derive(pin: string, salt: Buffer, ln: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** ln;
  // Node refuses past 32 MiB by default; allow what these parameters need, with room.
  const opts: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(pin.normalize('NFKC'), salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A new hash of `pin` with a fresh random salt. `ln` (log2 of scrypt's N) only for tests. */
export async function hashPin(pin: string, opts: { readonly ln?: number } = {}): Promise<string> {
  const problem = pinProblem(pin);
  if (problem) throw new Error(problem);
  return hashSecret(pin, opts);
}

/**
 * The same salted scrypt hash of any secret (the hall officers' passwords, issue #14); checked
 * with `verifyPin`, which reads the parameters from the string.
 */
export async function hashSecret(secret: string, opts: { readonly ln?: number } = {}): Promise<string> {
  const pin = secret;
  const ln = opts.ln ?? DEFAULT_LN;
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(pin, salt, ln, R, P);
  return `$scrypt$ln=${ln},r=${R},p=${P}$${b64(salt)}$${b64(key)}`;
}

/** Does `pin` match the stored hash? Compared in constant time; a malformed hash matches nothing. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const m = PIN_HASH_PATTERN.exec(stored);
  if (!m) return false;
  const [, ln, r, p, salt, hash] = m;
  const lnN = Number(ln);
  const rN = Number(r);
  const pN = Number(p);
  // Bounds a config could carry (the schema checks them too): nothing that would stall the kiosk.
  if (lnN < 1 || lnN > 20 || rN < 1 || rN > 32 || pN < 1 || pN > 16 || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(pin, Buffer.from(salt, 'base64'), lnN, rN, pN);
  return key.length === expected.length && timingSafeEqual(key, expected);
}
