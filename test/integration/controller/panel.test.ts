/**
 * The front panel in the whole kiosk on simulated devices (issue #13): the board simulator on
 * the other side of the Firmata wire, played through /api/sim/panel as the e2e test plays the
 * citizen. The enclosure opened mid-session ends the session, audits and alerts; the board's
 * cable pulled and plugged back, the panel comes back by itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { openDb } from '../../../controller/store/db';
import { failFast } from '../../helpers/fail-fast';
import { connectAsScreen, screenFetch } from '../../helpers/screen-client';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor, waitForValue } from '../../helpers/wait-for';

let dataDir: string;
let central: TestCentral;
let kiosk: RunningKiosk;

const healthSchema = z.object({
  screen: z.string(),
  devices: z.record(z.string(), z.object({ state: z.string(), detail: z.string().optional() })),
  alerts: z.array(z.record(z.string(), z.unknown())),
});
const health = async () => healthSchema.parse(await (await fetch(new URL('/healthz', kiosk.url))).json());
const panel = (body: unknown) => screenFetch(kiosk.screenUrl, '/api/sim/panel', { method: 'POST', body: JSON.stringify(body) });

async function auditRows(): Promise<Array<{ kind: string; detail: unknown }>> {
  const db = await openDb(path.join(dataDir, 'kiosk.db'));
  try {
    return z
      .array(z.object({ kind: z.string(), detail: z.string() }))
      .parse(await db.all('SELECT kind, detail FROM audit ORDER BY seq'))
      .map((r) => ({ kind: r.kind, detail: JSON.parse(r.detail) }));
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-panel-'));
  central = await makeTestCentral();
  const config = configSchema.parse({
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    flow: { fingerPauseMs: 0, fingerAcceptedPauseMs: 0 },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'silent' }), onFatal: failFast });
  await waitFor(async () => (await health()).devices.gpio?.state === 'ready', { what: 'the panel to be ready', timeoutMs: 20_000 });
}, 60_000);

afterAll(async () => {
  await kiosk?.stop();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the front panel in the running kiosk', () => {
  it('the enclosure opened mid-session: the session ends, out of service, a tamper alert and an audit entry saying a session was ended; shut, back in service', async () => {
    const screen = await connectAsScreen(kiosk.screenUrl);
    screen.send({ type: 'intent', intent: { type: 'START' } });
    await screen.next((m) => m.type === 'view' && m.view.screen.name === 'language', 'the language screen');
    expect((await panel({ set: 'tamper', active: true })).status).toBe(200);
    await screen.next((m) => m.type === 'view' && m.view.screen.name === 'out-of-service', 'the out-of-service screen');
    expect(kiosk.runtime.view().screen).toMatchObject({ name: 'out-of-service', enclosureOpen: true });
    await waitFor(async () => (await health()).alerts.some((a) => a.device === 'panel' && a.status === 'tamper'), { what: 'the tamper alert in /healthz' });
    const entry = await waitForValue(async () => (await auditRows()).find((r) => r.kind === 'tamper'), { what: 'the tamper entry in the audit chain' });
    expect(entry.detail).toEqual({ device: 'panel', sessionEnded: true, screen: 'language' });
    // While it is open, nobody can start. (`next` finds the first match, earlier ones included: so
    // only what comes after this point counts, or the start screen shown before START would do.)
    const from = screen.messages.length;
    const after = (pred: (m: (typeof screen.messages)[number]) => boolean, what: string) => waitForValue(() => screen.messages.slice(from).find(pred), { what });
    screen.send({ type: 'intent', intent: { type: 'START' } });
    await after((m) => m.type === 'error', 'START to be refused');
    expect(kiosk.runtime.view().screen.name).toBe('out-of-service');
    expect((await panel({ set: 'tamper', active: false })).status).toBe(200);
    await after((m) => m.type === 'view' && m.view.screen.name === 'attract', 'the start screen once the enclosure is shut');
    expect(kiosk.runtime.view().screen).not.toHaveProperty('enclosureOpen');
    screen.ws.close();
    expect(await kiosk.store.verifyAuditChain()).toMatchObject({ ok: true });
  }, 30_000);

  it('the board unplugged: the panel is down in /healthz; plugged back in, it reconnects by itself and is heard again', async () => {
    expect((await panel({ unplug: true })).status).toBe(200);
    await waitFor(async () => (await health()).devices.gpio?.state !== 'ready', { what: 'the panel to go down', timeoutMs: 5_000 });
    await waitFor(async () => (await health()).alerts.some((a) => a.device === 'panel' && (a.status === 'fault' || a.status === 'disconnected')), {
      what: 'a staff alert: the panel board stopped',
    });
    expect((await panel({ replug: true })).status).toBe(200);
    await waitFor(async () => (await health()).devices.gpio?.state === 'ready', { what: 'the panel to reconnect', timeoutMs: 10_000 });
    expect((await panel({ press: 'help-button' })).status).toBe(200);
    await waitFor(() => kiosk.runtime.view().screen.name === 'attract' && 'staffCalled' in kiosk.runtime.view().screen, { what: 'the help button to be heard after the reconnect' });
  }, 30_000);

  it('refuses a request the panel simulator does not know, naming what is wrong', async () => {
    const res = await panel({ unplug: false });
    expect(res.status).toBe(400);
  });
});
