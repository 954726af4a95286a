import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../../controller/cli/io';
import { COMMAND_NAMES, runCli } from '../../../../controller/cli/commands';

function capture(): CliIO & { readonly outText: () => string; readonly errText: () => string } {
  let out = '';
  let err = '';
  return {
    readStdin: async () => '',
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    outText: () => out,
    errText: () => err,
  };
}

describe('the kiosk command line', () => {
  it('answers "diag --help" with the diag commands, not "unknown command"', async () => {
    const io = capture();
    expect(await runCli(['diag', '--help'], io)).toBe(0);
    expect(io.errText()).toBe('');
    expect(io.outText()).toContain('diag fingerprint');
    expect(io.outText()).toContain('diag scanner');
    expect(io.outText()).toContain('diag printer');
    expect(io.outText()).not.toContain('simulate');
  });

  it('lists a self-test for every device and one for all of them', async () => {
    const io = capture();
    expect(await runCli(['diag', '--help'], io)).toBe(0);
    for (const name of ['diag all', 'diag fingerprint', 'diag scanner', 'diag camera', 'diag printer', 'diag panel']) expect(io.outText()).toContain(name);
  });

  it('refuses an option the self-tests do not know, with the usage (exit 2)', async () => {
    const io = capture();
    expect(await runCli(['diag', 'camera', '--frobnicate'], io)).toBe(2);
    expect(io.errText()).toContain('unknown option "--frobnicate"');
    expect(io.errText()).toContain('usage: diag <all|fingerprint|scanner|camera|printer|panel>');
  });

  it('lists the diag commands and exits 2 for a bare "diag"', async () => {
    const io = capture();
    expect(await runCli(['diag'], io)).toBe(2);
    expect(io.errText()).toContain('diag fingerprint');
  });

  it('names the group when a diag command does not exist', async () => {
    const io = capture();
    expect(await runCli(['diag', 'toaster'], io)).toBe(2);
    expect(io.errText()).toContain('unknown diag command "toaster"');
    expect(io.errText()).toContain('diag printer');
  });

  it('still says "unknown command" for a word that is no command at all', async () => {
    const io = capture();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.errText()).toContain('unknown command "frobnicate"');
  });

  it('prints the usage for --help with exit 0, and for no command with exit 2', async () => {
    const help = capture();
    expect(await runCli(['--help'], help)).toBe(0);
    expect(help.outText()).toMatch(/^Usage: npm run kiosk -- <command>/);
    const none = capture();
    expect(await runCli([], none)).toBe(2);
  });

  it('answers --help for every command with its usage and exit 0', async () => {
    for (const name of COMMAND_NAMES) {
      const io = capture();
      expect({ name, code: await runCli([...name.split(' '), '--help'], io) }).toEqual({ name, code: 0 });
      expect(io.outText()).toMatch(/usage/i);
      expect(io.errText()).toBe('');
    }
  });
});
