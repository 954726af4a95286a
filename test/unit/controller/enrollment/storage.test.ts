import { describe, expect, it } from 'vitest';
import { createHarness, walkToReview } from '../../../helpers/enrollment-harness';

/**
 * Issue #12: a data directory that cannot take the next enrollment (disk full, read-only) puts
 * the kiosk out of service before any biometric is taken. The kiosk reports it as the `storage`
 * pseudo-device (controller/store/storage-check.ts); the statechart's out-of-service guard treats
 * it like a required device.
 */

const screen = (h: ReturnType<typeof createHarness>) => h.view().screen;

describe('storage as the statechart sees it', () => {
  it('a storage fault on the start screen: out of service, naming storage, and no session starts', () => {
    const h = createHarness();
    h.actor.send({ type: 'DEVICES', states: { storage: 'ready' } });
    expect(screen(h).name).toBe('attract');
    h.actor.send({ type: 'DEVICES', states: { storage: 'fault' } });
    const s = screen(h);
    if (s.name !== 'out-of-service') throw new Error(`expected out of service, got ${s.name}`);
    expect(s.devices).toContainEqual({ kind: 'storage', state: 'fault' });
    h.actor.send({ type: 'START', at: 1 });
    expect(screen(h).name).toBe('out-of-service');
    h.actor.send({ type: 'DEVICES', states: { storage: 'ready' } });
    expect(screen(h).name).toBe('attract');
  });

  it('a storage fault mid-session lets the citizen finish the step they are on, then the kiosk goes out of service', async () => {
    const h = createHarness();
    h.actor.send({ type: 'DEVICES', states: { storage: 'ready' } });
    await walkToReview(h);
    h.actor.send({ type: 'DEVICES', states: { storage: 'fault' } });
    expect(screen(h).name).toBe('review');
    h.actor.send({ type: 'QUIT' });
    await h.advance(10_000);
    expect(screen(h).name).toBe('out-of-service');
  });

  it('without a storage report (a test rig, no data dir) the devices alone decide', () => {
    const h = createHarness();
    expect(screen(h).name).toBe('attract');
    const s = screen(h);
    expect(s.name === 'out-of-service' ? s.devices.map((d) => d.kind) : []).not.toContain('storage');
  });
});
