import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import {
  EXPORTS_DIR,
  MANIFEST_FILE,
  PACKETS_DIR,
  PARTIAL_SUFFIX,
  exportManifestBytes,
  makeExportId,
  packetFileName,
  sha256Hex,
  signExportManifest,
  type ExportedPacket,
} from '../packet/export-manifest';
import { loadKioskKeys, type KioskKeys } from '../packet/keys';
import { AUDIT_KINDS } from '../store/audit-kinds';
import type { Store } from '../store/store';
import type { CliCommand } from './io';
import { KIOSK_FILE_OPTIONS, openKioskStore, resolveKioskFiles, parseKioskArgs, type KioskFileArgs } from './kiosk-files';
import { syncDir } from '../store/sync-dir';

const USAGE = `Usage: npm run kiosk -- packets export --to DIR [--json] [--config FILE] [--data-dir DIR]

Writes every packet not yet acknowledged by the centre to DIR (a mounted USB stick), for a
mobile kit with no network (docs/media-export.md): the sealed packets exactly as the kiosk holds
them (nothing on the stick is readable) and a manifest signed by this kiosk's key, under
DIR/exports/<kioskId>/<exportId>/. Nothing is deleted from the kiosk: packets stay until the
centre's acks come back (packets import-acks) and the retention period has passed.

  --to DIR          where to write (must exist and be writable)
  --json            print one JSON object
${KIOSK_FILE_OPTIONS}

Exit codes: 0 written (or nothing to write), 1 could not write it, 2 bad usage.
`;

export type ExportResult =
  | {
      readonly ok: true;
      readonly exportId: string | null;
      /** The export's directory on the medium; null when there was nothing to write. */
      readonly dir: string | null;
      readonly packets: number;
      readonly bytes: number;
      readonly manifestSha256: string | null;
      /** Packets left out because their bytes no longer match the kiosk's record of them. */
      readonly skipped: readonly { readonly recordId: string; readonly why: string }[];
      /** Set when the export is on the medium but its audit entry could not be written. */
      readonly auditError?: string;
    }
  | { readonly ok: false; readonly message: string };

export interface ExportOptions {
  readonly store: Store;
  readonly keys: KioskKeys;
  readonly kioskId: string;
  /** The mounted medium. */
  readonly to: string;
  readonly now?: () => Date;
}

/**
 * Write the pending sealed packets and a signed manifest to `to`. Atomic on the medium: all of it
 * goes into `.<exportId>.partial/`, every file and directory is fsynced, and only then is it
 * renamed to `<exportId>/`; a failure removes the partial directory. Never deletes from the kiosk.
 */
export async function exportPackets(opts: ExportOptions): Promise<ExportResult> {
  const now = opts.now ?? (() => new Date());
  const to = path.resolve(opts.to);
  const usable = await checkTarget(to);
  if (usable !== null) return { ok: false, message: usable };

  const pending = (await opts.store.listPackets()).filter((p) => p.held && p.state !== 'acked');
  if (pending.length === 0) return { ok: true, exportId: null, dir: null, packets: 0, bytes: 0, manifestSha256: null, skipped: [] };

  const need = pending.reduce((n, p) => n + p.size, 0) + 64 * 1024;
  const room = await statfs(to).then(
    (s) => s.bavail * s.bsize,
    () => Number.POSITIVE_INFINITY,
  );
  if (room < need) return { ok: false, message: `${to} has ${mb(room)} MB free; the ${pending.length} pending packets need ${mb(need)} MB. Use a larger stick, or free space on it.` };

  const kioskDir = path.join(to, EXPORTS_DIR, opts.kioskId);
  try {
    await mkdir(kioskDir, { recursive: true });
  } catch (err) {
    return { ok: false, message: cannotWrite(to, err) };
  }
  await removeStalePartials(kioskDir);

  const at = now();
  const exportId = makeExportId(at, randomBytes(4));
  const partial = path.join(kioskDir, `.${exportId}${PARTIAL_SUFFIX}`);
  const final = path.join(kioskDir, exportId);
  try {
    await mkdir(path.join(partial, PACKETS_DIR), { recursive: true });
    const written: ExportedPacket[] = [];
    const skipped: { recordId: string; why: string }[] = [];
    let bytes = 0;
    for (const p of pending) {
      const sealed = await opts.store.readSealedPacket(p.id);
      if (!sealed) continue; // acked and purged meanwhile (the kiosk runs alongside)
      const sha256 = sha256Hex(sealed);
      if (sha256 !== p.sha256 || sealed.length !== p.size) {
        skipped.push({ recordId: p.id, why: 'its bytes do not match the hash recorded at commit (run packets verify)' });
        continue;
      }
      await writeDurably(path.join(partial, PACKETS_DIR, packetFileName(p.id)), sealed);
      written.push({ recordId: p.id, sha256, size: sealed.length });
      bytes += sealed.length;
    }
    // The head and anchor an online request would carry now (sync/attempt.ts), signed with the manifest.
    const head = await opts.store.outbox.auditHead();
    const anchor = await opts.store.outbox.auditAnchor();
    const manifest = signExportManifest(
      { exportId, kioskId: opts.kioskId, createdAt: at.toISOString(), auditHead: head.seq === 0 ? null : head, auditAnchor: anchor, packets: written },
      opts.keys,
    );
    const manifestBytes = exportManifestBytes(manifest);
    await writeDurably(path.join(partial, MANIFEST_FILE), manifestBytes);
    await syncDir(path.join(partial, PACKETS_DIR));
    await syncDir(partial);
    await rename(partial, final);
    await syncDir(kioskDir);
    const manifestSha256 = sha256Hex(manifestBytes);
    let auditError: string | undefined;
    await opts.store
      .appendAudit(AUDIT_KINDS.export, { exportId, to, packets: written.length, bytes, manifestSha256, recordIds: written.map((w) => w.recordId), skipped: skipped.map((s) => s.recordId) })
      .catch((err: unknown) => {
        auditError = err instanceof Error ? err.message : String(err);
      });
    return { ok: true, exportId, dir: final, packets: written.length, bytes, manifestSha256, skipped, ...(auditError ? { auditError } : {}) };
  } catch (err) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    return { ok: false, message: cannotWrite(to, err) };
  }
}

