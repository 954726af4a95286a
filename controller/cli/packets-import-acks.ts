import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ackJson, verifyAck, type AckRefusal } from '../packet/ack';
import { ACKS_DIR } from '../packet/export-manifest';
import type { AckStored, Store } from '../store/store';
import type { CliCommand } from './io';
import { KIOSK_FILE_OPTIONS, openKioskStore, resolveKioskFiles, takeKioskFileOption, type KioskFileArgs } from './kiosk-files';

const USAGE = `Usage: npm run kiosk -- packets import-acks DIR [--receiver-key PEM] [--json] [--config FILE] [--data-dir DIR]

Reads the centre's signed acknowledgements from DIR/acks/<kioskId>/ (the USB stick back from the
receiver, docs/media-export.md), checks each against the receiver's ack public key, stores the
valid ones and marks their packets acknowledged. Packets acknowledged longer ago than
sync.retentionDays are then purged, as after an online sync.

  --receiver-key PEM   the receiver's Ed25519 ack public key (default: the config's
                       sync.receiverAckPublicKey)
  --json               print one JSON object
${KIOSK_FILE_OPTIONS}

Exit codes: 0 every ack was valid and this kiosk's, 1 some were refused (the valid ones are
stored) or nothing could be read, 2 bad usage.
`;

/** Larger than any ack by far; a bigger file is not an ack and is not read. */
const MAX_ACK_BYTES = 64 * 1024;

export interface ImportAcksResult {
  readonly ok: true;
  readonly dir: string;
  readonly stored: readonly string[];
  readonly already: readonly string[];
  /** Acks not taken, by file, and why. */
  readonly refused: readonly { readonly file: string; readonly reason: AckRefusal | 'unknown-record' | 'hash-mismatch' | 'too-large'; readonly detail: string }[];
  /** Record ids whose sealed bytes were purged (acked longer ago than the retention period). */
  readonly purged: readonly string[];
}

export interface ImportAcksOptions {
  readonly store: Store;
  readonly receiverKey: KeyObject;
  readonly kioskId: string;
  /** The medium (its acks are under DIR/acks/<kioskId>/). */
  readonly from: string;
  readonly retentionDays: number;
  readonly now?: () => Date;
}

export async function importAcks(opts: ImportAcksOptions): Promise<ImportAcksResult | { readonly ok: false; readonly message: string }> {
  const now = opts.now ?? (() => new Date());
  const dir = path.join(path.resolve(opts.from), ACKS_DIR, opts.kioskId);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch {
    return { ok: false, message: `no acks for kiosk ${opts.kioskId} on ${opts.from} (expected ${dir}/): has the receiver imported this stick yet?` };
  }
  const refused: { file: string; reason: AckRefusal | 'unknown-record' | 'hash-mismatch' | 'too-large'; detail: string }[] = [];
  const valid: { file: string; json: string; recordId: string; packetSha256: string; receivedAt: string; receiverKeyId: string }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const size = (await stat(file)).size;
    if (size > MAX_ACK_BYTES) {
      refused.push({ file: name, reason: 'too-large', detail: `${size} bytes is no ack` });
      continue;
    }
    const checked = verifyAck(await readFile(file), opts.receiverKey);
    if (!checked.ok) {
      refused.push({ file: name, reason: checked.reason, detail: checked.detail });
      continue;
    }
    const a = checked.ack;
    valid.push({ file: name, json: ackJson(a), recordId: a.recordId, packetSha256: a.packetSha256, receivedAt: a.receivedAt, receiverKeyId: a.receiverKeyId });
  }
  const results: AckStored[] = await opts.store.storeAcks(valid, { via: 'media', auditDetail: { from: path.resolve(opts.from), files: names.length, refusedFiles: refused.map((r) => r.file) } });
  // storeAcks answers in the order it was given the acks.
  for (const [i, r] of results.entries()) {
    if (r.result === 'stored' || r.result === 'already') continue;
    const file = valid[i]?.file ?? r.recordId;
    refused.push({
      file,
      reason: r.result,
      detail: r.result === 'unknown-record' ? `no enrollment ${r.recordId} on this kiosk` : `the ack names other bytes than packet ${r.recordId} as this kiosk holds it`,
    });
  }
  const cutoff = new Date(now().getTime() - opts.retentionDays * 86_400_000);
  const purged = await opts.store.purgeAckedOlderThan(cutoff);
  return {
    ok: true,
    dir,
    stored: results.filter((r) => r.result === 'stored').map((r) => r.recordId),
    already: results.filter((r) => r.result === 'already').map((r) => r.recordId),
    refused,
    purged,
  };
}

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; from: string; receiverKey?: string; json: boolean; files: KioskFileArgs };

