/**
 * Role (r30x sim CLI): run the R30x simulator on a tty, for trying `diag fingerprint` (or the
 * kiosk) against a module it did not start:
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/ttyA pty,raw,echo=0,link=/tmp/ttyB &
 *   npx tsx drivers/fingerprint/r30x/sim-cli.ts --port /tmp/ttyA --baud 57600 --packet-size 128
 *   npm run kiosk -- diag fingerprint --port /tmp/ttyB --baud 57600
 *
 * On stdin, one JSON object a line (drivers/serial/sim-program.ts), as POST /api/sim/fingerprint
 * takes it: `{"next":[{"kind":"seed","seed":7,"variant":"smudged"},{"kind":"blank"}]}` queues what
 * the citizen puts on the glass; `{"realistic":false}` switches the module's timings off or on.
 */
import { parseArgs } from 'node:util';
import { isPacketSize } from './protocol';
import { exitWith, runSimProgram } from '../../serial/sim-program';
import { R30xSim } from './sim';
import type { FingerChoice } from './sim-fingers';

const HELP = `usage: sim-cli --port PATH [--model R307|R503] [--baud 57600] [--packet-size 32|64|128|256]
                [--fast] [--citizen cooperative|absent] [--no-finger-polls N]
  Serves a simulated R30x fingerprint module on PATH until interrupted.
  --fast     answer at once instead of pacing bytes at the baud rate
  stdin      one JSON object a line: {"next":[{"kind":"seed","seed":7},{"kind":"blank"},
             {"kind":"same-again"},{"kind":"none"}]} or {"realistic":true|false}`;

const VARIANTS = ['good', 'smudged', 'low-contrast'] as const;

/** One entry of `next`, as /api/sim/fingerprint takes it; a string says what is wrong. */
function fingerChoice(v: unknown): FingerChoice | string {
  if (typeof v !== 'object' || v === null) return 'each entry of "next" is an object with a "kind"';
  const kind = 'kind' in v ? v.kind : undefined;
  if (kind === 'blank' || kind === 'same-again' || kind === 'none') return { kind };
  if (kind !== 'seed') return `"kind" is one of seed, blank, same-again, none; got ${JSON.stringify(kind)}`;
  const seed = 'seed' in v ? v.seed : undefined;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) return 'a "seed" entry needs a whole-number "seed"';
  const variant = 'variant' in v ? v.variant : undefined;
  if (variant === undefined) return { kind, seed };
  const known = VARIANTS.find((x) => x === variant);
  return known ? { kind, seed, variant: known } : `"variant" is one of ${VARIANTS.join(', ')}`;
}

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
  return runSimProgram(
    {
      what: `${model} fingerprint module, ${packetSize}-byte packets`,
      device: sim,
      baud: sim.baud,
      command: async (req) => {
        if (typeof req['realistic'] === 'boolean') {
          sim.setRealisticTiming(req['realistic']);
          return undefined;
        }
        const next = req['next'];
        if (!Array.isArray(next)) return 'give {"next":[…]} (what the citizen puts on the glass) or {"realistic":true|false}; pull the cable by stopping socat';
        const choices = next.map(fingerChoice);
        const wrong = choices.find((c) => typeof c === 'string');
        if (typeof wrong === 'string') return wrong;
        for (const c of choices) if (typeof c !== 'string') sim.present(c);
        return undefined;
      },
    },
    values.port,
  );
}

exitWith(main());
