import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes, type KeyObject } from 'node:crypto';
import { ackJson, signAck } from '../packet/ack';
import {
  ACKS_DIR,
  EXPORTS_DIR,
  MANIFEST_FILE,
  PACKETS_DIR,
  PACKET_SUFFIX,
  packetFileName,
  sha256Hex,
  verifyExportManifest,
} from '../packet/export-manifest';
import { parsePacket } from '../packet/parse';
import { openSealedPacket } from '../packet/seal';
import type { CentralStore } from './import-store';
import type { KnownKiosk, ReceiverAckKey } from './import-keys';

/**
 * The receiver's side of hand-carried media (docs/media-export.md): `npm run central -- import
 * DIR`. For every export on the stick: the manifest's signature by a known kiosk key, then every
 * packet it lists — its size and hash as the manifest says, opened with the central private key,
 * the kiosk's signature and every image hash inside (packet/parse.ts), the record and kiosk it
 * names the ones the manifest names — stored exactly once, and a signed ack written back to
 * DIR/acks/<kioskId>/<recordId>.json for the kiosk to import. Anything else is refused with a
 * reason and gets no ack: tampered (hash, signature), foreign (unknown kiosk key), malformed,
 * truncated; a replay of a packet already held is a duplicate (nothing stored twice, the same ack).
 */

export type PacketRefusal =
  /** The manifest lists it; the stick does not have it. */
  | 'missing-file'
  | 'size-mismatch'
  /** Its bytes on the stick are not the bytes the kiosk signed for in the manifest. */
  | 'hash-mismatch'
  /** The envelope does not open (open's reason in the detail: decrypt-failed, wrong-recipient, truncated…). */
  | 'open-failed'
  /** Opened, but the inner packet does not verify (bad-signature, bad-hash, bad-manifest, truncated). */
  | 'bad-packet'
  /** A sound packet, but of another record or kiosk than the manifest says. */
  | 'record-mismatch'
  /** This record id is held already with other bytes. */
  | 'conflict'
  /** On the stick but not in the signed manifest: not taken. */
  | 'not-in-manifest';

export type ExportRefusal =
  | 'no-manifest'
  | 'malformed'
  /** Signed by a kiosk key not in the registry. */
  | 'unknown-kiosk'
  | 'bad-signature'
  /** The manifest's kiosk id is not the registry's for its key, or the export sits under another kiosk's folder. */
  | 'kiosk-mismatch';

export interface PacketOutcome {
  readonly recordId: string;
  readonly result: 'stored' | 'duplicate' | PacketRefusal;
  readonly detail?: string;
}

export interface ExportOutcome {
  /** exports/<kioskId>/<exportId> on the medium. */
  readonly path: string;
  readonly exportId: string | null;
  readonly kioskId: string | null;
  readonly refused?: { readonly reason: ExportRefusal; readonly detail: string };
  readonly packets: readonly PacketOutcome[];
  /** The kiosk's audit-chain head in this export, and the highest the receiver had seen before. */
  readonly auditHead?: { readonly seq: number; readonly previousSeq: number | null; readonly wentBack: boolean };
}

export interface ImportReport {
  readonly exports: readonly ExportOutcome[];
  readonly stored: number;
  readonly duplicates: number;
  readonly refused: number;
  readonly acksWritten: number;
}

export interface ImportOptions {
  /** The mounted medium. */
  readonly from: string;
  readonly centralPrivateKey: KeyObject;
  readonly ackKey: ReceiverAckKey;
  /** The kiosk registry, by key id. */
  readonly kiosks: ReadonlyMap<string, KnownKiosk>;
  readonly store: CentralStore;
  readonly now?: () => Date;
}

/** A manifest far larger than a million packets' worth is not read. */
const MAX_MANIFEST_BYTES = 256 * 2 ** 20;

export async function importMedia(opts: ImportOptions): Promise<ImportReport> {
  const from = path.resolve(opts.from);
  const now = opts.now ?? (() => new Date());
  const exports: ExportOutcome[] = [];
  let acksWritten = 0;
  const root = path.join(from, EXPORTS_DIR);
  for (const kioskDir of await dirs(root)) {
    for (const exportDir of await dirs(path.join(root, kioskDir))) {
      const outcome = await importOne(path.join(root, kioskDir, exportDir), kioskDir, opts, now);
      acksWritten += outcome.acks;
      exports.push(outcome.outcome);
    }
  }
  const all = exports.flatMap((e) => e.packets);
  return {
    exports,
    stored: all.filter((p) => p.result === 'stored').length,
    duplicates: all.filter((p) => p.result === 'duplicate').length,
    refused: all.filter((p) => p.result !== 'stored' && p.result !== 'duplicate').length + exports.filter((e) => e.refused).length,
    acksWritten,
  };
}

