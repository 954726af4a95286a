import path from 'node:path';
import { pino } from 'pino';
import { startFleet } from '../ops/fleet/fleet';
import { writeJsonFile } from '../ops-console/files';
import type { CliCommand } from './io';

/**
 * `simulate-fleet`: N simulated kiosks in this process with citizens flowing (issue #14), each
 * with its own HTTP server (/healthz, /metrics, ws /ws/ops with its own token), and the kiosks
 * file for `ops --kiosks`. Stop with Ctrl-C.
 */

const HELP = `usage: simulate-fleet --kiosks N [--port P] [--host H] [--out FILE] [--speed X] [--heartbeat-ms MS] [--seed S] [--quiet-citizens]

Runs N simulated kiosks in one process: the real enrollment statechart on simulated devices,
each kiosk with its own server (its /healthz, its /metrics, its ops channel /ws/ops with its
own token) and simulated citizens flowing through it (some ask for help, some declare a finger
that cannot be taken, so the console has work).
  --kiosks N        how many (1–500)
  --port P          the first kiosk's port, the others follow (default 0: any free port)
  --host H          default 127.0.0.1
  --out FILE        the kiosks file for \`ops --kiosks\` (default fleet-kiosks.json); it holds the tokens (mode 0600)
  --speed X         X times faster than real citizens (default 1)
  --heartbeat-ms MS how often each kiosk's status goes out when nothing changes (default 10000)
  --seed S          the same citizens every run
  --quiet-citizens  no citizens (the kiosks wait on their start screens)

Then: npm run kiosk -- ops --kiosks fleet-kiosks.json --officers officers.json
`;

export const simulateFleetCommand: CliCommand = async (rest, io) => {
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const values = new Map<string, string>();
  let quiet = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--quiet-citizens') {
      quiet = true;
      continue;
    }
    if (!['--kiosks', '--port', '--host', '--out', '--speed', '--heartbeat-ms', '--seed'].includes(a)) {
      io.err(`simulate-fleet: unknown option "${a}"\n\n${HELP}`);
      return 2;
    }
    const v = rest[++i];
    if (v === undefined) {
      io.err(`simulate-fleet: ${a} needs a value\n`);
      return 2;
    }
    values.set(a, v);
  }
  const count = Number(values.get('--kiosks'));
  const port = Number(values.get('--port') ?? '0');
  const speed = Number(values.get('--speed') ?? '1');
  const heartbeatMs = Number(values.get('--heartbeat-ms') ?? '10000');
  const seed = values.get('--seed');
  if (!Number.isInteger(count) || count < 1 || count > 500) {
    io.err(`simulate-fleet: --kiosks must be 1–500\n\n${HELP}`);
    return 2;
  }
  if (!Number.isInteger(port) || port < 0 || port + count > 65_536 || !(speed > 0 && speed <= 1000) || !(heartbeatMs >= 100 && heartbeatMs <= 600_000) || (seed !== undefined && !Number.isInteger(Number(seed)))) {
    io.err(`simulate-fleet: --port, --speed, --heartbeat-ms or --seed out of range\n\n${HELP}`);
    return 2;
  }
  const out = path.resolve(values.get('--out') ?? 'fleet-kiosks.json');
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const fleet = await startFleet({
    count,
    basePort: port,
    host: values.get('--host') ?? '127.0.0.1',
    heartbeatMs,
    citizens: quiet ? 'none' : 'random',
    speed,
    log,
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
  });
  await writeJsonFile(out, fleet.kiosksFile());
  io.out(`${count} simulated kiosks running (${fleet.kiosks[0]?.url ?? ''} …); kiosks file: ${out}\n`);
  for (const k of fleet.kiosks) io.out(`  ${k.kioskId}  ${k.url}metrics  ${k.opsUrl}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await fleet.stop();
  return 0;
};
