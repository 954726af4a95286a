import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KeyFileError,
  keyIdOf,
  kioskKeyPath,
  loadCentralPublicKey,
  loadKioskKeys,
  loadOrCreateKioskKeys,
} from '../../../../controller/packet/keys';
import { CENTRAL_PRIVATE_KEY_FILE, loadOrCreateCentralKeys } from '../../../../controller/central/keys';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-keys-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('kiosk keys', () => {
  it('are created on first use as an Ed25519 PKCS8 PEM readable only by the owner', async () => {
    const keys = await loadOrCreateKioskKeys(dataDir);
    const file = await stat(kioskKeyPath(dataDir));
    const dir = await stat(join(dataDir, 'keys'));
    expect(file.mode & 0o777).toBe(0o600);
    expect(dir.mode & 0o777).toBe(0o700);
    expect(keys.privateKey.asymmetricKeyType).toBe('ed25519');
    expect(keys.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(keys.keyId).toBe(keyIdOf(keys.publicKey));
    // no temporary file is left next to the key
    expect(await readdir(join(dataDir, 'keys'))).toEqual(['kiosk-ed25519.pem']);
  });

  it('are loaded, not regenerated, on later calls', async () => {
    const first = await loadOrCreateKioskKeys(dataDir);
    const second = await loadOrCreateKioskKeys(dataDir);
    expect(second.keyId).toBe(first.keyId);
    expect(second.publicKey.export({ format: 'pem', type: 'spki' })).toBe(first.publicKey.export({ format: 'pem', type: 'spki' }));
    const message = Buffer.from('enrollment');
    expect(verify(null, message, first.publicKey, sign(null, message, second.privateKey))).toBe(true);
  });

  it('concurrent first starts agree on one key', async () => {
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateKioskKeys(dataDir)));
    expect(new Set(all.map((k) => k.keyId)).size).toBe(1);
  });

  it('are refused, with the chmod that fixes it, when the file is readable by others', async () => {
    await loadOrCreateKioskKeys(dataDir);
    const path = kioskKeyPath(dataDir);
    await chmod(path, 0o644);
    const error = await loadOrCreateKioskKeys(dataDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyFileError);
    expect(String(error)).toContain(`chmod 600 ${path}`);
    expect(String(error)).toContain('644');
    await chmod(path, 0o640);
    await expect(loadKioskKeys(dataDir)).rejects.toThrow(/mode 640/);
  });

  it('reports absence as null rather than creating anything', async () => {
    expect(await loadKioskKeys(dataDir)).toBeNull();
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('refuse a file that holds some other kind of key', async () => {
    const { privateKey } = generateKeyPairSync('x25519');
    await loadOrCreateKioskKeys(dataDir);
    await writeFile(kioskKeyPath(dataDir), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    await expect(loadKioskKeys(dataDir)).rejects.toThrow(/not Ed25519/);
  });
});

describe('central keys', () => {
  it('load an X25519 public key from PEM and refuse an Ed25519 one', async () => {
    const x = generateKeyPairSync('x25519').publicKey;
    const ed = generateKeyPairSync('ed25519').publicKey;
    await writeFile(join(dataDir, 'x.pem'), x.export({ format: 'pem', type: 'spki' }));
    await writeFile(join(dataDir, 'ed.pem'), ed.export({ format: 'pem', type: 'spki' }));
    expect(keyIdOf(await loadCentralPublicKey(join(dataDir, 'x.pem')))).toBe(keyIdOf(x));
    await expect(loadCentralPublicKey(join(dataDir, 'ed.pem'))).rejects.toThrow(/X25519/);
  });

  it("central keys are made once by the receiver's tool, private half 0600, and match their public PEM", async () => {
    const dir = join(dataDir, 'central');
    const a = await loadOrCreateCentralKeys(dir);
    const b = await loadOrCreateCentralKeys(dir);
    expect(keyIdOf(b.publicKey)).toBe(keyIdOf(a.publicKey));
    expect(keyIdOf(createPublicKey(a.privateKey))).toBe(keyIdOf(a.publicKey));
    expect((await stat(join(dir, CENTRAL_PRIVATE_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(keyIdOf(await loadCentralPublicKey(a.publicKeyPath))).toBe(keyIdOf(a.publicKey));
  });

});
