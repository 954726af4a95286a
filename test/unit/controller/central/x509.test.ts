import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../../controller/central/x509';
import { spkiSha256 } from '../../../../controller/sync/pinning';

describe('the receiver certificate', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = selfSignedCertificate({
    privateKey,
    publicKey,
    commonName: 'cccd-kiosk central receiver',
    names: ['central.example.vn', '127.0.0.1', '::1'],
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2055-01-01T00:00:00Z'),
  });

  it('is a well-formed X.509 certificate that OpenSSL reads, self-signed by its key', () => {
    const cert = new X509Certificate(pem);
    expect(cert.subject).toBe('CN=cccd-kiosk central receiver');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.subjectAltName).toBe('DNS:central.example.vn, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(new Date(cert.validFrom).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2055-01-01T00:00:00.000Z'); // GeneralizedTime after 2049
    expect(cert.verify(publicKey)).toBe(true);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(spkiSha256(cert.publicKey)).toBe(spkiSha256(publicKey));
  });

  it('serves HTTPS that a client trusting only this certificate accepts for its names', async () => {
    const server = https.createServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert: pem }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const port = address.port;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port, ca: pem, path: '/' }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('ok');
    } finally {
      server.close();
    }
  });

  it('refuses a key that is not P-256', () => {
    const ed = generateKeyPairSync('ed25519');
    expect(() => selfSignedCertificate({ ...ed, commonName: 'x', names: [], notBefore: new Date(), notAfter: new Date() })).toThrow(/P-256/);
  });
});
