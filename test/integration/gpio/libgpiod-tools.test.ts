/**
 * The Pi header panel through libgpiod's command-line tools, both generations (v1.6 on Raspberry
 * Pi OS Bookworm, v2 on Trixie), against fake tools that parse their arguments as the real ones
 * do and keep a chip in a temp directory (test/helpers/fake-gpiod/): the tools are what we don't
 * own, so they are what is faked; everything of ours runs for real, johnny-five included.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PI_HEADER_WIRING } from '../../../drivers/gpio/firmata/wiring';
import { FivePanel } from '../../../drivers/gpio/panel';
import { findChip, toolsGeneration } from '../../../drivers/gpio/pi/libgpiod';
import { PiGpioLink } from '../../../drivers/gpio/pi/link';
import type { PanelInput } from '../../../drivers/types';
import { recordingLog } from '../../helpers/device-log';
import { waitFor } from '../../helpers/wait-for';

const toolsDir = fileURLToPath(new URL('../../helpers/fake-gpiod', import.meta.url));

for (const gen of [1, 2] as const) {
  describe(`the panel on the Pi header through libgpiod v${gen} tools`, () => {
    const dirs: string[] = [];
    const panels: FivePanel[] = [];
    afterEach(async () => {
      await Promise.all(panels.splice(0).map((p) => p.close()));
      for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    });
    const chipDir = () => {
      const d = mkdtempSync(path.join(tmpdir(), 'fake-gpiochip-'));
      dirs.push(d);
      return d;
    };
    const tools = (dir: string) => ({ toolsDir, env: { FAKE_GPIOD_DIR: dir, FAKE_GPIOD_GEN: String(gen) } });
    /** The outside world drives these levels (written whole, as a rename: the fake tools poll the file). */
    const drive = (dir: string, levels: Record<number, 0 | 1>) => {
      writeFileSync(path.join(dir, 'driven.json.new'), JSON.stringify(levels));
      renameSync(path.join(dir, 'driven.json.new'), path.join(dir, 'driven.json'));
    };
    const heard = (inputs: Array<[PanelInput, boolean]>, input: PanelInput) => inputs.some(([i, a]) => i === input && a);
    const out = (dir: string, line: number) => (existsSync(path.join(dir, `out-${line}`)) ? readFileSync(path.join(dir, `out-${line}`), 'utf8') : undefined);

    it('tells the generation and finds the header chip by its label', async () => {
      const dir = chipDir();
      expect(await toolsGeneration(tools(dir))).toBe(gen);
      expect(await findChip('auto', tools(dir))).toEqual({ name: 'gpiochip0', label: 'pinctrl-rp1', lines: 54 });
      expect(await findChip('gpiochip3', tools(dir))).toEqual({ error: expect.stringContaining('there is no gpiochip3 (chips: gpiochip0 [pinctrl-rp1], gpiochip10') });
    });

    it('says which package to install when the tools are missing', async () => {
      expect(await toolsGeneration({ toolsDir: chipDir() })).toEqual({ error: expect.stringContaining("install the Debian package 'gpiod'") });
    });

    it('drives the LEDs, hears every input, faults when a tool dies and comes back on open', async () => {
      const dir = chipDir();
      drive(dir, { 13: 0 }); // enclosure shut: the tamper switch holds GPIO13 low
      const link = new PiGpioLink({ chip: 'auto', wiring: PI_HEADER_WIRING, log: recordingLog(), tools: tools(dir) });
      const panel = new FivePanel({ link, wiring: PI_HEADER_WIRING, log: recordingLog(), presenceCalibrationMs: 0 });
      panels.push(panel);
      const inputs: Array<[PanelInput, boolean]> = [];
      panel.onInput((i, a) => inputs.push([i, a]));
      const s = await panel.open();
      expect(s.state, s.detail).toBe('ready');
      expect(s.detail).toContain('gpiochip0 [pinctrl-rp1]');

      await panel.setLed('fingerprint', true);
      await waitFor(() => out(dir, PI_HEADER_WIRING.leds.fingerprint) === '1', { what: 'gpioset to hold the fingerprint LED high' });
      await panel.setLed('fingerprint', false);
      await waitFor(() => out(dir, PI_HEADER_WIRING.leds.fingerprint) === '0', { what: 'gpioset to hold the fingerprint LED low' });

      drive(dir, { 13: 0, 5: 0 }); // help pressed (to ground)
      await waitFor(() => heard(inputs, 'help-button'), { what: 'the help button' });
      drive(dir, { 13: 0, 5: 0, 6: 1 }); // someone in front of the PIR
      await waitFor(() => heard(inputs, 'presence'), { what: 'presence' });
      drive(dir, { 5: 0, 6: 1 }); // the door opens: the pull-up reads HIGH
      await waitFor(() => heard(inputs, 'tamper'), { what: 'the tamper switch' });
      expect(inputs).toEqual([
        ['help-button', true],
        ['presence', true],
        ['tamper', true],
      ]);

      // A tool that dies (killed, the chip gone): a fault that says which, then open again.
      const held = readFileSync(path.join(dir, 'held-5'), 'utf8');
      process.kill(Number(held), 'SIGKILL');
      await waitFor(() => panel.status().state === 'fault', { what: 'the dead gpiomon to be noticed' });
      expect(panel.status().detail).toContain('gpiomon');
      rmSync(path.join(dir, 'held-5'), { force: true });
      rmSync(path.join(dir, 'held-6'), { force: true });
      rmSync(path.join(dir, 'held-13'), { force: true });
      expect((await panel.open()).state).toBe('ready');
      await panel.setLed('status', true);
      await waitFor(() => out(dir, PI_HEADER_WIRING.leds.status) === '1', { what: 'the status LED after the reopen' });
    });
  });
}
