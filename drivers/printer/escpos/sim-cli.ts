/**
 * Role (ESC/POS sim CLI): run the receipt printer simulator on a tty, so a kiosk (or a test, or
 * the memory bench) prints to a printer it did not start:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/ttyA pty,raw,echo=0,link=/tmp/ttyB &
 *   npx tsx drivers/printer/escpos/sim-cli.ts --port /tmp/ttyA --paper 80
 *   (the kiosk's config: "printer": { "driver": "escpos", "port": { "path": "/tmp/ttyB", "baud": 115200 } })
 *
 * Each receipt it finishes is one line on stdout: `{"event":"receipt","complete":true,
 * "heightDots":…,"qr":["<tracking code>"]}`. On stdin, one JSON object a line
 * (drivers/serial/sim-program.ts), as POST /api/sim/printer takes it:
 * `{"paperOut":true}`, `{"coverOpen":true}`, `{"offline":true}`, `{"paperLow":true}` (false undoes).
 */
import { parseArgs } from 'node:util';
import { booleanField, exitWith, runSimProgram, simEvent } from '../../serial/sim-program';
import { EscPosSim, type SimKnobs } from './sim';

const HELP = `usage: sim-cli --port PATH [--paper 58|80] [--baud 115200]
  Serves a simulated ESC/POS receipt printer on PATH until interrupted; each receipt it
  finishes is a JSON line on stdout ({"event":"receipt",…}).
  stdin  one JSON object a line: {"paperOut":true|false}, {"coverOpen":…}, {"offline":…}, {"paperLow":…}`;

const KNOBS = ['paperOut', 'coverOpen', 'offline', 'paperLow'] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      paper: { type: 'string', default: '80' },
      baud: { type: 'string', default: '115200' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.port) {
    process.stdout.write(HELP + '\n');
    return values.help ? 0 : 2;
  }
  const paper = values.paper === '58' ? 58 : values.paper === '80' ? 80 : undefined;
  const baud = Number(values.baud);
  if (paper === undefined || !Number.isInteger(baud) || baud < 1) {
    process.stderr.write(`bad --paper or --baud\n${HELP}\n`);
    return 2;
  }
  const sim = new EscPosSim(paper);
  sim.onReceipt((r) =>
    simEvent('receipt', {
      complete: r.complete,
      heightDots: r.items.reduce((h, it) => h + (it.kind === 'bits' ? it.height : it.dots), 0),
      qr: r.qr ?? [],
    }),
  );
  return runSimProgram(
    {
      what: `ESC/POS receipt printer, ${paper} mm paper`,
      device: sim,
      baud,
      command: async (req) => {
        const knobs: { -readonly [K in keyof SimKnobs]?: SimKnobs[K] } = {};
        for (const k of KNOBS) {
          const v = booleanField(req, k);
          if (v !== undefined) knobs[k] = v;
        }
        if (Object.keys(knobs).length === 0) return `give one or more of ${KNOBS.map((k) => `"${k}"`).join(', ')} as true or false; pull the cable by stopping socat`;
        sim.set(knobs);
        return undefined;
      },
    },
    values.port,
  );
}

exitWith(main());
