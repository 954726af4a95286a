import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/**
 * The receiver is trusted by its key, not by a CA: the kiosk holds the SHA-256 of the receiver
 * certificate's SubjectPublicKeyInfo (HPKP's `pin-sha256`, what `curl --pinnedpubkey` takes) and
 * talks to nothing else. A TLS handshake proves the server holds that key's private half, so the
 * pin alone is enough, whatever names or dates the certificate carries; re-issuing the
 * certificate on the same key keeps every kiosk's pin.
 *
 * The same pin from a shell:
 *   openssl x509 -in cert.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
 */

export function spkiSha256(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

export class PinConfigError extends Error {
  override readonly name = 'PinConfigError';
}

/** The pins a kiosk accepts: its pinnedCert's key, and any pinnedSpkiSha256. */
export async function loadPins(config: { readonly pinnedCert?: string | undefined; readonly pinnedSpkiSha256?: string | readonly string[] | undefined }): Promise<string[]> {
  const pins: string[] = [];
  if (config.pinnedCert !== undefined) {
    let pem: string;
    try {
      pem = await readFile(config.pinnedCert, 'utf8');
    } catch (err) {
      throw new PinConfigError(`sync.pinnedCert: cannot read ${config.pinnedCert} (${err instanceof Error ? err.message : String(err)})`);
    }
    try {
      pins.push(spkiSha256(new X509Certificate(pem).publicKey));
    } catch {
      throw new PinConfigError(`sync.pinnedCert: ${config.pinnedCert} is not a PEM certificate (the receiver's tls-cert.pem)`);
    }
  }
  const given = config.pinnedSpkiSha256;
  if (typeof given === 'string') pins.push(given);
  else if (given !== undefined) pins.push(...given);
  return pins;
}
