/**
 * The front panel on johnny-five (Board, Led, Button, Switch, Motion) over firmata.js and the
 * bounded wire, against the simulated StandardFirmata board on the serial kit's simulated wire
 * (serialport's MockBinding): the same stack `npm start` runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isDeviceError } from '../../../../drivers/errors';
import type { FivePanel } from '../../../../drivers/gpio/panel';
import { PIN_MODE } from '../../../../drivers/gpio/firmata/protocol';
import { panelOnSim } from '../../../helpers/firmata-rig';
import { waitFor } from '../../../helpers/wait-for';

describe('johnny-five panel against the simulated Firmata board over the mock binding', () => {
  let open: FivePanel[] = [];
  const rig = (...args: Parameters<typeof panelOnSim>) => {
    const r = panelOnSim(...args);
    open.push(r.driver);
    return r;
  };
  afterEach(async () => {
    await Promise.all(open.map((p) => p.close()));
    open = [];
  });

  it('opens to ready after firmata.js has read the version, firmware and capabilities', async () => {
    const { panel, statuses } = rig();
    const s = await panel.open();
    expect(s.state, s.detail).toBe('ready');
    expect(s.driver).toBe('firmata');
    expect(s.detail).toContain('StandardFirmata Firmata 2.5');
    expect(statuses.map((x) => x.state)).toEqual(['connecting', 'ready']);
  });

  it('sets LED pins to outputs (PWM where the pin has it) and inputs with their pull-ups as wired', async () => {
    const { panel, sim } = rig();
    await panel.open();
    expect(sim.pinMode(2)).toBe(PIN_MODE.OUTPUT);
    expect(sim.pinMode(3)).toBe(PIN_MODE.PWM); // johnny-five's Led takes PWM where the pin can
    expect(sim.pinMode(7)).toBe(PIN_MODE.INPUT);
    expect(sim.pullup(7)).toBe(true); // help button to ground
    expect(sim.pinMode(8)).toBe(PIN_MODE.INPUT);
    expect(sim.pullup(8)).toBe(false); // PIR: push-pull output
    expect(sim.pinMode(9)).toBe(PIN_MODE.INPUT);
    expect(sim.pullup(9)).toBe(true); // tamper switch to ground
  });

  it('turns each LED on and off on the board', async () => {
    const { panel, sim } = rig();
    await panel.open();
    for (const led of ['status', 'help', 'fingerprint', 'camera-light'] as const) {
      await panel.setLed(led, true);
      await waitFor(() => sim.led(led), { what: `the ${led} LED to light on the board` });
      await panel.setLed(led, false);
      await waitFor(() => !sim.led(led), { what: `the ${led} LED to go dark on the board` });
    }
  });

  it('the board simulator keeps only the newest messages each way (it lives for days in the kiosk under npm start)', async () => {
    const { panel, sim } = rig({ board: { keptMessages: 6 } });
    await panel.open();
    for (let i = 0; i < 20; i++) await panel.setLed('status', i % 2 === 0);
    await waitFor(() => sim.led('status') === false, { what: 'the last write to reach the board' });
    expect(sim.received.length).toBeLessThanOrEqual(6);
    expect(sim.sent.length).toBeLessThanOrEqual(6);
    // What is kept is the newest: the LED writes, not the handshake.
    expect(sim.received.some((m) => m.type === 'capability-query' || m.type === 'analog-mapping-query')).toBe(false);
  });

  it('blinks an LED on the board until told otherwise', async () => {
    const { panel, sim } = rig();
    await panel.open();
    await panel.setLed('status', 'blink-fast');
    await waitFor(() => sim.led('status'), { what: 'the status LED to light' });
    await waitFor(() => !sim.led('status'), { what: 'the status LED to go dark again' });
    await waitFor(() => sim.led('status'), { what: 'the status LED to light again' });
    await panel.setLed('status', true);
    await waitFor(() => sim.led('status'), { what: 'the status LED to stay lit' });
  });

  it('drives LEDs on firmware older than Firmata 2.5 (port writes only)', async () => {
    const { panel, sim } = rig({ board: { version: { major: 2, minor: 3 } } });
    await panel.open();
    await panel.setLed('status', true);
    await panel.setLed('fingerprint', true);
    await waitFor(() => sim.led('status') && sim.led('fingerprint'), { what: 'both LEDs to light through port writes' });
    expect(sim.received.some((m) => m.type === 'set-digital-pin-value')).toBe(false);
  });

  it('reports a press of the help button once, at its first edge, however it bounces', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.bounce(7, [0, 1, 0, 1, 0]); // pressed (active low), bouncing
    await waitFor(() => inputs.length > 0, { what: 'the press to be reported' });
    sim.press('help-button', false);
    await waitFor(() => inputs.length >= 2, { what: 'the release to be reported' });
    expect(inputs).toEqual([
      ['help-button', true],
      ['help-button', false],
    ]);
  });

  it('hears a press of the help button that came and went while the kiosk was busy (press and release read in one go)', async () => {
    // A citizen holds the button ~150 ms; while the face detector holds the event loop longer than
    // that, the board's "down" and "up" are read back to back. The press still happened.
    const { panel, sim, inputs } = rig({ driver: { debounceMs: 200 } });
    await panel.open();
    sim.bounce(7, [0, 1]);
    await waitFor(() => inputs.length >= 2, { what: 'the press and the release to be reported' });
    expect(inputs).toEqual([
      ['help-button', true],
      ['help-button', false],
    ]);
  });

  it('ignores a tamper glitch shorter than the debounce time, and reports one that holds', async () => {
    const { panel, sim, inputs } = rig({ driver: { debounceMs: 200 } });
    await panel.open();
    const before = sim.sent.filter((m) => m.type === 'digital').length;
    sim.press('tamper', true);
    sim.press('tamper', false);
    // The board did put both edges on the wire (so what follows is the debounce at work) ...
    expect(sim.sent.filter((m) => m.type === 'digital').length - before).toBe(2);
    // ... and a held opening afterwards is the first and only thing reported.
    sim.press('tamper', true);
    await waitFor(() => inputs.length > 0, { what: 'the held tamper to be reported' });
    expect(inputs).toEqual([['tamper', true]]);
  });

  it('reports the tamper switch opening (normally closed to ground, pull-up: open reads HIGH)', async () => {
    const { panel, sim, inputs, driver } = rig();
    await panel.open();
    sim.press('tamper');
    await waitFor(() => inputs.length === 1, { what: 'the tamper switch to be reported' });
    expect(inputs).toEqual([['tamper', true]]);
    expect(driver.inputState('tamper')).toBe(true);
  });

  it('reports presence from the PIR (johnny-five Motion) when someone steps up, and its end', async () => {
    const { panel, sim, inputs } = rig();
    await panel.open();
    sim.press('presence', true);
    await waitFor(() => inputs.some(([i, a]) => i === 'presence' && a), { what: 'presence to be reported' });
    sim.press('presence', false);
    await waitFor(() => inputs.some(([i, a]) => i === 'presence' && !a), { what: 'the end of presence to be reported' });
    expect(inputs).toEqual([
      ['presence', true],
      ['presence', false],
    ]);
  });

  it('reports an enclosure found open at start-up', async () => {
    const { panel, sim, inputs } = rig();
    sim.press('tamper', true);
    await panel.open();
    await waitFor(() => inputs.length === 1, { what: 'the open enclosure to be reported' });
    expect(inputs).toEqual([['tamper', true]]);
  });

  it('goes to fault with a timeout and says what to check when the board never answers', async () => {
    const { panel, sim, driver } = rig({ link: { openTimeoutMs: 150 } });
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

  it('stays in fault while the cable is out; plugged back in, the board is set up again as before', async () => {
    const { panel, link, sim, inputs } = rig();
    await panel.open();
    await panel.setLed('help', true);
    await waitFor(() => sim.led('help'), { what: 'the help LED to light' });
    // The supervisor asks whether the board is there, to report a pulled cable as disconnected.
    await expect(panel.present?.()).resolves.toBe(true);
    link.unplug();
    await waitFor(() => panel.status().state === 'fault', { what: 'the panel to notice the pulled cable' });
    await expect(panel.present?.()).resolves.toBe(false);
    expect((await panel.open()).state).toBe('fault');
    link.replug();
    await expect(panel.present?.()).resolves.toBe(true);
    expect((await panel.open()).state).toBe('ready');
    // The board was reset by the reconnect; johnny-five's parts are set up on it again.
    expect(sim.pinMode(9)).toBe(PIN_MODE.INPUT);
    expect(sim.pullup(9)).toBe(true);
    await waitFor(() => sim.led('help'), { what: 'the help LED to be lit again after the reconnect' });
    sim.press('tamper');
    await waitFor(() => inputs.length === 1, { what: 'the tamper switch to be heard after the reconnect' });
    expect(inputs).toEqual([['tamper', true]]);
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
