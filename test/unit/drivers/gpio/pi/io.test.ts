/**
 * The Pi's IO plugin (johnny-five's IO-plugin interface over a GPIO chip) against a fake chip:
 * first johnny-five's own Board and parts on it directly, then the kiosk's panel on it.
 */
import five from 'johnny-five';
import { afterEach, describe, expect, it } from 'vitest';
import { PI_HEADER_WIRING } from '../../../../../drivers/gpio/firmata/wiring';
import { FivePanel } from '../../../../../drivers/gpio/panel';
import { PiGpioIo } from '../../../../../drivers/gpio/pi/io';
import { PiGpioLink } from '../../../../../drivers/gpio/pi/link';
import type { PanelInput } from '../../../../../drivers/types';
import { recordingLog } from '../../../../helpers/device-log';
import { FakeGpioChip } from '../../../../helpers/fake-gpio-chip';
import { waitFor } from '../../../../helpers/wait-for';

describe('PiGpioIo as a johnny-five IO plugin', () => {
  const boardOn = async (chip: FakeGpioChip) => {
    const io = new PiGpioIo({ chip, usable: (l) => l >= 2 && l <= 27 });
    const board = new five.Board({ io, repl: false, sigint: false, debug: false });
    board.on('error', () => undefined);
    await new Promise<void>((resolve) => board.once('ready', () => resolve()));
    return { io, board };
  };

  it('is ready on a later turn and offers digital input and output on the header lines only', async () => {
    const chip = new FakeGpioChip();
    const io = new PiGpioIo({ chip, usable: (l) => l >= 2 && l <= 27 });
    expect(io.isReady).toBe(false);
    await new Promise<void>((resolve) => io.once('ready', () => resolve()));
    expect(io.isReady).toBe(true);
    expect(io.pins.length).toBe(58);
    expect(io.pins[17]?.supportedModes).toEqual([io.MODES.INPUT, io.MODES.OUTPUT]);
    expect(io.pins[40]?.supportedModes).toEqual([]);
    expect(() => io.pinMode(40, io.MODES.OUTPUT)).toThrow(/GPIO40 is not a usable line/);
    expect(() => io.pinMode(17, io.MODES.PWM)).toThrow(/only INPUT, PULLUP and OUTPUT/);
  });

  it("drives a johnny-five Led's line", async () => {
    const chip = new FakeGpioChip();
    const { board } = await boardOn(chip);
    const led = new five.Led({ board, pin: 17 });
    led.on();
    expect(chip.outputs.get(17)).toBe(1);
    led.off();
    expect(chip.outputs.get(17)).toBe(0);
  });

  it("gives a johnny-five Button with pullup its pull-up bias, and its presses", async () => {
    const chip = new FakeGpioChip();
    const { board } = await boardOn(chip);
    const button = new five.Button({ board, pin: 5, pullup: true });
    const events: string[] = [];
    button.on('down', () => events.push('down'));
    button.on('up', () => events.push('up'));
    await waitFor(() => chip.biases.get(5) === 'pull-up', { what: 'the pull-up on GPIO5' });
    chip.drive(5, 0);
    await waitFor(() => events.includes('down'), { what: 'the press' });
    chip.drive(5, undefined);
    await waitFor(() => events.includes('up'), { what: 'the release' });
    expect(events).toEqual(['down', 'up']);
    // One request for the button's line, with its bias set, not one per call johnny-five made.
    expect(chip.watchCalls).toEqual([[{ offset: 5, bias: 'pull-up' }]]);
  });

  it('reads a PIR (johnny-five Motion) with no bias', async () => {
    const chip = new FakeGpioChip();
    const { board } = await boardOn(chip);
    const motion = new five.Motion({ board, pin: 6, controller: 'PIR', calibrationDelay: 0 });
    const events: string[] = [];
    motion.on('motionstart', () => events.push('start'));
    motion.on('motionend', () => events.push('end'));
    await waitFor(() => chip.biases.get(6) !== undefined, { what: 'GPIO6 to be watched' });
    expect(chip.biases.get(6)).toBe('disabled');
    chip.drive(6, 1);
    await waitFor(() => events.includes('start'), { what: 'motion to start' });
    chip.drive(6, 0);
    await waitFor(() => events.includes('end'), { what: 'motion to end' });
  });
});