async function importOne(dir: string, folderKioskId: string, opts: ImportOptions, now: () => Date): Promise<{ outcome: ExportOutcome; acks: number }> {
  const rel = path.relative(path.resolve(opts.from), dir);
  const refuse = (reason: ExportRefusal, detail: string, exportId: string | null = null, kioskId: string | null = null) => ({
    outcome: { path: rel, exportId, kioskId, refused: { reason, detail }, packets: [] },
    acks: 0,
  });
  const manifestFile = path.join(dir, MANIFEST_FILE);
  let bytes: Buffer;
  try {
    if ((await stat(manifestFile)).size > MAX_MANIFEST_BYTES) return refuse('malformed', 'the manifest is far larger than any export');
    bytes = await readFile(manifestFile);
  } catch {
    return refuse('no-manifest', `no ${MANIFEST_FILE} in ${rel}`);
  }
  const verified = verifyExportManifest(bytes, (keyId) => opts.kiosks.get(keyId)?.publicKey);
  if (!verified.ok) return refuse(verified.reason, verified.detail);
  const m = verified.manifest;
  const kiosk = opts.kiosks.get(m.keyId);
  if (!kiosk || kiosk.kioskId !== m.kioskId) {
    return refuse('kiosk-mismatch', `the manifest says kiosk ${m.kioskId}; the registry has key ${m.keyId} as ${kiosk?.kioskId ?? 'nobody'}`, m.exportId, m.kioskId);
  }
  if (folderKioskId !== m.kioskId) return refuse('kiosk-mismatch', `kiosk ${m.kioskId}'s export sits under exports/${folderKioskId}/`, m.exportId, m.kioskId);

  const packets: PacketOutcome[] = [];
  let acks = 0;
  const ackDir = path.join(path.resolve(opts.from), ACKS_DIR, m.kioskId);
  for (const entry of m.packets) {
    const outcome = await importPacket(path.join(dir, PACKETS_DIR, packetFileName(entry.recordId)), entry, m.kioskId, kiosk, opts, now);
    packets.push(outcome.result);
    if (outcome.receivedAt !== undefined) {
      const ack = signAck({ recordId: entry.recordId, packetSha256: entry.sha256, receivedAt: outcome.receivedAt }, opts.ackKey.privateKey);
      await mkdir(ackDir, { recursive: true });
      await writeAtomically(path.join(ackDir, `${entry.recordId}.json`), Buffer.from(`${ackJson(ack)}\n`, 'utf8'));
      acks++;
    }
  }
  const listed = new Set(m.packets.map((p) => packetFileName(p.recordId)));
  for (const name of (await readdir(path.join(dir, PACKETS_DIR)).catch(() => [])).sort()) {
    if (!listed.has(name)) packets.push({ recordId: name.endsWith(PACKET_SUFFIX) ? name.slice(0, -PACKET_SUFFIX.length) : name, result: 'not-in-manifest', detail: `${name} is not in the signed manifest` });
  }
  if (acks > 0) await syncDir(ackDir);
  let auditHead: ExportOutcome['auditHead'];
  if (m.auditHead) {
    const before = await opts.store.recordAuditHead(m.kioskId, m.auditHead);
    auditHead = { seq: m.auditHead.seq, previousSeq: before?.seq ?? null, wentBack: before !== null && m.auditHead.seq < before.seq };
  }
  return { outcome: { path: rel, exportId: m.exportId, kioskId: m.kioskId, packets, ...(auditHead ? { auditHead } : {}) }, acks };
}

async function importPacket(
  file: string,
  entry: { readonly recordId: string; readonly sha256: string; readonly size: number },
  kioskId: string,
  kiosk: KnownKiosk,
  opts: ImportOptions,
  now: () => Date,
): Promise<{ result: PacketOutcome; receivedAt?: string }> {
  const refused = (result: PacketRefusal, detail: string) => ({ result: { recordId: entry.recordId, result, detail } });
  let sealed: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size !== entry.size) return refused('size-mismatch', `${size} bytes on the stick, ${entry.size} in the manifest`);
    sealed = await readFile(file);
  } catch {
    return refused('missing-file', `${path.basename(file)} is listed in the manifest but not on the stick`);
  }
  if (sealed.length !== entry.size) return refused('size-mismatch', `${sealed.length} bytes read, ${entry.size} in the manifest`);
  if (sha256Hex(sealed) !== entry.sha256) return refused('hash-mismatch', 'the bytes on the stick are not the bytes the kiosk signed for');
  const opened = openSealedPacket(sealed, opts.centralPrivateKey);
  if (!opened.ok) return refused('open-failed', opened.error);
  try {
    const parsed = parsePacket(opened.inner, kiosk.publicKey);
    if (!parsed.ok) return refused('bad-packet', 'detail' in parsed ? `${parsed.error}: ${parsed.detail}` : 'blob' in parsed ? `${parsed.error}: ${parsed.blob}` : parsed.error);
    if (parsed.manifest.recordId !== entry.recordId || parsed.manifest.kioskId !== kioskId) {
      return refused('record-mismatch', `the packet is record ${parsed.manifest.recordId} of kiosk ${parsed.manifest.kioskId}`);
    }
  } finally {
    // The opened packet is a citizen's biometrics in plaintext: it was needed only to verify.
    opened.inner.fill(0);
  }
  const put = await opts.store.putPacket({ recordId: entry.recordId, kioskId, sha256: entry.sha256, sealed, receivedAt: now().toISOString() });
  if (put.result === 'conflict') return refused('conflict', `record ${entry.recordId} is held already with other bytes (${put.storedSha256.slice(0, 16)}…)`);
  return { result: { recordId: entry.recordId, result: put.result }, receivedAt: put.receivedAt };
}

async function dirs(parent: string): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  return entries
    // Dot names are skipped: `.<exportId>.partial` is an export never finished (the kiosk writes it again).
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const h = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
  try {
    await h.writeFile(bytes);
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, file);
}

async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, fsConstants.O_RDONLY);
  try {
    await h.sync();
  } catch {
    // FAT sticks may refuse fsync on a directory
  } finally {
    await h.close();
  }
}
