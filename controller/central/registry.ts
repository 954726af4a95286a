import { createPublicKey, type KeyObject } from 'node:crypto';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The kiosks a receiver knows: kiosk id → the Ed25519 public key that signs its packets (what
 * `npm run kiosk -- keys show` prints). A packet signed by any other key is foreign.
 *
 * The reference registry is a directory of `<kioskId>.pem` files, read at each lookup so that
 * registering a kiosk needs no restart. A province keeps this in its device register.
 */
export interface KioskRegistry {
  /** The kiosk's key, or null when this receiver does not know the kiosk. */
  publicKey(kioskId: string): Promise<KeyObject | null>;
}

export const KIOSKS_DIR = 'kiosks';
const KIOSK_ID = /^[A-Za-z0-9-]{3,32}$/;

export function directoryRegistry(dir: string): KioskRegistry {
  return {
    async publicKey(kioskId) {
      if (!KIOSK_ID.test(kioskId)) return null;
      let pem: string;
      try {
        pem = await readFile(join(dir, `${kioskId}.pem`), 'utf8');
      } catch {
        return null;
      }
      const key = parseEd25519(pem);
      if (key === null) throw new Error(`${join(dir, `${kioskId}.pem`)} is not an Ed25519 public key PEM; fix the registry`);
      return key;
    },
  };
}

/** Register a kiosk: copy its public key PEM into the registry, after checking it is one. */
export async function registerKiosk(dir: string, kioskId: string, publicKeyFile: string): Promise<KeyObject> {
  if (!KIOSK_ID.test(kioskId)) throw new Error(`"${kioskId}" is not a kiosk id (letters, digits and dashes, 3–32 characters)`);
  const key = parseEd25519(await readFile(publicKeyFile, 'utf8'));
  if (key === null) throw new Error(`${publicKeyFile} holds no Ed25519 public key (use the PEM that "npm run kiosk -- keys show" prints)`);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const target = join(dir, `${kioskId}.pem`);
  const tmp = `${target}.${process.pid}.tmp`;
  await copyFile(publicKeyFile, tmp);
  await rename(tmp, target);
  return key;
}

/** The public key in a PEM text (a bare SPKI, or the output of `keys show` around it). */
function parseEd25519(text: string): KeyObject | null {
  const block = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/.exec(text)?.[0];
  if (block === undefined) return null;
  try {
    const key = createPublicKey({ key: block, format: 'pem' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}
