import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { configSchema, type KioskConfig } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { openDb } from '../../../controller/store/db';
import { failFast } from '../../helpers/fail-fast';
import { connectAsScreen, screenFetch } from '../../helpers/screen-client';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * Issue #12, "an audit chain that covers everything": the whole kiosk on simulated devices writes
 * what happened to it into the chain (the config it started with and what changed since the last
 * start, a tamper switch, a device that failed, a session left half way), and the staff alerts
 * it showed in /healthz are still there after a restart.
 */

let dataDir: string;
let central: TestCentral;
const running: RunningKiosk[] = [];

function config(idleTimeoutMs: number): KioskConfig {
  return configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { idleTimeoutMs, fingerPauseMs: 0, fingerAcceptedPauseMs: 0 },
  });
}

async function start(idleTimeoutMs: number): Promise<RunningKiosk> {
  const kiosk = await startKiosk({ config: config(idleTimeoutMs), log: pino({ level: 'silent' }), onFatal: failFast });
  running.push(kiosk);
  return kiosk;
}

async function stop(kiosk: RunningKiosk): Promise<void> {
  running.splice(running.indexOf(kiosk), 1);
  await kiosk.stop();
}

const healthSchema = z.object({
  status: z.string(),
  screen: z.string(),
  devices: z.record(z.string(), z.object({ state: z.string() })),
  alerts: z.array(z.record(z.string(), z.unknown())),
});
const health = async (k: RunningKiosk) => healthSchema.parse(await (await fetch(new URL('/healthz', k.url))).json());

const auditRow = z.object({ seq: z.number(), kind: z.string(), detail: z.string() });
async function auditRows(): Promise<Array<{ seq: number; kind: string; detail: unknown }>> {
  const db = await openDb(path.join(dataDir, 'kiosk.db'));
  try {
    return z
      .array(auditRow)
      .parse(await db.all('SELECT seq, kind, detail FROM audit ORDER BY seq'))
      .map((r) => ({ ...r, detail: JSON.parse(r.detail) }));
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-audit-'));
  central = await makeTestCentral();
});

afterAll(async () => {
  for (const k of running.splice(0)) await k.stop();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the audit chain of a running kiosk', () => {
  it('records the config at each start, tamper, a device fault and an abandoned session; alerts survive a restart', async () => {
    const first = await start(45_000);
    await waitFor(async () => (await health(first)).status === 'ok', { what: 'every device ready', timeoutMs: 20_000 });

    // The enclosure is opened: a staff alert, and a row in the chain.
    expect((await screenFetch(first.screenUrl, '/api/sim/panel', { method: 'POST', body: JSON.stringify({ press: 'tamper' }) })).status).toBe(200);
    await waitFor(async () => (await health(first)).alerts.some((a) => a.status === 'tamper'), { what: 'the tamper alert in /healthz' });
    // Out of service while it was open; shut again (the press let go), back on the start screen.
    await waitFor(async () => (await health(first)).screen === 'attract', { what: 'the start screen once the enclosure is shut' });

    // A citizen starts and walks away: the session is abandoned.
    const screen = await connectAsScreen(first.screenUrl);
    screen.send({ type: 'intent', intent: { type: 'START' } });
    await screen.next((m) => m.type === 'view' && m.view.screen.name === 'language', 'the language screen');
    screen.send({ type: 'intent', intent: { type: 'QUIT' } });
    await screen.next((m) => m.type === 'view' && m.view.screen.name === 'abandoned', 'the abandoned screen');
    screen.ws.close();

    // The scanner's cable is pulled.
    expect((await screenFetch(first.screenUrl, '/api/sim/document', { method: 'POST', body: JSON.stringify({ unplug: true }) })).status).toBe(200);
    await waitFor(async () => (await health(first)).devices.document?.state !== 'ready', { what: 'the scanner to go down', timeoutMs: 10_000 });
    await waitForValue(async () => (await auditRows()).find((r) => r.kind === 'device-fault'), { what: 'the device fault in the chain', timeoutMs: 10_000 });
    await stop(first);

    // Restarted with one setting changed.
    const second = await start(30_000);
    const alerts = (await health(second)).alerts;
    expect(alerts).toContainEqual({ at: expect.any(String), device: 'panel', status: 'tamper' });

    const rows = await auditRows();
    const kinds = rows.map((r) => r.kind);
    expect(kinds).toContain('tamper');
    expect(kinds).toContain('abandon');
    expect(rows.find((r) => r.kind === 'device-fault')?.detail).toMatchObject({ device: 'document' });
    expect(rows.find((r) => r.kind === 'abandon')?.detail).toMatchObject({ from: 'language' });
    const configs = rows.filter((r) => r.kind === 'config');
    expect(configs).toHaveLength(2);
    const [was, now] = configs.map((c) => z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), changed: z.array(z.unknown()) }).passthrough().parse(c.detail));
    expect(was?.changed).toEqual([]);
    expect(now?.sha256).not.toBe(was?.sha256);
    expect(now?.changed).toEqual([{ path: 'flow.idleTimeoutMs', from: 45_000, to: 30_000 }]);
    expect(await second.store.verifyAuditChain()).toMatchObject({ ok: true });
  }, 120_000);
});
