import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { diagFingerprintCommand } from '../../../controller/cli/diag-fingerprint';
import type { CliIO } from '../../../controller/cli/io';
import { PtyPair } from '../../helpers/pty-pair';

function captureIO(): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    readStdin: async () => '',
    out: (t) => (out += t),
    err: (t) => (err += t),
    stdout: () => out,
    stderr: () => err,
  };
}

let pty: PtyPair | undefined;
let simProc: ChildProcess | undefined;
afterEach(async () => {
  if (simProc && simProc.exitCode === null) {
    const p = simProc;
    p.kill('SIGTERM');
    await new Promise((r) => p.once('exit', r));
  }
  simProc = undefined;
  await pty?.dispose();
  pty = undefined;
});

describe('diag fingerprint', () => {
  it('prints help', async () => {
    const io = captureIO();
    expect(await diagFingerprintCommand(['--help'], io)).toBe(0);
    expect(io.stdout()).toMatch(/--port PATH/);
  });

  it('refuses to run without a port or --sim', async () => {
    const io = captureIO();
    expect(await diagFingerprintCommand([], io)).toBe(2);
  });

  it('reports the simulated module as one JSON object', async () => {
    const io = captureIO();
    expect(await diagFingerprintCommand(['--sim', '--model', 'R503', '--json'], io)).toBe(0);
    const r: unknown = JSON.parse(io.stdout());
    expect(r).toMatchObject({
      ok: true,
      model: 'R503',
      baud: 57600,
      packetSize: 128,
      libraryCapacity: 200,
      securityLevel: 3,
      image: { width: 192, height: 192 },
    });
    expect(r).toHaveProperty('quality');
    expect(r).toHaveProperty('timings.VfyPwd');
    expect(r).toHaveProperty('timings.UpImage');
  });

  it('fails and says what to check when nothing answers', async () => {
    pty = new PtyPair();
    await pty.start();
    const io = captureIO();
    const code = await diagFingerprintCommand(['--port', pty.host, '--baud', '57600'], io);
    expect(code).not.toBe(0);
    expect(io.stderr()).toMatch(/cable/);
    expect(io.stderr()).toMatch(/port/);
    expect(io.stderr()).toMatch(/baud/);
  });

  // The module is a separate process behind socat, as a technician would start it by hand: the
  // factory default (57,600 baud, 128-byte packets), a module someone left at 115,200 with
  // 64-byte packets, and an R503 reporting 256-byte packets.
  it.each([
    { baud: 57600, packetSize: 128, model: 'R307', image: { width: 256, height: 288 } },
    { baud: 115200, packetSize: 64, model: 'R307', image: { width: 256, height: 288 } },
    { baud: 57600, packetSize: 256, model: 'R503', image: { width: 192, height: 192 } },
  ])('diagnoses a $model on a pty it did not start at $baud baud with $packetSize-byte packets', async ({ baud, packetSize, model, image }) => {
    pty = new PtyPair();
    await pty.start();
    simProc = spawn('npx', ['tsx', 'drivers/fingerprint/r30x/sim-cli.ts', '--port', pty.device, '--baud', String(baud), '--packet-size', String(packetSize), '--model', model, '--fast'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out = simProc.stdout;
    if (out) await new Promise<void>((resolve) => out.once('data', () => resolve()));
    const io = captureIO();
    expect(await diagFingerprintCommand(['--port', pty.host, '--baud', String(baud), '--json'], io)).toBe(0);
    expect(JSON.parse(io.stdout())).toMatchObject({ ok: true, baud, packetSize, image, quality: expect.any(Number), libraryCapacity: expect.any(Number), securityLevel: expect.any(Number) });
  });
});
