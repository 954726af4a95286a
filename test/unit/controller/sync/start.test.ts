import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncSection } from '../../../../controller/config/schema';
import { loadOrCreateKioskKeys, type KioskKeys } from '../../../../controller/packet/keys';
import { openStore, type Store } from '../../../../controller/store/store';
import { setUpSync } from '../../../../controller/sync/start';
import { loadOrCreateTls } from '../../../../controller/central/receiver-keys';

/** Sync from the kiosk's config: a section that cannot be used turns sync off with a reason, it never stops the kiosk. */

let dir: string;
let store: Store;
let keys: KioskKeys;
let certPath: string;
let pin: string;
let ackPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sync-start-'));
  store = await openStore(path.join(dir, 'kiosk.db'));
  keys = await loadOrCreateKioskKeys(dir);
  const tls = await loadOrCreateTls(path.join(dir, 'central'));
  certPath = tls.certPath;
  pin = tls.pin;
  ackPath = path.join(dir, 'ack.pub.pem');
  await writeFile(ackPath, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
  await writeFile(path.join(dir, 'x25519.pub.pem'), generateKeyPairSync('x25519').publicKey.export({ format: 'pem', type: 'spki' }));
  await writeFile(path.join(dir, 'garbage.pem'), 'not a certificate');
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const setUp = (section: Record<string, unknown>) =>
  setUpSync(syncSection.parse({ url: 'https://central.example.vn:8443', ...section }), { store, keys, kioskId: 'KIOSK-1', log: pino({ level: 'silent' }), softwareVersion: 'test' });

describe('setting up sync from the config', () => {
  it('starts with a pinned certificate and an Ed25519 ack key', async () => {
    const s = await setUp({ pinnedCert: certPath, receiverAckPublicKey: ackPath });
    expect(s.ok && s.loop.status()).toMatchObject({ state: 'stopped', receiver: 'central.example.vn:8443' });
  });

  it('starts with a pin alone', async () => {
    expect((await setUp({ pinnedSpkiSha256: pin, receiverAckPublicKey: ackPath })).ok).toBe(true);
  });

  it.each([
    ['a pinned certificate file that is missing', () => ({ pinnedCert: path.join(dir, 'nope.pem'), receiverAckPublicKey: ackPath }), /sync\.pinnedCert: cannot read/],
    ['a pinned certificate file that holds no certificate', () => ({ pinnedCert: path.join(dir, 'garbage.pem'), receiverAckPublicKey: ackPath }), /sync\.pinnedCert: .* is not a PEM certificate/],
    ['an ack key file that is missing', () => ({ pinnedSpkiSha256: pin, receiverAckPublicKey: path.join(dir, 'nope.pem') }), /sync\.receiverAckPublicKey: cannot read/],
    ['an ack key that is not Ed25519', () => ({ pinnedSpkiSha256: pin, receiverAckPublicKey: path.join(dir, 'x25519.pub.pem') }), /holds a x25519 key; acks are signed with Ed25519/],
    ['an ack key file that holds no key', () => ({ pinnedSpkiSha256: pin, receiverAckPublicKey: path.join(dir, 'garbage.pem') }), /is not a PEM public key/],
  ])('turns sync off, naming the key, for %s', async (_what, section, problem) => {
    const s = await setUp(section());
    expect(s.ok ? 'started' : s.problem).toMatch(problem);
  });
});
