import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelInput } from '../../types';
import { openSerialTransport } from '../../serial/byte-transport';
import { FirmataPanel } from './driver';
import { serveFirmataSim } from './sim-serial';
import { until } from './test-rig';
import { DEFAULT_WIRING } from './wiring';

// The driver and the simulated board on two ends of a socat pty pair: real termios, real chunking.
const hasSocat = ['/usr/bin/socat', '/bin/socat'].some((p) => existsSync(p));

describe.runIf(hasSocat)('Firmata panel over a socat pty pair', () => {
  let dir = '';
  let socat: ChildProcess | undefined;
  let served: Awaited<ReturnType<typeof serveFirmataSim>> | undefined;
  let panel: FirmataPanel | undefined;
  const inputs: Array<[PanelInput, boolean]> = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firmata-pty-'));
    const a = join(dir, 'A');
    const b = join(dir, 'B');
    socat = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !(existsSync(a) && existsSync(b)); i++) await new Promise((r) => setTimeout(r, 20));
    served = await serveFirmataSim({ path: b, baudRate: 57_600 });
    panel = new FirmataPanel({ where: `${a} at 57600 baud`, connect: () => openSerialTransport({ path: a, baudRate: 57_600 }), wiring: DEFAULT_WIRING, openTimeoutMs: 2_000, queryIntervalMs: 100 });
    panel.onInput((input, active) => inputs.push([input, active]));
  });

  afterAll(async () => {
    await panel?.close();
    await served?.close();
    if (socat?.pid !== undefined) socat.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('handshakes, lights an LED and hears the help button', async () => {
    if (panel === undefined || served === undefined) throw new Error('rig not started');
    const sim = served.sim;
    expect((await panel.open()).state).toBe('ready');
    await panel.setLed('fingerprint', true);
    await until(() => sim.led('fingerprint'), 1_000);
    sim.press('help-button');
    await until(() => inputs.length === 1, 1_000);
    expect(inputs).toEqual([['help-button', true]]);
  });
});
