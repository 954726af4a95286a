import { randomBytes } from 'node:crypto';
import { verifyPin } from '../tech/pin';
import type { Officer } from './files';

/**
 * The console's login (issue #14): an officer's login and password checked against the salted
 * scrypt hash in the officers file; a session is a random 32-byte id in an HttpOnly,
 * SameSite=Strict cookie, kept in memory (a restart of the ops process logs everyone out).
 * Attempts are rate limited per address (one a second; after five wrong ones in a row, five
 * minutes' wait) and per login (after ten wrong ones in a row, from anywhere, the same wait), so
 * guessing costs days. A wrong login and a wrong password take the same time and get the same words.
 */

export const SESSION_COOKIE = 'ops_session';

export interface OpsSession {
  readonly id: string;
  readonly login: string;
  readonly officer: string;
  readonly expiresAt: number;
}

export type LoginOutcome =
  | { readonly ok: true; readonly session: OpsSession }
  | { readonly ok: false; readonly reason: 'wrong' | 'rate-limited' | 'locked'; readonly retryAt?: number };

export interface OpsAuth {
  login(login: string, password: string, from: string): Promise<LoginOutcome>;
  /** The session a request's cookie names, if any and not expired. */
  session(cookieHeader: string | undefined): OpsSession | undefined;
  logout(cookieHeader: string | undefined): void;
  setCookie(session: OpsSession): string;
  readonly clearCookie: string;
}

export interface AuthOptions {
  readonly officers: readonly Officer[];
  readonly sessionMs?: number;
  readonly now?: () => number;
  readonly minGapMs?: number;
  readonly maxFailuresPerAddress?: number;
  readonly maxFailuresPerLogin?: number;
  readonly lockoutMs?: number;
  /** Add `Secure` to the cookie (the console behind HTTPS). */
  readonly secureCookie?: boolean;
}

/** A hash to check against when the login is unknown, so both cost the same. */
const DUMMY_HASH = '$scrypt$ln=14,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function createOpsAuth(opts: AuthOptions): OpsAuth {
  const now = opts.now ?? Date.now;
  const sessionMs = opts.sessionMs ?? 12 * 3600_000;
  const minGapMs = opts.minGapMs ?? 1_000;
  const lockoutMs = opts.lockoutMs ?? 5 * 60_000;
  const maxPerAddress = opts.maxFailuresPerAddress ?? 5;
  const maxPerLogin = opts.maxFailuresPerLogin ?? 10;
  const byLogin = new Map(opts.officers.map((o) => [o.login, o]));
  const sessions = new Map<string, OpsSession>();
  const addresses = new Map<string, { last: number; failures: number; lockedUntil: number }>();
  const logins = new Map<string, { failures: number; lockedUntil: number }>();

  const sessionOf = (header: string | undefined): OpsSession | undefined => {
    const id = readCookie(header, SESSION_COOKIE);
    if (!id) return undefined;
    const s = sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= now()) {
      sessions.delete(id);
      return undefined;
    }
    return s;
  };

  return {
    async login(login, password, from) {
      const t = now();
      const a = addresses.get(from) ?? { last: Number.NEGATIVE_INFINITY, failures: 0, lockedUntil: 0 };
      addresses.set(from, a);
      const l = logins.get(login) ?? { failures: 0, lockedUntil: 0 };
      if (a.lockedUntil > t) return { ok: false, reason: 'locked', retryAt: a.lockedUntil };
      if (l.lockedUntil > t) return { ok: false, reason: 'locked', retryAt: l.lockedUntil };
      if (t - a.last < minGapMs) return { ok: false, reason: 'rate-limited', retryAt: a.last + minGapMs };
      a.last = t;
      const officer = byLogin.get(login);
      const ok = await verifyPin(password, officer?.hash ?? DUMMY_HASH);
      if (!ok || !officer) {
        a.failures += 1;
        if (a.failures >= maxPerAddress) {
          a.lockedUntil = now() + lockoutMs;
          a.failures = 0;
        }
        // Only logins that exist are counted (an unknown one would grow the table for nothing).
        if (officer) {
          l.failures += 1;
          if (l.failures >= maxPerLogin) {
            l.lockedUntil = now() + lockoutMs;
            l.failures = 0;
          }
          logins.set(login, l);
        }
        return { ok: false, reason: 'wrong' };
      }
      a.failures = 0;
      logins.delete(login);
      const session: OpsSession = { id: randomBytes(32).toString('base64url'), login, officer: officer.name, expiresAt: now() + sessionMs };
      sessions.set(session.id, session);
      return { ok: true, session };
    },
    session: sessionOf,
    logout(header) {
      const s = sessionOf(header);
      if (s) sessions.delete(s.id);
    },
    setCookie: (s) => `${SESSION_COOKIE}=${s.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(sessionMs / 1000)}${opts.secureCookie ? '; Secure' : ''}`,
    clearCookie: `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${opts.secureCookie ? '; Secure' : ''}`,
  };
}
