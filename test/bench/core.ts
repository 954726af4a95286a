import { mkdtemp, rm } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { buildPacket } from '../../controller/packet/build';
import { loadOrCreateKioskKeys } from '../../controller/packet/keys';
import { sealPacket } from '../../controller/packet/seal';
import { makeRecord } from '../helpers/enrollment-record';
import { openStore } from '../../controller/store/store';
import { createKioskRuntime } from '../../controller/enrollment/runtime';
import { TEST_FLOW, createFakeMachine, createHarness, emptyScript } from '../helpers/enrollment-harness';
import { toViewModel } from '../../controller/enrollment/view';
import { createKioskServer } from '../../controller/server/http';
import { median, pct, type Row } from './stats';
import type { ServerMessage } from '../../domain/kiosk-channel/messages';
import { failFast } from '../helpers/fail-fast';
import { screenHeaders, socketUrlOf } from '../helpers/screen-client';

/** Statechart transition cost: an idle-timer reset (the most frequent event) plus the view projection. */
async function benchTransitions(): Promise<Row[]> {
  const h = createHarness();
  h.actor.send({ type: 'START', at: 0 });
  const batches: number[] = [];
  for (let b = 0; b < 30; b++) {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) h.actor.send({ type: 'TOUCH' });
    batches.push(((performance.now() - t0) / 1000) * 1000);
  }
  const views: number[] = [];
  for (let b = 0; b < 30; b++) {
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) toViewModel(h.actor.getSnapshot(), i);
    views.push(((performance.now() - t0) / 1000) * 1000);
  }
  h.actor.stop();
  return [
    { name: 'statechart transition (TOUCH, idle timer reset), median', value: `${median(batches).toFixed(1)} µs` },
    { name: 'view model projection, median', value: `${median(views).toFixed(1)} µs` },
  ];
}

/** Time from an intent reaching the runtime to the page's socket receiving the new view. */
async function benchPush(): Promise<Row[]> {
  const runtime = createKioskRuntime(createFakeMachine(emptyScript()), TEST_FLOW, { onFatal: failFast });
  runtime.setDevices({ fingerprint: 'ready', document: 'ready', camera: 'ready', printer: 'ready' });
  const server = createKioskServer({ runtime, uiRoot: '/nonexistent', log: pino({ level: 'silent' }), health: async () => ({}) });
  const { screenUrl } = await server.listen(0, '127.0.0.1');
  const ws = new WebSocket(socketUrlOf(screenUrl), { headers: screenHeaders(screenUrl) });
  await new Promise((r) => ws.once('open', r));
  runtime.send({ type: 'START' });
  const samples: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const lang = i % 2 === 0 ? 'en' : 'vi';
    const got = new Promise<void>((resolve) => {
      const on = (d: WebSocket.RawData) => {
        const m: ServerMessage = JSON.parse(d.toString());
        if (m.type === 'view' && m.view.lang === lang) {
          ws.off('message', on);
          resolve();
        }
      };
      ws.on('message', on);
    });
    const t0 = performance.now();
    runtime.send({ type: 'SET_LANGUAGE', lang });
    runtime.send({ type: 'CASE_CHOOSE', case: 'expired' });
    await got;
    samples.push(performance.now() - t0);
  }
  ws.close();
  await server.close();
  runtime.stop();
  samples.sort((a, b) => a - b);
  return [{ name: 'view-model push latency over ws (1000 pushes)', value: `p50 ${pct(samples, 50).toFixed(2)} ms, p99 ${pct(samples, 99).toFixed(2)} ms` }];
}

/** Build + sign + seal + commit of a realistic packet (ten 256×288 prints, face JPEG, signature PNG). */
async function benchSealCommit(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-seal-'));
  try {
    const keys = await loadOrCreateKioskKeys(dir);
    const central = generateKeyPairSync('x25519').publicKey;
    const store = await openStore(path.join(dir, 'kiosk.db'));
    // A 720×960 face JPEG brings the packet to the ~1 MB of a real enrollment (issue 3).
    const record = await makeRecord({ faceSize: { width: 720, height: 960 } });
    const build: number[] = [], seal: number[] = [], commit: number[] = [], total: number[] = [];
    let size = 0, sealedSize = 0;
    for (let i = 0; i < 40; i++) {
      const r = { ...record, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` };
      const t0 = performance.now();
      const inner = buildPacket(r, keys);
      const t1 = performance.now();
      const sealed = sealPacket(inner, central, { aead: 'aes-256-gcm' });
      const t2 = performance.now();
      await store.commitEnrollment({ id: r.id, trackingCode: `BENCH-${i}`, sealed, auditDetail: { i } });
      const t3 = performance.now();
      build.push(t1 - t0);
      seal.push(t2 - t1);
      commit.push(t3 - t2);
      total.push(t3 - t0);
      size = inner.length;
      sealedSize = sealed.length;
    }
    await store.close();
    return [
      { name: `seal + commit per enrollment (packet ${(size / 1024).toFixed(0)} KiB → sealed ${(sealedSize / 1024).toFixed(0)} KiB), median`, value: `${median(total).toFixed(1)} ms (build ${median(build).toFixed(1)}, seal ${median(seal).toFixed(1)}, commit ${median(commit).toFixed(1)})` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchCore(): Promise<Row[]> {
  return [...(await benchTransitions()), ...(await benchPush()), ...(await benchSealCommit())];
}
