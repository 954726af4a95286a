import { afterEach, describe, expect, it } from 'vitest';
import { screenHeaders } from '../../../helpers/screen-client';
import { RIG_PIN, is, startTechRig, type TechRig } from '../../../helpers/tech-rig';
import { waitFor } from '../../../helpers/wait-for';

/**
 * The technician's channel (issue #13): nothing but hello and the PIN before it is unlocked;
 * after it, the status, the out-of-service switch and the self-tests, on simulated devices.
 */

const rigs: TechRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
});
async function rig(opts: Parameters<typeof startTechRig>[0] = {}): Promise<TechRig> {
  const r = await startTechRig(opts);
  rigs.push(r);
  return r;
}

const EVERYTHING_ELSE = [
  { type: 'status' },
  { type: 'service', on: true },
  { type: 'self-test', device: 'fingerprint' },
  { type: 'self-test', device: 'printer' },
  { type: 'lock' },
] as const;

describe('the tech channel before the PIN', () => {
  it('refuses every message but hello and unlock with "locked", sends no status, and changes nothing', async () => {
    const r = await rig();
    const o = await r.open();
    if (o.kind !== 'open') throw new Error('refused');
    const c = o.client;
    await c.next(is.access, 'the greeting');
    for (const m of EVERYTHING_ELSE) {
      c.send(m);
      const e = await c.next(is.error, `the answer to ${m.type}`);
      expect({ sent: m.type, code: e.code }).toEqual({ sent: m.type, code: 'locked' });
    }
    c.send({ type: 'hello' });
    const hello = await c.next(is.access, 'the answer to hello');
    expect(hello.access).toMatchObject({ unlocked: false, where: 'this-machine', pinSet: true, attemptsLeft: 5 });
    expect(c.messages.filter((m) => m.type === 'status' || m.type === 'self-test' || m.type === 'self-test-started')).toEqual([]);
    expect(r.runtime.view().screen.name).toBe('attract');
    expect(await r.audit('technician')).toEqual([]);
    // Nothing was tested meanwhile: the device counters after unlocking say so.
    const u = await r.unlocked();
    const status = await u.next(is.status, 'the status');
    expect(status.status.devices.map((d) => d.counters.selfTests)).toEqual([0, 0, 0, 0, 0]);
    expect(status.status.service).toBe('in-service');
  });

  it('refuses a wrong PIN saying how many tries are left, and writes a row for it without the PIN', async () => {
    const r = await rig();
    const o = await r.open();
    if (o.kind !== 'open') throw new Error('refused');
    o.client.send({ type: 'unlock', pin: '111222' });
    const refused = await o.client.next(is.refused, 'the refusal');
    expect(refused).toMatchObject({ reason: 'wrong-pin', attemptsLeft: 4 });
    expect(refused.message.vi).toContain('Còn 4 lần thử');
    expect(refused.message.en).toContain('4 tries left');
    o.client.send({ type: 'status' });
    expect((await o.client.next(is.error, 'the answer to status')).code).toBe('locked');
    await waitFor(async () => (await r.audit('tech-unlock')).length === 1, { what: 'the audit row' });
    const [row] = await r.audit('tech-unlock');
    expect(row?.detail).toEqual({ outcome: 'wrong-pin', via: 'pin', where: 'this-machine', attemptsLeft: 4 });
    expect(JSON.stringify(await r.audit('tech-unlock'))).not.toContain('111222');
  });

  it('takes one PIN a second: a second within it is refused unchecked, even the right one', async () => {
    const r = await rig();
    const o = await r.open();
    if (o.kind !== 'open') throw new Error('refused');
    o.client.send({ type: 'unlock', pin: '111222' });
    await o.client.next(is.refused, 'the first refusal');
    o.client.send({ type: 'unlock', pin: RIG_PIN });
    const second = await o.client.next(is.refused, 'the second refusal');
    expect(second.reason).toBe('rate-limited');
    expect(second.message.en).toMatch(/wait a second/i);
  });

  it('says there is no PIN, and how to set one, when the config has none', async () => {
    const r = await rig({ pin: null });
    const o = await r.open();
    if (o.kind !== 'open') throw new Error('refused');
    expect((await o.client.next(is.access, 'the greeting')).access.pinSet).toBe(false);
    o.client.send({ type: 'unlock', pin: RIG_PIN });
    const refused = await o.client.next(is.refused, 'the refusal');
    expect(refused.reason).toBe('no-pin-set');
    expect(refused.message.en).toContain('npm run kiosk -- tech set-pin');
  });

  it('is refused to a page of another origin, on the kiosk server and on the network listener', async () => {
    const r = await rig();
    const fromKiosk = await r.open({ origin: 'http://evil.example' });
    expect(fromKiosk).toMatchObject({ kind: 'refused', status: 403 });
    const fromNetwork = await r.open({ origin: 'http://evil.example' }, r.networkOrigin);
    expect(fromNetwork).toMatchObject({ kind: 'refused', status: 403 });
    const sameSite = await r.open({ origin: r.networkOrigin, 'sec-fetch-site': 'same-site' }, r.networkOrigin);
    expect(sameSite).toMatchObject({ kind: 'refused', status: 403 });
    // Its own page, on the network listener, is let in (and still needs the PIN).
    const own = await r.open({ origin: r.networkOrigin }, r.networkOrigin);
    expect(own.kind).toBe('open');
  });

  it("tells the kiosk's own screen (its cookie) from other programs on the kiosk", async () => {
    const r = await rig();
    const screen = await r.open(screenHeaders(r.screenUrl));
    if (screen.kind !== 'open') throw new Error('refused');
    expect((await screen.client.next(is.access, 'the greeting')).access.where).toBe('kiosk-screen');
    const program = await r.open();
    if (program.kind !== 'open') throw new Error('refused');
    expect((await program.client.next(is.access, 'the greeting')).access.where).toBe('this-machine');
  });

  it('unlocks with the local token the kiosk wrote, and refuses a token from an earlier start', async () => {
    const r = await rig();
    const o = await r.open();
    if (o.kind !== 'open') throw new Error('refused');
    o.client.send({ type: 'unlock-token', token: 'A'.repeat(43) });
    expect((await o.client.next(is.refused, 'the refusal')).reason).toBe('bad-token');
    o.client.send({ type: 'unlock-token', token: await r.token() });
    await o.client.next(is.unlocked, 'the unlock');
    await waitFor(async () => (await r.audit('tech-unlock')).length === 2, { what: 'two audit rows' });
    expect((await r.audit('tech-unlock')).map((e) => e.detail)).toEqual([
      { outcome: 'bad-token', via: 'token', where: 'this-machine', refused: 1 },
      { outcome: 'unlocked', via: 'token', where: 'this-machine' },
    ]);
  });
});

