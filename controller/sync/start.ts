import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { SyncConfig } from '../config/schema';
import type { KioskKeys } from '../packet/keys';
import type { Store } from '../store/store';
import { createSyncLoop, type SyncClock, type SyncLoop } from './loop';
import { loadPins, PinConfigError } from './pinning';
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
  const url = new URL(config.url);
  let pins: string[];
  let ackKey: KeyObject;
  try {
    pins = await loadPins(config);
    ackKey = await loadAckKey(config.receiverAckPublicKey);
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
    retentionMs: config.retentionHours * 60 * 60 * 1000,
    log: deps.log.child({ module: 'sync' }),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.random ? { random: deps.random } : {}),
  });
  return { ok: true, loop };
}

class AckKeyError extends Error {
  override readonly name = 'AckKeyError';
}

async function loadAckKey(path: string): Promise<KeyObject> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new AckKeyError(`sync.receiverAckPublicKey: cannot read ${path} (${err instanceof Error ? err.message : String(err)})`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new AckKeyError(`sync.receiverAckPublicKey: ${path} is not a PEM public key (the receiver's receiver-ack-ed25519.pub.pem)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AckKeyError(`sync.receiverAckPublicKey: ${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key; acks are signed with Ed25519`);
  return key;
}
