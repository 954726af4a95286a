import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCentral, type TestCentral } from '../helpers/test-central';
import { waitFor, waitForValue } from '../helpers/wait-for';

/** `npm start`'s program as a real process: what an operator (and systemd) sees. */

let dir: string;
let central: TestCentral;
/** A config that names the centre's public key, as a real kiosk's does. */
let configFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-start-'));
  central = await makeTestCentral();
  configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify({ sealing: { centralPublicKey: central.publicKeyPath } }));
});
const children: ChildProcess[] = [];
afterEach(() => {
  // A failed test must not leave its kiosk running.
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await central.dispose();
});

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

/**
 * A unix datagram socket standing in for systemd's notify socket: Node has no AF_UNIX datagrams,
 * so socat receives them and hands the bytes on.
 */
function notifySocket(file: string) {
  const child = spawn('socat', ['-u', `UNIX-RECV:${file},unlink-early`, '-'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let got = '';
  child.stdout.on('data', (d) => (got += d));
  return { got: () => got, listening: () => access(file).then(() => true, () => false) };
}

describe('starting the kiosk', () => {
  it('tells systemd it is ready on the notify socket, pings the watchdog, and says when it stops', async () => {
    const sock = path.join(dir, 'notify.sock');
    const n = notifySocket(sock);
    await waitFor(n.listening, { what: 'the notify socket' });
    // A watchdog of 2 s: pings every second.
    const p = start(['--config', configFile, '--data-dir', path.join(dir, 'notify-data'), '--port', '0'], { NOTIFY_SOCKET: sock, WATCHDOG_USEC: '2000000' });
    await waitFor(() => n.got().includes('READY=1'), { what: 'READY=1 on the notify socket', timeoutMs: 60_000 });
    expect(n.got()).toMatch(/STATUS=kiosk KIOSK-DEV-01 ready on http:\/\/127\.0\.0\.1:\d+\//);
    expect(n.got()).toContain(`MAINPID=${p.child.pid}`);
    await waitFor(() => n.got().split('WATCHDOG=1').length - 1 >= 2, { what: 'two watchdog pings', timeoutMs: 10_000 });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    await waitFor(() => n.got().includes('STOPPING=1'), { what: 'STOPPING=1' });
    // The screen's secret never goes to systemd (its status line is in `systemctl status`).
    expect(n.got()).not.toMatch(/screen=/);
  }, 90_000);


  it('refuses a bad config with exit code 78, naming the key and what is allowed', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ flow: { fingerAttempts: 99 } }));
    const p = start(['--config', file, '--data-dir', dir]);
    expect(await p.exited).toBe(78);
    expect(p.err()).toMatch(/flow\.fingerAttempts/);
    expect(p.err()).toMatch(/<=10/);
  }, 60_000);

  it("refuses to start without the centre's public key (exit 78, saying what to set), and writes no data", async () => {
    const dataDir = path.join(dir, 'no-key');
    const p = start(['--data-dir', dataDir]);
    expect(await p.exited).toBe(78);
    expect(p.err()).toMatch(/sealing\.centralPublicKey/);
    expect(p.err()).toMatch(/will not take biometrics/);
    await expect(access(dataDir)).rejects.toThrow(/ENOENT/);
  }, 60_000);

  it('starts on the port from KIOSK_PORT, says the address to open, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const dataDir = path.join(dir, 'data');
    const p = start(['--config', configFile], { KIOSK_PORT: '0', KIOSK_DATA_DIR: dataDir });
    const url = await waitForValue(() => /open (http:\/\/127\.0\.0\.1:\d+\/\?screen=[A-Za-z0-9_-]{43})/.exec(p.out())?.[1], {
      what: 'the screen URL on stdout',
      timeoutMs: 60_000,
    });
    const health = await (await fetch(new URL('/healthz', url))).json();
    expect(health).toMatchObject({ version: '0.1.0', kioskId: 'KIOSK-DEV-01', outboxDepth: 0 });
    expect(Object.keys(health.devices)).toEqual(['fingerprint', 'document', 'camera', 'printer', 'gpio']);
    // The launcher's copy: the same URL, readable by the kiosk's user only.
    const file = path.join(dataDir, 'screen-url');
    expect((await readFile(file, 'utf8')).trim()).toBe(url);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(303);
    // The database and its journals are the kiosk user's alone (sealed packets, audit chain).
    for (const name of ['kiosk.db', 'kiosk.db-wal', 'kiosk.db-shm']) {
      expect({ name, mode: ((await stat(path.join(dataDir, name))).mode & 0o777).toString(8) }).toEqual({ name, mode: '600' });
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    // A stopped kiosk leaves no secret behind for the launcher to open.
    await expect(access(file)).rejects.toThrow(/ENOENT/);
  }, 90_000);

  it('under systemd, keeps the screen secret out of the journal and writes it where KIOSK_SCREEN_URL_FILE says', async () => {
    const file = path.join(dir, 'screen', 'screen-url');
    const p = start(['--config', configFile], { KIOSK_PORT: '0', KIOSK_DATA_DIR: path.join(dir, 'data2'), KIOSK_SCREEN_URL_FILE: file, JOURNAL_STREAM: '8:12345' });
    await waitForValue(() => (/Kiosk ready/.test(p.out()) ? true : undefined), { what: 'the ready line on stdout', timeoutMs: 60_000 });
    const url = (await readFile(file, 'utf8')).trim();
    const secret = new URL(url).searchParams.get('screen');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.out() + p.err()).not.toContain(secret);
    expect(p.out()).toContain(file);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);
});
