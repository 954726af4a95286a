import { afterEach, describe, expect, it } from 'vitest';
import { fromCallback } from 'xstate';
import { pino } from 'pino';
import { createSimulatedPanel, type SimulatedPanel } from '../../../../drivers/gpio/firmata/simulated';
import { createKioskRuntime } from '../../../../controller/enrollment/runtime';
import { TEST_FLOW, createFakeMachine, emptyScript } from '../../../helpers/enrollment-harness';
import { panelLeds, wirePanel, type LedView } from '../../../../controller/devices/panel';
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

  it('blinks the status LED fast while the kiosk is out of service, and lights it steady again when back', async () => {
    const { panel, board, driver } = await openPanel();
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    const unwire = wirePanel(panel, runtime, log, () => undefined);
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    await waitFor(() => board.led('status') && driver.ledState('status') === true, { what: 'the status LED to light' });
    runtime.setDevices({ camera: 'fault' });
    await waitFor(() => runtime.view().screen.name === 'out-of-service', { what: 'the out-of-service screen' });
    await waitFor(() => driver.ledState('status') === 'blink-fast', { what: 'the status LED to blink fast' });
    await waitFor(() => !board.led('status'), { what: 'the status LED to go dark in its blink' });
    await waitFor(() => board.led('status'), { what: 'the status LED to light in its blink' });
    runtime.setDevices({ camera: 'ready' });
    await waitFor(() => driver.ledState('status') === true, { what: 'the status LED to be steady again' });
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

  it('lights the fingerprint LED while the sensor waits for a finger, the camera light while the photo is taken, and blinks the status LED slowly while a citizen is served', async () => {
    const { panel, driver } = await openPanel();
    // A sensor that waits for a finger that never comes: the step stays on "place your finger".
    const machine = createFakeMachine(emptyScript()).provide({ actors: { captureFinger: fromCallback(() => () => undefined) } });
    const runtime = createKioskRuntime(machine, TEST_FLOW, { onFatal: failFast });
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    const unwire = wirePanel(panel, runtime, log, () => undefined);
    await waitFor(() => driver.ledState('status') === true, { what: 'the status LED steady on the start screen' });
    runtime.send({ type: 'START' });
    await waitFor(() => driver.ledState('status') === 'blink-slow', { what: 'the status LED to blink slowly in a session' });
    runtime.send({ type: 'SET_LANGUAGE', lang: 'vi' });
    runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await waitFor(() => runtime.view().screen.name === 'document-confirm', { what: 'the document confirm screen' });
    expect(driver.ledState('fingerprint')).toBe(false);
    runtime.send({ type: 'DOC_CONFIRM' });
    await waitFor(() => runtime.view().screen.name === 'fingerprints', { what: 'the fingerprint step' });
    await waitFor(() => driver.ledState('fingerprint') === true, { what: 'the fingerprint LED to light' });
    expect(driver.ledState('camera-light')).toBe(false);
    runtime.send({ type: 'QUIT' });
    await waitFor(() => driver.ledState('fingerprint') === false, { what: 'the fingerprint LED to go dark when the session ends' });
    unwire();
    runtime.stop();
  });

  it('tells the statechart what the PIR sees: someone stepping up wakes the quiet start screen', async () => {
    const { panel, board } = await openPanel();
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), { ...TEST_FLOW, attractSleepMs: 50 }, { onFatal: failFast });
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    const unwire = wirePanel(panel, runtime, log, () => undefined);
    await waitFor(() => runtime.view().screen.name === 'attract' && 'asleep' in runtime.view().screen, { what: 'the start screen to go quiet' });
    board.press('presence', true);
    await waitFor(() => runtime.view().screen.name === 'attract' && !('asleep' in runtime.view().screen), { what: 'the start screen to wake' });
    unwire();
    runtime.stop();
  });

  it('the tamper switch mid-session: the session ends, out of service, the report says a session was ended; shut again, back in service', async () => {
    const { panel, board } = await openPanel();
    const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
    runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
    const reports: unknown[] = [];
    const unwire = wirePanel(panel, runtime, log, (t) => reports.push(t));
    runtime.send({ type: 'START' });
    runtime.send({ type: 'SET_LANGUAGE', lang: 'en' });
    runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await waitFor(() => runtime.view().screen.name === 'document-confirm', { what: 'a session in progress' });
    board.press('tamper', true);
    await waitFor(() => runtime.view().screen.name === 'out-of-service', { what: 'the out-of-service screen' });
    expect(runtime.view().screen).toMatchObject({ enclosureOpen: true });
    expect(reports).toEqual([{ sessionEnded: true, screen: 'document-confirm' }]);
    board.press('tamper', false);
    await waitFor(() => runtime.view().screen.name === 'attract', { what: 'back in service once shut' });
    unwire();
    runtime.stop();
  });

});

describe('what the panel LEDs show for each screen', () => {
  const view = (screen: LedView['screen'], overlay?: LedView['overlay']): LedView => ({ screen, ...(overlay ? { overlay } : {}) });
  it('status: steady when ready for a citizen, slow blink while one is served, fast blink out of service', () => {
    expect(panelLeds(view({ name: 'attract' })).status).toBe(true);
    expect(panelLeds(view({ name: 'abandoned' })).status).toBe(true);
    expect(panelLeds(view({ name: 'language' })).status).toBe('blink-slow');
    expect(panelLeds(view({ name: 'review' })).status).toBe('blink-slow');
    expect(panelLeds(view({ name: 'out-of-service' })).status).toBe('blink-fast');
  });
  it('the camera light while the face is framed, and while the hand is photographed for a finger that cannot be taken', () => {
    expect(panelLeds(view({ name: 'face', phase: 'live' }))['camera-light']).toBe(true);
    expect(panelLeds(view({ name: 'face', phase: 'captured' }))['camera-light']).toBe(false);
    expect(panelLeds(view({ name: 'fingerprints', phase: 'proof-taking' }))['camera-light']).toBe(true);
    expect(panelLeds(view({ name: 'fingerprints', phase: 'place' }))).toMatchObject({ fingerprint: true, 'camera-light': false });
    expect(panelLeds(view({ name: 'fingerprints', phase: 'low-quality' })).fingerprint).toBe(false);
  });
  it('help: while staff are called, in a session or from the start screen', () => {
    expect(panelLeds(view({ name: 'language' }, { name: 'help' })).help).toBe(true);
    expect(panelLeds(view({ name: 'attract', staffCalled: true })).help).toBe(true);
    expect(panelLeds(view({ name: 'attract' })).help).toBe(false);
  });
});
