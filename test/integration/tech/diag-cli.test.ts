import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hashPin } from '../../../controller/tech/pin';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * Issue #13: `npm run kiosk -- diag …` as a technician runs it, as a child process, against the
 * kiosk as `npm start` runs it (its own process, on the simulated devices), and against the
 * devices directly when no kiosk runs.
 */

const PIN = '482913';
let dir: string;
let central: TestCentral;
let configFile: string;
let kiosk: { child: ChildProcess; dataDir: string; origin: string } | undefined;

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', cmd, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

async function diag(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const p = run('controller/cli/main.ts', ['diag', ...args], env);
  const code = await p.exited;
  return { code, out: p.out(), err: p.err() };
}

const resultSchema = z.object({ ok: z.boolean(), summary: z.object({ vi: z.string(), en: z.string() }), next: z.object({ vi: z.string(), en: z.string() }).optional() }).passthrough();
const reportSchema = z.object({ ok: z.boolean(), via: z.enum(['kiosk', 'direct']), devices: z.record(z.string(), resultSchema) });

async function startKioskProcess(dataDir: string): Promise<void> {
  const p = run('controller/main.ts', ['--config', configFile, '--data-dir', dataDir], { KIOSK_PORT: '0' });
  const url = await waitForValue(() => /open (http:\/\/127\.0\.0\.1:\d+)\/\?screen=/.exec(p.out())?.[1], { what: `the kiosk to start (stderr: ${p.err()})`, timeoutMs: 90_000 });
  kiosk = { child: p.child, dataDir, origin: url };
  // Every device up before the tests (the screen leaves out-of-service once they are).
  await waitFor(async () => (await health()).status === 'ok', { what: 'every device ready', timeoutMs: 30_000 });
}

async function health(): Promise<{ status: string; screen: string; devices: Record<string, { state: string }> }> {
  if (!kiosk) throw new Error('no kiosk');
  return z
    .object({ status: z.string(), screen: z.string(), devices: z.record(z.string(), z.object({ state: z.string() })) })
    .parse(await (await fetch(new URL('/healthz', kiosk.origin))).json());
}

async function simulate(device: string, body: unknown): Promise<void> {
  if (!kiosk) throw new Error('no kiosk');
  const res = await fetch(new URL(`/api/sim/${device}`, kiosk.origin), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sim ${device}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-diag-'));
  central = await makeTestCentral();
  configFile = path.join(dir, 'config.json');
  await writeFile(configFile, JSON.stringify({ sealing: { centralPublicKey: central.publicKeyPath }, simulation: { realisticTiming: false }, tech: { pinHash: await hashPin(PIN), minAttemptGapMs: 0 } }));
  await startKioskProcess(path.join(dir, 'data'));
}, 120_000);

afterAll(async () => {
  if (kiosk && kiosk.child.exitCode === null) {
    kiosk.child.kill('SIGTERM');
    await new Promise((r) => kiosk?.child.once('exit', r));
  }
  await central?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('kiosk diag against the running kiosk', () => {
  it('diag all --json reports every device ok through the running kiosk, and puts it back in service', async () => {
    const r = await diag(['all', '--json', '--config', configFile, '--data-dir', kiosk?.dataDir ?? '']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(r.out));
    expect(report.via).toBe('kiosk');
    expect(Object.fromEntries(Object.entries(report.devices).map(([k, v]) => [k, v.ok]))).toEqual({ fingerprint: true, scanner: true, camera: true, printer: true, panel: true });
    expect(report.ok).toBe(true);
    // The images stay on the kiosk: the CLI prints the figures only.
    expect(r.out).not.toContain('data:image');
    expect((await health()).screen).toBe('attract');
  }, 120_000);

  it('exits 1 naming what to check when the printer is unplugged, and 0 once it is plugged back in', async () => {
    await simulate('printer', { offline: true });
    await waitFor(async () => (await health()).devices.printer?.state !== 'ready', { what: 'the printer to be seen down', timeoutMs: 30_000 });
    const down = await diag(['printer', '--json', '--config', configFile, '--data-dir', kiosk?.dataDir ?? '']);
    expect(down.code).toBe(1);
    const report = reportSchema.parse(JSON.parse(down.out));
    expect(report.devices.printer?.ok).toBe(false);
    expect(report.devices.printer?.next?.en).toMatch(/power lead and USB cable/);
    expect(down.err).toMatch(/diag: printer failed; check next: .*power lead and USB cable/);

    await simulate('printer', { offline: false });
    await waitFor(async () => (await health()).devices.printer?.state === 'ready', { what: 'the printer back', timeoutMs: 30_000 });
    const back = await diag(['printer', '--config', configFile, '--data-dir', kiosk?.dataDir ?? '', '--lang', 'en']);
    expect(back.code).toBe(0);
    expect(back.out).toMatch(/printer\s+OK\s+The test page printed/);
  }, 120_000);

  it('takes the PIN from KIOSK_TECH_PIN for a kiosk given by its address, and refuses a wrong one with exit 3', async () => {
    const origin = kiosk?.origin ?? '';
    const wrong = await diag(['scanner', '--url', origin, '--config', configFile], { KIOSK_TECH_PIN: '999000' });
    expect(wrong.code).toBe(3);
    expect(wrong.err).toMatch(/Wrong PIN/);
    const right = await diag(['scanner', '--url', origin, '--config', configFile, '--json'], { KIOSK_TECH_PIN: PIN });
    expect(right.code).toBe(0);
    expect(reportSchema.parse(JSON.parse(right.out)).devices.scanner?.ok).toBe(true);
  }, 120_000);

  it('keeps the older diag forms: diag printer --sim prints and reports as before', async () => {
    const r = await diag(['printer', '--sim', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, status: { kind: 'ready' } });
  }, 60_000);
});

describe('kiosk diag with no kiosk running', () => {
  it('opens the devices of the config directly and reports every one ok', async () => {
    const emptyDataDir = path.join(dir, 'no-kiosk');
    const r = await diag(['all', '--json', '--config', configFile, '--data-dir', emptyDataDir], { KIOSK_PORT: '1' });
    expect(r.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(r.out));
    expect(report.via).toBe('direct');
    expect(Object.values(report.devices).every((d) => d.ok)).toBe(true);
    await expect(readFile(path.join(emptyDataDir, 'tech-token'))).rejects.toThrow(/ENOENT/);
  }, 120_000);
});
