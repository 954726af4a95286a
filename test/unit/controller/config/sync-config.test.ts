import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../../controller/config/load';

/** The `sync` section: optional (sync off when absent), HTTPS only, the receiver pinned. */

const PIN = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';

describe('the sync config section', () => {
  it('is absent by default: sync is off', () => {
    const r = validateConfig({});
    expect(r.ok && r.config.sync).toBeUndefined();
  });

  it('accepts a receiver URL, a pinned certificate and the ack key, with defaults for the rest', () => {
    const r = validateConfig({ sync: { url: 'https://central.example.vn:8443', pinnedCert: '/etc/kiosk/receiver.pem', receiverAckPublicKey: '/etc/kiosk/ack.pub.pem' } });
    expect(r.ok ? r.config.sync : r.errors).toMatchObject({
      url: 'https://central.example.vn:8443',
      pinnedCert: '/etc/kiosk/receiver.pem',
      receiverAckPublicKey: '/etc/kiosk/ack.pub.pem',
      retentionHours: 72,
      requestTimeoutMs: 120_000,
      backoffInitialMs: 5_000,
      backoffMaxMs: 900_000,
      pollMs: 60_000,
    });
  });

  it('accepts a kit on hand-carried media only: the ack key and the retention, no url and no pin', () => {
    const r = validateConfig({ sync: { receiverAckPublicKey: '/etc/kiosk/ack.pub.pem', retentionHours: 24 } });
    expect(r.ok ? r.config.sync : r.errors).toEqual(expect.objectContaining({ receiverAckPublicKey: '/etc/kiosk/ack.pub.pem', retentionHours: 24 }));
    expect(r.ok && r.config.sync?.url).toBeUndefined();
  });

  it('has no retentionDays any more: one retention, in hours, for acks either way', () => {
    const r = validateConfig({ sync: { receiverAckPublicKey: 'a.pem', retentionDays: 7 } });
    expect(r.ok ? 'valid' : r.errors.join('\n')).toMatch(/sync.*retentionDays/);
  });

  it('accepts one SPKI pin or several (a backup key for rotation)', () => {
    for (const pin of [PIN, [PIN, PIN.replace('n4', 'm4')]]) {
      const r = validateConfig({ sync: { url: 'https://10.0.0.5:8443', pinnedSpkiSha256: pin, receiverAckPublicKey: 'ack.pem' } });
      expect(r.ok ? 'valid' : r.errors).toBe('valid');
    }
  });

  it.each([
    ['plain http', { url: 'http://central.example.vn', pinnedCert: 'c.pem', receiverAckPublicKey: 'a.pem' }, /sync\.url.*https/],
    ['no pin at all', { url: 'https://central.example.vn', receiverAckPublicKey: 'a.pem' }, /sync.*pinnedCert or pinnedSpkiSha256/],
    ['a pin that is not a base64 SHA-256', { url: 'https://c.example', pinnedSpkiSha256: 'abc', receiverAckPublicKey: 'a.pem' }, /sync\.pinnedSpkiSha256.*base64/],
    ['no ack key', { url: 'https://c.example', pinnedCert: 'c.pem' }, /sync\.receiverAckPublicKey/],
    ['a negative retention', { url: 'https://c.example', pinnedCert: 'c.pem', receiverAckPublicKey: 'a.pem', retentionHours: -1 }, /sync\.retentionHours/],
    ['a backoff cap below its start', { url: 'https://c.example', pinnedCert: 'c.pem', receiverAckPublicKey: 'a.pem', backoffInitialMs: 10_000, backoffMaxMs: 1_000 }, /sync\.backoffMaxMs/],
    ['an unknown key', { url: 'https://c.example', pinnedCert: 'c.pem', receiverAckPublicKey: 'a.pem', retentionHour: 1 }, /sync.*retentionHour/],
  ])('refuses %s, naming the key', (_what, sync, message) => {
    const r = validateConfig({ sync });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(message);
  });
});
