import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyFileError, readPrivatePem, writePrivatePemExclusive } from '../packet/keyfile';

/**
 * The central receiver's X25519 key pair: the private half opens sealed packets and lives only
 * with the receiver (never on a kiosk); the public half is what a kiosk's
 * `sealing.centralPublicKey` names. `npm run central -- keys init --dir DIR` makes a pair; a
 * province makes theirs on the receiving side and ships only the public PEM to kiosks.
 */

export const CENTRAL_PRIVATE_KEY_FILE = 'central-x25519.pem';
export const CENTRAL_PUBLIC_KEY_FILE = 'central-x25519.pub.pem';

export interface CentralKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly publicKeyPath: string;
}

/** Load the pair in `dir`, making it first if there is none (private 0600, public 0644). */
export async function loadOrCreateCentralKeys(dir: string): Promise<CentralKeys> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privatePath = join(dir, CENTRAL_PRIVATE_KEY_FILE);
  let pem = await readPrivatePem(privatePath);
  if (pem === null) {
    const fresh = generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // Another process may have made it at the same moment: theirs wins.
    pem = (await writePrivatePemExclusive(privatePath, fresh)) ? fresh : await readPrivatePem(privatePath);
    if (pem === null) throw new KeyFileError(`${privatePath} appeared and vanished while creating it; try again.`, privatePath);
  }
  const privateKey = x25519PrivateKey(pem, privatePath);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPath = join(dir, CENTRAL_PUBLIC_KEY_FILE);
  const tmp = `${publicKeyPath}.${process.pid}.tmp`;
  await writeFile(tmp, publicKey.export({ format: 'pem', type: 'spki' }).toString(), { mode: 0o644 });
  await rename(tmp, publicKeyPath);
  return { privateKey, publicKey, publicKeyPath };
}

/**
 * The central private key that `loadOrCreateCentralKeys` (`central keys init`) made in `dir`, never
 * made here: for tools that must open packets sealed to the existing key (`central import`).
 */
export async function loadCentralPrivateKey(dir: string): Promise<KeyObject> {
  const path = join(dir, CENTRAL_PRIVATE_KEY_FILE);
  const pem = await readPrivatePem(path);
  if (pem === null) throw new KeyFileError(`no central private key at ${path}: give the directory \`npm run central -- keys init\` made (the receiver's --dir).`, path);
  return x25519PrivateKey(pem, path);
}

function x25519PrivateKey(pem: string, path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${path} is not a readable PEM private key; move it away and run "central keys init" again.`, path);
  }
  if (key.asymmetricKeyType !== 'x25519') throw new KeyFileError(`${path} is not an X25519 key; move it away and run "central keys init" again.`, path);
  return key;
}
