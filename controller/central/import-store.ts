import { constants as fsConstants } from 'node:fs';
import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Where the receiver keeps what it received, behind one interface (issue #12: a province runs
 * the same logic on object storage and a queue; see docs/media-export.md). This branch's minimal
 * version for the media import; the online receiver (`central serve`, another branch) brings its
 * own `CentralStore` — the two meet at merge.
 *
 * Exactly once: a record id is stored the first time and never again. The same bytes again (a
 * replay, a stick imported twice, a retry after a lost reply) are a duplicate: nothing is
 * written, and the ack says the same `receivedAt` as the first time. Other bytes under a record
 * id already held are a conflict and are refused.
 */
export interface CentralStore {
  putPacket(p: PacketToStore): Promise<PutResult>;
  /** Record the audit-chain head a kiosk sent; returns the highest seen before (null: first). */
  recordAuditHead(kioskId: string, head: AuditHead): Promise<AuditHead | null>;
}

export interface PacketToStore {
  readonly recordId: string;
  readonly kioskId: string;
  /** SHA-256 (hex) of the sealed bytes: what the kiosk recorded and what the ack names. */
  readonly sha256: string;
  /** Stored sealed, as received: decrypting is for the processing system, not the mailbox. */
  readonly sealed: Uint8Array;
  readonly receivedAt: string;
}

export type PutResult =
  | { readonly result: 'stored' | 'duplicate'; readonly receivedAt: string }
  | { readonly result: 'conflict'; readonly storedSha256: string };

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

const metaSchema = z.object({ recordId: z.string(), kioskId: z.string(), sha256: z.string(), size: z.number(), receivedAt: z.string() });
const headSchema = z.object({ seq: z.number().int(), hash: z.string() });

/**
 * The filesystem store: `<dir>/packets/<recordId>.json` (the record: kiosk, hash, size, when;
 * claimed with link(), which fails if it exists, so two importers racing store it once) and
 * `<dir>/packets/<recordId>.<sha256>.sealed` (the bytes, written first and fsynced).
 * `<dir>/kiosks/<kioskId>/audit-head.json` keeps the highest audit head each kiosk sent.
 */
export async function openFsCentralStore(dir: string): Promise<CentralStore> {
  const packets = join(dir, 'packets');
  await mkdir(packets, { recursive: true, mode: 0o700 });

  const existing = async (recordId: string): Promise<z.infer<typeof metaSchema> | null> => {
    try {
      return metaSchema.parse(JSON.parse(await readFile(join(packets, `${recordId}.json`), 'utf8')));
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
      throw err;
    }
  };
  const answer = (meta: z.infer<typeof metaSchema>, sha256: string): PutResult =>
    meta.sha256 === sha256 ? { result: 'duplicate', receivedAt: meta.receivedAt } : { result: 'conflict', storedSha256: meta.sha256 };

  return {
    async putPacket(p) {
      const before = await existing(p.recordId);
      if (before) return answer(before, p.sha256);
      await writeDurably(join(packets, `${p.recordId}.${p.sha256}.sealed`), p.sealed);
      const meta = { recordId: p.recordId, kioskId: p.kioskId, sha256: p.sha256, size: p.sealed.length, receivedAt: p.receivedAt };
      const tmp = join(packets, `.${p.recordId}.${randomBytes(6).toString('hex')}.tmp`);
      await writeDurably(tmp, Buffer.from(`${JSON.stringify(meta)}\n`), 'temp');
      try {
        await link(tmp, join(packets, `${p.recordId}.json`));
      } catch (err) {
        if (err instanceof Error && 'code' in err && err.code === 'EEXIST') {
          const theirs = await existing(p.recordId);
          if (theirs) return answer(theirs, p.sha256);
        }
        throw err;
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
      await syncDir(packets);
      return { result: 'stored', receivedAt: p.receivedAt };
    },

    async recordAuditHead(kioskId, head) {
      const kioskDir = join(dir, 'kiosks', kioskId);
      await mkdir(kioskDir, { recursive: true, mode: 0o700 });
      const file = join(kioskDir, 'audit-head.json');
      let previous: AuditHead | null = null;
      try {
        previous = headSchema.parse(JSON.parse(await readFile(file, 'utf8')));
      } catch {
        previous = null;
      }
      if (!previous || head.seq > previous.seq) {
        const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
        await writeDurably(tmp, Buffer.from(`${JSON.stringify(head)}\n`), 'temp');
        await rename(tmp, file);
      }
      return previous;
    },
  };
}

/** Write and fsync; a content-addressed file that exists already has these very bytes. */
async function writeDurably(file: string, bytes: Uint8Array, kind: 'content' | 'temp' = 'content'): Promise<void> {
  const tmp = kind === 'temp' ? file : `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const h = await open(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await h.writeFile(bytes);
    await h.sync();
  } finally {
    await h.close();
  }
  if (kind === 'content') await rename(tmp, file);
}

async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, fsConstants.O_RDONLY);
  try {
    await h.sync();
  } catch {
    // best effort
  } finally {
    await h.close();
  }
}
