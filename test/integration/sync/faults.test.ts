import { readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncSection } from '../../../controller/config/schema';
import { rng } from '../../../drivers/prng';
import { openStore, type Store } from '../../../controller/store/store';
import type { SyncLoop } from '../../../controller/sync/loop';
import { setUpSync } from '../../../controller/sync/start';
import { startFaultProxy, type FaultProxy, type ProxyMode } from '../../helpers/fault-proxy';
import { makeTestKiosk, sealedPacket, startTestReceiver, type TestKiosk, type TestReceiver } from '../../helpers/test-receiver';
import { waitFor } from '../../helpers/wait-for';

/**
 * The kiosk's real sync (pinned HTTPS client, loop, SQLite outbox) against the real receiver on
 * loopback, through a proxy that breaks the connection the way networks and receivers do. What
 * must hold whatever happens: the kiosk backs off, the receiver stores each packet once, and
 * nothing leaves the kiosk's disk without a verified ack.
 */

let receiver: TestReceiver;
let kiosk: TestKiosk;
let store: Store;
let proxy: FaultProxy;
const loops: SyncLoop[] = [];
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  receiver = await startTestReceiver();
  kiosk = await makeTestKiosk('KIOSK-045-0007');
  await receiver.register(kiosk);
  store = await openStore(path.join(kiosk.dataDir, 'kiosk.db'));
  proxy = await startFaultProxy({ kind: 'forward', port: receiver.port });
});
afterEach(async () => {
  for (const l of loops.splice(0)) await l.stop();
  for (const c of cleanups.splice(0)) await c();
  await proxy.close();
  await store.close();
  await receiver.dispose();
  await rm(kiosk.dataDir, { recursive: true, force: true });
});

async function startSync(overrides: Record<string, unknown> = {}): Promise<SyncLoop> {
  const config = syncSection.parse({
    url: `https://127.0.0.1:${proxy.port}`,
    pinnedCert: receiver.certPath,
    receiverAckPublicKey: receiver.ackPublicKeyPath,
    requestTimeoutMs: 1_000,
    backoffInitialMs: 50,
    backoffMaxMs: 400,
    pollMs: 100,
    retentionHours: 0,
    ...overrides,
  });
  const setup = await setUpSync(config, { store, keys: kiosk.keys, kioskId: kiosk.kioskId, log: pino({ level: 'silent' }), softwareVersion: 'test' });
  if (!setup.ok) throw new Error(setup.problem);
  loops.push(setup.loop);
  setup.loop.start();
  return setup.loop;
}

let n = 0;
async function enroll(opts: { big?: boolean } = {}): Promise<{ id: string; sealed: Uint8Array }> {
  const p = await sealedPacket(kiosk, receiver.centralPublicKey, opts);
  await store.commitEnrollment({ id: p.id, trackingCode: `TC-${++n}`, sealed: p.sealed, auditDetail: { n } });
  return p;
}

async function stateOf(id: string): Promise<string | undefined> {
  return (await store.outbox.list()).find((p) => p.id === id)?.state;
}

/** How many times each record id is stored at the receiver. */
async function storedCounts(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const m of receiver.store.list()) counts.set(m.recordId, (counts.get(m.recordId) ?? 0) + 1);
  return counts;
}

async function allAcked(ids: readonly string[]): Promise<boolean> {
  const listed = await store.outbox.list();
  return ids.every((id) => listed.find((p) => p.id === id)?.state === 'acked');
}

