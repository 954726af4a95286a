import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../controller/cli/commands';
import { checkInvitation, loadTrustedInvitationKeys } from '../../../../controller/invitations/sign';
import { todayIso } from '../../../../controller/documents/dates';
import { captureIo } from '../../../helpers/media-kit';

/** `npm run kiosk -- invitation keys init` and `invitation make`: the police station's side. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'invitation-cli-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, out: io.outText().trim(), err: io.errText() };
}

describe('invitation keys init and invitation make', () => {
  it('make an invitation a kiosk trusting the public key accepts, with the fields asked for', async () => {
    expect((await cli('invitation', 'keys', 'init', '--dir', dir)).code).toBe(0);
    expect((await stat(path.join(dir, 'invitation-ed25519.pem'))).mode & 0o777).toBe(0o600);
    const made = await cli('invitation', 'make', '--id-number', '079150001234', '--case', 'lost', '--priority', 'elderly', '--valid-days', '7', '--key', path.join(dir, 'invitation-ed25519.pem'), '--id', 'gm-1', '--station', 'cap-q1');
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    const trusted = await loadTrustedInvitationKeys([path.join(dir, 'invitation-ed25519.pub.pem')]);
    const today = todayIso(new Date());
    const checked = await checkInvitation(made.out, { trusted, today, used: async () => false });
    expect(checked).toMatchObject({ kind: 'accepted', invitation: { id: 'GM-1', idNumber: '079150001234', case: 'lost', priority: 'elderly', station: 'CAP-Q1', validFrom: today } });
  });

  it('keeps an existing key rather than replacing it', async () => {
    await cli('invitation', 'keys', 'init', '--dir', dir);
    const before = await readFile(path.join(dir, 'invitation-ed25519.pem'), 'utf8');
    const again = await cli('invitation', 'keys', 'init', '--dir', dir);
    expect(again.out).toMatch(/^exists:/);
    expect(await readFile(path.join(dir, 'invitation-ed25519.pem'), 'utf8')).toBe(before);
  });

  it('writes the QR code as a PNG when asked', async () => {
    await cli('invitation', 'keys', 'init', '--dir', dir);
    const png = path.join(dir, 'inv.png');
    const made = await cli('invitation', 'make', '--id-number', '079150001234', '--case', 'expired', '--key', path.join(dir, 'invitation-ed25519.pem'), '--png', png, '--json');
    expect(made.code).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ case: 'expired', priority: 'none', png });
    expect([...(await readFile(png)).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it.each([
    [['--case', 'lost', '--key', 'k'], /--id-number is required/],
    [['--id-number', '079150001234', '--case', 'stolen', '--key', 'k'], /--case must be one of/],
    [['--id-number', '0791', '--case', 'lost', '--key', 'k'], /ID number/],
    [['--id-number', '079150001234', '--case', 'lost', '--key', 'k', '--valid-days', '0'], /--valid-days/],
  ])('refuses bad usage with exit code 2 (%j)', async (args, message) => {
    const r = await cli('invitation', 'make', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('says when the key file is missing (exit code 1)', async () => {
    const r = await cli('invitation', 'make', '--id-number', '079150001234', '--case', 'lost', '--key', path.join(dir, 'none.pem'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/invitation keys init/);
  });
});
