import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyFileError, readPrivatePem, writePrivatePemExclusive } from './keyfile';

export { KeyFileError } from './keyfile';

/** The kiosk's signing identity. The central server knows kiosks by `keyId`. */
export interface KioskKeys {
  readonly privateKey: KeyObject; // Ed25519
  readonly publicKey: KeyObject; // Ed25519
  /** First 16 hex digits of sha256(raw 32-byte public key). */
  readonly keyId: string;
}

export function kioskKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'kiosk-ed25519.pem');
}

/** The 32 raw bytes of an Ed25519 or X25519 public key (RFC 8410), as the wire formats carry it. */
export function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new TypeError(`not an OKP public key (${key.asymmetricKeyType ?? key.type})`);
  return new Uint8Array(Buffer.from(jwk.x, 'base64url'));
}

/** First 16 hex digits of sha256 over the raw public key: short enough for logs, long enough to tell keys apart. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

/**
 * Load the kiosk key, or `null` if this data dir has none yet. Throws KeyFileError if the
 * file's permissions are looser than 0600 or it holds something other than an Ed25519 key.
 */
export async function loadKioskKeys(dataDir: string): Promise<KioskKeys | null> {
  const path = kioskKeyPath(dataDir);
  const pem = await readPrivatePem(path);
  if (pem === null) return null;
  return kioskKeysFromPem(pem, path);
}

/** Load the kiosk key, generating it on first start (`<dataDir>/keys/kiosk-ed25519.pem`, 0600). */
export async function loadOrCreateKioskKeys(dataDir: string): Promise<KioskKeys> {
  const existing = await loadKioskKeys(dataDir);
  if (existing) return existing;
  const path = kioskKeyPath(dataDir);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const wrote = await writePrivatePemExclusive(path, pem);
  // Another process may have created it between our read and our write: theirs wins.
  if (!wrote) {
    const theirs = await loadKioskKeys(dataDir);
    if (theirs) return theirs;
    throw new KeyFileError(`${path} appeared and vanished while creating it; try again.`, path);
  }
  return kioskKeysFromPem(pem, path);
}

function kioskKeysFromPem(pem: string, path: string): KioskKeys {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${path} is not a readable PEM private key; move it away and run "keys init".`, path);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new KeyFileError(
      `${path} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519; move it away and run "keys init".`,
      path,
    );
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** The central server's X25519 public key (SPKI PEM), as named in config. */
export async function loadCentralPublicKey(pemPath: string): Promise<KeyObject> {
  const pem = await readFile(pemPath, 'utf8');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${pemPath} is not a PEM public key (expected the central server's X25519 SPKI PEM).`, pemPath);
  }
  if (key.asymmetricKeyType !== 'x25519') {
    throw new KeyFileError(
      `${pemPath} holds a ${key.asymmetricKeyType ?? 'unknown'} key; packets are sealed to an X25519 key.`,
      pemPath,
    );
  }
  return key;
}

