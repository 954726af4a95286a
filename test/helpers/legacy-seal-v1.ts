import { createCipheriv, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { keyIdOf, rawPublicKey } from '../../controller/packet/keys';
import type { Aead } from '../../controller/packet/seal-types';

/**
 * Seals in format 1 ("CCCDSEAL1"), as kiosks did before HPKE (controller/packet/legacy-seal.ts
 * documents the layout): only to test that such packets still open.
 */
export function sealV1(inner: Uint8Array, centralPublicKey: KeyObject, aead: Aead): Uint8Array {
  const eph = generateKeyPairSync('x25519');
  const ephPub = rawPublicKey(eph.publicKey);
  const recipientPub = rawPublicKey(centralPublicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: centralPublicKey });
  const salt = Buffer.concat([ephPub, recipientPub]);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, new TextEncoder().encode('cccd-kiosk packet v1'), 32));
  const nonce = randomBytes(12);
  const name = new TextEncoder().encode(aead);
  const header = Buffer.concat([new TextEncoder().encode('CCCDSEAL1'), Uint8Array.of(1, name.length), name, ephPub, nonce, Buffer.from(keyIdOf(centralPublicKey), 'hex')]);
  const cipher = aead === 'aes-256-gcm' ? createCipheriv(aead, key, nonce, { authTagLength: 16 }) : createCipheriv(aead, key, nonce, { authTagLength: 16 });
  cipher.setAAD(header, { plaintextLength: inner.length });
  return new Uint8Array(Buffer.concat([header, cipher.update(inner), cipher.final(), cipher.getAuthTag()]));
}
