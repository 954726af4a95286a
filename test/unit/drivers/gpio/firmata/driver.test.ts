import { afterEach, describe, expect, it } from 'vitest';
import { isDeviceError } from '../../../../../drivers/errors';
import { panelOnSim } from '../../../../helpers/firmata-rig';
import { waitFor } from '../../../../helpers/wait-for';
import type { FirmataPanel } from '../../../../../drivers/gpio/firmata/driver';
import { PIN_MODE } from '../../../../../drivers/gpio/firmata/protocol';

describe('Firmata panel driver against the simulated board over the simulated wire', () => {
  let open: FirmataPanel[] = [];
  const rig = (...args: Parameters<typeof panelOnSim>) => {
    const r = panelOnSim(...args);
    open.push(r.driver);
    return r;
  };
  afterEach(async () => {
    await Promise.all(open.map((p) => p.close()));
    open = [];
  });

  it('opens to ready after the version and capability handshake', async () => {
    const { panel, statuses } = rig();
    const s = await panel.open();
    expect(s.state).toBe('ready');
    expect(s.detail).toContain('Firmata 2.5');
    expect(statuses.map((x) => x.state)).toEqual(['connecting', 'ready']);
  });

  it('sets LED pins to outputs and input pins to their wired modes', async () => {
    const { panel, sim } = rig();
    await panel.open();
    expect(sim.pinMode(2)).toBe(PIN_MODE.OUTPUT);
    expect(sim.pinMode(5)).toBe(PIN_MODE.OUTPUT);
    expect(sim.pinMode(7)).toBe(PIN_MODE.PULLUP);
    expect(sim.pinMode(8)).toBe(PIN_MODE.INPUT);
    expect(sim.pinMode(9)).toBe(PIN_MODE.PULLUP);
  });

  it('turns an LED on and off on the board', async () => {
    const { panel, sim } = rig();
    await panel.open();
    await panel.setLed('help', true);
    await waitFor(() => sim.led('help'), { what: 'the help LED to light on the board' });
    expect(sim.led('status')).toBe(false);
    await panel.setLed('help', false);
    await waitFor(() => !sim.led('help'), { what: 'the help LED to go dark on the board' });
  });

  it('drives LEDs with port writes on firmware older than Firmata 2.5', async () => {
    const { panel, sim } = rig({ board: { version: { major: 2, minor: 3 } } });
    await panel.open();
    await panel.setLed('status', true);
    await panel.setLed('camera-light', true);
    await waitFor(() => sim.led('status') && sim.led('camera-light'), { what: 'both LEDs to light through port writes' });
    expect(sim.received.some((m) => m.type === 'set-digital-pin-value')).toBe(false);
  });

  it('reports a press of the help button once, after it settles', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.bounce(7, [0, 1, 0, 1, 0]); // pressed (active low), bouncing
    await waitFor(() => inputs.length > 0, { what: 'the press to be reported' });
    sim.press('help-button', false);
    await waitFor(() => inputs.length >= 2, { what: 'the release to be reported' });
    // Bouncing contacts gave one press, not three.
    expect(inputs).toEqual([
      ['help-button', true],
      ['help-button', false],
    ]);
  });

  it('ignores a glitch shorter than the debounce time', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    const digitalReports = () => sim.sent.filter((m) => m.type === 'digital').length;
    const before = digitalReports();
    // A flicker of the PIR: active and back again, faster than the debounce.
    sim.press('presence', true);
    sim.press('presence', false);
    // The board did put both edges on the wire (so what follows is the debounce at work) ...
    expect(digitalReports() - before).toBe(2);
    // ... and a real, held press afterwards is the first and only thing reported.
    sim.press('presence', true);
    await waitFor(() => inputs.some(([input, active]) => input === 'presence' && active), { what: 'the held presence to be reported' });
    expect(inputs).toEqual([['presence', true]]);
  });

  it('reports the tamper switch opening (normally closed, active high)', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.press('tamper');
    await waitFor(() => inputs.length === 1, { what: 'the tamper switch to be reported' });
    expect(inputs).toEqual([['tamper', true]]);
  });

  it('goes to fault with a timeout and says what to check when the board never answers', async () => {
    const { panel, sim, driver } = rig({ driver: { openTimeoutMs: 150 } });
    sim.knobs.silent = true;
    const s = await panel.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/no reply from .* within 0.15 s/);
    expect(s.detail).toContain('StandardFirmata');
    expect(driver.lastFault()?.reason).toBe('timeout');
  });

  it('faults when a configured pin does not exist on the board', async () => {
    const { panel } = rig({ wiring: { leds: { status: 2, help: 3, fingerprint: 4, 'camera-light': 40 }, inputs: { 'help-button': { pin: 7, pullup: true, activeLow: true }, presence: { pin: 8, pullup: false, activeLow: false }, tamper: { pin: 9, pullup: true, activeLow: false } } } });
    const s = await panel.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toContain('camera-light LED is on pin 40 but the board has only 20 pins');
  });

  it('goes to fault when the cable is pulled, says so, and refuses LED writes with a typed error', async () => {
    const { panel, link, statuses, driver } = rig();
    await panel.open();
    link.unplug();
    await waitFor(() => panel.status().state === 'fault', { what: 'the panel to notice the pulled cable' });
    expect(statuses.at(-1)?.detail).toContain('USB cable');
    expect(driver.lastFault()?.reason).toBe('unplugged');
    const err: unknown = await panel.setLed('status', true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDeviceError(err) && err.code).toBe('unplugged');
  });

  it('stays in fault while the cable is out, and opens again once it is plugged back in', async () => {
    const { panel, link } = rig();
    await panel.open();
    link.unplug();
    await waitFor(() => panel.status().state === 'fault', { what: 'the panel to notice the pulled cable' });
    expect((await panel.open()).state).toBe('fault');
    link.replug();
    expect((await panel.open()).state).toBe('ready');
  });

  it('logs line noise as discarded bytes and carries on', async () => {
    const { panel, sim, log, inputs } = rig();
    await panel.open();
    sim.sendNoise([0x12, 0x34, 0x56]);
    await waitFor(() => log.entries.some((e) => e.level === 'debug' && e.message === 'firmata: discarded bytes'), { what: 'the noise to be logged as discarded' });
    sim.press('tamper');
    await waitFor(() => inputs.length === 1, { what: 'the tamper switch to be reported after the noise' });
  });
});
