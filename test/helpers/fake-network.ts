import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { openFsCentralStore } from '../../controller/central/fs-store';
import { createIntake, type Intake } from '../../controller/central/intake';
import { loadOrCreateCentralKeys, type CentralKeys } from '../../controller/central/keys';
import { loadOrCreateAckKey, type AckKey } from '../../controller/central/receiver-keys';
import type { CentralStore } from '../../controller/central/store';
import type { KioskKeys } from '../../controller/packet/keys';
import { HEADERS, PACKET_PATH } from '../../controller/sync/protocol';
import type { SyncTransport, UploadOutcome, UploadRequest } from '../../controller/sync/transport';

/**
 * The network, faked at its seam (test/README.md: only what we don't own): requests reach the
 * real receiver intake (controller/central/intake.ts) by a function call instead of HTTPS, and
 * the test scripts what the "network" does to each one.
 */

export type NetworkFault =
  /** Delivered, answered. */
  | 'deliver'
  /** The receiver answers 503 without looking at the packet. */
  | '5xx'
  /** Nothing comes back in time; the packet never reached the receiver. */
  | 'timeout'
  /** The connection closes mid-upload: the receiver never got the whole packet. */
  | 'cut-mid-upload'
  /** The receiver stored it, but the reply is lost. */
  | 'lost-reply'
  /** The receiver stored it, and the ack arrives with a broken signature. */
  | 'bad-ack'
  /** Someone else's certificate: nothing sent. */
  | 'pin-mismatch';

export interface FakeNetwork extends SyncTransport {
  /** Faults for the next requests, in order; after them every request is delivered. */
  script(...faults: NetworkFault[]): void;
  /** Every request, with what the network did to it. */
  readonly calls: Array<{ readonly recordId: string; readonly fault: NetworkFault }>;
  readonly central: CentralKeys;
  readonly ackKey: AckKey;
  readonly store: CentralStore;
  readonly intake: Intake;
  /** Make a kiosk known to the receiver (its registry). */
  register(kioskId: string, keys: KioskKeys): void;
  /** Stored packets by record id, as many times as each was stored. */
  storedIds(): Promise<string[]>;
  dispose(): Promise<void>;
}

export async function fakeNetwork(opts: { readonly now?: () => Date } = {}): Promise<FakeNetwork> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fake-central-'));
  const central = await loadOrCreateCentralKeys(dir);
  const ackKey = await loadOrCreateAckKey(dir);
  const store = openFsCentralStore(path.join(dir, 'store'));
  const registered = new Map<string, KeyObject>();
  const intake = createIntake({
    store,
    registry: { publicKey: async (id) => registered.get(id) ?? null },
    centralPrivateKey: central.privateKey,
    ackKey,
    log: pino({ level: 'silent' }),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const queue: NetworkFault[] = [];
  const calls: Array<{ recordId: string; fault: NetworkFault }> = [];

  const deliver = async (req: UploadRequest): Promise<{ status: number; json: unknown }> => {
    const m = PACKET_PATH.exec(req.path);
    if (!m?.[1] || !m[2]) return { status: 404, json: { error: 'malformed', reason: 'bad path' } };
    const reply = await intake.handle({
      kioskId: m[1],
      recordId: m[2],
      declaredSha256: req.headers[HEADERS.sha256],
      auditHead: req.headers[HEADERS.auditHead],
      auditAnchor: req.headers[HEADERS.auditAnchor],
      signature: req.headers[HEADERS.signature],
      body: Uint8Array.from(req.body),
    });
    // Through JSON, as over the wire.
    return { status: reply.status, json: JSON.parse(JSON.stringify(reply.body)) };
  };

  const network: FakeNetwork = {
    receiver: 'fake-central:8443',
    calls,
    central,
    ackKey,
    store,
    intake,
    script: (...faults) => queue.push(...faults),
    register: (kioskId, keys) => registered.set(kioskId, keys.publicKey),
    async upload(req): Promise<UploadOutcome> {
      if (req.signal?.aborted) return { kind: 'failed', error: 'aborted', detail: 'stopped', uploaded: false };
      const fault = queue.shift() ?? 'deliver';
      calls.push({ recordId: PACKET_PATH.exec(req.path)?.[2] ?? '?', fault });
      switch (fault) {
        case 'deliver': {
          const r = await deliver(req);
          return { kind: 'reply', ...r, uploaded: true };
        }
        case '5xx':
          return { kind: 'reply', status: 503, json: { error: 'unavailable', reason: 'maintenance' }, uploaded: true };
        case 'timeout':
          return { kind: 'failed', error: 'timeout', detail: 'no complete reply from fake-central:8443 within 1000 ms', uploaded: false };
        case 'cut-mid-upload':
          return { kind: 'failed', error: 'connection', detail: 'fake-central:8443 closed the connection before replying (ECONNRESET)', uploaded: false };
        case 'lost-reply':
          await deliver(req);
          return { kind: 'failed', error: 'connection', detail: 'fake-central:8443 closed the connection mid-reply', uploaded: true };
        case 'bad-ack': {
          const r = await deliver(req);
          const json = r.json !== null && typeof r.json === 'object' && 'signature' in r.json ? { ...r.json, signature: Buffer.alloc(64, 7).toString('base64') } : r.json;
          return { kind: 'reply', status: r.status, json, uploaded: true };
        }
        case 'pin-mismatch':
          return { kind: 'failed', error: 'pin-mismatch', detail: 'the receiver at fake-central:8443 showed a certificate whose key is not the pinned one; nothing was sent', uploaded: false };
      }
    },
    async storedIds() {
      const ids: string[] = [];
      for await (const m of store.list()) ids.push(m.recordId);
      return ids;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
  return network;
}