/** null when `to` is a directory we can write to, else what is wrong, in words. */
async function checkTarget(to: string): Promise<string | null> {
  let info;
  try {
    info = await stat(to);
  } catch {
    return `${to} does not exist: is the USB stick mounted there?`;
  }
  if (!info.isDirectory()) return `${to} is not a directory: give the directory where the USB stick is mounted`;
  const probe = path.join(to, `.cccd-export-probe-${process.pid}`);
  try {
    const h = await open(probe, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC, 0o600);
    await h.close();
    await rm(probe, { force: true });
    return null;
  } catch (err) {
    return cannotWrite(to, err);
  }
}

function cannotWrite(to: string, err: unknown): string {
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  switch (code) {
    case 'EROFS':
      return `${to} is read-only: is the stick's write-protect switch on, or is it mounted read-only? Nothing was written.`;
    case 'EACCES':
    case 'EPERM':
      return `cannot write to ${to}: permission denied. Mount the stick so that the kiosk's user can write to it. Nothing was written.`;
    case 'ENOSPC':
      return `${to} is full. Use a larger stick, or free space on it. Nothing was written.`;
    default:
      return `writing to ${to} failed (${code ?? (err instanceof Error ? err.message : String(err))}). Nothing was written; check the stick and try again.`;
  }
}

/** A leftover `.<id>.partial` of this kiosk (a stick pulled mid-export) is incomplete by construction. */
async function removeStalePartials(kioskDir: string): Promise<void> {
  for (const name of await readdir(kioskDir).catch(() => [])) {
    if (name.startsWith('.') && name.endsWith(PARTIAL_SUFFIX)) await rm(path.join(kioskDir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

async function writeDurably(file: string, bytes: Uint8Array): Promise<void> {
  const h = await open(file, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o644);
  try {
    await h.writeFile(bytes);
    await h.sync();
  } finally {
    await h.close();
  }
}


const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

type Parsed = { kind: 'help' } | { kind: 'error'; message: string } | { kind: 'run'; to: string; json: boolean; files: KioskFileArgs };

function parse(argv: readonly string[]): Parsed {
  const a = parseKioskArgs(argv, { json: 'boolean', to: 'string' });
  if (a.kind !== 'ok') return a;
  const to = a.strings.to;
  if (!to) return { kind: 'error', message: '--to DIR is required (where the USB stick is mounted)' };
  return { kind: 'run', to, json: a.flags.json === true, files: a.files };
}

export const packetsExportCommand: CliCommand = async (argv, io) => {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`packets export: ${parsed.message}\n\n${USAGE}`);
    return 2;
  }
  const files = resolveKioskFiles(parsed.files);
  if (!files.ok) {
    io.err(`packets export: ${files.message}`);
    return 1;
  }
  const keys = await loadKioskKeys(files.dataDir).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  if (keys === null || keys instanceof Error) {
    io.err(`packets export: ${keys instanceof Error ? keys.message : `no kiosk key in ${files.dataDir}: is --data-dir the kiosk's data directory?`}`);
    return 1;
  }
  const opened = await openKioskStore(files.dbFile);
  if (!opened.ok) {
    io.err(`packets export: ${opened.message}`);
    return 1;
  }
  try {
    const r = await exportPackets({ store: opened.store, keys, kioskId: files.config.kioskId, to: parsed.to });
    if (parsed.json) {
      io.out(JSON.stringify(r));
    } else if (!r.ok) {
      io.err(`packets export: ${r.message}`);
    } else if (r.dir === null) {
      io.out('Nothing to export: every packet on this kiosk has been acknowledged by the centre.');
    } else {
      io.out(
        `Exported ${r.packets} sealed packet${r.packets === 1 ? '' : 's'} (${mb(r.bytes)} MB) to ${r.dir}\n` +
          `manifest sha256 ${r.manifestSha256 ?? ''}\n` +
          'Take the stick to the receiver (npm run central -- import), then bring it back and run: npm run kiosk -- packets import-acks <stick>',
      );
      for (const s of r.skipped) io.err(`packets export: left out ${s.recordId}: ${s.why}`);
      if (r.auditError) io.err(`packets export: the export is complete, but its audit entry was not written: ${r.auditError}`);
    }
    return r.ok && r.skipped.length === 0 ? 0 : 1;
  } finally {
    await opened.store.close();
  }
};
