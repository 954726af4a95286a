/**
 * Role (r30x sim CLI): run the R30x simulator on a tty, for trying `diag fingerprint` (or the
 * kiosk) against a module it did not start:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/ttyA pty,raw,echo=0,link=/tmp/ttyB &
 *   npx tsx drivers/fingerprint/r30x/sim-cli.ts --port /tmp/ttyA --baud 57600 --packet-size 128
 *   npm run kiosk -- diag fingerprint --port /tmp/ttyB --baud 57600
 */
import { parseArgs } from 'node:util';
import { isPacketSize } from './protocol';
import { serveOnTty } from '../../serial/sim-tty';
import { R30xSim } from './sim';

const HELP = `usage: sim-cli --port PATH [--model R307|R503] [--baud 57600] [--packet-size 32|64|128|256]
                [--fast] [--citizen cooperative|absent] [--no-finger-polls N]
  Serves a simulated R30x fingerprint module on PATH until interrupted.
  --fast     answer at once instead of pacing bytes at the baud rate`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      model: { type: 'string', default: 'R307' },
      baud: { type: 'string', default: '57600' },
      'packet-size': { type: 'string', default: '128' },
      fast: { type: 'boolean', default: false },
      citizen: { type: 'string', default: 'cooperative' },
      'no-finger-polls': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.port) {
    process.stdout.write(HELP + '\n');
    return values.help ? 0 : 2;
  }
  const packetSize = Number(values['packet-size']);
  const model = values.model === 'R503' ? 'R503' : values.model === 'R307' ? 'R307' : undefined;
  const citizen = values.citizen === 'absent' ? 'absent' : 'cooperative';
  if (!isPacketSize(packetSize) || !model) {
    process.stderr.write(`bad --packet-size or --model\n${HELP}\n`);
    return 2;
  }
  const sim = new R30xSim({ model, baud: Number(values.baud), packetSize, realisticTiming: !values.fast, citizen });
  sim.knobs.noFingerPolls = Number(values['no-finger-polls']) || 0;
  const served = await serveOnTty(sim, { path: values.port, baudRate: sim.baud });
  if (served.kind === 'error') {
    process.stderr.write(`cannot open ${values.port}: ${served.message}\n`);
    return 1;
  }
  process.stdout.write(`simulated ${model} on ${values.port} at ${sim.baud} baud, ${packetSize}-byte packets (Ctrl-C to stop)\n`);
  const stop = (): void => void served.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await served.closed;
  return 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
