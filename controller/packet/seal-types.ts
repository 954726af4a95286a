/** What sealing and opening share (seal.ts, legacy-seal.ts): the AEADs a kiosk may choose, and open's answers. */

export type Aead = 'aes-256-gcm' | 'chacha20-poly1305';
export const AEADS: readonly Aead[] = ['aes-256-gcm', 'chacha20-poly1305'];

export type OpenError =
  | 'bad-magic'
  | 'truncated'
  | 'unsupported-version'
  /** A KEM, KDF or AEAD the format does not use. */
  | 'unsupported-aead'
  /** Sealed to another central key (a rotated key, or the wrong environment). */
  | 'wrong-recipient'
  /** The tag did not verify: tampered, corrupted, or not for this key. */
  | 'decrypt-failed';

export type OpenResult =
  | { readonly ok: true; readonly inner: Uint8Array; readonly aead: Aead }
  | { readonly ok: false; readonly error: OpenError };
