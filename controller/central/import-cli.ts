import path from 'node:path';
import { importMedia, openImportDesk, type ImportReport, type ReceiverPaths } from './import';
import { KIOSKS_DIR } from './registry';

export const IMPORT_USAGE = `Usage: npm run central -- import DIR --dir RECEIVERDIR [--json]
       npm run central -- import DIR --keys KEYDIR --store STOREDIR --kiosks REGISTRYDIR [--json]

Takes the exports mobile kits wrote to the USB stick mounted at DIR (docs/media-export.md):
checks each export's manifest signature, then hands every packet to the same intake as
\`central serve\` (opened, signature and hashes verified, known kiosk, stored exactly once, the
same refusal reasons), and writes the same signed ack for each to DIR/acks/<kioskId>/ for the
kit to import (npm run kiosk -- packets import-acks DIR). Refused packets get no ack and stay on
the kit.

  --dir RECEIVERDIR      the receiver's directory, as for \`central serve --dir\`: its keys
                         (central keys init), its store (RECEIVERDIR/store) and its kiosk
                         registry (RECEIVERDIR/kiosks, central kiosks add)
  --keys KEYDIR          or, each on its own (these also override --dir): the directory with the
                         central private key that opens packets and the ack key that signs acks
  --store STOREDIR       where received packets are kept (sealed)
  --kiosks REGISTRYDIR   the kiosks taken from: one <kioskId>.pem per kiosk, its public key as
                         \`npm run kiosk -- keys show\` prints it
  --json                 print one JSON object

Exit codes: 0 everything on the stick was taken (stored, or held already), 1 something was
refused (each is listed; the rest was taken), 2 bad usage.
`;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const FLAGS = { '--dir': 'dir', '--keys': 'keys', '--store': 'store', '--kiosks': 'kiosks' } as const;

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  let from: string | undefined;
  const opts: { dir?: string; keys?: string; store?: string; kiosks?: string } = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      io.out(IMPORT_USAGE);
      return 0;
    }
    if (arg === '--json') json = true;
    else if (arg === '--dir' || arg === '--keys' || arg === '--store' || arg === '--kiosks') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) {
        io.err(`central import: ${arg} needs a directory\n\n${IMPORT_USAGE}`);
        return 2;
      }
      opts[FLAGS[arg]] = value;
    } else if (arg !== undefined && !arg.startsWith('--') && from === undefined) from = arg;
    else {
      io.err(`central import: unexpected argument "${arg ?? ''}"\n\n${IMPORT_USAGE}`);
      return 2;
    }
  }
  const dir = opts.dir === undefined ? undefined : path.resolve(opts.dir);
  const keysDir = opts.keys ?? dir;
  const storeDir = opts.store ?? (dir === undefined ? undefined : path.join(dir, 'store'));
  const kiosksDir = opts.kiosks ?? (dir === undefined ? undefined : path.join(dir, KIOSKS_DIR));
  if (!from || keysDir === undefined || storeDir === undefined || kiosksDir === undefined) {
    io.err(`central import: DIR and the receiver's directory (--dir, or --keys, --store and --kiosks) are needed\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const paths: ReceiverPaths = { keysDir: path.resolve(keysDir), storeDir: path.resolve(storeDir), kiosksDir: path.resolve(kiosksDir) };
  const desk = await openImportDesk(paths);
  const report = await importMedia({ from, ...desk });
  if (json) io.out(JSON.stringify({ ...report, ackKeyId: desk.ackKey.keyId, ackPublicKey: desk.ackKey.publicKeyPath }));
  else io.out(describe(report, desk.ackKey.publicKeyPath));
  return report.refused === 0 ? 0 : 1;
}

function describe(r: ImportReport, ackPublicKey: string): string {
  const lines: string[] = [];
  if (r.exports.length === 0) lines.push('No exports on this stick (nothing under exports/<kioskId>/<exportId>/).');
  for (const e of r.exports) {
    if (e.refused) {
      lines.push(`${e.path}: REFUSED (${e.refused.reason}): ${e.refused.detail}`);
      continue;
    }
    const n = (what: string) => e.packets.filter((p) => p.result === what).length;
    lines.push(`${e.path}: kiosk ${e.kioskId ?? '?'}, ${e.packets.length} packet(s): ${n('stored')} stored, ${n('duplicate')} held already`);
    for (const p of e.packets) if (p.result !== 'stored' && p.result !== 'duplicate') lines.push(`  ${p.recordId}: REFUSED (${p.result}): ${p.detail ?? ''}`);
    if (e.auditHead?.wentBack) {
      lines.push(
        `  WARNING: the kiosk's audit chain head is seq ${e.auditHead.seq}, lower than the ${e.auditHead.previousSeq ?? '?'} it sent before: ` +
          'a stick that travelled slowly, or rows cut off its end (new packets under a lower head are refused, audit-rollback)',
      );
    }
  }
  lines.push(`${r.stored} stored, ${r.duplicates} held already, ${r.refused} refused; ${r.acksWritten} ack(s) written to the stick.`);
  lines.push(`Kiosks check the acks with ${ackPublicKey} (their sync.receiverAckPublicKey).`);
  return lines.join('\n');
}
