import type { KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ACKS_DIR } from '../packet/export-manifest';
import { AUDIT_KINDS } from '../store/audit-kinds';
import { isStoreError, type Store } from '../store/store';
import { ackReplySchema, ackSchema, verifyAck, type AckRefusal } from '../sync/protocol';
import { purgeExpired, retentionMs } from '../sync/purge';
import { AckKeyError, loadReceiverAckKey } from '../sync/start';
import type { CliCommand } from './io';
import { KIOSK_FILE_OPTIONS, openKioskStore, resolveKioskFiles, parseKioskArgs, type KioskFileArgs } from './kiosk-files';

const USAGE = `Usage: npm run kiosk -- packets import-acks DIR [--receiver-key PEM] [--json] [--config FILE] [--data-dir DIR]

Reads the centre's signed acknowledgements from DIR/acks/<kioskId>/ (the USB stick back from the
receiver, docs/media-export.md): each file is the very reply the receiver gives over the network.
Each is checked against the receiver's ack public key and against the packet this kiosk holds,
then stored exactly as an ack received by the online sync (only its 'via' says media), and its
packet is acknowledged. Packets whose ack was stored longer ago than sync.retentionHours are then
purged, as after an online sync.

  --receiver-key PEM   the receiver's Ed25519 ack public key (default: the config's
                       sync.receiverAckPublicKey)
  --json               print one JSON object
${KIOSK_FILE_OPTIONS}

Exit codes: 0 every ack was valid and this kiosk's, 1 some were refused (the valid ones are
stored) or nothing could be read, 2 bad usage.
`;

/** Larger than any ack by far; a bigger file is not an ack and is not read. */
const MAX_ACK_BYTES = 64 * 1024;

export type ImportAckRefusal =
  | Exclude<AckRefusal, 'other-bytes' | 'other-record'>
  /** A genuine ack for a record this kiosk does not have (another kiosk's, or a mistake). */
  | 'unknown-record'
  /** A genuine ack naming other bytes than the packet this kiosk holds under that record id. */
  | 'hash-mismatch'
  | 'too-large';

export interface ImportAcksResult {
  readonly ok: true;
  readonly dir: string;
  readonly stored: readonly string[];
  readonly already: readonly string[];
  /** Acks not taken, by file, and why. */
  readonly refused: readonly { readonly file: string; readonly reason: ImportAckRefusal; readonly detail: string }[];
  /** Record ids whose sealed bytes were purged (acked longer ago than the retention period). */
  readonly purged: readonly string[];
}

