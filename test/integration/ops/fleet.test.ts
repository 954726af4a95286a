import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet, type Fleet } from '../../../controller/ops/fleet/fleet';
import { parsePromText } from '../../helpers/prom-text';
import { connectOps, isMsg } from '../../helpers/ops-rig';
import { waitFor } from '../../helpers/wait-for';

/**
 * Issue #14, `simulate-fleet`: simulated kiosks with citizens flowing through the real
 * statechart; each kiosk has its own /metrics (moving as citizens finish) and its own ops
 * channel (its token, no other's), and citizens who ask for help or declare a finger give the
 * console work.
 */

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    count: 2,
    basePort: 0,
    host: '127.0.0.1',
    heartbeatMs: 200,
    citizens: 'random',
    speed: 100,
    seed: 7,
    log: pino({ level: 'silent' }),
    flow: { fingerAcceptedPauseMs: 5, fingerPauseMs: 5, faceCountdownSeconds: 0, fingerExceptionApprovalWaitMs: 300 },
    // Every citizen declares a finger and asks for help on the photo step, so the first citizen
    // on each kiosk gives its console both. (One counter for both kiosks, "every third asks for
    // help, every other declares a finger", left which kiosk got which to the interleaving: on
    // a loaded machine kiosk a could go long with only odd-numbered citizens, none declaring.)
    plan: () => ({ helpOn: 'face', exceptionFinger: 2 }),
  });
}, 30_000);
afterAll(() => fleet?.stop());

describe('the simulated fleet', () => {
  it('has citizens finishing, counted on each kiosk\'s own /metrics', async () => {
    const k = fleet.kiosks[0];
    if (!k) throw new Error('no kiosk');
    await waitFor(async () => (await k.link.status()).today.completed >= 2, { what: 'two citizens done', timeoutMs: 15_000 });
    const text = await (await fetch(new URL('/metrics', k.url))).text();
    const done = parsePromText(text).find((s) => s.name === 'cccd_enrollments_completed_total');
    expect(done?.value).toBeGreaterThanOrEqual(2);
  });

  it('gives the console work: a help call and a finger waiting for an officer, on its ops channel with its own token only', async () => {
    const [a, b] = fleet.kiosks;
    if (!a || !b) throw new Error('no kiosks');
    await expect(connectOps(a.opsUrl, b.token)).rejects.toThrow('refused: 401');
    const c = await connectOps(a.opsUrl, a.token);
    await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.exception !== undefined, 'a finger waiting for an officer');
    await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.help !== undefined, 'a help call');
    expect(c.messages.filter(isMsg.hello)[0]).toMatchObject({ kioskId: a.kioskId });
    c.close();
  });
});
