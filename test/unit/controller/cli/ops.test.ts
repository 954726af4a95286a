import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { opsAddOfficerCommand } from '../../../../controller/cli/ops';
import { loadOfficersFile } from '../../../../controller/ops-console/files';
import { verifyPin } from '../../../../controller/tech/pin';

/** `ops add-officer` (issue #14): only a salted hash is written, mode 0600; a second run changes the password. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'officers-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function io(stdin: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { readStdin: async () => stdin, out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

describe('ops add-officer', () => {
  it('writes the officer with a scrypt hash of the password (never the password), mode 0600', async () => {
    const file = path.join(dir, 'officers.json');
    const a = io('mat-khau-dai-1\n');
    expect(await opsAddOfficerCommand(['--officers', file, '--login', 'binh', '--name', 'Trần Thị Bình', '--ln', '10'], a.io)).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('mat-khau-dai-1');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const [officer] = (await loadOfficersFile(file)).officers;
    expect(officer).toMatchObject({ login: 'binh', name: 'Trần Thị Bình' });
    expect(await verifyPin('mat-khau-dai-1', officer?.hash ?? '')).toBe(true);
    const b = io('mat-khau-moi-2\n');
    expect(await opsAddOfficerCommand(['--officers', file, '--login', 'binh', '--name', 'Trần Thị Bình', '--ln', '10'], b.io)).toBe(0);
    const after = (await loadOfficersFile(file)).officers;
    expect(after).toHaveLength(1);
    expect(await verifyPin('mat-khau-moi-2', after[0]?.hash ?? '')).toBe(true);
  });

  it.each([
    ['a short password', ['--login', 'binh', '--name', 'Bình'], 'short\n', /at least 10/],
    ['a login with capitals', ['--login', 'Binh', '--name', 'Bình'], 'mat-khau-dai-1\n', /lower-case/],
    ['a name with a newline', ['--login', 'binh', '--name', 'Bình\nroot'], 'mat-khau-dai-1\n', /control/],
    ['no name', ['--login', 'binh'], 'mat-khau-dai-1\n', /--name/],
  ])('refuses %s (exit 2), writing nothing', async (_what, args, stdin, message) => {
    const file = path.join(dir, 'officers.json');
    const r = io(stdin);
    expect(await opsAddOfficerCommand(['--officers', file, ...args, '--ln', '10'], r.io)).toBe(2);
    expect(r.err.join('')).toMatch(message);
    await expect(stat(file)).rejects.toThrow();
  });
});