/** An HTTPS server with the receiver's own key (the pin matches) that answers 503 to everything. */
async function unavailableReceiver(): Promise<{ port: number; requests: () => number }> {
  let requests = 0;
  const server = https.createServer({ key: await readFile(path.join(receiver.dir, 'tls', 'key.pem'), 'utf8'), cert: await readFile(receiver.certPath, 'utf8') }, (req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unavailable', reason: 'down for maintenance' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, requests: () => requests };
}

describe('sync through a failing network, to the real receiver', () => {
  it('backs off while the receiver answers 503, stores nothing twice, then delivers once it is back', async () => {
    const unavailable = await unavailableReceiver();
    proxy.set({ kind: 'forward', port: unavailable.port });
    const ids = [(await enroll()).id, (await enroll()).id];
    const loop = await startSync();
    await waitFor(() => loop.status().consecutiveFailures >= 3, { what: 'three 503s in a row', timeoutMs: 20_000 });
    expect(loop.status().lastError?.message).toMatch(/HTTP 503 \(down for maintenance\)/);
    // Each pass stops at the first failure: the second packet waits behind the gate.
    expect(unavailable.requests()).toBe(loop.status().consecutiveFailures);
    expect(await storedCounts()).toEqual(new Map());
    proxy.set({ kind: 'forward', port: receiver.port });
    await waitFor(() => allAcked(ids), { what: 'both packets acked', timeoutMs: 20_000 });
    expect(await storedCounts()).toEqual(new Map(ids.map((id) => [id, 1])));
  });

  it('gives up on a receiver that hangs after the request timeout, backs off, and delivers later', async () => {
    proxy.set({ kind: 'hang' });
    const { id } = await enroll();
    const loop = await startSync();
    await waitFor(() => (loop.status().lastError?.message ?? '').includes('within 1000 ms'), { what: 'a request timeout', timeoutMs: 20_000 });
    expect(await stateOf(id)).toBe('pending');
    proxy.set({ kind: 'forward', port: receiver.port });
    await waitFor(() => allAcked([id]), { what: 'the packet acked', timeoutMs: 20_000 });
    expect(await storedCounts()).toEqual(new Map([[id, 1]]));
  });

  it('keeps a packet whose upload was cut midway, and the receiver stores nothing of it', async () => {
    const p = await enroll({ big: true });
    proxy.set({ kind: 'cut-upload', port: receiver.port, afterBytes: Math.floor(p.sealed.length / 2) });
    const loop = await startSync();
    await waitFor(() => /closed the connection/.test(loop.status().lastError?.message ?? ''), { what: 'a cut upload', timeoutMs: 20_000 });
    // Whether the kernel had taken the whole body before the cut, the kiosk cannot know: 'pending'
    // or 'sent', never 'acked'.
    expect(['pending', 'sent']).toContain(await stateOf(p.id));
    expect(await receiver.store.has(p.id)).toBe(false);
    proxy.set({ kind: 'forward', port: receiver.port });
    await waitFor(() => allAcked([p.id]), { what: 'the packet acked', timeoutMs: 20_000 });
    expect(await storedCounts()).toEqual(new Map([[p.id, 1]]));
  });

  it('after a lost reply, sends again and gets the same ack: the receiver holds one copy', async () => {
    const { id } = await enroll();
    proxy.set({ kind: 'drop-reply', port: receiver.port, acted: () => receiver.store.has(id) });
    const loop = await startSync();
    await waitFor(async () => (await stateOf(id)) === 'sent', { what: 'the packet marked sent without an ack', timeoutMs: 20_000 });
    expect(await receiver.store.has(id)).toBe(true);
    expect(loop.status().lastError?.message).toMatch(/closed the connection/);
    proxy.set({ kind: 'forward', port: receiver.port });
    await waitFor(() => allAcked([id]), { what: 'the packet acked', timeoutMs: 20_000 });
    expect(await storedCounts()).toEqual(new Map([[id, 1]]));
    const [listed] = await store.outbox.list();
    expect(listed?.receivedAt).toBe((await receiver.store.meta(id))?.receivedAt);
  });

  it('refuses a receiver whose certificate is not the pinned one, sending it nothing, with a clear error', async () => {
    const impostor = await startTestReceiver();
    cleanups.push(() => impostor.dispose());
    await impostor.register(kiosk);
    proxy.set({ kind: 'forward', port: impostor.port });
    const { id } = await enroll();
    const loop = await startSync();
    await waitFor(() => loop.status().consecutiveFailures >= 2, { what: 'pin refusals', timeoutMs: 20_000 });
    expect(loop.status().lastError?.message).toMatch(/certificate whose key \(pin .+\) is not the pinned one; nothing was sent/);
    expect(await impostor.store.has(id)).toBe(false);
    expect(impostor.logs.filter((l) => l.msg === 'packet refused' || l.msg === 'packet stored')).toEqual([]);
    proxy.set({ kind: 'forward', port: receiver.port });
    await waitFor(() => allAcked([id]), { what: 'the packet acked by the pinned receiver', timeoutMs: 20_000 });
  });

  it('does not store an ack that fails verification, purges nothing, and delivers once the right key is configured', async () => {
    const other = await startTestReceiver();
    cleanups.push(() => other.dispose());
    const { id } = await enroll();
    const wrong = await startSync({ receiverAckPublicKey: other.ackPublicKeyPath });
    await waitFor(() => wrong.status().consecutiveFailures >= 2, { what: 'acks refused twice', timeoutMs: 20_000 });
    expect(wrong.status().lastError?.message).toMatch(/signature does not verify/);
    expect(await stateOf(id)).toBe('sent');
    expect(await store.readSealedPacket(id)).not.toBeNull(); // retention 0, and still held: no ack
    await wrong.stop();
    await startSync();
    await waitFor(async () => (await store.readSealedPacket(id)) === null, { what: 'acked, then purged (retention 0)', timeoutMs: 20_000 });
    expect(await stateOf(id)).toBe('acked');
    expect(await storedCounts()).toEqual(new Map([[id, 1]]));
  });

  it('through a network that fails at random, every packet ends stored once and acked, none purged before its ack', async () => {
    const rand = rng(12);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await enroll()).id);
    const modes = (): ProxyMode => {
      const r = rand();
      if (r < 0.3) return { kind: 'forward', port: receiver.port };
      if (r < 0.45) return { kind: 'refuse' };
      if (r < 0.55) return { kind: 'hang' };
      if (r < 0.75) return { kind: 'cut-upload', port: receiver.port, afterBytes: 1_500 + Math.floor(rand() * 8_000) };
      return { kind: 'drop-reply', port: receiver.port, acted: async () => true };
    };
    proxy.set(modes);
    const loop = await startSync({ requestTimeoutMs: 300, backoffMaxMs: 100, retentionHours: 0 });
    // Watch the invariant while it runs: a packet gone from the disk has a verified ack.
    let violations = 0;
    await waitFor(
      async () => {
        for (const p of await store.outbox.list()) if (!p.held && p.ackedAt === null) violations++;
        return allAcked(ids);
      },
      { what: 'all eight packets acked through the faults', timeoutMs: 60_000, everyMs: 20 },
    );
    expect(violations).toBe(0);
    expect(await storedCounts()).toEqual(new Map(ids.map((id) => [id, 1])));
    expect(new Set(proxy.connections).size).toBeGreaterThan(2);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
    expect(loop.status().ackedThisRun).toBe(8);
  });
});
