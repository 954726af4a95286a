import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docCommand } from '../../../../controller/cli/doc';
import type { CliIO } from '../../../../controller/cli/io';

function io(stdin: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { readStdin: async () => stdin, out: (t) => out.push(t), err: (t) => err.push(t) };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}
const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/documents/${name}`, import.meta.url), 'utf8');

describe('kiosk doc parse', () => {
  it('prints the parsed QR as JSON with ISO dates', async () => {
    const t = io(fixture('qr-valid.txt'));
    expect(await docCommand(['parse', '--json'], t.cli)).toBe(0);
    const parsed: unknown = JSON.parse(t.out());
    expect(parsed).toMatchObject({ kind: 'cccd-qr', idNumber: '036190001234', oldIdNumber: '163012345', dateOfBirth: '1990-08-12', sex: 'female', issueDate: '2021-05-10' });
  });

  it('prints MRZ fields as text', async () => {
    const t = io(fixture('mrz-valid.txt'));
    expect(await docCommand(['parse'], t.cli)).toBe(0);
    expect(t.out()).toMatch(/kind\s+cccd-mrz/);
    expect(t.out()).toMatch(/idNumber\s+036190001234/);
  });

  it('exits 2 naming the bad field', async () => {
    const t = io(fixture('qr-valid.txt').replace('12081990', '32081990'));
    expect(await docCommand(['parse'], t.cli)).toBe(2);
    expect(t.err()).toMatch(/dateOfBirth/);
  });

  it('shows help', async () => {
    const t = io('');
    expect(await docCommand(['--help'], t.cli)).toBe(0);
    expect(t.out()).toMatch(/Usage: kiosk doc parse/);
  });
});
