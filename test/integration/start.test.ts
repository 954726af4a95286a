import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm start`'s program as a real process: what an operator (and systemd) sees. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('starting the kiosk', () => {
  it('refuses a bad config with exit code 78, naming the key and what is allowed', async () => {
    const file = path.join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ flow: { fingerAttempts: 99 } }));
    const p = start(['--config', file, '--data-dir', dir]);
    expect(await p.exited).toBe(78);
    expect(p.err()).toMatch(/flow\.fingerAttempts/);
    expect(p.err()).toMatch(/<=10/);
  }, 60_000);

  it('starts on the port from KIOSK_PORT, says the address to open, answers /healthz, and stops cleanly on SIGTERM', async () => {
    const p = start([], { KIOSK_PORT: '0', KIOSK_DATA_DIR: path.join(dir, 'data') });
    let url: string | undefined;
    for (let i = 0; i < 600 && !url; i++) {
      url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(p.out())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    if (!url) throw new Error(`no address printed; stdout: ${p.out()} stderr: ${p.err()}`);
    const health = await (await fetch(new URL('/healthz', url))).json();
    expect(health).toMatchObject({ version: '0.1.0', kioskId: 'KIOSK-DEV-01', outboxDepth: 0 });
    expect(Object.keys(health.devices)).toEqual(['fingerprint', 'document', 'camera', 'printer', 'gpio']);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 90_000);
});
