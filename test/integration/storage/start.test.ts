import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, open as openFile, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKioskKeys } from '../../../controller/packet/keys';
import { openStore } from '../../../controller/store/store';
import { mountSmallDisk, type SmallDisk } from '../../helpers/small-disk';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';

/**
 * Issue #12 at start, as systemd and a technician see it (`npm start`'s program as a real
 * process): a corrupt database → a clear message, the file kept aside, exit 65 (systemd does not
 * restart: RestartPreventExitStatus); a data directory that cannot be written → exit 74 with a
 * message that says which and what to do.
 */

let dir: string;
let central: TestCentral;
let configFile: string;
let disk: SmallDisk | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-start-faults-'));
  central = await makeTestCentral();
  configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify({ sealing: { centralPublicKey: central.publicKeyPath }, server: { port: 0 } }));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await disk?.dispose();
  disk = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await central.dispose();
});

function start(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts', '--config', configFile, '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'warn', KIOSK_SCREEN_URL_FILE: path.join(dir, `screen-url-${randomUUID()}`) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { exited, err: () => err };
}

async function usedDataDir(at: string): Promise<string> {
  await loadOrCreateKioskKeys(at);
  const s = await openStore(path.join(at, 'kiosk.db'));
  for (let i = 0; i < 8; i++) await s.commitEnrollment({ id: randomUUID(), trackingCode: `TC-${i}`, sealed: randomBytes(5000), auditDetail: { i } });
  await s.close();
  return at;
}

describe('starting on a damaged or unwritable data directory', () => {
  it('a corrupt database: exit 65 with a message naming the kept-aside file; kept byte for byte; the next start refuses too', async () => {
    const dataDir = await usedDataDir(path.join(dir, 'corrupt'));
    const db = path.join(dataDir, 'kiosk.db');
    const h = await openFile(db, 'r+');
    await h.write(randomBytes(4096), 0, 4096, 4096 * 2);
    await h.close();
    const damaged = await readFile(db);

    const first = start(dataDir);
    expect(await first.exited).toBe(65);
    const kept = (await readdir(dataDir)).filter((n) => /^kiosk\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/.test(n));
    expect(kept).toHaveLength(1);
    expect(first.err()).toContain(path.join(dataDir, kept[0] ?? ''));
    expect(first.err()).toMatch(/corrupt/);
    expect(first.err()).toMatch(/move it out of/);
    expect(first.err()).not.toMatch(/\n\s+at /); // a message, not a stack trace
    expect((await readFile(path.join(dataDir, kept[0] ?? ''))).equals(damaged)).toBe(true);
    await expect(stat(db)).rejects.toThrow(/ENOENT/);

    // systemd would not restart it (65); a technician who just runs it again gets the same answer.
    const second = start(dataDir);
    expect(await second.exited).toBe(65);
    expect(second.err()).toContain(kept[0]);
    await expect(stat(db)).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('a disk full to the last byte: exit 74, saying the disk is full and what to do', async () => {
    disk = await mountSmallDisk(16);
    await usedDataDir(disk.dir);
    await disk.fill(0);
    const p = start(disk.dir);
    expect(await p.exited).toBe(74);
    expect(p.err()).toMatch(new RegExp(`the disk holding ${disk.dir} is full \\(ENOSPC\\)`));
    expect(p.err()).toMatch(/packets export/);
    expect(p.err()).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('a read-only data directory: exit 74, saying it is read-only and where', async () => {
    disk = await mountSmallDisk(16);
    await usedDataDir(disk.dir);
    await disk.readOnly();
    const p = start(disk.dir);
    expect(await p.exited).toBe(74);
    expect(p.err()).toContain(disk.dir);
    expect(p.err()).toMatch(/read-only filesystem \(EROFS\)/);
    expect(p.err()).not.toMatch(/\n\s+at /);
  }, 120_000);
});
