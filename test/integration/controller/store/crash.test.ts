import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDb } from '../../../../controller/store/db';
import { openStore } from '../../../../controller/store/store';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const writer = fileURLToPath(new URL('../../../helpers/crash-writer.ts', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-crash-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run the writer until it has reported `after` commits, then SIGKILL it. Returns the ids it reported. */
function commitThenKill(file: string, after: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that a
    // SIGKILL to the CLI would not reach.
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!killed && (out.match(/^committed /gm)?.length ?? 0) >= after) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited on its own: ${err}`));
      // Only whole lines count: a line cut by the kill was never fully reported.
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.filter((l) => l.startsWith('committed ')).map((l) => l.slice('committed '.length)));
    });
  });
}

it('every enrollment whose commit resolved survives a SIGKILL, and the file stays consistent', async () => {
  const file = join(dir, 'kiosk.sqlite');
  const reported = await commitThenKill(file, 40);
  expect(reported.length).toBeGreaterThanOrEqual(40);

  const store = await openStore(file);
  try {
    const ids = new Set(await store.listPacketIds());
    for (const id of reported) expect(ids.has(id), id).toBe(true);
    expect(await store.outboxDepth()).toBe(ids.size);
    const chain = await store.verifyAuditChain();
    expect(chain).toEqual({ ok: true, length: ids.size });
  } finally {
    await store.close();
  }

  const db = await openDb(file);
  try {
    const count = z.object({ n: z.number() });
    expect(await db.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
    expect(count.parse(await db.get('SELECT COUNT(*) AS n FROM enrollments e LEFT JOIN outbox o ON o.enrollment_id = e.id WHERE o.enrollment_id IS NULL')).n).toBe(0);
    expect(count.parse(await db.get('SELECT COUNT(*) AS n FROM outbox o LEFT JOIN enrollments e ON o.enrollment_id = e.id WHERE e.id IS NULL')).n).toBe(0);
    expect(count.parse(await db.get("SELECT COUNT(*) AS n FROM enrollments e LEFT JOIN audit a ON a.enrollment_id = e.id AND a.kind = 'enrollment-committed' WHERE a.seq IS NULL")).n).toBe(0);
    const packets = z.array(z.object({ packet: z.instanceof(Buffer), packet_sha256: z.string(), size: z.number() })).parse(await db.all('SELECT packet, packet_sha256, size FROM enrollments'));
    for (const p of packets) {
      expect(p.packet.length).toBe(p.size);
      expect(createHash('sha256').update(p.packet).digest('hex')).toBe(p.packet_sha256);
    }
  } finally {
    await db.close();
  }
});
