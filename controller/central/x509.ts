import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * A self-signed X.509 v3 certificate (RFC 5280) for the reference receiver's HTTPS, made with
 * node:crypto alone: Node can sign but has no certificate builder, and the receiver should not
 * need `openssl` on the PATH or a new dependency for one DER structure.
 *
 * Kiosks do not trust it through a CA: they pin its public key (controller/sync/pinning.ts), so
 * what matters is that it is well-formed for any TLS stack (ECDSA P-256, SHA-256, the names in
 * subjectAltName, serverAuth) and that its key is the receiver's.
 */

export interface CertificateRequest {
  /** ECDSA P-256 key pair: the certificate's key, and the one that signs it. */
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly commonName: string;
  /** DNS names and IP addresses the receiver answers on (subjectAltName). */
  readonly names: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** The certificate as PEM. Throws on a key that is not P-256 (a programming error). */
export function selfSignedCertificate(req: CertificateRequest): string {
  if (req.privateKey.asymmetricKeyType !== 'ec' || req.privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('the receiver TLS key must be ECDSA P-256');
  }
  const algorithm = seq(oid(ECDSA_WITH_SHA256));
  const name = seq(set(seq(oid(COMMON_NAME), utf8(req.commonName))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // positive, as RFC 5280 §4.1.2.2 requires
  const tbs = seq(
    explicit(0, integer(Uint8Array.of(2))), // v3
    integer(serial),
    algorithm,
    name,
    seq(time(req.notBefore), time(req.notAfter)),
    name,
    new Uint8Array(req.publicKey.export({ type: 'spki', format: 'der' })),
    explicit(
      3,
      seq(
        extension(BASIC_CONSTRAINTS, true, seq()), // not a CA
        extension(KEY_USAGE, true, bitString(Uint8Array.of(0x80), 7)), // digitalSignature
        extension(EXT_KEY_USAGE, false, seq(oid(SERVER_AUTH))),
        extension(SUBJECT_ALT_NAME, false, seq(...req.names.map(generalName))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: req.privateKey, dsaEncoding: 'der' });
  const der = seq(tbs, algorithm, bitString(new Uint8Array(signature), 0));
  const body = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';
const EXT_KEY_USAGE = '2.5.29.37';
const SUBJECT_ALT_NAME = '2.5.29.17';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

// --- DER, just the parts a certificate needs (X.690) ---

function tlv(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  const length = n < 0x80 ? Uint8Array.of(n) : lengthBytes(n);
  const out = new Uint8Array(1 + length.length + n);
  out[0] = tag;
  out.set(length, 1);
  out.set(value, 1 + length.length);
  return out;
}

function lengthBytes(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, concat(parts));
const set = (...parts: Uint8Array[]): Uint8Array => tlv(0x31, concat(parts));
const explicit = (n: number, inner: Uint8Array): Uint8Array => tlv(0xa0 + n, inner);
const utf8 = (s: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(s));
const octets = (b: Uint8Array): Uint8Array => tlv(0x04, b);
const bitString = (b: Uint8Array, unusedBits: number): Uint8Array => tlv(0x03, concat([Uint8Array.of(unusedBits), b]));

function integer(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, ((trimmed[0] ?? 0) & 0x80) !== 0 ? concat([Uint8Array.of(0), trimmed]) : trimmed);
}

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const [a = 0, b = 0, ...rest] = arcs;
  const out: number[] = [a * 40 + b];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
function time(d: Date): Uint8Array {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = d.getUTCFullYear();
  return year < 2050 ? tlv(0x17, new TextEncoder().encode(digits.slice(2))) : tlv(0x18, new TextEncoder().encode(digits));
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), tlv(0x01, Uint8Array.of(0xff)), octets(value)) : seq(oid(id), octets(value));
}

/** dNSName [2] or iPAddress [7], both IMPLICIT. */
function generalName(name: string): Uint8Array {
  const family = isIP(name);
  if (family === 4) return tlv(0x87, Uint8Array.from(name.split('.').map(Number)));
  if (family === 6) return tlv(0x87, ipv6Bytes(name));
  return tlv(0x82, new TextEncoder().encode(name));
}

function ipv6Bytes(address: string): Uint8Array {
  if (address.includes('.')) throw new TypeError(`write ${address} as plain IPv6 or IPv4, not IPv4-in-IPv6`);
  const [head = '', tail = ''] = address.includes('::') ? address.split('::') : [address, ''];
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = groups(head);
  const t = groups(tail);
  const all = [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
