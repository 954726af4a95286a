import path from 'node:path';
import { pino } from 'pino';
import { loadOrCreateCentralKeys } from './keys';
import { importCommand } from './import-cli';
import { loadOrCreateAckKey, loadOrCreateTls } from './receiver-keys';
import { startReceiver } from './receiver';
import { KIOSKS_DIR, registerKiosk } from './registry';

/**
 * `npm run central -- <command>`: the reference central receiver's side.
 *   keys init --dir DIR [--quiet]   make (or keep) the receiver's X25519 key pair in DIR and
 *                                   print the public key's path, for kiosks' sealing.centralPublicKey;
 *                                   and its Ed25519 ack key, for kiosks' sync.receiverAckPublicKey
 *   tls init --dir DIR [--host NAME]...
 *                                   make (or keep) the receiver's TLS key and a self-signed
 *                                   certificate for NAMEs; print the pin for kiosks' sync config
 *   kiosks add --dir DIR --kiosk-id ID --public-key FILE
 *                                   register a kiosk's Ed25519 public key (from `kiosk keys show`)
 *   serve --dir DIR [--port N] [--host ADDR] [--tls-host NAME]... [--max-packet-mb N]
 *                                   receive packets over HTTPS (docs/central-receiver.md)
 *   import DIR --dir DIR [--json]   take the exports on a USB stick from mobile kits into the same
 *                                   store, with the same checks, and write the same acks back
 *                                   (docs/media-export.md)
 */

const USAGE = `Usage:
  npm run central -- keys init --dir DIR [--quiet]
  npm run central -- tls init --dir DIR [--host NAME]...
  npm run central -- kiosks add --dir DIR --kiosk-id ID --public-key FILE
  npm run central -- serve --dir DIR [--port N] [--host ADDR] [--tls-host NAME]... [--max-packet-mb N]
  npm run central -- import DIR --dir RECEIVERDIR [--json]
`;

type Options = { readonly values: Map<string, string[]>; readonly flags: Set<string> } | { readonly error: string };

function options(rest: readonly string[], valued: readonly string[], flags: readonly string[]): Options {
  const values = new Map<string, string[]>();
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (flags.includes(arg)) seen.add(arg);
    else if (valued.includes(arg)) {
      const value = rest[++i];
      if (value === undefined || value.startsWith('--')) return { error: `${arg} needs a value` };
      values.set(arg, [...(values.get(arg) ?? []), value]);
    } else return { error: `unknown option "${arg}"` };
  }
  return { values, flags: seen };
}

const fail = (message: string): number => {
  process.stderr.write(`central: ${message}\n${USAGE}`);
  return 2;
};

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
    const ack = await loadOrCreateAckKey(path.resolve(dir));
    if (!quiet) {
      process.stdout.write(
        `central public key: ${keys.publicKeyPath}\n(put this path in a kiosk's sealing.centralPublicKey; the private key stays here)\n` +
          `receiver ack key: ${ack.publicKeyPath}\n(put this path in a kiosk's sync.receiverAckPublicKey: acks are checked with it)\n` +
          `(the HTTPS key and certificate kiosks pin: central tls init --dir ${dir}, or made at the first central serve)\n`,
      );
    }
    return 0;
  }
  if (group === 'tls' && verb === 'init') {
    const o = options(rest, ['--dir', '--host'], []);
    if ('error' in o) return fail(o.error);
    const dir = o.values.get('--dir')?.[0];
    if (!dir) return fail('tls init needs --dir DIR');
    const names = o.values.get('--host');
    const tls = await loadOrCreateTls(path.resolve(dir), names ? { names } : {});
    process.stdout.write(
      `receiver certificate: ${tls.certPath} (for ${tls.names.join(', ')})\n` +
        `pin (sync.pinnedSpkiSha256): ${tls.pin}\n` +
        `(give kiosks the certificate file as sync.pinnedCert, or the pin; the key stays here)\n`,
    );
    return 0;
  }
  if (group === 'kiosks' && verb === 'add') {
    const o = options(rest, ['--dir', '--kiosk-id', '--public-key'], []);
    if ('error' in o) return fail(o.error);
    const dir = o.values.get('--dir')?.[0];
    const kioskId = o.values.get('--kiosk-id')?.[0];
    const file = o.values.get('--public-key')?.[0];
    if (!dir || !kioskId || !file) return fail('kiosks add needs --dir, --kiosk-id and --public-key');
    await registerKiosk(path.join(path.resolve(dir), KIOSKS_DIR), kioskId, file);
    process.stdout.write(`kiosk ${kioskId} registered\n`);
    return 0;
  }
  if (group === 'serve') {
    const o = options(verb === undefined ? [] : [verb, ...rest], ['--dir', '--port', '--host', '--tls-host', '--max-packet-mb'], []);
    if ('error' in o) return fail(o.error);
    const dir = o.values.get('--dir')?.[0];
    if (!dir) return fail('serve needs --dir DIR');
    const port = Number(o.values.get('--port')?.[0] ?? 8443);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) return fail('--port must be a whole number 0–65535');
    const maxMb = Number(o.values.get('--max-packet-mb')?.[0] ?? 32);
    if (!(maxMb > 0 && maxMb <= 1024)) return fail('--max-packet-mb must be between 0 and 1024');
    const host = o.values.get('--host')?.[0] ?? '127.0.0.1';
    const log = pino({ name: 'cccd-central', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
    const receiver = await startReceiver({
      dir,
      port,
      host,
      log,
      // Names only when asked: a certificate made by `tls init` keeps its names (kiosks pin the key anyway).
      ...(o.values.get('--tls-host') ? { tlsNames: o.values.get('--tls-host') } : {}),
      maxPacketBytes: Math.round(maxMb * 1024 * 1024),
    });
    process.stdout.write(
      `central receiver listening on ${receiver.url}\n` +
        `  sync.url                  ${receiver.url}\n` +
        `  sync.pinnedCert           ${receiver.certPath}\n` +
        `  sync.pinnedSpkiSha256     ${receiver.pin}\n` +
        `  sync.receiverAckPublicKey ${receiver.ackPublicKeyPath}\n` +
        `  sealing.centralPublicKey  ${receiver.centralPublicKeyPath}\n` +
        `  kiosk registry            ${receiver.kiosksDir}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await receiver.close();
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
