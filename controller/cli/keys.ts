import { KeyFileError, kioskKeyPath, loadKioskKeys, loadOrCreateKioskKeys, type KioskKeys } from '../packet/keys';
import type { CliCommand, CliIO } from './io';

const USAGE = `Usage: npm run kiosk -- keys <init|show> --data-dir DIR

  keys init --data-dir DIR   create this kiosk's Ed25519 signing key if it has none
                             (DIR/keys/kiosk-ed25519.pem, mode 0600), then print it
  keys show --data-dir DIR   print the key id and public key of the existing key

The public key PEM is what the central server registers for this kiosk.
Exit codes: 0 ok, 1 key missing or unusable, 2 bad usage.
`;

type Parsed =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly action: 'init' | 'show'; readonly dataDir: string }
  | { readonly kind: 'usage-error'; readonly message: string };

function parse(argv: readonly string[]): Parsed {
  let action: 'init' | 'show' | undefined;
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--data-dir') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) return { kind: 'usage-error', message: '--data-dir needs a directory' };
      dataDir = value;
      i++;
    } else if (arg?.startsWith('--data-dir=')) {
      dataDir = arg.slice('--data-dir='.length);
    } else if ((arg === 'init' || arg === 'show') && action === undefined) {
      action = arg;
    } else {
      return { kind: 'usage-error', message: `unexpected argument "${arg ?? ''}"` };
    }
  }
  if (action === undefined) return { kind: 'usage-error', message: 'say "init" or "show"' };
  if (!dataDir) return { kind: 'usage-error', message: '--data-dir is required' };
  return { kind: 'run', action, dataDir };
}

function describeKey(keys: KioskKeys): string {
  const pem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  return `key id: ${keys.keyId}\n${pem}`;
}

export const keysCommand: CliCommand = async (argv, io: CliIO) => {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'usage-error') {
    io.err(`keys: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const path = kioskKeyPath(parsed.dataDir);
  try {
    const existing = await loadKioskKeys(parsed.dataDir);
    if (parsed.action === 'show') {
      if (!existing) {
        io.err(`No kiosk key at ${path}. Create one with: npm run kiosk -- keys init --data-dir ${parsed.dataDir}\n`);
        return 1;
      }
      io.out(`${path}\n${describeKey(existing)}`);
      return 0;
    }
    if (existing) {
      io.out(`Kiosk key already exists at ${path}; left unchanged.\n${describeKey(existing)}`);
      return 0;
    }
    const created = await loadOrCreateKioskKeys(parsed.dataDir);
    io.out(`Created kiosk key at ${path} (mode 0600).\n${describeKey(created)}`);
    return 0;
  } catch (err) {
    if (err instanceof KeyFileError) {
      io.err(`keys: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
