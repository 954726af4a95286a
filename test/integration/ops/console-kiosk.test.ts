import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import { configSchema } from '../../../controller/config/schema';
import { startKiosk, type RunningKiosk } from '../../../controller/kiosk';
import { createOpsConsole, type OpsConsole } from '../../../controller/ops-console/server';
import { hashSecret } from '../../../controller/tech/pin';
import type { ConsoleServerMessage, HallKiosk } from '../../../domain/ops-channel/types';
import { failFast } from '../../helpers/fail-fast';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/**
 * Issue #14: the ops process against a real kiosk (startKiosk on simulated devices, its store
 * and its audit chain) and a kiosk that is not there. The page's socket needs the login's
 * cookie and the console's own Origin; the hall shows the real kiosk up and the missing one
 * down; an officer's command reaches the kiosk, changes what /healthz says, and lands in the
 * kiosk's audit chain with the officer's name; the console token is never in that chain.
 */

const TOKEN = 'integration-console-token-0123456789abcdef';
const OFFICER = 'Lê Văn Cường';
const PASSWORD = 'mot-mat-khau-dai-lam';
let central: TestCentral;
let dataDir: string;
let kiosk: RunningKiosk;
let ops: OpsConsole;
let base: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-ops-'));
  central = await makeTestCentral();
  const config = configSchema.parse({
    kioskId: 'KIOSK-HALL-07',
    dataDir,
    sealing: { centralPublicKey: central.publicKeyPath },
    server: { port: 0 },
    simulation: { realisticTiming: false },
    ops: { consoleToken: TOKEN, heartbeatMs: 300 },
  });
  kiosk = await startKiosk({ config, log: pino({ level: 'silent' }), onFatal: failFast });
  const gone = await freePort();
  const hash = await hashSecret(PASSWORD, { ln: 10 });
  ops = createOpsConsole({
    hall: {
      hall: 'Phường 7',
      kiosks: [
        { id: 'KIOSK-HALL-07', label: 'Quầy 7', url: `ws://127.0.0.1:${kiosk.port}/ws/ops`, token: TOKEN },
        { id: 'KIOSK-HALL-08', label: 'Quầy 8', url: `ws://127.0.0.1:${gone}/ws/ops`, token: TOKEN },
        { id: 'KIOSK-HALL-09', label: 'Quầy 9', url: `ws://127.0.0.1:${kiosk.port}/ws/ops`, token: `${TOKEN}-not-this-one` },
      ],
    },
    officers: [{ login: 'cuong', name: OFFICER, hash }],
    uiRoot: '/nonexistent',
    log: pino({ level: 'silent' }),
    auth: { minGapMs: 0, maxFailuresPerAddress: 3 },
    backoff: { initialMs: 100, maxMs: 500 },
  });
  base = (await ops.listen(0, '127.0.0.1')).url;
}, 60_000);

afterAll(async () => {
  await ops?.close();
  await kiosk?.stop();
  await central?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const login = (password: string) => fetch(new URL('/api/login', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'cuong', password }) });

function openPage(cookie: string | undefined, origin = base.replace(/\/$/, '')): Promise<{ ws: WebSocket; messages: ConsoleServerMessage[] } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(new URL('/ws/console', base).href.replace('http', 'ws'), { headers: { origin, ...(cookie ? { cookie } : {}) } });
    const messages: ConsoleServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.once('unexpected-response', (_q, res) => resolve({ refused: res.statusCode ?? 0 }));
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
  });
}

function latest(messages: readonly ConsoleServerMessage[], id: string): HallKiosk | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.type === 'hall' || m?.type === 'kiosks') {
      const k = m.kiosks.find((x) => x.kioskId === id);
      if (k) return k;
    }
  }
  return undefined;
}