function parse(argv: readonly string[]): Parsed {
  const files: KioskFileArgs = {};
  let from: string | undefined;
  let receiverKey: string | undefined;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const used = takeKioskFileOption(argv, i, files);
    if (typeof used === 'string') return { kind: 'error', message: used };
    if (used > 0) {
      i += used - 1;
    } else if (arg === '--json') {
      json = true;
    } else if (arg === '--receiver-key') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) return { kind: 'error', message: '--receiver-key needs a PEM file' };
      receiverKey = value;
    } else if (arg?.startsWith('--receiver-key=')) {
      receiverKey = arg.slice('--receiver-key='.length);
    } else if (arg !== undefined && !arg.startsWith('--') && from === undefined) {
      from = arg;
    } else {
      return { kind: 'error', message: `unexpected argument "${arg ?? ''}"` };
    }
  }
  if (!from) return { kind: 'error', message: 'say where the stick is: packets import-acks DIR' };
  return { kind: 'run', from, json, files, ...(receiverKey ? { receiverKey } : {}) };
}

async function loadReceiverKey(pemPath: string): Promise<KeyObject | string> {
  let pem: string;
  try {
    pem = await readFile(pemPath, 'utf8');
  } catch (err) {
    return `cannot read the receiver's ack key ${pemPath}: ${err instanceof Error ? err.message : String(err)}`;
  }
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'ed25519') return `${pemPath} holds a ${key.asymmetricKeyType ?? 'unknown'} key; the receiver signs acks with Ed25519`;
    return key;
  } catch {
    return `${pemPath} is not a PEM public key (the receiver's ack key, receiver-ack-ed25519.pub.pem)`;
  }
}

export const packetsImportAcksCommand: CliCommand = async (argv, io) => {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`packets import-acks: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const files = resolveKioskFiles(parsed.files);
  if (!files.ok) {
    io.err(`packets import-acks: ${files.message}`);
    return 1;
  }
  const keyPath = parsed.receiverKey ?? files.config.sync.receiverAckPublicKey;
  if (!keyPath) {
    io.err("packets import-acks: no receiver ack key: pass --receiver-key PEM, or set sync.receiverAckPublicKey in the kiosk's config to the receiver's receiver-ack-ed25519.pub.pem");
    return 2;
  }
  const receiverKey = await loadReceiverKey(keyPath);
  if (typeof receiverKey === 'string') {
    io.err(`packets import-acks: ${receiverKey}`);
    return 1;
  }
  const opened = await openKioskStore(files.dbFile);
  if (!opened.ok) {
    io.err(`packets import-acks: ${opened.message}`);
    return 1;
  }
  try {
    const r = await importAcks({ store: opened.store, receiverKey, kioskId: files.config.kioskId, from: parsed.from, retentionDays: files.config.sync.retentionDays });
    if (parsed.json) io.out(JSON.stringify(r));
    else if (!r.ok) io.err(`packets import-acks: ${r.message}`);
    else {
      io.out(
        `${r.stored.length} ack${r.stored.length === 1 ? '' : 's'} stored, ${r.already.length} already held; ` +
          `${r.purged.length} packet${r.purged.length === 1 ? '' : 's'} purged (acknowledged more than ${files.config.sync.retentionDays} days ago).`,
      );
      for (const x of r.refused) io.err(`packets import-acks: refused ${x.file}: ${x.reason} (${x.detail})`);
    }
    return r.ok && r.refused.length === 0 ? 0 : 1;
  } finally {
    await opened.store.close();
  }
};
