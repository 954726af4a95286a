import { describe, expect, it } from 'vitest';
import { createHarness, TEST_FLOW, walkToReview, type Harness } from '../../../helpers/enrollment-harness';

/**
 * Issue #13: a technician takes the kiosk out of service from the service screen and puts it
 * back. Nobody is cut off: a session in progress finishes (or is quit) first, and no new one
 * starts until the technician puts the kiosk back.
 */

const screen = (h: Harness) => h.view().screen;
const maintenance = (h: Harness): boolean | undefined => {
  const s = screen(h);
  return s.name === 'out-of-service' ? (s.maintenance ?? false) : undefined;
};

describe("the technician's out-of-service switch", () => {
  it('on the start screen: out of service at once, saying it is maintenance; back to the start screen when switched off', () => {
    const h = createHarness();
    expect(screen(h).name).toBe('attract');
    h.actor.send({ type: 'MAINTENANCE', on: true });
    expect(maintenance(h)).toBe(true);
    h.actor.send({ type: 'START', at: 1 });
    expect(screen(h).name).toBe('out-of-service');
    h.actor.send({ type: 'MAINTENANCE', on: false });
    expect(screen(h).name).toBe('attract');
  });

  it('mid-session: the citizen goes on; once they quit, no new session starts and the kiosk goes out of service', async () => {
    const h = createHarness();
    await walkToReview(h);
    h.actor.send({ type: 'MAINTENANCE', on: true });
    expect(screen(h).name).toBe('review');
    h.actor.send({ type: 'QUIT' });
    expect(screen(h).name).toBe('abandoned');
    // The "session ended" screen takes START from the next citizen, but not while in maintenance.
    h.actor.send({ type: 'START', at: 2 });
    expect(screen(h).name).toBe('abandoned');
    await h.advance(TEST_FLOW.abandonedScreenMs);
    expect(maintenance(h)).toBe(true);
  });

  it('stays out of service when the devices come and go meanwhile, and only the technician ends it', () => {
    const h = createHarness();
    h.actor.send({ type: 'MAINTENANCE', on: true });
    h.actor.send({ type: 'DEVICES', states: { printer: 'fault' } });
    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'disconnected' } });
    h.actor.send({ type: 'DEVICES', states: { fingerprint: 'ready', printer: 'ready' } });
    expect(maintenance(h)).toBe(true);
    h.actor.send({ type: 'MAINTENANCE', on: false });
    expect(screen(h).name).toBe('attract');
  });

  it('switched off while a device is still down: out of service for the device, not for maintenance', () => {
    const h = createHarness();
    h.actor.send({ type: 'MAINTENANCE', on: true });
    h.actor.send({ type: 'DEVICES', states: { camera: 'fault' } });
    h.actor.send({ type: 'MAINTENANCE', on: false });
    expect(maintenance(h)).toBe(false);
    h.actor.send({ type: 'DEVICES', states: { camera: 'ready' } });
    expect(screen(h).name).toBe('attract');
  });

  it('switched off before the session ended: the next citizen is served as usual', async () => {
    const h = createHarness();
    await walkToReview(h);
    h.actor.send({ type: 'MAINTENANCE', on: true });
    h.actor.send({ type: 'MAINTENANCE', on: false });
    h.actor.send({ type: 'QUIT' });
    await h.advance(TEST_FLOW.abandonedScreenMs);
    expect(screen(h).name).toBe('attract');
  });
});
