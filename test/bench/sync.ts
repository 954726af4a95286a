import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { syncSection } from '../../controller/config/schema';
import { startReceiver } from '../../controller/central/receiver';
import { registerKiosk } from '../../controller/central/registry';
import { buildPacket } from '../../controller/packet/build';
import { loadCentralPublicKey, loadOrCreateKioskKeys } from '../../controller/packet/keys';
import { sealPacket } from '../../controller/packet/seal';
import { openStore } from '../../controller/store/store';
import { setUpSync } from '../../controller/sync/start';
import { makeRecord } from '../helpers/enrollment-record';
import { pct, type Row } from './stats';

/**
 * The outbox end to end: how fast enrollments are committed (build + sign + seal + commit, one
 * after another for a while, as a kiosk that never stops would), and how fast sync drains them
 * to the reference receiver over HTTPS on loopback (each packet opened, verified and stored
 * once, each ack verified and stored). Packets are ~1 MB, a real enrollment's size.
 */

/** Commit for this long, or this many enrollments (~300 MB on each side), whichever comes first. */
const SUSTAIN_MS = 10_000;
const MAX_ENROLLMENTS = 300;

export async function benchSync(): Promise<Row[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-sync-'));
  const log = pino({ level: 'silent' });
  try {
    const receiver = await startReceiver({ dir: path.join(dir, 'central'), port: 0, host: '127.0.0.1', log, tlsNames: ['127.0.0.1'] });
    const kioskId = 'KIOSK-BENCH-01';
    const keys = await loadOrCreateKioskKeys(path.join(dir, 'kiosk'));
    const pub = path.join(dir, 'kiosk.pub.pem');
    await writeFile(pub, keys.publicKey.export({ format: 'pem', type: 'spki' }));
    await registerKiosk(receiver.kiosksDir, kioskId, pub);
    const centralKey = await loadCentralPublicKey(receiver.centralPublicKeyPath);
    const store = await openStore(path.join(dir, 'kiosk', 'kiosk.db'));

    // Committed per second, sustained: the whole submit path, back to back.
    const record = { ...(await makeRecord({ faceSize: { width: 720, height: 960 } })), kioskId };
    const total: number[] = [];
    const commit: number[] = [];
    let bytes = 0;
    const t0 = performance.now();
    for (let i = 0; performance.now() - t0 < SUSTAIN_MS && i < MAX_ENROLLMENTS; i++) {
      const a = performance.now();
      const sealed = sealPacket(buildPacket({ ...record, id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }, keys), centralKey);
      const b = performance.now();
      await store.commitEnrollment({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, trackingCode: `BENCH-${i}`, sealed, auditDetail: { i } });
      const c = performance.now();
      total.push(c - a);
      commit.push(c - b);
      bytes += sealed.length;
    }
    const elapsedS = (performance.now() - t0) / 1000;
    const n = total.length;
    total.sort((x, y) => x - y);
    commit.sort((x, y) => x - y);

    // What /healthz and `packets list` cost with the whole outbox still held on disk.
    const h0 = performance.now();
    await store.outbox.summary();
    const summaryMs = performance.now() - h0;
    const l0 = performance.now();
    await store.outbox.list();
    const listMs = performance.now() - l0;

    // Sync throughput: drain all of them to the receiver.
    const setup = await setUpSync(
      syncSection.parse({ url: receiver.url, pinnedSpkiSha256: receiver.pin, receiverAckPublicKey: receiver.ackPublicKeyPath, retentionHours: 72 }),
      { store, keys, kioskId, log, softwareVersion: 'bench' },
    );
    if (!setup.ok) throw new Error(setup.problem);
    const s0 = performance.now();
    await setup.loop.runOnce();
    const syncS = (performance.now() - s0) / 1000;
    const summary = await store.outbox.summary();
    if (summary.acked !== n) throw new Error(`only ${summary.acked} of ${n} packets were acked: ${setup.loop.status().lastError?.message ?? ''}`);
    await store.close();
    await receiver.close();

    const mb = bytes / 1024 / 1024;
    return [
      { name: `enrollments committed per second, back to back (build + sign + seal + commit, ${(bytes / n / 1024).toFixed(0)} KiB sealed)`, value: `${(n / elapsedS).toFixed(1)} /s (${n} in ${elapsedS.toFixed(1)} s)` },
      { name: 'seal + commit per enrollment, p50 / p99', value: `${pct(total, 50).toFixed(1)} ms / ${pct(total, 99).toFixed(1)} ms (commit alone ${pct(commit, 50).toFixed(1)} / ${pct(commit, 99).toFixed(1)} ms)` },
      { name: `outbox summary for /healthz, and packets list, with ${n} packets held`, value: `${summaryMs.toFixed(1)} ms, ${listMs.toFixed(1)} ms` },
      { name: `sync to the receiver on loopback HTTPS (${n} packets, ${mb.toFixed(0)} MB; opened, verified, stored, acked)`, value: `${(n / syncS).toFixed(1)} packets/s, ${(mb / syncS).toFixed(1)} MB/s` },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
