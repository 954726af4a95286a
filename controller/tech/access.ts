import { createHash, timingSafeEqual } from 'node:crypto';
import type { JsonValue } from '../store/audit-chain';
import type { TechConfig } from '../config/schema';
import { createPinGuard, type PinGuard } from './pin-guard';
import { verifyPin } from './pin';
import type { TechWhere, UnlockRefusal } from '../../domain/tech-channel/messages';

/**
 * Who may unlock the service screen, and the audit of every attempt (issue #13). A PIN is
 * checked against the hash in the config, behind the guard (pin-guard.ts); the kiosk's local
 * token (token-file.ts) is taken from this machine only, never from the network.
 *
 * Two guards, one for the kiosk itself (its screen and its programs) and one for the network: a
 * laptop on the network guessing PINs locks the network out, not the technician standing at
 * the kiosk.
 *
 * Every attempt is accounted for in the audit chain (`tech-unlock`), never with the PIN. A PIN
 * that was checked is one row. An attempt refused unchecked (locked out, too fast, no PIN set,
 * a bad token) costs the sender nothing, so those are written at most once a minute per kind,
 * each row saying how many there were (`refused`): a flood cannot fill the disk.
 */

export interface Who {
  readonly where: TechWhere;
  /** The network address, for attempts from the network. */
  readonly address?: string;
}

export type UnlockOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: UnlockRefusal; readonly attemptsLeft?: number; readonly retryAt?: number };

export interface AccessView {
  readonly pinSet: boolean;
  readonly lockedUntil?: number;
  readonly attemptsLeft: number;
}

export interface TechAccessControl {
  tryPin(pin: string, who: Who): Promise<UnlockOutcome>;
  tryToken(token: string, who: Who): UnlockOutcome;
  view(who: Who): AccessView;
  /** Writes what is still only counted, and stops the timer. */
  stop(): void;
}

export interface AccessDeps {
  readonly config: Pick<TechConfig, 'pinHash' | 'maxFailures' | 'lockoutMs' | 'minAttemptGapMs'>;
  /** This start's local token, when the kiosk wrote one. */
  readonly token?: string;
  /** Appends a `tech-unlock` row; never throws. */
  readonly audit: (detail: JsonValue) => void;
  readonly now?: () => number;
}

/** How often a row is written for attempts refused unchecked (per where and why). */
export const REFUSED_ROW_EVERY_MS = 60_000;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function createTechAccess(deps: AccessDeps): TechAccessControl {
  const now = deps.now ?? Date.now;
  const guardOpts = { maxFailures: deps.config.maxFailures, lockoutMs: deps.config.lockoutMs, minGapMs: deps.config.minAttemptGapMs, now };
  const guards: Record<'local' | 'network', PinGuard> = { local: createPinGuard(guardOpts), network: createPinGuard(guardOpts) };
  const guardOf = (who: Who): PinGuard => guards[who.where === 'network' ? 'network' : 'local'];
  const pinHash = deps.config.pinHash;

  /** Refused-unchecked attempts not yet written, by where and why. */
  const pending = new Map<string, { count: number; lastRowAt: number; flush?: ReturnType<typeof setTimeout>; detail: Record<string, JsonValue> }>();
  const whoDetail = (who: Who): Record<string, JsonValue> => ({ where: who.where, ...(who.address ? { address: who.address } : {}) });

  const writeRefused = (key: string): void => {
    const p = pending.get(key);
    if (!p || p.count === 0) return;
    deps.audit({ ...p.detail, refused: p.count });
    p.count = 0;
    p.lastRowAt = now();
  };
  const refusedUnchecked = (reason: UnlockRefusal, via: 'pin' | 'token', who: Who, extra: Record<string, JsonValue> = {}): void => {
    const key = `${who.where}|${who.address ?? ''}|${reason}`;
    const p = pending.get(key) ?? { count: 0, lastRowAt: Number.NEGATIVE_INFINITY, detail: {} };
    pending.set(key, p);
    p.count += 1;
    p.detail = { outcome: reason, via, ...whoDetail(who), ...extra };
    if (now() - p.lastRowAt >= REFUSED_ROW_EVERY_MS) {
      writeRefused(key);
      return;
    }
    // Counted now, written when the minute is up (whether or not more come).
    p.flush ??= setTimeout(
      () => {
        p.flush = undefined;
        writeRefused(key);
      },
      Math.max(0, p.lastRowAt + REFUSED_ROW_EVERY_MS - now()),
    );
    p.flush.unref?.();
  };

  return {
    async tryPin(pin, who) {
      if (pinHash === undefined) {
        refusedUnchecked('no-pin-set', 'pin', who);
        return { ok: false, reason: 'no-pin-set' };
      }
      const guard = guardOf(who);
      const admitted = guard.admit();
      if (!admitted.ok) {
        refusedUnchecked(admitted.reason, 'pin', who, { retryAt: new Date(admitted.retryAt).toISOString() });
        return { ok: false, reason: admitted.reason, retryAt: admitted.retryAt };
      }
      const right = await verifyPin(pin, pinHash);
      if (right) {
        guard.succeeded();
        deps.audit({ outcome: 'unlocked', via: 'pin', ...whoDetail(who) });
        return { ok: true };
      }
      const s = guard.failed();
      deps.audit({
        outcome: 'wrong-pin',
        via: 'pin',
        ...whoDetail(who),
        attemptsLeft: s.attemptsLeft,
        ...(s.lockedUntil !== undefined ? { lockedUntil: new Date(s.lockedUntil).toISOString() } : {}),
      });
      return s.lockedUntil !== undefined ? { ok: false, reason: 'wrong-pin', attemptsLeft: 0, retryAt: s.lockedUntil } : { ok: false, reason: 'wrong-pin', attemptsLeft: s.attemptsLeft };
    },
    tryToken(token, who) {
      const usable = deps.token !== undefined && who.where !== 'network' && timingSafeEqual(digest(token), digest(deps.token));
      if (!usable) {
        refusedUnchecked('bad-token', 'token', who);
        return { ok: false, reason: 'bad-token' };
      }
      deps.audit({ outcome: 'unlocked', via: 'token', ...whoDetail(who) });
      return { ok: true };
    },
    view(who) {
      const s = guardOf(who).state();
      return { pinSet: pinHash !== undefined, attemptsLeft: s.attemptsLeft, ...(s.lockedUntil !== undefined ? { lockedUntil: s.lockedUntil } : {}) };
    },
    stop() {
      for (const [key, p] of pending) {
        if (p.flush) clearTimeout(p.flush);
        p.flush = undefined;
        writeRefused(key);
      }
    },
  };
}
