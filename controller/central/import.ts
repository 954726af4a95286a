import { randomBytes, type KeyObject } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { canonicalJson } from '../packet/canonical-json';
import { ACKS_DIR, EXPORTS_DIR, MANIFEST_FILE, PACKETS_DIR, PACKET_SUFFIX, packetFileName, sha256Hex, verifyExportManifest, type ManifestRefusal } from '../packet/export-manifest';
import { GENESIS_HASH } from '../store/audit-chain';
import { PACKET_PATH } from '../sync/protocol';
import { openFsCentralStore } from './fs-store';
import { createIntake, type Intake, type RefusalCode } from './intake';
import { loadCentralPrivateKey } from './keys';
import { loadOrCreateAckKey, type AckKey } from './receiver-keys';
import { directoryRegistry, type KioskRegistry } from './registry';
import type { CentralStore } from './store';
import { syncDir } from '../store/sync-dir';

/**
 * The receiver's side of hand-carried media (docs/media-export.md): `npm run central -- import
 * DIR`. For every export on the stick: the manifest's signature by the key registered for the
 * kiosk it names (the export-manifest checks), then every packet it lists — on the stick, of the
 * size and hash the kiosk signed for in the manifest — handed to the very intake `central serve`
 * answers with (intake.ts `accept`): the kiosk's audit head and anchor from the manifest checked,
 * the packet opened with the central private key, the kiosk's signature and every image hash
 * inside verified, the record and kiosk it names the ones the manifest names, stored exactly
 * once in the same CentralStore, and the same signed ack. That ack is written back to
 * DIR/acks/<kioskId>/<recordId>.json as the very reply the HTTPS receiver gives ({ ack,
 * signature, auditHead }), for the kiosk to import. A refused packet gets no ack and the same
 * reason the HTTPS receiver would give; a replay of a packet already held is a duplicate
 * (nothing stored twice, the same ack).
 */

export type PacketRefusal =
  /** What intake.ts refuses, for the same reasons as over HTTPS. */
  | RefusalCode
  /** The manifest lists it; the stick does not have it. */
  | 'missing-file'
  /** On the stick but not in the signed manifest: not taken. */
  | 'not-in-manifest';

export type ExportRefusal =
  | 'no-manifest'
  | ManifestRefusal
  /** The export sits under another kiosk's folder than the kiosk its manifest names. */
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
  /** The receiver's intake, as `central serve` builds it (openImportDesk). */
  readonly intake: Intake;
  /** The kiosk registry the intake uses: the manifests are checked against it. */
  readonly registry: KioskRegistry;
  /** The store the intake uses: read here only for the report's audit heads. */
  readonly store: CentralStore;
}