export interface ImportAcksOptions {
  readonly store: Store;
  readonly receiverKey: KeyObject;
  readonly kioskId: string;
  /** The medium (its acks are under DIR/acks/<kioskId>/). */
  readonly from: string;
  /** sync.retentionHours, in ms (sync/purge.ts retentionMs). */
  readonly retentionMs: number;
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
  // What this kiosk committed, by record id: an ack counts only for these very bytes.
  const held = new Map((await opts.store.listPackets()).map((p) => [p.id, p.sha256]));
  const refused: { file: string; reason: ImportAckRefusal; detail: string }[] = [];
  const stored: string[] = [];
  const already: string[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const size = (await stat(file)).size;
    if (size > MAX_ACK_BYTES) {
      refused.push({ file: name, reason: 'too-large', detail: `${size} bytes is no ack` });
      continue;
    }
    const reply = ackReplySchema.safeParse(parseJson(await readFile(file)));
    if (!reply.success) {
      refused.push({ file: name, reason: 'malformed', detail: 'not the receiver\'s reply ({ ack, signature, auditHead })' });
      continue;
    }
    const claimed = ackSchema.safeParse(reply.data.ack);
    const recordId = claimed.success ? claimed.data.recordId : '';
    const sha256 = held.get(recordId);
    const checked = verifyAck(reply.data, { recordId, kioskId: opts.kioskId, packetSha256: sha256 ?? (claimed.success ? claimed.data.packetSha256 : '') }, opts.receiverKey);
    if (!checked.ok) {
      refused.push({ file: name, reason: checked.code === 'other-bytes' ? 'hash-mismatch' : checked.code === 'other-record' ? 'malformed' : checked.code, detail: checked.reason });
      continue;
    }
    if (sha256 === undefined) {
      refused.push({ file: name, reason: 'unknown-record', detail: `no enrollment ${recordId} on this kiosk` });
      continue;
    }
    const { ack, ackJson, signature } = checked.value;
    try {
      // The very call the sync loop makes for an ack it received (sync/attempt.ts): only `via` differs.
      const r = await opts.store.outbox.recordAck(
        ack.recordId,
        { packetSha256: ack.packetSha256, receivedAt: ack.receivedAt, receiverKeyId: ack.receiverKeyId, ackJson, signature, via: 'media', receiverHeadSeq: reply.data.auditHead?.seq ?? null },
        now(),
      );
      (r === 'stored' ? stored : already).push(ack.recordId);
    } catch (err) {
      if (!isStoreError(err, 'constraint')) throw err;
      refused.push({ file: name, reason: 'hash-mismatch', detail: err.message });
    }
  }
  await opts.store.appendAudit(AUDIT_KINDS.ackImport, { from: path.resolve(opts.from), files: names.length, stored, already, refusedFiles: refused.map((r) => r.file) });
  // The purge the sync loop runs after each pass (sync/purge.ts), with the same retention.
  const purged = await purgeExpired(opts.store.outbox, opts.retentionMs, now());
  return { ok: true, dir, stored, already, refused, purged };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; from: string; receiverKey?: string; json: boolean; files: KioskFileArgs };

function parse(argv: readonly string[]): Parsed {
  const a = parseKioskArgs(argv, { json: 'boolean', 'receiver-key': 'string' }, { positionals: 1 });
  if (a.kind !== 'ok') return a;
  const from = a.positionals[0];
  if (!from) return { kind: 'error', message: 'say where the stick is: packets import-acks DIR' };
  const receiverKey = a.strings['receiver-key'];
  return { kind: 'run', from, json: a.flags.json === true, files: a.files, ...(receiverKey ? { receiverKey } : {}) };
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
  const keyPath = parsed.receiverKey ?? files.config.sync?.receiverAckPublicKey;
  if (!keyPath) {
    io.err("packets import-acks: no receiver ack key: pass --receiver-key PEM, or set sync.receiverAckPublicKey in the kiosk's config to the receiver's receiver-ack-ed25519.pub.pem");
    return 2;
  }
  let receiverKey: KeyObject;
  try {
    receiverKey = await loadReceiverAckKey(keyPath, parsed.receiverKey ? '--receiver-key' : 'sync.receiverAckPublicKey');
  } catch (err) {
    io.err(`packets import-acks: ${err instanceof AckKeyError ? err.message : String(err)}`);
    return 1;
  }
  const opened = await openKioskStore(files.dbFile);
  if (!opened.ok) {
    io.err(`packets import-acks: ${opened.message}`);
    return 1;
  }
  try {
    const retention = retentionMs(files.config.sync);
    const r = await importAcks({ store: opened.store, receiverKey, kioskId: files.config.kioskId, from: parsed.from, retentionMs: retention });
    if (parsed.json) io.out(JSON.stringify(r));
    else if (!r.ok) io.err(`packets import-acks: ${r.message}`);
    else {
      io.out(
        `${r.stored.length} ack${r.stored.length === 1 ? '' : 's'} stored, ${r.already.length} already held; ` +
          `${r.purged.length} packet${r.purged.length === 1 ? '' : 's'} purged (acknowledged more than ${hours(retention)} ago).`,
      );
      for (const x of r.refused) io.err(`packets import-acks: refused ${x.file}: ${x.reason} (${x.detail})`);
    }
    return r.ok && r.refused.length === 0 ? 0 : 1;
  } finally {
    await opened.store.close();
  }
};

const hours = (ms: number): string => {
  const h = ms / 3_600_000;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} hour${h === 1 ? '' : 's'}`;
};
