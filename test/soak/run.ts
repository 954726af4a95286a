import { runCrashSoak } from './crash-soak';

/**
 * `npm run soak -- --kills N [--seed S] [--json]`: the crash soak (test/soak/crash-soak.ts) with
 * as many kills as asked; the test suite runs 50 (test/integration/soak/crash-soak.test.ts).
 * Exit 0 only if every invariant held after every kill.
 */

const USAGE = `Usage: npm run soak -- [--kills N] [--seed S] [--json]

Starts the kiosk (simulated devices, syncing to a reference receiver on loopback), lets
simulated citizens enroll, SIGKILLs it at random moments and starts it again, N times (default
50); after each kill checks that every receipt a citizen saw is committed, that the receiver holds
each packet once, and that the database and the audit chain are intact.
`;

function parse(argv: readonly string[]): { kills: number; seed: number; json: boolean } | string {
  const o = { kills: 50, seed: 2026, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--kills') o.kills = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--help' || a === '-h') return USAGE;
    else return `unknown option "${a ?? ''}"\n\n${USAGE}`;
  }
  if (!Number.isInteger(o.kills) || o.kills < 1 || o.kills > 100_000) return `--kills must be a whole number from 1 to 100000\n\n${USAGE}`;
  if (!Number.isInteger(o.seed)) return `--seed must be a whole number\n\n${USAGE}`;
  return o;
}

const o = parse(process.argv.slice(2));
if (typeof o === 'string') {
  process.stderr.write(o);
  process.exit(o === USAGE ? 0 : 2);
}
const report = await runCrashSoak({ kills: o.kills, seed: o.seed, progress: o.json ? undefined : (line) => process.stdout.write(`${line}\n`) });
if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else {
  const w = report.byWindow;
  process.stdout.write(
    [
      '',
      `kills                ${report.kills} (startup ${w.startup}, random ${w.random}, submit ${w.submit}, receiver-stored ${w.stored}; ${report.killedAfterStore} between store and reply)`,
      `receipts seen        ${report.receiptsSeen}`,
      `committed            ${report.committed}`,
      `at the receiver      ${report.atReceiver} (each once)`,
      `kiosk start, median  ${report.medianStartMs} ms`,
      `wall time            ${report.wallSeconds} s`,
      report.violations.length === 0 ? 'every invariant held after every kill' : `VIOLATIONS:\n${report.violations.map((v) => `  - ${v}`).join('\n')}`,
      '',
    ].join('\n'),
  );
}
process.exit(report.violations.length === 0 ? 0 : 1);
