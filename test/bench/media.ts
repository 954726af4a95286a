import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importMedia, openImportDesk } from '../../controller/central/import';
import { KIOSKS_DIR } from '../../controller/central/registry';
import { exportPackets } from '../../controller/cli/packets-export';
import { buildPacket } from '../../controller/packet/build';
import { loadOrCreateKioskKeys } from '../../controller/packet/keys';
import { sealPacket } from '../../controller/packet/seal';
import { checkStorage } from '../../controller/store/storage-check';
import { openStore } from '../../controller/store/store';
import { makeRecord } from '../helpers/enrollment-record';
import { makeTestCentral } from '../helpers/test-central';
import { median, pct, type Row } from './stats';

/**
 * Hand-carried media and the storage checks (issue #12): how fast a kit writes its pending
 * packets to a directory (`packets export`: each packet written and fsynced, then the manifest,
 * then the rename), how fast the receiver takes them back (`central import`: open, verify, store
 * once, ack), what the write probe before each session costs, and how long the database check at
 * start takes per MB. The target is this machine's temp directory; a USB 2 stick on a Pi writes
 * 5–20 MB/s, so there the stick, not the code, sets the pace.
 */
export async function benchMedia(packets = 60): Promise<Row[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-media-'));
  const central = await makeTestCentral();
  try {
    const dataDir = path.join(root, 'data');
    const keys = await loadOrCreateKioskKeys(dataDir);
    const store = await openStore(path.join(dataDir, 'kiosk.db'));
    const record = await makeRecord();
    for (let i = 0; i < packets; i++) {
      const id = randomUUID();
      await store.commitEnrollment({ id, trackingCode: `B-${i}`, sealed: sealPacket(buildPacket({ ...record, id }, keys), central.publicKey), auditDetail: { i } });
    }
    const bytes = (await store.listPackets()).reduce((n, p) => n + p.size, 0);

    const exportMs: number[] = [];
    let lastDir = '';
    for (let run = 0; run < 3; run++) {
      const stick = path.join(root, `stick-${run}`);
      await mkdir(stick);
      const t0 = performance.now();
      const r = await exportPackets({ store, keys, kioskId: record.kioskId, to: stick });
      exportMs.push(performance.now() - t0);
      if (!r.ok || r.packets !== packets) throw new Error(`export failed: ${JSON.stringify(r)}`);
      lastDir = stick;
    }
    const exportS = median(exportMs) / 1000;

    // The receiver's directory as `central serve --dir` lays it out: keys, kiosks/, store/.
    const registry = path.join(central.dir, KIOSKS_DIR);
    await mkdir(registry);
    await writeFile(path.join(registry, `${record.kioskId}.pem`), keys.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const desk = await openImportDesk({ keysDir: central.dir, storeDir: path.join(central.dir, 'store'), kiosksDir: registry });
    const t1 = performance.now();
    const report = await importMedia({ from: lastDir, ...desk });
    const importS = (performance.now() - t1) / 1000;
    if (report.stored !== packets) throw new Error(`import stored ${report.stored} of ${packets}`);

    const probes: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      const h = await checkStorage(dataDir, { minFreeBytes: 0, reclaimable: () => store.reclaimableBytes() });
      probes.push(performance.now() - t);
      if (!h.ok) throw new Error(h.message);
    }
    probes.sort((a, b) => a - b);

    await store.close();
    const dbBytes = (await stat(path.join(dataDir, 'kiosk.db'))).size;
    const t2 = performance.now();
    await (await openStore(path.join(dataDir, 'kiosk.db'))).close();
    const openS = (performance.now() - t2) / 1000;

    const mb = bytes / 1e6;
    return [
      { name: `packets export to a directory (${packets} packets, ${mb.toFixed(0)} MB, fsync each), median of 3`, value: `${(packets / exportS).toFixed(0)} packets/s, ${(mb / exportS).toFixed(1)} MB/s` },
      { name: `central import from that directory (the HTTPS intake's checks: open, verify, store once, ack)`, value: `${(packets / importS).toFixed(0)} packets/s, ${(mb / importS).toFixed(1)} MB/s` },
      { name: 'storage check before a session (write probe + fsync + statfs)', value: `p50 ${pct(probes, 50).toFixed(2)} ms, p99 ${pct(probes, 99).toFixed(2)} ms` },
      { name: `database open at start incl. quick_check (${(dbBytes / 1e6).toFixed(0)} MB file)`, value: `${(openS * 1000).toFixed(0)} ms (${(dbBytes / 1e6 / openS).toFixed(0)} MB/s)` },
    ];
  } finally {
    await central.dispose();
    await rm(root, { recursive: true, force: true });
  }
}
