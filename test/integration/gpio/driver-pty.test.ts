/**
 * The Firmata panel driver through a real tty: the simulated board on the far end of a socat
 * pty pair (real termios, real chunking), or, with TEST_PANEL_PORT set, a real board running
 * StandardFirmata on that port (TEST_PANEL_BAUD, default 57600).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelInput } from '../../../drivers/types';
import { FirmataPanel } from '../../../drivers/gpio/firmata/driver';
import { FIRMATA_BAUD } from '../../../drivers/gpio/firmata/protocol';
import { StandardFirmataSim } from '../../../drivers/gpio/firmata/sim';
import { DEFAULT_WIRING } from '../../../drivers/gpio/firmata/wiring';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { recordingLog } from '../../helpers/device-log';
import { PtyPair, realPort } from '../../helpers/pty-pair';
import { waitFor } from '../../helpers/wait-for';

const real = realPort('TEST_PANEL_PORT', FIRMATA_BAUD);

describe.runIf(real === undefined)('Firmata panel over a socat pty pair', () => {
  const pty = new PtyPair();
  const board = new StandardFirmataSim();
  let served: Served | undefined;
  let panel: FirmataPanel | undefined;
  const inputs: Array<[PanelInput, boolean]> = [];

  beforeAll(async () => {
    await pty.start();
    served = await serveOnTty(board, { path: pty.device, baudRate: FIRMATA_BAUD });
    if (served.kind === 'error') throw new Error(served.message);
    panel = new FirmataPanel({ port: { path: pty.host, baudRate: FIRMATA_BAUD }, log: recordingLog(), wiring: DEFAULT_WIRING, openTimeoutMs: 2_000, queryIntervalMs: 100 });
    panel.onInput((input, active) => inputs.push([input, active]));
  });

  afterAll(async () => {
    await panel?.close();
    if (served?.kind === 'serving') await served.close();
    await pty.dispose();
  });

  it('handshakes, lights an LED and hears the help button', async () => {
    if (panel === undefined) throw new Error('rig not started');
    expect((await panel.open()).state).toBe('ready');
    await panel.setLed('fingerprint', true);
    await waitFor(() => board.led('fingerprint'), { what: 'the fingerprint LED to light on the board' });
    board.press('help-button');
    await waitFor(() => inputs.length === 1, { what: 'the help button to be reported' });
    expect(inputs).toEqual([['help-button', true]]);
  });
});

describe.runIf(real !== undefined)('Firmata panel on the real board at $TEST_PANEL_PORT', () => {
  it('handshakes with StandardFirmata, checks the wiring and lights the status LED', async () => {
    if (real === undefined) return;
    // An Uno resets when the port opens; its bootloader needs ~2 s before the sketch answers.
    const panel = new FirmataPanel({ port: real, log: recordingLog(), wiring: DEFAULT_WIRING, openTimeoutMs: 8_000 });
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