describe('the kiosk panel on the Pi header (PiGpioLink with a fake chip)', () => {
  let panels: FivePanel[] = [];
  afterEach(async () => {
    await Promise.all(panels.map((p) => p.close()));
    panels = [];
  });
  const rig = (chips: FakeGpioChip[]) => {
    let n = 0;
    const link = new PiGpioLink({
      chip: 'auto',
      wiring: PI_HEADER_WIRING,
      log: recordingLog(),
      openChip: () => {
        const chip = chips[Math.min(n++, chips.length - 1)];
        return Promise.resolve(chip ?? { error: 'no chip' });
      },
    });
    const panel = new FivePanel({ link, wiring: PI_HEADER_WIRING, log: recordingLog(), presenceCalibrationMs: 0 });
    panels.push(panel);
    const inputs: Array<[PanelInput, boolean]> = [];
    panel.onInput((i, a) => inputs.push([i, a]));
    return { panel, inputs };
  };

  it('opens, drives the LEDs and hears the help button, the PIR and the tamper switch', async () => {
    const chip = new FakeGpioChip();
    chip.drive(13, 0); // the tamper switch closed to ground: the enclosure is shut
    const { panel, inputs } = rig([chip]);
    const s = await panel.open();
    expect(s.state, s.detail).toBe('ready');
    expect(s.driver).toBe('pi-gpio');
    expect(s.detail).toContain('gpiochip0 [pinctrl-bcm2711]');
    await panel.setLed('camera-light', true);
    expect(chip.outputs.get(PI_HEADER_WIRING.leds['camera-light'])).toBe(1);
    expect(chip.biases.get(5)).toBe('pull-up'); // help button
    expect(chip.biases.get(13)).toBe('pull-up'); // tamper
    chip.drive(5, 0);
    await waitFor(() => inputs.length === 1, { what: 'the help button' });
    chip.drive(6, 1);
    await waitFor(() => inputs.length === 2, { what: 'presence' });
    chip.drive(13, undefined); // the door opens: the switch lets go, the pull-up reads HIGH
    await waitFor(() => inputs.length === 3, { what: 'the tamper switch' });
    expect(inputs).toEqual([
      ['help-button', true],
      ['presence', true],
      ['tamper', true],
    ]);
  });

  it('faults when the chip is lost, and on open again sets the new one up as before', async () => {
    const first = new FakeGpioChip();
    const second = new FakeGpioChip();
    second.drive(13, 0); // the tamper switch closed (enclosure shut) on the new chip
    first.drive(13, 0);
    const { panel, inputs } = rig([first, second]);
    await panel.open();
    await panel.setLed('status', true);
    first.lose('gpiomon stopped');
    await waitFor(() => panel.status().state === 'fault', { what: 'the lost chip to be noticed' });
    expect(panel.status().detail).toContain('gpiomon stopped');
    expect((await panel.open()).state).toBe('ready');
    expect(second.outputs.get(PI_HEADER_WIRING.leds.status)).toBe(1);
    second.drive(13, undefined); // the door opens: the switch lets go, the pull-up reads HIGH
    await waitFor(() => inputs.length === 1, { what: 'the tamper switch on the new chip' });
    expect(inputs).toEqual([['tamper', true]]);
  });

  it('refuses a chip that cannot be opened, saying why', async () => {
    const link = new PiGpioLink({ chip: 'gpiochip9', wiring: PI_HEADER_WIRING, log: recordingLog(), openChip: () => Promise.resolve({ error: 'there is no gpiochip9 (chips: gpiochip0 [pinctrl-bcm2711])' }) });
    const panel = new FivePanel({ link, wiring: PI_HEADER_WIRING, log: recordingLog() });
    panels.push(panel);
    const s = await panel.open();
    expect(s.state).toBe('fault');
    expect(s.detail).toContain('there is no gpiochip9');
  });
});
