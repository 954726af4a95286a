import { describe, expect, it } from 'vitest';
import { diagScannerCommand } from '../../../../controller/cli/diag-scanner';
import type { CliIO } from '../../../../controller/cli/io';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { readStdin: async () => '', out: (t) => out.push(t), err: (t) => err.push(t) };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

describe('kiosk diag scanner', () => {
  it('--sim waits for one scan and prints what was decoded and parsed', async () => {
    const t = io();
    expect(await diagScannerCommand(['--sim', '--json', '--wait', '5'], t.cli)).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject({ ok: true, text: expect.stringContaining('Trần Thị Bích Ngọc'), parsed: { ok: true, document: { kind: 'cccd-qr' } } });
  });

  it('reports a port that does not exist as not ready', async () => {
    const t = io();
    expect(await diagScannerCommand(['--port', '/dev/does-not-exist-cccd', '--wait', '1'], t.cli)).toBe(1);
    expect(t.err()).toMatch(/fault/);
  });

  it('refuses two sources at once and bad VID:PID', async () => {
    expect(await diagScannerCommand(['--sim', '--port', '/dev/x'], io().cli)).toBe(64);
    expect(await diagScannerCommand(['--hid', 'nope'], io().cli)).toBe(64);
  });

  it('shows help', async () => {
    const t = io();
    expect(await diagScannerCommand(['--help'], t.cli)).toBe(0);
    expect(t.out()).toMatch(/--hid VID:PID/);
  });
});
