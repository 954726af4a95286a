/**
 * Role (Firmata sim CLI): run the simulated Uno with StandardFirmata (the front panel's board)
 * on a tty, so a kiosk (or a test, or the memory bench) drives a panel it did not start:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/ttyA pty,raw,echo=0,link=/tmp/ttyB &
 *   npx tsx drivers/gpio/firmata/sim-cli.ts --port /tmp/ttyA
 *   (the kiosk's config: "gpio": { "driver": "firmata", "port": { "path": "/tmp/ttyB", "baud": 57600 } })
 *
 * The board is wired as the kiosk's default wiring (wiring.ts). On stdin, one JSON object a
 * line (drivers/serial/sim-program.ts), as POST /api/sim/panel takes it: `{"press":"help-button"}`
 * presses and lets go, `{"set":"tamper","active":true}` holds an input where it is put.
 */
import { parseArgs } from 'node:util';
import { PANEL_INPUTS, type PanelInput } from '../../types';
import { booleanField, exitWith, runSimProgram, stringField } from '../../serial/sim-program';
import { FIRMATA_BAUD } from './protocol';
import { StandardFirmataSim } from './sim';
import { TAP_HOLD_MS } from './simulated';

const HELP = `usage: sim-cli --port PATH [--baud ${FIRMATA_BAUD}]
  Serves a simulated Arduino Uno running StandardFirmata (the front panel) on PATH until interrupted.
  stdin  one JSON object a line: {"press":"${PANEL_INPUTS.join('|')}"} or {"set":"<input>","active":true|false}`;

const panelInput = (v: string | undefined): PanelInput | undefined => PANEL_INPUTS.find((i) => i === v);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      baud: { type: 'string', default: String(FIRMATA_BAUD) },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.port) {
    process.stdout.write(HELP + '\n');
    return values.help ? 0 : 2;
  }
  const baud = Number(values.baud);
  if (!Number.isInteger(baud) || baud < 1) {
    process.stderr.write(`bad --baud\n${HELP}\n`);
    return 2;
  }
  const board = new StandardFirmataSim();
  return runSimProgram(
    {
      what: 'Arduino Uno running StandardFirmata (the front panel)',
      device: board,
      baud,
      command: async (req) => {
        const press = panelInput(stringField(req, 'press'));
        const set = panelInput(stringField(req, 'set'));
        const active = booleanField(req, 'active');
        if (press) {
          board.press(press, true);
          await new Promise((r) => setTimeout(r, TAP_HOLD_MS));
          board.press(press, false);
        } else if (set && active !== undefined) board.press(set, active);
        else return `give {"press":"<input>"} or {"set":"<input>","active":true|false}, an input being one of ${PANEL_INPUTS.join(', ')}; pull the cable by stopping socat`;
        return undefined;
      },
    },
    values.port,
  );
}

exitWith(main());
