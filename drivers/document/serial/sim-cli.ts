/**
 * Role (serial scanner sim CLI): run the serial 2D scanner simulator on a tty, so a kiosk (or a
 * test, or the memory bench) reads codes from a scanner it did not start:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/ttyA pty,raw,echo=0,link=/tmp/ttyB &
 *   npx tsx drivers/document/serial/sim-cli.ts --port /tmp/ttyA
 *   (the kiosk's config: "document": { "driver": "serial", "port": { "path": "/tmp/ttyB", "baud": 115200 } })
 *
 * On stdin, one JSON object a line (drivers/serial/sim-program.ts), as POST /api/sim/document
 * takes it: `{"present":"<the QR's text>"}` holds a card under it, `{"garbage":true}` sends bytes
 * that are not UTF-8, `{"half":"<text>"}` a code cut short.
 */
import { parseArgs } from 'node:util';
import { exitWith, runSimProgram, stringField } from '../../serial/sim-program';
import type { Suffix } from './protocol';
import { ScannerSim } from './sim';

const HELP = `usage: sim-cli --port PATH [--suffix cr|lf|crlf|none] [--baud 115200] [--chunk-bytes 64]
  Serves a simulated serial 2D scanner on PATH until interrupted.
  --suffix       what it sends after a code (the kiosk's "suffix" setting must match; default cr)
  --chunk-bytes  bytes a write, as USB-CDC delivers them (default 64)
  stdin          one JSON object a line: {"present":"<code text>"}, {"garbage":true}, {"half":"<text>"}`;

const SUFFIXES: Readonly<Record<string, Suffix>> = { cr: 'CR', lf: 'LF', crlf: 'CRLF', none: 'none' };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      suffix: { type: 'string', default: 'cr' },
      baud: { type: 'string', default: '115200' },
      'chunk-bytes': { type: 'string', default: '64' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.port) {
    process.stdout.write(HELP + '\n');
    return values.help ? 0 : 2;
  }
  const suffix = SUFFIXES[values.suffix.toLowerCase()];
  const chunkBytes = Number(values['chunk-bytes']);
  const baud = Number(values.baud);
  if (!suffix || !Number.isInteger(chunkBytes) || chunkBytes < 1 || !Number.isInteger(baud) || baud < 1) {
    process.stderr.write(`bad --suffix, --baud or --chunk-bytes\n${HELP}\n`);
    return 2;
  }
  const sim = new ScannerSim({ suffix, chunkBytes });
  return runSimProgram(
    {
      what: `serial 2D scanner (suffix ${suffix})`,
      device: sim,
      baud,
      command: async (req) => {
        const present = stringField(req, 'present');
        const half = stringField(req, 'half');
        if (present !== undefined && present !== '') await sim.present(present);
        else if (half !== undefined && half !== '') await sim.sendHalf(half);
        else if (req['garbage'] === true) await sim.sendGarbage();
        else return 'give {"present":"<code text>"}, {"half":"<text>"} or {"garbage":true}; pull the cable by stopping socat';
        return undefined;
      },
    },
    values.port,
  );
}

exitWith(main());
