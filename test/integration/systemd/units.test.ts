import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../domain/package-root';
import { CENTRAL_PRIVATE_KEY_FILE } from '../../../controller/central/keys';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';

/**
 * The shipped systemd units pass `systemd-analyze verify` as install.sh installs them (the code
 * in /opt/cccd-kiosk, here: this checkout), with no warning; install.sh refuses what it must
 * before it changes anything (issue #14).
 */

const run = promisify(execFile);
let work: string;
let central: TestCentral;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'units-'));
  central = await makeTestCentral();
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await central.dispose();
});

/** The unit as installed, with /opt/cccd-kiosk pointing at this checkout. */
async function installed(name: string): Promise<string> {
  const text = (await readFile(path.join(PACKAGE_ROOT, 'systemd', name), 'utf8')).replaceAll('/opt/cccd-kiosk', PACKAGE_ROOT);
  const file = path.join(work, name);
  await writeFile(file, text);
  return file;
}

const verify = async (args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const r = await run('systemd-analyze', args, { env }).catch((e: { stdout: string; stderr: string; code: number }) => e);
  return { code: 'code' in r ? r.code : 0, out: `${r.stdout}${r.stderr}`.trim() };
};

describe('the systemd units', () => {
  it('the controller unit verifies with no warning, and is hardened', async () => {
    const file = await installed('cccd-kiosk.service');
    expect(await verify(['verify', file])).toEqual({ code: 0, out: '' });
    const text = await readFile(file, 'utf8');
    for (const line of ['Type=notify', 'WatchdogSec=30', 'NoNewPrivileges=true', 'ProtectSystem=strict', 'PrivateTmp=true', 'ProtectHome=true', 'CapabilityBoundingSet=', 'User=cccd-kiosk', 'ExecStart=/usr/bin/node dist/kiosk.mjs']) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).toMatch(/^SupplementaryGroups=dialout plugdev video gpio$/m);
  });

  it('the touchscreen unit verifies as a user unit, and waits for the controller before Chromium', async () => {
    const file = await installed('cccd-kiosk-browser.service');
    const runtime = await mkdtemp(path.join(work, 'xdg-'));
    expect(await verify(['--user', 'verify', file], { ...process.env, XDG_RUNTIME_DIR: runtime })).toEqual({ code: 0, out: '' });
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^ExecStartPre=.*kiosk-screen\.sh wait$/m);
  });

  it('the touchscreen lets the page speak its prompts without a tap first (issue #15: autoplay allowed)', async () => {
    const text = await readFile(await installed('cccd-kiosk-browser.service'), 'utf8');
    expect(text).toMatch(/^ExecStart=\S*kiosk-screen\.sh run \/usr\/bin\/chromium .*--autoplay-policy=no-user-gesture-required/m);
  });

  it('the check itself fails on a broken unit', async () => {
    const file = path.join(work, 'broken.service');
    await writeFile(file, '[Service]\nExecStart=/usr/bin/node dist/kiosk.mjs\nProtectSytem=strict\n');
    expect((await verify(['verify', file])).out).toMatch(/Unknown key 'ProtectSytem'/);
  });
});

describe('install.sh, before it changes anything', () => {
  const install = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
    run('bash', [path.join(PACKAGE_ROOT, 'systemd', 'install.sh'), '--check', ...args], { env }).then(
      (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: `${e.stdout}${e.stderr}` }),
    );

  it("refuses Bookworm's Node 18, naming the version it found", async () => {
    const bin = await mkdtemp(path.join(work, 'bin-'));
    const fake = path.join(bin, 'node');
    await writeFile(fake, '#!/bin/sh\n[ "$1" = -p ] && { echo 18.19.0; exit 0; }\nexit 1\n');
    await chmod(fake, 0o755);
    const r = await install(['--central-key', central.publicKeyPath], { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Node\.js >= 20\.19 is needed, this is 18\.19\.0/);
  });

  it('refuses without the centre’s public key, and refuses a private key', async () => {
    const none = await install([]);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/no central public key.*--central-key/);
    const r = await install(['--central-key', path.join(central.dir, CENTRAL_PRIVATE_KEY_FILE)]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/PRIVATE key|not a PEM public key/);
  });

  it('passes with a current Node and the centre’s public key', async () => {
    const r = await install(['--central-key', central.publicKeyPath]);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/checks passed/) });
  });
});
