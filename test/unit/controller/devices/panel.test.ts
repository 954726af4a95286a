import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSimulatedPanel, type SimulatedPanel } from '../../../../drivers/gpio/firmata/simulated';
import { createKioskRuntime } from '../../../../controller/enrollment/runtime';
import { TEST_FLOW, createFakeMachine, emptyScript } from '../../../helpers/enrollment-harness';
import { wirePanel } from '../../../../controller/devices/panel';
import { failFast } from '../../../helpers/fail-fast';
import { waitFor } from '../../../helpers/wait-for';

const log = pino({ level: 'silent' });
const panels: SimulatedPanel[] = [];
afterEach(async () => {
  for (const p of panels.splice(0)) await p.panel.close();
});

/** The real Firmata driver against the simulated board, as `npm start` runs the panel. */
async function openPanel(): Promise<SimulatedPanel> {
  const s = createSimulatedPanel({ log });
  panels.push(s);
  expect((await s.panel.open()).state).toBe('ready');
  return s;
}

describe('the front panel', () => {
  it('asks for help from the physical button, lights the help LED while help is up, and the status LED while in service', async () => {
    const { panel, board, tap } = await openPanel();
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    let tampered = 0;
    const unwire = wirePanel(panel, runtime, log, () => tampered++);
    runtime.send({ type: 'START' });
    await waitFor(() => board.led('status'), { what: 'the status LED to light' });
    await tap('help-button');
    await waitFor(() => runtime.view().overlay?.name === 'help', { what: 'the help overlay' });
    await waitFor(() => board.led('help'), { what: 'the help LED to light' });
    runtime.send({ type: 'HELP_DONE' });
    await waitFor(() => !board.led('help'), { what: 'the help LED to go dark' });
    await tap('tamper');
    await waitFor(() => tampered === 1, { what: 'the tamper alert' });
    unwire();
    runtime.stop();
  });

  it('on the start screen, the help button calls staff and the screen says so (it used to be ignored)', async () => {
    const { panel, board, tap } = await openPanel();
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    const notices: unknown[] = [];
    runtime.onNotice((n) => notices.push(n));
    const unwire = wirePanel(panel, runtime, log, () => undefined);
    await tap('help-button');
    await waitFor(() => runtime.view().screen.name === 'attract' && 'staffCalled' in runtime.view().screen, { what: 'the start screen to say staff were called' });
    expect(notices).toEqual([{ type: 'help-requested', source: 'panel', inSession: false }]);
    await waitFor(() => board.led('help'), { what: 'the help LED to light' });
    unwire();
    runtime.stop();
  });

  it('turns the status LED off while the kiosk is out of service', async () => {
    const { panel, board } = await openPanel();
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    const unwire = wirePanel(panel, runtime, log, () => undefined);
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    await waitFor(() => board.led('status'), { what: 'the status LED to light' });
    runtime.setDevices({ camera: 'fault' });
    await waitFor(() => runtime.view().screen.name === 'out-of-service', { what: 'the out-of-service screen' });
    await waitFor(() => !board.led('status'), { what: 'the status LED to go dark' });
    unwire();
    runtime.stop();
  });

  it('brings the LEDs up to date on a board that opens late, and again after it was unplugged and plugged back in', async () => {
    const s = createSimulatedPanel({ log });
    panels.push(s);
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    const unwire = wirePanel(s.panel, runtime, log, () => undefined);
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    await waitFor(() => runtime.view().screen.name !== 'out-of-service', { what: 'the kiosk to be in service' });
    expect((await s.panel.open()).state).toBe('ready');
    await waitFor(() => s.board.led('status'), { what: 'the status LED to light once the board is ready' });
    s.link.unplug();
    await waitFor(() => s.panel.status().state === 'fault', { what: 'the panel to notice the pulled cable' });
    s.link.replug();
    expect((await s.panel.open()).state).toBe('ready');
    // Opening resets the board (its LEDs go dark); the panel lights what the screen needs again.
    await waitFor(() => s.board.led('status'), { what: 'the status LED to light again after the replug' });
    unwire();
    runtime.stop();
  });
});
