import type { CliCommand, CliIO } from './io';

/**
 * `npm run kiosk -- <command>`: the technician's and operator's tools. Each command lives in its
 * own file and is loaded only when asked for, so `keys` doesn't pay for loading the face model.
 */

/** The flags of the older `diag` forms (a device on a port, or the simulator alone): with one, the older command runs. */
const FINGERPRINT_FLAGS = ['--port', '--sim', '--baud', '--model', '--wait-ms', '--raise-baud'];
const SCANNER_FLAGS = ['--port', '--hid', '--sim', '--pos', '--baud', '--suffix', '--wait', '--idle-gap'];
const PRINTER_FLAGS = ['--port', '--sim', '--baud'];

const COMMANDS: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  simulate: { summary: 'drive simulated citizens through a running kiosk', load: async () => (await import('./simulate')).simulateCommand },
  statechart: { summary: 'print the enrollment statechart (outline, Mermaid or JSON)', load: async () => (await import('./statechart')).statechartCommand },
  keys: { summary: "create or show this kiosk's signing key", load: async () => (await import('./keys')).keysCommand },
  doc: { summary: 'parse a scanned document text (QR payload or MRZ) from stdin', load: async () => (await import('./doc')).docCommand },
  photo: { summary: 'check a face photo against the ICAO rules', load: async () => (await import('./photo')).photoCommand },
  'diag all': { summary: 'self-test every device, on the running kiosk or directly (--json)', load: async () => (await import('./diag')).diagCommand('all') },
  'diag fingerprint': {
    summary: 'self-test the fingerprint reader; with --port or --sim, test a module alone',
    load: async () => (await import('./diag')).diagOrLegacy('fingerprint', FINGERPRINT_FLAGS, async () => (await import('./diag-fingerprint')).diagFingerprintCommand),
  },
  'diag scanner': {
    summary: 'self-test the scanner (one scan); with --port, --hid or --sim, a scanner alone',
    load: async () => (await import('./diag')).diagOrLegacy('scanner', SCANNER_FLAGS, async () => (await import('./diag-scanner')).diagScannerCommand),
  },
  'diag camera': { summary: 'self-test the camera: a photo and the photo checks', load: async () => (await import('./diag')).diagCommand('camera') },
  'diag printer': {
    summary: 'self-test the printer (a test page); with --port or --sim, a printer alone',
    load: async () => (await import('./diag')).diagOrLegacy('printer', PRINTER_FLAGS, async () => (await import('./diag-printer')).diagPrinterCommand),
  },
  'diag panel': { summary: 'self-test the front panel: lights, help button, presence sensor, door switch', load: async () => (await import('./diag')).diagCommand('panel') },
  'tech set-pin': { summary: "set the service screen's PIN (its hash goes into the config)", load: async () => (await import('./tech')).techSetPinCommand },
  'packets list': { summary: 'list the enrollment packets and how far each has gone (metadata only)', load: async () => (await import('./packets-list')).packetsListCommand },
  'packets export': { summary: 'write the pending sealed packets and a signed manifest to a USB stick', load: async () => (await import('./packets-export')).packetsExportCommand },
  'packets import-acks': { summary: "store the centre's acks from a USB stick, then purge as after a sync", load: async () => (await import('./packets-import-acks')).packetsImportAcksCommand },
  'packets verify': { summary: "check the stored packets' hashes and headers (metadata only)", load: async () => (await import('./packets-verify')).packetsVerifyCommand },
  ops: { summary: "serve the hall officers' console, connected to the hall's kiosks (--kiosks FILE)", load: async () => (await import('./ops')).opsCommand },
  'ops add-officer': { summary: 'add an officer who may log in to the console (or set a new password)', load: async () => (await import('./ops')).opsAddOfficerCommand },
  'simulate-fleet': { summary: 'run N simulated kiosks with citizens flowing, each with its ops channel and /metrics', load: async () => (await import('./simulate-fleet')).simulateFleetCommand },
  'invitation make': { summary: 'issue a signed invitation (giấy mời): print its QR text, write a PNG', load: async () => (await import('./invitation')).invitationMakeCommand },
  'invitation keys': { summary: "create the police station's invitation key (init --dir DIR)", load: async () => (await import('./invitation')).invitationKeysCommand },
  'audit verify': { summary: 'verify the audit chain and name the first broken row', load: async () => (await import('./audit')).auditVerifyCommand },
};

export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

/** The usage text, for every command or for one group's ("diag"). */
export function usage(group?: string): string {
  const names = Object.keys(COMMANDS).filter((k) => group === undefined || k.startsWith(`${group} `));
  const width = Math.max(...names.map((k) => k.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]?.summary ?? ''}`);
  const head = group === undefined ? 'Usage: npm run kiosk -- <command> [options]' : `Usage: npm run kiosk -- ${group} <what> [options]`;
  return `${head}\n\nCommands:\n${lines.join('\n')}\n\nEvery command takes --help.\n`;
}

/** Words that start two-word commands ("diag" in "diag printer"). */
const isGroup = (word: string): boolean => Object.keys(COMMANDS).some((k) => k.startsWith(`${word} `));
const isHelp = (word: string | undefined): boolean => word === '--help' || word === '-h' || word === 'help';

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || isHelp(first)) {
    io.out(usage());
    return first === undefined ? 2 : 0;
  }
  const two = second !== undefined ? `${first} ${second}` : undefined;
  const name = two !== undefined && two in COMMANDS ? two : first;
  const entry = COMMANDS[name];
  if (!entry) {
    if (!isGroup(first)) {
      io.err(`unknown command "${first}"\n\n${usage()}`);
      return 2;
    }
    if (isHelp(second)) {
      io.out(usage(first));
      return 0;
    }
    io.err(`${second === undefined ? `"${first}" needs one of these` : `unknown ${first} command "${second}"`}\n\n${usage(first)}`);
    return 2;
  }
  const rest = argv.slice(name.split(' ').length);
  const command = await entry.load();
  return command(rest, io);
}
