import path from 'node:path';
import { loadOrCreateCentralKeys } from './keys';
import { importCommand } from './import-cli';
import { loadOrCreateReceiverAckKey } from './import-keys';

/**
 * `npm run central -- <command>`: the reference central receiver's side.
 *   keys init --dir DIR [--quiet]   make (or keep) the receiver's X25519 key pair in DIR and
 *                                   print the public key's path, for kiosks' sealing.centralPublicKey;
 *                                   and its Ed25519 ack key, for kiosks' sync.receiverAckPublicKey
 *   import DIR --keys DIR --store DIR --kiosks DIR [--json]
 *                                   take the exports on a USB stick from mobile kits, write acks back
 *                                   (docs/media-export.md)
 */

const USAGE = `Usage: npm run central -- keys init --dir DIR [--quiet]
       npm run central -- import DIR --keys KEYDIR --store STOREDIR --kiosks REGISTRYDIR [--json]
`;

async function main(argv: readonly string[]): Promise<number> {
  const [group, verb, ...rest] = argv;
  if (group === undefined || group === '--help' || group === '-h') {
    process.stdout.write(USAGE);
    return group === undefined ? 2 : 0;
  }
  if (group === 'import') {
    return importCommand(argv.slice(1), { out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`), err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`) });
  }
  if (group === 'keys' && verb === 'init') {
    let dir: string | undefined;
    let quiet = false;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--dir') dir = rest[++i];
      else if (rest[i] === '--quiet') quiet = true;
      else {
        process.stderr.write(`central: unknown option "${rest[i] ?? ''}"\n${USAGE}`);
        return 2;
      }
    }
    if (!dir) {
      process.stderr.write(`central: keys init needs --dir DIR\n${USAGE}`);
      return 2;
    }
    const keys = await loadOrCreateCentralKeys(path.resolve(dir));
    const ack = await loadOrCreateReceiverAckKey(path.resolve(dir));
    if (!quiet) {
      process.stdout.write(
        `central public key: ${keys.publicKeyPath}\n(put this path in a kiosk's sealing.centralPublicKey; the private key stays here)\n` +
          `receiver ack key: ${ack.publicKeyPath}\n(put this path in a kiosk's sync.receiverAckPublicKey: acks are checked with it)\n`,
      );
    }
    return 0;
  }
  process.stderr.write(`central: unknown command "${argv.join(' ')}"\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => setImmediate(() => process.exit(code)),
  (err: unknown) => {
    process.stderr.write(`central: ${err instanceof Error ? err.message : String(err)}\n`);
    setImmediate(() => process.exit(1));
  },
);
