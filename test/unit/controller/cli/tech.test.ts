import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../controller/cli/commands';
import type { CliIO } from '../../../../controller/cli/io';
import { loadConfigFile } from '../../../../controller/config/load';
import { verifyPin } from '../../../../controller/tech/pin';

/** `npm run kiosk -- tech set-pin`: the service PIN's hash into the config, never the PIN. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-setpin-'));
  delete process.env.KIOSK_TECH_PIN;
});
afterEach(async () => {
  delete process.env.KIOSK_TECH_PIN;
  await rm(dir, { recursive: true, force: true });
});

function io(stdin: string, typed?: string[]): CliIO & { out: (t: string) => void; outText: () => string; errText: () => string } {
  let out = '';
  let err = '';
  const answers = typed ? [...typed] : undefined;
  return {
    readStdin: async () => stdin,
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    ...(answers ? { readSecret: async () => answers.shift() } : {}),
    outText: () => out,
    errText: () => err,
  };
}

async function config(content: unknown, mode = 0o640): Promise<string> {
  const file = path.join(dir, 'config.json');
  await writeFile(file, JSON.stringify(content));
  await chmod(file, mode);
  return file;
}

describe('tech set-pin', () => {
  it('writes the hash of a PIN from standard input into the config, keeps every other setting and the file mode', async () => {
    const file = await config({ kioskId: 'KIOSK-045-0007', flow: { fingerAttempts: 4 } });
    const t = io('482913\n');
    expect(await runCli(['tech', 'set-pin', '--config', file], t)).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('482913');
    const loaded = loadConfigFile(file);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    expect(loaded.config.kioskId).toBe('KIOSK-045-0007');
    expect(loaded.config.flow.fingerAttempts).toBe(4);
    await expect(verifyPin('482913', loaded.config.tech.pinHash ?? '')).resolves.toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    expect(t.outText()).toMatch(/Restart the kiosk/);
  });

  it('asks twice at a terminal, and changes nothing when the two differ', async () => {
    const file = await config({});
    const before = await readFile(file, 'utf8');
    const t = io('', ['482913', '482914']);
    expect(await runCli(['tech', 'set-pin', '--config', file], t)).toBe(2);
    expect(t.errText()).toMatch(/not the same; nothing was changed/);
    expect(await readFile(file, 'utf8')).toBe(before);
    const ok = io('', ['731904', '731904']);
    expect(await runCli(['tech', 'set-pin', '--config', file], ok)).toBe(0);
  });

  it('prints the hash alone with --print, for the installer to put in the config', async () => {
    process.env.KIOSK_TECH_PIN = '731904';
    const t = io('');
    expect(await runCli(['tech', 'set-pin', '--print'], t)).toBe(0);
    const hash = t.outText().trim();
    expect(hash).toMatch(/^\$scrypt\$ln=14,r=8,p=1\$/);
    await expect(verifyPin('731904', hash)).resolves.toBe(true);
  });

  it.each([
    ['12345', /6 to 12 digits/],
    ['12a456', /6 to 12 digits/],
    ['111111', /repeated/],
    ['123456', /in a row/],
  ])('refuses the PIN %s, saying why, and leaves the config as it was', async (pin, why) => {
    const file = await config({ kioskId: 'KIOSK-045-0007' });
    const before = await readFile(file, 'utf8');
    const t = io(`${pin}\n`);
    expect(await runCli(['tech', 'set-pin', '--config', file], t)).toBe(2);
    expect(t.errText()).toMatch(why);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('does not touch a config that is not valid, and says which key is wrong', async () => {
    const file = await config({ flow: { fingerAttempts: 99 } });
    const before = await readFile(file, 'utf8');
    const t = io('482913\n');
    expect(await runCli(['tech', 'set-pin', '--config', file], t)).toBe(1);
    expect(t.errText()).toMatch(/flow\.fingerAttempts/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('says where to give the PIN when none is given', async () => {
    const t = io('');
    expect(await runCli(['tech', 'set-pin', '--print'], t)).toBe(2);
    expect(t.errText()).toMatch(/KIOSK_TECH_PIN/);
  });
});
