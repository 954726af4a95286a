import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../controller/cli/io';
import { importMedia, openImportDesk, type ImportReport } from '../../controller/central/import';
import { KIOSKS_DIR } from '../../controller/central/registry';
import { loadOrCreateAckKey, type AckKey } from '../../controller/central/receiver-keys';
import { buildPacket } from '../../controller/packet/build';
import { loadOrCreateKioskKeys, type KioskKeys } from '../../controller/packet/keys';
import { sealPacket } from '../../controller/packet/seal';
import { openStore, type Store } from '../../controller/store/store';
import type { EnrollmentRecord } from '../../domain/enrollment-record';
import { makeRecord } from './enrollment-record';
import { makeTestCentral, type TestCentral } from './test-central';

/**
 * A mobile kit and its receiver, for the hand-carried media tests (docs/media-export.md): a kiosk
 * data directory with `n` committed enrollments sealed to a test centre, the kiosk's config file,
 * a "USB stick" directory, and the receiver's directory as `central serve --dir` lays it out: its
 * keys (central key + ack key), its kiosk registry (`kiosks/`) and its store (`store/`). Every
 * record carries the same made-up citizen (the ID number and name below),
 * so a test can scan bytes for them.
 */
export interface MediaKit {
  readonly root: string;
  readonly dataDir: string;
  readonly configFile: string;
  readonly stick: string;
  readonly registry: string;
  readonly receiverStore: string;
  readonly kioskId: string;
  readonly keys: KioskKeys;
  readonly central: TestCentral;
  readonly ackKey: AckKey;
  readonly record: EnrollmentRecord;
  readonly ids: string[];
  /** The kiosk's database (open: close it before a CLI command writes, or share it). */
  store: Store;
  reopen(): Promise<Store>;
  /** Commit one more enrollment; returns its record id. */
  commit(): Promise<string>;
  /** The centre imports the stick (`central import`), with its clock at `now`. */
  receive(now?: () => Date): Promise<ImportReport>;
  dispose(): Promise<void>;
}

export const CITIZEN = { idNumber: '045201001234', name: 'Nguyễn Thị Hồng Nhung' } as const;

let shared: EnrollmentRecord | undefined;

export async function makeMediaKit(n: number, opts: { readonly retentionHours?: number; readonly now?: () => Date } = {}): Promise<MediaKit> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'media-kit-'));
  const dataDir = path.join(root, 'data');
  const stick = path.join(root, 'stick');
  await mkdir(stick);
  const keys = await loadOrCreateKioskKeys(dataDir);
  const central = await makeTestCentral();
  const registry = path.join(central.dir, KIOSKS_DIR);
  const receiverStore = path.join(central.dir, 'store');
  await mkdir(registry);
  const ackKey = await loadOrCreateAckKey(central.dir);
  shared ??= await makeRecord();
  const record = shared;
  const kioskId = record.kioskId;
  await writeFile(path.join(registry, `${kioskId}.pem`), keys.publicKey.export({ format: 'pem', type: 'spki' }).toString());
  const configFile = path.join(root, 'config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      kioskId,
      dataDir,
      sealing: { centralPublicKey: central.publicKeyPath },
      sync: { receiverAckPublicKey: ackKey.publicKeyPath, retentionHours: opts.retentionHours ?? 0 },
    }),
  );
  const dbFile = path.join(dataDir, 'kiosk.db');
  const storeOpts = opts.now ? { now: opts.now } : {};
  const kit: MediaKit = {
    root,
    dataDir,
    configFile,
    stick,
    registry,
    receiverStore,
    kioskId,
    keys,
    central,
    ackKey,
    record,
    ids: [],
    store: await openStore(dbFile, storeOpts),
    async reopen() {
      await kit.store.close();
      kit.store = await openStore(dbFile, storeOpts);
      return kit.store;
    },
    async commit() {
      const id = randomUUID();
      const sealed = sealPacket(buildPacket({ ...record, id }, keys), central.publicKey);
      await kit.store.commitEnrollment({ id, trackingCode: `T-${kit.ids.length}-${id.slice(0, 6)}`, sealed, auditDetail: { n: kit.ids.length } });
      kit.ids.push(id);
      return id;
    },
    async receive(now = () => new Date('2025-03-20T10:00:00.000Z')) {
      const desk = await openImportDesk({ keysDir: central.dir, storeDir: receiverStore, kiosksDir: registry }, { now });
      return importMedia({ from: stick, ...desk });
    },
    async dispose() {
      await kit.store.close().catch(() => undefined);
      await central.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < n; i++) await kit.commit();
  return kit;
}

/** A CliIO that keeps what a command printed. */
export function captureIo(): CliIO & { readonly outText: () => string; readonly errText: () => string } {
  let out = '';
  let err = '';
  return {
    readStdin: async () => '',
    out: (t) => void (out += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (err += t.endsWith('\n') ? t : `${t}\n`),
    outText: () => out,
    errText: () => err,
  };
}
