import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadCentralPublicKey, loadOrCreateKioskKeys, type KioskKeys } from '../../controller/packet/keys';
import { buildPacket } from '../../controller/packet/build';
import { sealPacket } from '../../controller/packet/seal';
import { startReceiver, type ReceiverOptions, type RunningReceiver } from '../../controller/central/receiver';
import { registerKiosk } from '../../controller/central/registry';
import { GENESIS_HASH } from '../../controller/store/audit-chain';
import { HEADERS, formatAuditPoint, packetPath, signRequest, signedRequest, type AuditPoint } from '../../controller/sync/protocol';
import { pinnedHttpsTransport, type UploadOutcome } from '../../controller/sync/transport';
import { makeRecord } from './enrollment-record';

/**
 * The reference receiver on a loopback port in its own temp dir, with what tests need around
 * it: a kiosk identity to register, small sealed packets, and a raw request to send one with
 * any header changed (the kiosk's own sync sends them right; tests also need them wrong).
 */

export interface TestReceiver extends RunningReceiver {
  readonly dir: string;
  readonly centralPublicKey: KeyObject;
  /** Everything the receiver logged, parsed. */
  readonly logs: Array<{ readonly msg: string; readonly [key: string]: unknown }>;
  register(kiosk: TestKiosk): Promise<void>;
  dispose(): Promise<void>;
}

export async function startTestReceiver(opts: Partial<Omit<ReceiverOptions, 'dir' | 'log'>> & { readonly dir?: string } = {}): Promise<TestReceiver> {
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'central-')));
  const logs: Array<{ msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const receiver = await startReceiver({ port: 0, host: '127.0.0.1', tlsNames: ['localhost', '127.0.0.1'], ...opts, dir, log: pino({ level: 'debug' }, sink) });
  return {
    ...receiver,
    dir,
    logs,
    centralPublicKey: await loadCentralPublicKey(receiver.centralPublicKeyPath),
    async register(kiosk) {
      const file = path.join(dir, `${kiosk.kioskId}.pub.pem`);
      await writeFile(file, kiosk.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString());
      await registerKiosk(receiver.kiosksDir, kiosk.kioskId, file);
    },
    async dispose() {
      await receiver.close();
      if (opts.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TestKiosk {
  readonly kioskId: string;
  readonly keys: KioskKeys;
  readonly dataDir: string;
}

export async function makeTestKiosk(kioskId = 'KIOSK-TEST-01', dataDir?: string): Promise<TestKiosk> {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'kiosk-data-')));
  return { kioskId, keys: await loadOrCreateKioskKeys(dir), dataDir: dir };
}

export interface TestPacket {
  readonly id: string;
  readonly sealed: Uint8Array;
  readonly sha256: string;
}

/** A real enrollment packet, small images (fast), signed by the kiosk and sealed to the centre. */
export async function sealedPacket(kiosk: TestKiosk, centralPublicKey: KeyObject, opts: { readonly id?: string; readonly big?: boolean } = {}): Promise<TestPacket> {
  const record = await makeRecord({
    id: opts.id ?? randomUUID(),
    ...(opts.big ? {} : { fingerSize: { width: 24, height: 24 }, faceSize: { width: 32, height: 40 } }),
  });
  const sealed = sealPacket(buildPacket({ ...record, kioskId: kiosk.kioskId }, kiosk.keys), centralPublicKey);
  return { id: record.id, sealed, sha256: createHash('sha256').update(sealed).digest('hex') };
}

export interface RawPost {
  readonly kiosk: TestKiosk;
  readonly packet: TestPacket;
  readonly head?: AuditPoint;
  readonly anchor?: AuditPoint | null;
  /** Send these bytes instead of the packet's (the signature still covers the packet's hash). */
  readonly body?: Uint8Array;
  readonly recordId?: string;
  readonly kioskIdInPath?: string;
  /** Sign with this key instead of the kiosk's. */
  readonly signWith?: KeyObject;
  readonly headers?: Record<string, string | undefined>;
}

/** One request to the receiver, made as the kiosk's sync makes it unless told otherwise. */
export async function postPacket(receiver: RunningReceiver, p: RawPost): Promise<UploadOutcome> {
  const head = p.head ?? { seq: 1, hash: GENESIS_HASH.replace(/0$/, '1') };
  const anchor = p.anchor ?? null;
  const recordId = p.recordId ?? p.packet.id;
  const signed = signedRequest({ kioskId: p.kiosk.kioskId, recordId, packetSha256: p.packet.sha256, head, anchor });
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    [HEADERS.sha256]: p.packet.sha256,
    [HEADERS.auditHead]: formatAuditPoint(head),
    [HEADERS.auditAnchor]: formatAuditPoint(anchor),
    [HEADERS.signature]: signRequest(signed, p.signWith ?? p.kiosk.keys.privateKey),
  };
  for (const [k, v] of Object.entries(p.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  const transport = pinnedHttpsTransport({ url: new URL(receiver.url), pins: [receiver.pin], timeoutMs: 20_000 });
  return transport.upload({ path: packetPath(p.kioskIdInPath ?? p.kiosk.kioskId, recordId), headers, body: p.body ?? p.packet.sealed });
}
