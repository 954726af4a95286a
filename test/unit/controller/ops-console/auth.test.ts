import { beforeAll, describe, expect, it } from 'vitest';
import { createOpsAuth, readCookie, SESSION_COOKIE } from '../../../../controller/ops-console/auth';
import type { Officer } from '../../../../controller/ops-console/files';
import { hashSecret } from '../../../../controller/tech/pin';

/**
 * The console's login (issue #14): the password against its scrypt hash, sessions in an
 * HttpOnly SameSite=Strict cookie that expire, and guessing slowed per address and per login.
 */

let officers: Officer[];
beforeAll(async () => {
  officers = [{ login: 'binh', name: 'Trần Thị Bình', hash: await hashSecret('dung-mat-khau-1', { ln: 10 }) }];
});

const cookieOf = (set: string): string => set.split(';')[0] ?? '';

describe('the console login', () => {
  it('opens a session for the right password; the cookie is HttpOnly, SameSite=Strict, and names the session', async () => {
    let t = 1_000_000;
    const auth = createOpsAuth({ officers, now: () => t, sessionMs: 60_000 });
    const r = await auth.login('binh', 'dung-mat-khau-1', '10.0.0.5');
    if (!r.ok) throw new Error('refused');
    expect(r.session.officer).toBe('Trần Thị Bình');
    const set = auth.setCookie(r.session);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(readCookie(cookieOf(set), SESSION_COOKIE)).toBe(r.session.id);
    expect(auth.session(`a=b; ${cookieOf(set)}`)?.officer).toBe('Trần Thị Bình');
    t += 60_001;
    expect(auth.session(cookieOf(set))).toBeUndefined();
  });

  it('says the same for an unknown login and a wrong password', async () => {
    const auth = createOpsAuth({ officers, minGapMs: 0 });
    expect(await auth.login('nobody', 'dung-mat-khau-1', 'a')).toEqual({ ok: false, reason: 'wrong' });
    expect(await auth.login('binh', 'sai-mat-khau', 'a')).toEqual({ ok: false, reason: 'wrong' });
  });

  it('takes one attempt a second from an address, and locks the address after five wrong ones', async () => {
    let t = 0;
    const auth = createOpsAuth({ officers, now: () => t, minGapMs: 1_000, lockoutMs: 300_000 });
    expect(await auth.login('binh', 'sai', 'x')).toMatchObject({ reason: 'wrong' });
    expect(await auth.login('binh', 'dung-mat-khau-1', 'x')).toMatchObject({ ok: false, reason: 'rate-limited' });
    for (let i = 0; i < 4; i++) {
      t += 1_000;
      expect(await auth.login('binh', 'sai', 'x')).toMatchObject({ reason: 'wrong' });
    }
    t += 1_000;
    expect(await auth.login('binh', 'dung-mat-khau-1', 'x')).toMatchObject({ ok: false, reason: 'locked' });
    // Another address is not locked by this one.
    expect((await auth.login('binh', 'dung-mat-khau-1', 'y')).ok).toBe(true);
    t += 300_000;
    expect((await auth.login('binh', 'dung-mat-khau-1', 'x')).ok).toBe(true);
  });

  it('locks a login guessed at from many addresses', async () => {
    const auth = createOpsAuth({ officers, minGapMs: 0, maxFailuresPerLogin: 3 });
    for (let i = 0; i < 3; i++) await auth.login('binh', 'sai', `10.0.0.${i}`);
    expect(await auth.login('binh', 'dung-mat-khau-1', '10.0.0.99')).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('logs out: the session is gone', async () => {
    const auth = createOpsAuth({ officers });
    const r = await auth.login('binh', 'dung-mat-khau-1', 'z');
    if (!r.ok) throw new Error('refused');
    const c = cookieOf(auth.setCookie(r.session));
    auth.logout(c);
    expect(auth.session(c)).toBeUndefined();
  });
});