/** A manifest far larger than a million packets' worth is not read. */
const MAX_MANIFEST_BYTES = 256 * 2 ** 20;
/** Record ids as the HTTPS path takes them (a UUID). */
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function importMedia(opts: ImportOptions): Promise<ImportReport> {
  const from = path.resolve(opts.from);
  const exports: ExportOutcome[] = [];
  let acksWritten = 0;
  const root = path.join(from, EXPORTS_DIR);
  for (const kioskDir of await dirs(root)) {
    for (const exportDir of await dirs(path.join(root, kioskDir))) {
      const outcome = await importOne(path.join(root, kioskDir, exportDir), kioskDir, opts);
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

async function importOne(dir: string, folderKioskId: string, opts: ImportOptions): Promise<{ outcome: ExportOutcome; acks: number }> {
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
  const verified = await verifyExportManifest(bytes, (kioskId) => opts.registry.publicKey(kioskId));
  if (!verified.ok) return refuse(verified.reason, verified.detail);
  const m = verified.manifest;
  if (folderKioskId !== m.kioskId) return refuse('kiosk-mismatch', `kiosk ${m.kioskId}'s export sits under exports/${folderKioskId}/`, m.exportId, m.kioskId);

  // The head and anchor the kiosk signed with the manifest, as a request carries them (an empty chain is seq 0).
  const head = m.auditHead ?? { seq: 0, hash: GENESIS_HASH };
  const anchor = m.auditAnchor ?? null;
  const seen = await opts.store.auditHeads(m.kioskId);
  const packets: PacketOutcome[] = [];
  let acks = 0;
  const ackDir = path.join(path.resolve(opts.from), ACKS_DIR, m.kioskId);
  for (const entry of m.packets) {
    const outcome = await importPacket(path.join(dir, PACKETS_DIR, packetFileName(entry.recordId)), entry, m.kioskId, verified.kioskKey, head, anchor, opts);
    packets.push(outcome.result);
    if (outcome.reply !== undefined) {
      await mkdir(ackDir, { recursive: true });
      await writeAtomically(path.join(ackDir, `${entry.recordId}.json`), Buffer.from(`${canonicalJson(outcome.reply)}\n`, 'utf8'));
      acks++;
    }
  }
  const listed = new Set(m.packets.map((p) => packetFileName(p.recordId)));
  for (const name of (await readdir(path.join(dir, PACKETS_DIR)).catch(() => [])).sort()) {
    if (!listed.has(name)) packets.push({ recordId: name.endsWith(PACKET_SUFFIX) ? name.slice(0, -PACKET_SUFFIX.length) : name, result: 'not-in-manifest', detail: `${name} is not in the signed manifest` });
  }
  if (acks > 0) await syncDir(ackDir);
  const auditHead = m.auditHead ? { seq: m.auditHead.seq, previousSeq: seen?.highest.seq ?? null, wentBack: seen !== null && m.auditHead.seq < seen.highest.seq } : undefined;
  return { outcome: { path: rel, exportId: m.exportId, kioskId: m.kioskId, packets, ...(auditHead ? { auditHead } : {}) }, acks };
}

async function importPacket(
  file: string,
  entry: { readonly recordId: string; readonly sha256: string; readonly size: number },
  kioskId: string,
  kioskKey: KeyObject,
  head: { readonly seq: number; readonly hash: string },
  anchor: { readonly seq: number; readonly hash: string } | null,
  opts: ImportOptions,
): Promise<{ result: PacketOutcome; reply?: unknown }> {
  const refused = (result: PacketRefusal, detail: string) => ({ result: { recordId: entry.recordId, result, detail } });
  // The HTTPS path takes a record id only in this form (sync/protocol.ts PACKET_PATH).
  if (!RECORD_ID.test(entry.recordId) || !PACKET_PATH.test(`/v1/kiosks/${kioskId}/packets/${entry.recordId}`)) {
    return refused('malformed', `${entry.recordId} is not a record id this receiver takes`);
  }
  let sealed: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size !== entry.size) {
      return size < entry.size
        ? refused('truncated', `${size} bytes on the stick, ${entry.size} in the manifest: the copy is cut short`)
        : refused('tampered', `${size} bytes on the stick, ${entry.size} in the manifest: not the bytes the kiosk signed for`);
    }
    sealed = await readFile(file);
  } catch {
    return refused('missing-file', `${path.basename(file)} is listed in the manifest but not on the stick`);
  }
  const sha256 = sha256Hex(sealed);
  if (sealed.length !== entry.size || sha256 !== entry.sha256) return refused('tampered', 'the bytes on the stick do not hash to the SHA-256 the kiosk signed for in the manifest');
  const reply = await opts.intake.accept({ kioskId, recordId: entry.recordId, body: sealed, sha256, head, anchor, kioskKey });
  if ('error' in reply.body) return refused(reply.body.error, reply.body.reason);
  return { result: { recordId: entry.recordId, result: reply.status === 201 ? 'stored' : 'duplicate' }, reply: reply.body };
}

/** Where a receiver's parts are: `central serve --dir DIR` keeps them all under DIR. */
export interface ReceiverPaths {
  /** central-x25519.pem (opens packets) and receiver-ack-ed25519.pem (signs acks). */
  readonly keysDir: string;
  /** The filesystem CentralStore (fs-store.ts). */
  readonly storeDir: string;
  /** The kiosk registry (registry.ts): one <kioskId>.pem per kiosk. */
  readonly kiosksDir: string;
}

export interface ImportDesk {
  readonly intake: Intake;
  readonly registry: KioskRegistry;
  readonly store: CentralStore;
  readonly ackKey: AckKey;
}

/**
 * The intake, registry and store an import works with: the same parts `central serve` assembles
 * (receiver.ts), except that the central private key must exist already (a new one could open
 * nothing; `central keys init` makes it).
 */
export async function openImportDesk(paths: ReceiverPaths, opts: { readonly log?: Logger; readonly now?: () => Date; readonly store?: CentralStore } = {}): Promise<ImportDesk> {
  const centralPrivateKey = await loadCentralPrivateKey(paths.keysDir);
  const ackKey = await loadOrCreateAckKey(paths.keysDir);
  const store = opts.store ?? openFsCentralStore(paths.storeDir);
  const registry = directoryRegistry(paths.kiosksDir);
  const intake = createIntake({
    store,
    registry,
    centralPrivateKey,
    ackKey,
    log: opts.log ?? pino({ level: 'silent' }),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { intake, registry, store, ackKey };
}

async function dirs(parent: string): Promise<string[]> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  return (
    entries
      // Dot names are skipped: `.<exportId>.partial` is an export never finished (the kiosk writes it again).
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort()
  );
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
