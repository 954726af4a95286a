import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keysCommand } from '../../../../controller/cli/keys';
import type { CliIO } from '../../../../controller/cli/io';
import { kioskKeyPath, loadKioskKeys } from '../../../../controller/packet/keys';

// Tests for controller/cli/keys.ts; kept here because this change may only write in packet/.
let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-cli-keys-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { readStdin: async () => '', out: (t) => (out += t), err: (t) => (err += t) };
  const code = await keysCommand(argv, io);
  return { code, out, err };
}

describe('kiosk keys CLI', () => {
  it('init creates the key and prints its id and public key', async () => {
    const r = await run('init', '--data-dir', dataDir);
    const keys = await loadKioskKeys(dataDir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Created kiosk key');
    expect(r.out).toContain(`key id: ${keys?.keyId}`);
    expect(r.out).toContain('-----BEGIN PUBLIC KEY-----');
  });

  it('init a second time says the key already existed and keeps it', async () => {
    await run('init', '--data-dir', dataDir);
    const before = await loadKioskKeys(dataDir);
    const r = await run('init', `--data-dir=${dataDir}`);
    expect(r.code).toBe(0);
    expect(r.out).toContain('already exists');
    expect((await loadKioskKeys(dataDir))?.keyId).toBe(before?.keyId);
  });

  it('show prints the existing key, or says how to create one', async () => {
    const missing = await run('show', '--data-dir', dataDir);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('keys init');
    await run('init', '--data-dir', dataDir);
    const shown = await run('show', '--data-dir', dataDir);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`key id: ${(await loadKioskKeys(dataDir))?.keyId}`);
  });

  it('reports a key with loose permissions with the fix, exit 1', async () => {
    await run('init', '--data-dir', dataDir);
    await chmod(kioskKeyPath(dataDir), 0o644);
    const r = await run('show', '--data-dir', dataDir);
    expect(r.code).toBe(1);
    expect(r.err).toContain('chmod 600');
  });

  it('prints usage for --help (exit 0) and for bad usage (exit 2)', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, out: expect.stringContaining('keys <init|show> --data-dir DIR') });
    for (const argv of [[], ['init'], ['rotate', '--data-dir', dataDir], ['show', '--data-dir']]) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain('keys <init|show> --data-dir DIR');
    }
  });
});
