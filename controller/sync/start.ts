import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { SyncConfig } from '../config/schema';
import type { KioskKeys } from '../packet/keys';
import type { Store } from '../store/store';
import { createSyncLoop, type SyncClock, type SyncLoop } from './loop';
import { loadPins, PinConfigError } from './pinning';
import { retentionMs } from './purge';
import { pinnedHttpsTransport } from './transport';

/**
 * Sync as the kiosk starts it from its config. A sync section that cannot be used (a pinned
 * certificate or ack key that does not load) does not stop the kiosk taking enrollments: they
 * wait in the outbox, and health says why sync is off.
 */

export type SyncSetup = { readonly ok: true; readonly loop: SyncLoop } | { readonly ok: false; readonly problem: string; readonly receiver: string };

export interface SyncSetupDeps {
  readonly store: Store;
  readonly keys: KioskKeys;
  readonly kioskId: string;
  readonly log: Logger;
  readonly softwareVersion: string;
  readonly clock?: SyncClock;
  readonly random?: () => number;
}

export async function setUpSync(config: SyncConfig, deps: SyncSetupDeps): Promise<SyncSetup> {
  // A section without a url is a kit that sends on media only: nothing to start (kiosk.ts checks first).
  if (config.url === undefined) return { ok: false, problem: 'sync.url is not set: this kiosk sends its packets on hand-carried media only', receiver: '' };
  const url = new URL(config.url);
  let pins: string[];
  let ackKey: KeyObject;
  try {
    pins = await loadPins(config);
    ackKey = await loadReceiverAckKey(config.receiverAckPublicKey);
  } catch (err) {
    const problem = err instanceof PinConfigError || err instanceof AckKeyError ? err.message : `sync cannot start: ${String(err)}`;
    deps.log.error({ problem }, 'sync is off: its configuration cannot be used; enrollments wait in the outbox');
    return { ok: false, problem, receiver: url.host };
  }
  const loop = createSyncLoop({
    kioskId: deps.kioskId,
    keys: deps.keys,
    readSealedPacket: (id) => deps.store.readSealedPacket(id),
    outbox: deps.store.outbox,
    transport: pinnedHttpsTransport({ url, pins, timeoutMs: config.requestTimeoutMs }),
    receiverAckKey: ackKey,
    userAgent: `cccd-kiosk/${deps.softwareVersion}`,
    backoff: { initialMs: config.backoffInitialMs, maxMs: config.backoffMaxMs },
    pollMs: config.pollMs,
    retentionMs: retentionMs(config),
    log: deps.log.child({ module: 'sync' }),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  return { ok: true, loop };
}

export class AckKeyError extends Error {
  override readonly name = 'AckKeyError';
}

/**
 * The receiver's Ed25519 ack public key from its PEM file: what sync checks network acks with and
 * `packets import-acks` checks acks from media with. `label` names where the path came from in
 * the message (the config key, or a command-line option).
 */
export async function loadReceiverAckKey(path: string, label = 'sync.receiverAckPublicKey'): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new AckKeyError(`${label}: cannot read ${path} (${err instanceof Error ? err.message : String(err)})`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new AckKeyError(`${label}: ${path} is not a PEM public key (the receiver's receiver-ack-ed25519.pub.pem)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AckKeyError(`${label}: ${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key; acks are signed with Ed25519`);
  return key;
}