describe('the ops process with a real kiosk', () => {
  it('logs in with the right password only, and rate-limits guessing', async () => {
    expect((await login('wrong-password-1')).status).toBe(401);
    expect((await login('wrong-password-2')).status).toBe(401);
    expect((await login('wrong-password-3')).status).toBe(401);
    const limited = await login(PASSWORD); // the right one, but after three wrong ones in a row
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("refuses the page's socket without the login's cookie, or from another origin", async () => {
    expect(await openPage(undefined)).toEqual({ refused: 401 });
    expect(await openPage('ops_session=made-up')).toEqual({ refused: 401 });
  });

  it('shows the kiosk up, the missing one and the one with a wrong token down, and an officer command reaches the kiosk and its audit chain', async () => {
    // A fresh console (the address above is locked out for a while): same kiosks, no lockout.
    const hash = await hashSecret(PASSWORD, { ln: 10 });
    const second = createOpsConsole({
      hall: { hall: 'Phường 7', kiosks: [{ id: 'KIOSK-HALL-07', label: 'Quầy 7', url: `ws://127.0.0.1:${kiosk.port}/ws/ops`, token: TOKEN }] },
      officers: [{ login: 'cuong', name: OFFICER, hash }],
      uiRoot: '/nonexistent',
      log: pino({ level: 'silent' }),
      auth: { minGapMs: 0 },
    });
    const at = (await second.listen(0, '127.0.0.1')).url;
    try {
      const res = await fetch(new URL('/api/login', at), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'cuong', password: PASSWORD }) });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      const cookie = setCookie.split(';')[0] ?? '';
      const other = await new Promise<number>((resolve) => {
        const ws = new WebSocket(new URL('/ws/console', at).href.replace('http', 'ws'), { headers: { cookie, origin: 'http://evil.example' } });
        ws.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
        ws.once('open', () => resolve(101));
      });
      expect(other).toBe(403);
      const ws = new WebSocket(new URL('/ws/console', at).href.replace('http', 'ws'), { headers: { cookie, origin: at.replace(/\/$/, '') } });
      const messages: ConsoleServerMessage[] = [];
      ws.on('message', (d) => messages.push(JSON.parse(String(d))));
      await new Promise((r) => ws.once('open', r));
      const up = await waitForValue(() => (latest(messages, 'KIOSK-HALL-07')?.link === 'up' ? latest(messages, 'KIOSK-HALL-07') : undefined), { what: 'the kiosk up on the console' });
      expect(up.status).toMatchObject({ kioskId: 'KIOSK-HALL-07', screen: 'attract', service: { inService: true }, heartbeatS: 0.3 });
      ws.send(JSON.stringify({ type: 'command', id: 'p1', kioskId: 'KIOSK-HALL-07', command: { kind: 'service', on: true } }));
      await waitFor(() => messages.some((m) => m.type === 'result' && m.id === 'p1' && m.ok), { what: 'the command answered' });
      const health = z.object({ serving: z.boolean(), why: z.array(z.string()) }).parse(await (await fetch(new URL('/healthz', kiosk.url))).json());
      expect(health.serving).toBe(false);
      expect(health.why.join(' ')).toContain(OFFICER);
      await waitFor(() => latest(messages, 'KIOSK-HALL-07')?.status?.service.inService === false, { what: 'the console to show it out of service' });
      ws.send(JSON.stringify({ type: 'command', id: 'p2', kioskId: 'KIOSK-HALL-07', command: { kind: 'service', on: false } }));
      await waitFor(() => messages.some((m) => m.type === 'result' && m.id === 'p2' && m.ok), { what: 'back in service' });
      const rows = await kiosk.store.recentAudit({ kind: 'ops-command', limit: 10 });
      expect(rows.map((r) => r.detail)).toEqual(expect.arrayContaining([
        { command: 'service', on: true, officer: OFFICER, ok: true },
        { command: 'service', on: false, officer: OFFICER, ok: true },
      ]));
      const chain = await kiosk.store.verifyAuditChain();
      expect(chain).toMatchObject({ ok: true });
      const configRows = await kiosk.store.recentAudit({ kind: 'config', limit: 5 });
      expect(JSON.stringify(configRows)).not.toContain(TOKEN);
      ws.close();
    } finally {
      await second.close();
    }
  });

  it('the first console shows the missing kiosk and the wrong token as down, saying why', async () => {
    await waitFor(() => ops.hall().find((k) => k.kioskId === 'KIOSK-HALL-08')?.linkError === 'refused', { what: 'the missing kiosk down: refused' });
    await waitFor(() => ops.hall().find((k) => k.kioskId === 'KIOSK-HALL-09')?.linkError === 'bad-token', { what: 'the wrong token down: bad-token' });
    expect(ops.hall().find((k) => k.kioskId === 'KIOSK-HALL-07')?.link).toBe('up');
    const refusals = await kiosk.store.recentAudit({ kind: 'ops-access', limit: 50 });
    expect(refusals.some((r) => JSON.stringify(r.detail).includes('bad-token'))).toBe(true);
  });
});
