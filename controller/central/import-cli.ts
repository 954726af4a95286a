import path from 'node:path';
import { importMedia, type ImportReport } from './import';
import { loadCentralPrivateKey, loadKioskRegistry, loadOrCreateReceiverAckKey } from './import-keys';
import { openFsCentralStore } from './import-store';

export const IMPORT_USAGE = `Usage: npm run central -- import DIR --keys KEYDIR --store STOREDIR --kiosks REGISTRYDIR [--json]

Takes the exports mobile kits wrote to the USB stick mounted at DIR (docs/media-export.md):
checks each export's manifest signature, opens and verifies every packet, stores each exactly
once in STOREDIR, and writes a signed ack for each to DIR/acks/<kioskId>/ for the kit to import
(npm run kiosk -- packets import-acks DIR). Refused packets get no ack and stay on the kiosk.

  --keys KEYDIR          the receiver's keys (npm run central -- keys init --dir KEYDIR): the central
                         private key opens packets; the ack key (made there if missing) signs acks
  --store STOREDIR       where received packets are kept (sealed, one file per record)
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

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  let from: string | undefined;
  const opts: { keys?: string; store?: string; kiosks?: string } = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      io.out(IMPORT_USAGE);
      return 0;
    }
    if (arg === '--json') json = true;
    else if (arg === '--keys' || arg === '--store' || arg === '--kiosks') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) {
        io.err(`central import: ${arg} needs a directory\n\n${IMPORT_USAGE}`);
        return 2;
      }
      opts[arg.slice(2) === 'keys' ? 'keys' : arg.slice(2) === 'store' ? 'store' : 'kiosks'] = value;
    } else if (arg !== undefined && !arg.startsWith('--') && from === undefined) from = arg;
    else {
      io.err(`central import: unexpected argument "${arg ?? ''}"\n\n${IMPORT_USAGE}`);
      return 2;
    }
  }
  if (!from || !opts.keys || !opts.store || !opts.kiosks) {
    io.err(`central import: DIR, --keys, --store and --kiosks are all needed\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const keysDir = path.resolve(opts.keys);
  const [centralPrivateKey, ackKey, kiosks, store] = await Promise.all([
    loadCentralPrivateKey(keysDir),
    loadOrCreateReceiverAckKey(keysDir),
    loadKioskRegistry(path.resolve(opts.kiosks)),
    openFsCentralStore(path.resolve(opts.store)),
  ]);
  const report = await importMedia({ from, centralPrivateKey, ackKey, kiosks, store });
  if (json) io.out(JSON.stringify({ ...report, ackKeyId: ackKey.keyId, ackPublicKey: ackKey.publicKeyPath }));
  else io.out(describe(report, ackKey.publicKeyPath));
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
      lines.push(`  WARNING: the kiosk's audit chain head is seq ${e.auditHead.seq}, lower than the ${e.auditHead.previousSeq ?? '?'} it sent before: rows may have been cut off its end`);
    }
  }
  lines.push(`${r.stored} stored, ${r.duplicates} held already, ${r.refused} refused; ${r.acksWritten} ack(s) written to the stick.`);
  lines.push(`Kiosks check the acks with ${ackPublicKey} (their sync.receiverAckPublicKey).`);
  return lines.join('\n');
}
