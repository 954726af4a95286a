import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeScreenUrlFile } from '../../controller/server/screen-url-file';
import { startTestServer, type TestServer } from '../helpers/test-server';
import { waitFor, waitForValue } from '../helpers/wait-for';

/**
 * systemd/kiosk-screen.sh, the touchscreen's launcher (issue #11): it starts the browser only
 * once the controller answers and the screen URL in the file is this start's, keeps the secret
 * off every command line, and reopens the new URL when the controller restarts. The browser
 * here is a stand-in that records how it was started.
 */

const SCRIPT = path.resolve('systemd/kiosk-screen.sh');

beforeAll(() => {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the launcher needs curl: apt-get install curl');
  }
});

let dir: string;
const servers: TestServer[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    // The launcher and its stand-in browser: the process group we started.
    if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(-c.pid, 'SIGKILL');
  }
  for (const s of servers.splice(0)) await s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function setup(): Promise<{ urlFile: string; runtimeDir: string; launches: string; browser: string }> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-launcher-'));
  const runtimeDir = path.join(dir, 'run');
  const launches = path.join(dir, 'launches');
  const browser = path.join(dir, 'browser.sh');
  // One line per start: its pid and its arguments; then it stays up as a browser does.
  await writeFile(browser, `#!/bin/sh\necho "$$ $*" >> "${launches}"\nexec sleep 600\n`);
  await chmod(browser, 0o755);
  await writeFile(launches, '');
  return { urlFile: path.join(dir, 'screen-url'), runtimeDir, launches, browser };
}

function launcher(args: string[], env: Record<string, string>) {
  const child = spawn('bash', [SCRIPT, ...args], { env: { ...process.env, KIOSK_SCREEN_POLL_S: '0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, err: () => err };
}

async function server(): Promise<TestServer> {
  const s = await startTestServer();
  servers.push(s);
  return s;
}

const stale = (screenUrl: string) => screenUrl.replace(/screen=./, (m) => (m.endsWith('A') ? 'screen=B' : 'screen=A'));
const refusedLinks = (s: TestServer) => s.logs.filter((l) => l.msg === 'refused a screen link').length;

async function launchLines(file: string): Promise<Array<{ pid: number; args: string }>> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ pid: Number(line.split(' ')[0]), args: line.slice(line.indexOf(' ') + 1) }));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the touchscreen launcher', () => {
  it('gives up after its bound when the kiosk never answers, saying what it waited for', async () => {
    const { urlFile } = await setup();
    const p = launcher(['wait'], { KIOSK_SCREEN_URL_FILE: urlFile, KIOSK_SCREEN_WAIT_S: '1' });
    expect(await p.exited).toBe(1);
    expect(p.err()).toContain(urlFile);
    expect(p.err()).toMatch(/healthz/);
  });

  it('waits while the screen URL is an earlier start’s, and goes on once it is this start’s', async () => {
    const { urlFile } = await setup();
    const s = await server();
    await writeScreenUrlFile(urlFile, stale(s.screenUrl));
    const p = launcher(['wait'], { KIOSK_SCREEN_URL_FILE: urlFile, KIOSK_SCREEN_WAIT_S: '60' });
    await waitFor(() => refusedLinks(s) >= 2, { what: 'the launcher to try the stale URL twice' });
    expect(p.child.exitCode).toBeNull();
    await writeScreenUrlFile(urlFile, s.screenUrl);
    expect(await p.exited).toBe(0);
  });

  it('opens the screen when the kiosk answers /healthz with 503 (it cannot serve: the screen shows out of service)', async () => {
    const { urlFile } = await setup();
    const s = await startTestServer({ health: async () => ({ status: 'degraded', serving: false, why: ['camera: fault'] }) });
    servers.push(s);
    expect((await fetch(new URL('/healthz', s.origin))).status).toBe(503);
    await writeScreenUrlFile(urlFile, s.screenUrl);
    const p = launcher(['wait'], { KIOSK_SCREEN_URL_FILE: urlFile, KIOSK_SCREEN_WAIT_S: '10' });
    expect(await p.exited).toBe(0);
  });

  it('opens the browser on a page of its own that forwards to the screen URL, with the secret on no command line', async () => {
    const { urlFile, runtimeDir, launches, browser } = await setup();
    const s = await server();
    await writeScreenUrlFile(urlFile, s.screenUrl);
    launcher(['run', browser, '--kiosk'], { KIOSK_SCREEN_URL_FILE: urlFile, XDG_RUNTIME_DIR: runtimeDir });
    const [first] = await waitForValue(async () => ((await launchLines(launches)).length ? launchLines(launches) : undefined), { what: 'the browser to start' });
    const page = path.join(runtimeDir, 'cccd-kiosk-screen', 'open.html');
    expect(first?.args).toBe(`--kiosk file://${page}`);
    const secret = new URL(s.screenUrl).searchParams.get('screen') ?? 'missing';
    expect(first?.args).not.toContain(secret);
    expect(await readFile(page, 'utf8')).toContain(`location.replace("${s.screenUrl}")`);
    expect((await stat(page)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(page))).mode & 0o777).toBe(0o700);
  });

  it('reopens the browser on the new screen URL once a restarted kiosk accepts it, and not before', async () => {
    const { urlFile, runtimeDir, launches, browser } = await setup();
    const a = await server();
    await writeScreenUrlFile(urlFile, a.screenUrl);
    const p = launcher(['run', browser], { KIOSK_SCREEN_URL_FILE: urlFile, XDG_RUNTIME_DIR: runtimeDir });
    const [first] = await waitForValue(async () => ((await launchLines(launches)).length ? launchLines(launches) : undefined), { what: 'the browser to start' });
    if (!first) throw new Error('no first launch');

    // The kiosk restarts: while its file holds a URL it does not accept, the browser stays.
    await a.close();
    servers.splice(servers.indexOf(a), 1);
    const b = await server();
    await writeScreenUrlFile(urlFile, stale(b.screenUrl));
    await waitFor(() => refusedLinks(b) >= 2, { what: 'the launcher to try the not-yet-current URL' });
    expect(await launchLines(launches)).toHaveLength(1);
    expect(alive(first.pid)).toBe(true);

    await writeScreenUrlFile(urlFile, b.screenUrl);
    await waitFor(async () => (await launchLines(launches)).length === 2, { what: 'the browser to be reopened' });
    expect(await readFile(path.join(runtimeDir, 'cccd-kiosk-screen', 'open.html'), 'utf8')).toContain(b.screenUrl);
    await waitFor(() => !alive(first.pid), { what: 'the first browser to be stopped' });

    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(143);
  });
});
