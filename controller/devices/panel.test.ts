import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { SimGpioPanel } from '../../drivers/gpio/sim';
import { createKioskRuntime } from '../enrollment/runtime';
import { TEST_FLOW, createFakeMachine, emptyScript } from '../../test/helpers/enrollment-harness';
import { wirePanel } from './panel';
import { failFast } from '../../test/helpers/fail-fast';

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('the front panel', () => {
  it('asks for help from the physical button, lights the help LED while help is up, and the status LED while in service', async () => {
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    const panel = new SimGpioPanel();
    let tampered = 0;
    const unwire = wirePanel(panel, runtime, pino({ level: 'silent' }), () => tampered++);
    runtime.send({ type: 'START' });
    await settle();
    expect(panel.leds.get('status')).toBe(true);
    panel.press('help-button');
    await settle();
    expect(runtime.view().overlay).toEqual({ name: 'help' });
    expect(panel.leds.get('help')).toBe(true);
    runtime.send({ type: 'HELP_DONE' });
    await settle();
    expect(panel.leds.get('help')).toBe(false);
    panel.press('tamper');
    expect(tampered).toBe(1);
    unwire();
    runtime.stop();
  });

  it('turns the status LED off while the kiosk is out of service', async () => {
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    const panel = new SimGpioPanel();
    const unwire = wirePanel(panel, runtime, pino({ level: 'silent' }), () => undefined);
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    await settle();
    expect(panel.leds.get('status')).toBe(true);
    runtime.setDevices({ camera: 'fault' });
    await settle();
    expect(runtime.view().screen.name).toBe('out-of-service');
    expect(panel.leds.get('status')).toBe(false);
    unwire();
    runtime.stop();
  });
});
