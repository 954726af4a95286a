import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { appendFile, link, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { kioskHeadsSchema, storedPacketSchema, type CentralFlag, type CentralStore, type KioskHeads, type PutResult, type StoredPacket } from './store';
import { syncDir, isErrno } from '../store/sync-dir';

/**
 * The reference CentralStore on a local filesystem:
 *
 *   packets/<first two hex of id>/<id>.<sha256>.sealed   the sealed bytes, named by their hash
 *   packets/<first two hex of id>/<id>.json              the record: its existence is the commit
 *   heads/<kioskId>.json                                 audit heads seen per kiosk
 *   flags.jsonl                                          what staff must look at
 *
 * `put` writes the sealed bytes first (fsync, rename), then hard-links the record into place:
 * link() fails if the name exists, so of two puts of one id exactly one commits, and a crash
 * at any point leaves either no record or a complete one (an orphan .sealed file at worst).
 * The bytes are named by their hash so a losing put can never overwrite the winner's.
 */

const ID = /^[A-Za-z0-9-]{1,128}$/;
const KIOSK = /^[A-Za-z0-9-]{3,32}$/;

export function openFsCentralStore(root: string): CentralStore {
  const packets = join(root, 'packets');
  const shard = (id: string): string => join(packets, id.slice(0, 2).toLowerCase());
  const recordPath = (id: string): string => join(shard(id), `${id}.json`);
  const sealedPath = (id: string, sha256: string): string => join(shard(id), `${id}.${sha256}.sealed`);
  const headsPath = (kioskId: string): string => join(root, 'heads', `${kioskId}.json`);

  const readMeta = async (id: string): Promise<StoredPacket | null> => {
    if (!ID.test(id)) return null;
    const text = await readFile(recordPath(id), 'utf8').catch((err: unknown) => {
      if (isErrno(err, 'ENOENT')) return null;
      throw err;
    });
    return text === null ? null : storedPacketSchema.parse(JSON.parse(text));
  };

  return {
    async put(meta, sealed): Promise<PutResult> {
      if (!ID.test(meta.recordId)) throw new TypeError(`not a record id: ${meta.recordId}`);
      await mkdir(shard(meta.recordId), { recursive: true, mode: 0o700 });
      const bytesPath = sealedPath(meta.recordId, meta.packetSha256);
      await writeDurably(bytesPath, sealed, 'replace');
      const committed = await writeDurably(recordPath(meta.recordId), new TextEncoder().encode(`${JSON.stringify(meta)}\n`), 'exclusive');
      if (committed) return { created: true };
      const existing = await readMeta(meta.recordId);
      if (existing === null) throw new Error(`record ${meta.recordId} vanished while storing it`);
      // Ours lost: leave no bytes of it behind unless they are the winner's own.
      if (existing.packetSha256 !== meta.packetSha256) await unlink(bytesPath).catch(() => undefined);
      return { created: false, existing };
    },

    meta: readMeta,

    async get(recordId) {
      const meta = await readMeta(recordId);
      if (meta === null) return null;
      const sealed = new Uint8Array(await readFile(sealedPath(recordId, meta.packetSha256)));
      if (createHash('sha256').update(sealed).digest('hex') !== meta.packetSha256) {
        throw new Error(`stored packet ${recordId} does not hash to its record: the store is damaged`);
      }
      return { meta, sealed };
    },

    has: async (recordId) => (await readMeta(recordId)) !== null,

    async *list() {
      const shards = await readdir(packets).catch(() => []);
      for (const s of shards.sort()) {
        const names = await readdir(join(packets, s)).catch(() => []);
        for (const name of names.sort()) {
          if (!name.endsWith('.json')) continue;
          const meta = await readMeta(name.slice(0, -'.json'.length));
          if (meta) yield meta;
        }
      }
    },

    async auditHeads(kioskId): Promise<KioskHeads | null> {
      if (!KIOSK.test(kioskId)) return null;
      const text = await readFile(headsPath(kioskId), 'utf8').catch((err: unknown) => {
        if (isErrno(err, 'ENOENT')) return null;
        throw err;
      });
      return text === null ? null : kioskHeadsSchema.parse(JSON.parse(text));
    },

    async saveAuditHeads(kioskId, heads) {
      if (!KIOSK.test(kioskId)) throw new TypeError(`not a kiosk id: ${kioskId}`);
      await mkdir(join(root, 'heads'), { recursive: true, mode: 0o700 });
      await writeDurably(headsPath(kioskId), new TextEncoder().encode(`${JSON.stringify(heads)}\n`), 'replace');
    },

    async flag(flag) {
      await mkdir(root, { recursive: true, mode: 0o700 });
      await appendFile(join(root, 'flags.jsonl'), `${JSON.stringify(flag)}\n`, { mode: 0o600 });
    },

    async flags() {
      const text = await readFile(join(root, 'flags.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l): CentralFlag => flagSchema.parse(JSON.parse(l)));
    },
  };
}

const flagSchema = z.object({ at: z.string(), kioskId: z.string(), kind: z.literal('audit-rollback'), detail: z.string() });

/**
 * Write a file so that it is complete or absent after a crash: a temporary file, fsynced, then
 * renamed (replace) or hard-linked (exclusive: false when the name already exists), then the
 * directory fsynced.
 */
async function writeDurably(path: string, bytes: Uint8Array, mode: 'replace' | 'exclusive'): Promise<boolean> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (mode === 'replace') {
      await rename(tmp, path);
    } else {
      try {
        await link(tmp, path);
      } catch (err) {
        if (isErrno(err, 'EEXIST')) return false;
        throw err;
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
    }
    await syncDir(dirname(path));
    return true;
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
