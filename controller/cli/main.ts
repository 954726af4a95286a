import type { CliCommand } from './io';
import { processIO } from './process-io';

/**
 * `npm run kiosk -- <command>`: the technician's and operator's tools. Each command lives in its
 * own file and is loaded only when asked for, so `keys` doesn't pay for loading the face model.
 */

const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  simulate: { summary: 'drive simulated citizens through a running kiosk', load: async () => (await import('./simulate')).simulateCommand },
  statechart: { summary: 'print the enrollment statechart (outline, Mermaid or JSON)', load: async () => (await import('./statechart')).statechartCommand },
  keys: { summary: "create or show this kiosk's signing key", load: async () => (await import('./keys')).keysCommand },
  doc: { summary: 'parse a scanned document text (QR payload or MRZ) from stdin', load: async () => (await import('./doc')).docCommand },
  photo: { summary: 'check a face photo against the ICAO rules', load: async () => (await import('./photo')).photoCommand },
  'diag fingerprint': { summary: 'test a fingerprint module (or --sim)', load: async () => (await import('./diag-fingerprint')).diagFingerprintCommand },
  'diag scanner': { summary: 'wait for one scan and print what was decoded', load: async () => (await import('./diag-scanner')).diagScannerCommand },
  'diag printer': { summary: 'print a test page and report printer status', load: async () => (await import('./diag-printer')).diagPrinterCommand },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: npm run kiosk -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --help.\n`;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    processIO.out(usage());
    return first === undefined ? 2 : 0;
  }
  const two = second !== undefined ? `${first} ${second}` : undefined;
  const name = two !== undefined && two in COMMANDS ? two : first;
  const entry = COMMANDS[name];
  if (!entry) {
    processIO.err(`unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  const command = await entry.load();
  return command(rest, processIO);
}

// Exit explicitly: a command that leaves a serial port or timer open must not hang the shell.
runCli(process.argv.slice(2)).then(
  (code) => setImmediate(() => process.exit(code)),
  (err: unknown) => {
    processIO.err(`kiosk: ${err instanceof Error ? err.message : String(err)}`);
    setImmediate(() => process.exit(1));
  },
);
