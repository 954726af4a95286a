import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { KeyFileError, ensurePrivateDir, readPrivatePem, writePrivatePemExclusive } from '../packet/keyfile';
import { keyIdOf } from '../packet/keys';
import { spkiSha256 } from '../sync/pinning';
import { selfSignedCertificate } from './x509';

/**
 * The receiver's two other keys, beside the X25519 pair that opens packets (keys.ts):
 *  - its Ed25519 acknowledgement key: what every ack is signed with, and what kiosks hold as
 *    `sync.receiverAckPublicKey`;
 *  - its TLS key (ECDSA P-256) and a self-signed certificate for it, which kiosks pin
 *    (`sync.pinnedCert`, or `sync.pinnedSpkiSha256`).
 * Private halves are 0600 files made once (keyfile.ts); at a province they live in an HSM.
 */

export const ACK_PRIVATE_KEY_FILE = 'receiver-ack-ed25519.pem';
export const ACK_PUBLIC_KEY_FILE = 'receiver-ack-ed25519.pub.pem';
export const TLS_DIR = 'tls';
export const TLS_KEY_FILE = 'key.pem';
export const TLS_CERT_FILE = 'cert.pem';

export interface AckKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly publicKeyPath: string;
}

export async function loadOrCreateAckKey(dir: string): Promise<AckKey> {
  const privatePath = join(dir, ACK_PRIVATE_KEY_FILE);
  const pem = await loadOrCreatePrivatePem(privatePath, () => generateKeyPairSync('ed25519').privateKey);
  const privateKey = parsePrivate(pem, privatePath, 'ed25519');
  const publicKey = createPublicKey(privateKey);
  const publicKeyPath = join(dir, ACK_PUBLIC_KEY_FILE);
  await writePublic(publicKeyPath, publicKey.export({ format: 'pem', type: 'spki' }).toString());
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPath };
}

export interface ReceiverTls {
  readonly key: string;
  readonly cert: string;
  readonly certPath: string;
  /** What kiosks put in sync.pinnedSpkiSha256. */
  readonly pin: string;
  readonly names: readonly string[];
}

/** The names a certificate is made for when none are given: this machine, by name and loopback. */
export function defaultTlsNames(): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', os.hostname()])];
}

/**
 * Load the TLS key and certificate in `<dir>/tls`, making what is missing. Given `names` that the
 * certificate does not carry, a new certificate is issued on the same key: the pin stays.
 */
export async function loadOrCreateTls(dir: string, opts: { readonly names?: readonly string[]; readonly now?: Date } = {}): Promise<ReceiverTls> {
  const tlsDir = join(dir, TLS_DIR);
  await ensurePrivateDir(tlsDir);
  const keyPath = join(tlsDir, TLS_KEY_FILE);
  const key = await loadOrCreatePrivatePem(keyPath, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const privateKey = parsePrivate(key, keyPath, 'ec');
  const publicKey = createPublicKey(privateKey);
  const certPath = join(tlsDir, TLS_CERT_FILE);
  const existing = await readFile(certPath, 'utf8').catch(() => null);
  const wanted = opts.names ?? null;
  let cert = existing;
  let names: readonly string[] = [];
  if (existing !== null) {
    const parsed = new X509Certificate(existing);
    names = sanNames(parsed);
    const sameKey = parsed.checkPrivateKey(privateKey);
    const covers = wanted === null || wanted.every((n) => names.includes(n));
    if (!sameKey || !covers) cert = null;
  }
  if (cert === null) {
    names = wanted ?? defaultTlsNames();
    const now = opts.now ?? new Date();
    cert = selfSignedCertificate({
      privateKey,
      publicKey,
      commonName: 'cccd-kiosk central receiver',
      names,
      notBefore: new Date(now.getTime() - 60 * 60 * 1000),
      // Kiosks trust the key, not the dates; a long life spares re-issuing for nothing.
      notAfter: new Date(now.getTime() + 10 * 365 * 24 * 60 * 60 * 1000),
    });
    await writePublic(certPath, cert);
  }
  return { key, cert, certPath, pin: spkiSha256(publicKey), names };
}

function sanNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? '')
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .map((name) => (name === '0:0:0:0:0:0:0:1' ? '::1' : name))
    .filter((name) => name !== '');
}

async function loadOrCreatePrivatePem(path: string, make: () => KeyObject): Promise<string> {
  const existing = await readPrivatePem(path);
  if (existing !== null) return existing;
  const fresh = make().export({ format: 'pem', type: 'pkcs8' }).toString();
  // Another process may have made it at the same moment: theirs wins.
  if (await writePrivatePemExclusive(path, fresh)) return fresh;
  const theirs = await readPrivatePem(path);
  if (theirs === null) throw new KeyFileError(`${path} appeared and vanished while creating it; try again.`, path);
  return theirs;
}

function parsePrivate(pem: string, path: string, type: 'ed25519' | 'ec'): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyFileError(`${path} is not a readable PEM private key; move it away and start again.`, path);
  }
  if (key.asymmetricKeyType !== type) throw new KeyFileError(`${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key, expected ${type}; move it away and start again.`, path);
  return key;
}

async function writePublic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, path);
}