describe('the tech channel after the PIN', () => {
  it('refuses self-tests while the kiosk serves citizens, saying to take it out of service first', async () => {
    const r = await rig();
    const c = await r.unlocked();
    c.send({ type: 'self-test', device: 'fingerprint' });
    const e = await c.next(is.error, 'the refusal');
    expect(e.code).toBe('not-allowed-now');
    expect(e.message.vi).toContain('"Ngừng phục vụ"');
    expect(e.message.en).toContain('"Take out of service"');
  });

  it('takes the kiosk out of service, runs a self-test with its image and score, and puts it back; each audited', async () => {
    const r = await rig();
    const c = await r.unlocked();
    c.send({ type: 'service', on: true });
    await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.service === 'maintenance', 'out of service');
    const screen = r.runtime.view().screen;
    expect(screen.name === 'out-of-service' && screen.maintenance).toBe(true);
    c.send({ type: 'self-test', device: 'fingerprint' });
    const { result } = await c.next(is.result, 'the fingerprint self-test', 30_000);
    expect(result).toMatchObject({ device: 'fingerprint', ok: true });
    expect(result.fingerprint?.image).toMatch(/^data:image\/png;base64,iVBOR/);
    expect(result.fingerprint?.score).toBeGreaterThanOrEqual(result.fingerprint?.threshold ?? 101);
    c.send({ type: 'service', on: false });
    await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.service === 'in-service', 'back in service');
    expect(r.runtime.view().screen.name).toBe('attract');
    await waitFor(async () => (await r.audit('technician')).length === 3, { what: 'three technician rows' });
    expect((await r.audit('technician')).map((e) => e.detail)).toEqual([
      { action: 'service', outOfService: true, state: 'maintenance', where: 'this-machine' },
      expect.objectContaining({ action: 'self-test', device: 'fingerprint', ok: true, where: 'this-machine' }),
      { action: 'service', outOfService: false, state: 'in-service', where: 'this-machine' },
    ]);
  });

  it('lets a citizen in a session finish: out of service only after they leave, and no self-test meanwhile', async () => {
    const r = await rig({ flow: { abandonedScreenMs: 50 } });
    const c = await r.unlocked();
    expect(r.runtime.send({ type: 'START' }).ok).toBe(true);
    await waitFor(() => r.runtime.view().screen.name === 'language', { what: 'the session to start' });
    c.send({ type: 'service', on: true });
    await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.service === 'maintenance-pending', 'the pending state');
    expect(r.runtime.view().screen.name).toBe('language');
    c.send({ type: 'self-test', device: 'printer' });
    const e = await c.next(is.error, 'the refusal');
    expect(e.message.en).toContain('A citizen is still making an application');
    r.runtime.send({ type: 'QUIT' });
    await c.next((m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.service === 'maintenance', 'out of service once the citizen left', 10_000);
  });

  it('locks itself after a while without use, and then refuses again', async () => {
    const r = await rig({ tech: { idleLockMs: 300 } });
    const c = await r.unlocked();
    const locked = await c.next((m): m is Extract<typeof m, { type: 'access' }> => m.type === 'access' && !m.access.unlocked, 'the idle lock', 5_000);
    expect(locked.access.unlocked).toBe(false);
    c.send({ type: 'status' });
    expect((await c.next(is.error, 'the answer to status')).code).toBe('locked');
  });

  it('shows a device that stops as a fault with its last error, and its recovery once it is back', async () => {
    const r = await rig();
    const c = await r.unlocked();
    // The simulated camera stops sending pictures: its frame watchdog calls it a fault.
    await r.sim.camera?.({ scenario: 'stopped' });
    const down = await c.next(
      (m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.devices.some((d) => d.device === 'camera' && d.counters.faults >= 1 && d.lastError !== undefined),
      'the camera fault in the status',
    );
    expect(down.status.devices.find((d) => d.device === 'camera')?.lastError?.message).toMatch(/no frame for/);
    await r.sim.camera?.({ scenario: 'normal' });
    await c.next(
      (m): m is Extract<typeof m, { type: 'status' }> => m.type === 'status' && m.status.devices.some((d) => d.device === 'camera' && d.state === 'ready' && d.counters.recoveries >= 1),
      'the camera back in the status',
    );
  });
});
