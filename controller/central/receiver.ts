import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { openFsCentralStore } from './fs-store';
import { createIntake } from './intake';
import { loadOrCreateCentralKeys } from './keys';
import { loadOrCreateAckKey, loadOrCreateTls } from './receiver-keys';
import { KIOSKS_DIR, directoryRegistry } from './registry';
import { createCentralServer } from './server';
import type { CentralStore } from './store';

/**
 * The reference central receiver, assembled from one directory (`npm run central -- serve`,
 * the tests and the benchmark all start it here):
 *
 *   DIR/central-x25519.pem           opens packets (keys init)      DIR/kiosks/<id>.pem   the registry
 *   DIR/receiver-ack-ed25519.pem     signs acks                     DIR/store/            packets, heads, flags
 *   DIR/tls/key.pem, tls/cert.pem    HTTPS, pinned by kiosks
 *
 * Whatever key is missing is made at first start.
 */

export interface ReceiverOptions {
  readonly dir: string;
  readonly port: number;
  readonly host: string;
  readonly log: Logger;
  /** Names for a certificate made at first start (default: this machine and loopback). */
  readonly tlsNames?: readonly string[];
  readonly maxPacketBytes?: number;
  readonly requestTimeoutMs?: number;
  /** Another store than the filesystem one under DIR/store. */
  readonly store?: CentralStore;
  readonly now?: () => Date;
}

export interface RunningReceiver {
  readonly url: string;
  readonly port: number;
  /** What a kiosk's sync config needs. */
  readonly certPath: string;
  readonly pin: string;
  readonly ackPublicKeyPath: string;
  readonly centralPublicKeyPath: string;
  readonly kiosksDir: string;
  readonly store: CentralStore;
  close(): Promise<void>;
}

export async function startReceiver(opts: ReceiverOptions): Promise<RunningReceiver> {
  const dir = resolve(opts.dir);
  const central = await loadOrCreateCentralKeys(dir);
  const ackKey = await loadOrCreateAckKey(dir);
  const tls = await loadOrCreateTls(dir, opts.tlsNames ? { names: opts.tlsNames } : {});
  const store = opts.store ?? openFsCentralStore(join(dir, 'store'));
  const kiosksDir = join(dir, KIOSKS_DIR);
  const intake = createIntake({
    store,
    registry: directoryRegistry(kiosksDir),
    centralPrivateKey: central.privateKey,
    ackKey,
    log: opts.log,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const server = createCentralServer({
    intake,
    tls,
    log: opts.log,
    maxPacketBytes: opts.maxPacketBytes ?? 32 * 1024 * 1024,
    requestTimeoutMs: opts.requestTimeoutMs ?? 300_000,
  });
  const { port, url } = await server.listen(opts.port, opts.host);
  return {
    url,
    port,
    certPath: tls.certPath,
    pin: tls.pin,
    ackPublicKeyPath: ackKey.publicKeyPath,
    centralPublicKeyPath: central.publicKeyPath,
    kiosksDir,
    store,
    close: () => server.close(),
  };
}
