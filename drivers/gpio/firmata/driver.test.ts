import { afterEach, describe, expect, it } from 'vitest';
import { panelOnSim, sleep, until } from './test-rig';
import type { FirmataPanel } from './driver';
import { PIN_MODE } from './protocol';

describe('Firmata panel driver against the simulated board over MockBinding', () => {
  let open: FirmataPanel[] = [];
  const rig = (...args: Parameters<typeof panelOnSim>) => {
    const r = panelOnSim(...args);
    open.push(r.panel);
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
    await until(() => sim.led('help'));
    expect(sim.led('status')).toBe(false);
    await panel.setLed('help', false);
    await until(() => !sim.led('help'));
  });

  it('drives LEDs with port writes on firmware older than Firmata 2.5', async () => {
    const { panel, sim } = rig({ sim: { version: { major: 2, minor: 3 } } });
    await panel.open();
    await panel.setLed('status', true);
    await panel.setLed('camera-light', true);
    await until(() => sim.led('status') && sim.led('camera-light'));
    expect(sim.received.some((m) => m.type === 'set-digital-pin-value')).toBe(false);
  });

  it('reports a press of the help button once, after it settles', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.bounce(7, [0, 1, 0, 1, 0]); // pressed (active low), bouncing
    await sleep(80);
    expect(inputs).toEqual([['help-button', true]]);
    sim.press('help-button', false);
    await until(() => inputs.length === 2);
    expect(inputs[1]).toEqual(['help-button', false]);
  });

  it('ignores a glitch shorter than the debounce time', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.press('presence', true);
    sim.press('presence', false);
    await sleep(80);
    expect(inputs).toEqual([]);
  });

  it('reports the tamper switch opening (normally closed, active high)', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.press('tamper');
    await until(() => inputs.length === 1);
    expect(inputs).toEqual([['tamper', true]]);
  });

  it('resolves fault within the timeout when the board never answers', async () => {
    const { panel, sim } = rig({ panel: { openTimeoutMs: 150 } });
    sim.knobs.silent = true;
    const started = Date.now();
    const s = await panel.open();
    expect(Date.now() - started).toBeLessThan(400);
    expect(s.state).toBe('fault');
    expect(s.detail).toMatch(/no reply from .* within 0.15 s/);
    expect(s.detail).toContain('StandardFirmata');
    expect(panel.lastFault()?.reason).toBe('timeout');
  });

  it('faults when a configured pin does not exist on the board', async () => {
    const { panel } = rig({ panel: { wiring: { leds: { status: 2, help: 3, fingerprint: 4, 'camera-light': 40 }, inputs: { 'help-button': { pin: 7, pullup: true, activeLow: true }, presence: { pin: 8, pullup: false, activeLow: false }, tamper: { pin: 9, pullup: true, activeLow: false } } } } });
    const s = await panel.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toContain('camera-light LED is on pin 40 but the board has only 20 pins');
  });

  it('goes to fault when the cable is pulled, and says so', async () => {
    const { panel, link, statuses } = rig();
    await panel.open();
    link.pull();
    await until(() => panel.status().state === 'fault');
    expect(statuses.at(-1)?.detail).toContain('USB cable');
    expect(panel.lastFault()?.reason).toBe('unplugged');
    await expect(panel.setLed('status', true)).rejects.toThrow(/fault/);
  });

  it('stays in fault while the cable is out, and opens again once it is plugged back in', async () => {
    const { panel, link } = rig();
    await panel.open();
    link.pull();
    await until(() => panel.status().state === 'fault');
    expect((await panel.open()).state).toBe('fault');
    link.replug();
    expect((await panel.open()).state).toBe('ready');
  });
});
