/**
 * The johnny-five panel over firmata.js and the bounded wire, through a real tty: the simulated
 * board on the far end of a socat pty pair (real termios, real chunking), or, with
 * TEST_PANEL_PORT set, a real board running StandardFirmata on that port (TEST_PANEL_BAUD,
 * default 57600).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelInput } from '../../../drivers/types';
import { encode } from '../../../drivers/gpio/firmata/codec';
import { FirmataLink } from '../../../drivers/gpio/firmata/link';
import { FIRMATA_BAUD } from '../../../drivers/gpio/firmata/protocol';
import { StandardFirmataSim } from '../../../drivers/gpio/firmata/sim';
import { DEFAULT_WIRING } from '../../../drivers/gpio/firmata/wiring';
import { FivePanel } from '../../../drivers/gpio/panel';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { startSupervisor, supervisedState, type SupervisorRef } from '../../../controller/devices/supervisor';
import { recordingLog } from '../../helpers/device-log';
import { PtyPair, realPort } from '../../helpers/pty-pair';
import { waitFor } from '../../helpers/wait-for';

const real = realPort('TEST_PANEL_PORT', FIRMATA_BAUD);

describe.runIf(real === undefined)('johnny-five panel over a socat pty pair', () => {
  const pty = new PtyPair();
  const board = new StandardFirmataSim();
  let served: Served | undefined;
  const link = new FirmataLink({ port: { path: pty.host, baudRate: FIRMATA_BAUD }, log: recordingLog(), wiring: DEFAULT_WIRING, openTimeoutMs: 2_000, queryIntervalMs: 100 });
  const panel = new FivePanel({ link, wiring: DEFAULT_WIRING, log: recordingLog(), presenceCalibrationMs: 0 });
  const inputs: Array<[PanelInput, boolean]> = [];
  panel.onInput((input, active) => inputs.push([input, active]));
  let supervisor: SupervisorRef | undefined;

  const serve = async () => {
    served = await serveOnTty(board, { path: pty.device, baudRate: FIRMATA_BAUD });
    if (served.kind === 'error') throw new Error(served.message);
  };

  beforeAll(async () => {
    await pty.start();
    await serve();
  });

  afterAll(async () => {
    supervisor?.send({ type: 'STOP' });
    await panel.close();
    if (served?.kind === 'serving') await served.close();
    await pty.dispose();
  });

  it('handshakes, lights an LED and hears the help button, the PIR and the tamper switch', async () => {
    expect((await panel.open()).state).toBe('ready');
    await panel.setLed('fingerprint', true);
    await waitFor(() => board.led('fingerprint'), { what: 'the fingerprint LED to light on the board' });
    board.press('help-button');
    await waitFor(() => inputs.length === 1, { what: 'the help button to be reported' });
    board.press('presence');
    await waitFor(() => inputs.length === 2, { what: 'presence to be reported' });
    board.press('tamper');
    await waitFor(() => inputs.length === 3, { what: 'the tamper switch to be reported' });
    expect(inputs).toEqual([
      ['help-button', true],
      ['presence', true],
      ['tamper', true],
    ]);
  });

  it('reads past a 400 KB firmware report and a 10 MB sysex that never ends, and still hears the board', async () => {
    const before = inputs.length;
    board.send(encode({ type: 'firmware', major: 2, minor: 5, name: 'x'.repeat(200_000) }));
    board.send(Uint8Array.from([0xf0, 0x79, 2, 5]));
    for (let i = 0; i < 160; i++) board.send(new Uint8Array(64 * 1024).fill(0x41));
    await waitFor(() => (link.counters()?.bytesIn ?? 0) > 10 * 1024 * 1024, { what: 'the 10 MB to come through the pty', timeoutMs: 20_000 });
    expect(link.counters()?.handlerErrors).toBe(0);
    board.press('tamper', false);
    await waitFor(() => inputs.length === before + 1, { what: 'the tamper switch closing to be reported after the junk' });
    expect(inputs.at(-1)).toEqual(['tamper', false]);
  });

  it('faults when the cable is pulled and, supervised, comes back by itself once it is plugged in again', async () => {
    supervisor = startSupervisor(panel, { minBackoffMs: 50, maxBackoffMs: 200 });
    await waitFor(() => supervisedState(supervisor!) === 'ready', { what: 'the supervised panel to be ready' });
    if (served?.kind === 'serving') await served.close();
    await pty.stop();
    await waitFor(() => supervisedState(supervisor!) !== 'ready', { what: 'the pulled cable to be noticed', timeoutMs: 5_000 });
    await pty.start();
    await serve();
    await waitFor(() => supervisedState(supervisor!) === 'ready', { what: 'the panel to reconnect after the replug', timeoutMs: 10_000 });
    // The help button has been held since the first test: let go, and pressed again.
    board.press('help-button', false);
    await waitFor(() => inputs.at(-1)?.[0] === 'help-button' && inputs.at(-1)?.[1] === false, { what: 'the release to be heard after the reconnect' });
    board.press('help-button', true);
    await waitFor(() => inputs.at(-1)?.[0] === 'help-button' && inputs.at(-1)?.[1] === true, { what: 'the press to be heard after the reconnect' });
  });
});

describe.runIf(real !== undefined)('johnny-five panel on the real board at $TEST_PANEL_PORT', () => {
  it('handshakes with StandardFirmata, checks the wiring and lights the status LED', async () => {
    if (real === undefined) return;
    // An Uno resets when the port opens; its bootloader needs ~2 s before the sketch answers.
    const panel = new FivePanel({ link: new FirmataLink({ port: real, log: recordingLog(), wiring: DEFAULT_WIRING, openTimeoutMs: 8_000 }), wiring: DEFAULT_WIRING, log: recordingLog() });
    try {
      const s = await panel.open();
      expect(s.state, s.detail).toBe('ready');
      await panel.setLed('status', true);
      await panel.setLed('status', false);
    } finally {
      await panel.close();
    }
  });
});
