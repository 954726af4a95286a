import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyFileError, readPrivatePem, writePrivatePemExclusive } from '../packet/keyfile';
import { keyIdOf } from '../packet/keys';
import { CENTRAL_PRIVATE_KEY_FILE } from './keys';

/**
 * The receiver's keys as the media import uses them (docs/media-export.md): the central X25519
 * private key that opens packets (made by `central keys init`, never made here: a new one could
 * open nothing), the receiver's Ed25519 ack key that signs acknowledgements (made on first use,
 * its public half written beside it for kiosks' `sync.receiverAckPublicKey`), and the registry of
 * kiosk signing keys.
 */

export const RECEIVER_ACK_PRIVATE_KEY_FILE = 'receiver-ack-ed25519.pem';
export const RECEIVER_ACK_PUBLIC_KEY_FILE = 'receiver-ack-ed25519.pub.pem';

export interface ReceiverAckKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  /** Give this file to kiosks (sync.receiverAckPublicKey, or packets import-acks --receiver-key). */
  readonly publicKeyPath: string;
}

export async function loadOrCreateReceiverAckKey(dir: string): Promise<ReceiverAckKey> {
  const privatePath = join(dir, RECEIVER_ACK_PRIVATE_KEY_FILE);
  let pem = await readPrivatePem(privatePath);
  if (pem === null) {
    const fresh = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    pem = (await writePrivatePemExclusive(privatePath, fresh)) ? fresh : await readPrivatePem(privatePath);
    if (pem === null) throw new KeyFileError(`${privatePath} appeared and vanished while creating it; try again.`, privatePath);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${privatePath} is not a readable PEM private key; move it away to make a new ack key.`, privatePath);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${privatePath} is not an Ed25519 key.`, privatePath);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPath = join(dir, RECEIVER_ACK_PUBLIC_KEY_FILE);
  const tmp = `${publicKeyPath}.${process.pid}.tmp`;
  await writeFile(tmp, publicKey.export({ format: 'pem', type: 'spki' }).toString(), { mode: 0o644 });
  await rename(tmp, publicKeyPath);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPath };
}

/** The central private key made by `central keys init --dir DIR`; an error saying so if there is none. */
export async function loadCentralPrivateKey(dir: string): Promise<KeyObject> {
  const path = join(dir, CENTRAL_PRIVATE_KEY_FILE);
  const pem = await readPrivatePem(path);
  if (pem === null) throw new KeyFileError(`no central private key at ${path}: --keys must be the directory \`npm run central -- keys init\` made.`, path);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${path} is not a readable PEM private key.`, path);
  }
  if (key.asymmetricKeyType !== 'x25519') throw new KeyFileError(`${path} is not an X25519 key.`, path);
  return key;
}

export interface KnownKiosk {
  readonly kioskId: string;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/**
 * The kiosks this receiver takes packets from: a directory of their Ed25519 public keys, one PEM
 * per kiosk named `<kioskId>.pem` (what `npm run kiosk -- keys show` prints). A packet signed by
 * any other key is foreign and refused.
 */
export async function loadKioskRegistry(dir: string): Promise<Map<string, KnownKiosk>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new Error(`cannot read the kiosk registry ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const byKeyId = new Map<string, KnownKiosk>();
  for (const name of names.filter((n) => n.endsWith('.pem')).sort()) {
    const kioskId = name.replace(/(\.pub)?\.pem$/, '');
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: await readFile(join(dir, name), 'utf8'), format: 'pem' });
    } catch {
      throw new Error(`${join(dir, name)} is not a PEM public key (a kiosk's key, as \`npm run kiosk -- keys show\` prints it)`);
    }
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`${join(dir, name)} is not an Ed25519 key (a kiosk signs with Ed25519)`);
    const keyId = keyIdOf(publicKey);
    byKeyId.set(keyId, { kioskId, publicKey, keyId });
  }
  return byKeyId;
}
