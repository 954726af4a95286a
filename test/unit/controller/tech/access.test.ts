import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTechAccess, REFUSED_ROW_EVERY_MS } from '../../../../controller/tech/access';
import { hashPin } from '../../../../controller/tech/pin';
import type { JsonValue } from '../../../../controller/store/audit-chain';

/**
 * Unlocking the service screen: the PIN against its hash, behind the guard, and an audit row
 * for every attempt (never the PIN). Fake timers for the lockout and the rate limit.
 */

const PIN = '482913';
let pinHash: string;
beforeAll(async () => {
  pinHash = await hashPin(PIN, { ln: 4 });
});
beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-03-01T08:00:00Z'));
});
afterEach(() => vi.useRealTimers());

function setUp(opts: { pinHash?: string | null; token?: string } = {}) {
  const rows: JsonValue[] = [];
  const access = createTechAccess({
    config: { ...(opts.pinHash === null ? {} : { pinHash: opts.pinHash ?? pinHash }), maxFailures: 5, lockoutMs: 300_000, minAttemptGapMs: 1_000 },
    ...(opts.token ? { token: opts.token } : {}),
    audit: (d) => rows.push(d),
  });
  return { access, rows };
}

const screen = { where: 'kiosk-screen' } as const;
const laptop = { where: 'network', address: '192.168.1.50' } as const;

describe('unlocking the service screen', () => {
  it('unlocks with the right PIN and writes one row that says so, without the PIN', async () => {
    const { access, rows } = setUp();
    await expect(access.tryPin(PIN, screen)).resolves.toEqual({ ok: true });
    expect(rows).toEqual([{ outcome: 'unlocked', via: 'pin', where: 'kiosk-screen' }]);
    expect(JSON.stringify(rows)).not.toContain(PIN);
  });

  it('writes one row per wrong PIN with the tries left, then the lockout, and none carries the PIN', async () => {
    const { access, rows } = setUp();
    const wrong = ['000001', '111112', '4829', '48291300', '999999'];
    for (const [i, pin] of wrong.entries()) {
      const r = await access.tryPin(pin, laptop);
      expect(r).toMatchObject({ ok: false, reason: 'wrong-pin', attemptsLeft: 4 - i });
      vi.advanceTimersByTime(1_000);
    }
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({ outcome: 'wrong-pin', via: 'pin', where: 'network', address: '192.168.1.50', attemptsLeft: 4 });
    expect(rows[4]).toEqual({ outcome: 'wrong-pin', via: 'pin', where: 'network', address: '192.168.1.50', attemptsLeft: 0, lockedUntil: '2026-03-01T08:05:04.000Z' });
    for (const pin of [...wrong, PIN]) expect(JSON.stringify(rows)).not.toContain(pin);
  });

  it('refuses even the right PIN while locked out, and takes it once the lockout is over', async () => {
    const { access } = setUp();
    for (let i = 0; i < 5; i++) {
      await access.tryPin('000001', laptop);
      vi.advanceTimersByTime(1_000);
    }
    await expect(access.tryPin(PIN, laptop)).resolves.toMatchObject({ ok: false, reason: 'locked-out' });
    expect(access.view(laptop)).toMatchObject({ attemptsLeft: 0, lockedUntil: Date.parse('2026-03-01T08:05:04Z') });
    vi.advanceTimersByTime(300_000);
    await expect(access.tryPin(PIN, laptop)).resolves.toEqual({ ok: true });
  });

  it('keeps the kiosk screen usable while the network is locked out', async () => {
    const { access } = setUp();
    for (let i = 0; i < 5; i++) {
      await access.tryPin('000001', laptop);
      vi.advanceTimersByTime(1_000);
    }
    await expect(access.tryPin(PIN, screen)).resolves.toEqual({ ok: true });
  });

  it('refuses a second PIN within the second, unchecked, even the right one', async () => {
    const { access } = setUp();
    await access.tryPin('000001', screen);
    await expect(access.tryPin(PIN, screen)).resolves.toMatchObject({ ok: false, reason: 'rate-limited', retryAt: Date.parse('2026-03-01T08:00:01Z') });
  });

  it('accounts for a flood of refused attempts in one row a minute, with their number', async () => {
    const { access, rows } = setUp();
    for (let i = 0; i < 5; i++) {
      await access.tryPin('000001', laptop);
      vi.advanceTimersByTime(1_000);
    }
    rows.length = 0;
    for (let i = 0; i < 200; i++) await access.tryPin('000002', laptop);
    expect(rows).toEqual([expect.objectContaining({ outcome: 'locked-out', via: 'pin', where: 'network', refused: 1 })]);
    vi.advanceTimersByTime(REFUSED_ROW_EVERY_MS);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ outcome: 'locked-out', refused: 199 });
  });

  it('says no PIN is set, and audits that, when the config has none', async () => {
    const { access, rows } = setUp({ pinHash: null });
    await expect(access.tryPin(PIN, screen)).resolves.toEqual({ ok: false, reason: 'no-pin-set' });
    expect(access.view(screen).pinSet).toBe(false);
    expect(rows).toEqual([{ outcome: 'no-pin-set', via: 'pin', where: 'kiosk-screen', refused: 1 }]);
  });

  it('takes the local token from this machine only, never from the network', () => {
    const token = 'A'.repeat(43);
    const { access, rows } = setUp({ token });
    expect(access.tryToken(token, laptop)).toEqual({ ok: false, reason: 'bad-token' });
    expect(access.tryToken('B'.repeat(43), { where: 'this-machine' })).toEqual({ ok: false, reason: 'bad-token' });
    expect(access.tryToken(token, { where: 'this-machine' })).toEqual({ ok: true });
    expect(rows).toEqual([
      expect.objectContaining({ outcome: 'bad-token', where: 'network' }),
      expect.objectContaining({ outcome: 'bad-token', where: 'this-machine' }),
      { outcome: 'unlocked', via: 'token', where: 'this-machine' },
    ]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('takes no token when the kiosk wrote none', () => {
    const { access } = setUp();
    expect(access.tryToken('A'.repeat(43), { where: 'this-machine' })).toEqual({ ok: false, reason: 'bad-token' });
  });
});
