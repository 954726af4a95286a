import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syncSection } from '../../../controller/config/schema';
import { loadCentralPublicKey } from '../../../controller/packet/keys';
import { openStore } from '../../../controller/store/store';
import { spkiSha256 } from '../../../controller/sync/pinning';
import { setUpSync } from '../../../controller/sync/start';
import { makeTestKiosk, sealedPacket, type TestKiosk } from '../../helpers/test-receiver';
import { waitFor, waitForValue } from '../../helpers/wait-for';

/** `npm run central -- …` as a real process: what an operator at the centre runs. */

let dir: string;
let kiosk: TestKiosk;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'central-cli-'));
  kiosk = await makeTestKiosk('KIOSK-045-0007');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(kiosk.dataDir, { recursive: true, force: true });
});

function central(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'controller/central/main.ts', ...args], { env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

describe('npm run central', () => {
  it('keys init makes the centre key pair and prints the public key for kiosks, as before', async () => {
    const p = central(['keys', 'init', '--dir', dir]);
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain(`central public key: ${path.join(dir, 'central-x25519.pub.pem')}`);
    expect((await stat(path.join(dir, 'central-x25519.pem'))).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('tls init makes a key and a certificate for the names given, prints the pin, and keeps the pin when re-issued', async () => {
    const first = central(['tls', 'init', '--dir', dir, '--host', '127.0.0.1', '--host', 'central.example.vn']);
    expect(await first.exited).toBe(0);
    const pin = /pin \(sync\.pinnedSpkiSha256\): (\S+)/.exec(first.out())?.[1];
    const cert = new X509Certificate(await readFile(path.join(dir, 'tls', 'cert.pem'), 'utf8'));
    expect(pin).toBe(spkiSha256(cert.publicKey));
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, DNS:central.example.vn');
    expect((await stat(path.join(dir, 'tls', 'key.pem'))).mode & 0o777).toBe(0o600);
    const again = central(['tls', 'init', '--dir', dir, '--host', '127.0.0.1', '--host', 'kiosk-gw.example.vn']);
    expect(await again.exited).toBe(0);
    expect(again.out()).toContain(`pin (sync.pinnedSpkiSha256): ${pin}`);
    expect(new X509Certificate(await readFile(path.join(dir, 'tls', 'cert.pem'), 'utf8')).subjectAltName).toContain('DNS:kiosk-gw.example.vn');
  }, 60_000);

  it('kiosks add registers a kiosk from the key its "keys show" prints, and refuses a key that is not one', async () => {
    const shown = path.join(dir, 'kiosk-shown.txt');
    await writeFile(shown, `key id: ${kiosk.keys.keyId}\n${kiosk.keys.publicKey.export({ format: 'pem', type: 'spki' }).toString()}`);
    const p = central(['kiosks', 'add', '--dir', dir, '--kiosk-id', kiosk.kioskId, '--public-key', shown]);
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain(`kiosk ${kiosk.kioskId} registered`);
    const bad = central(['kiosks', 'add', '--dir', dir, '--kiosk-id', 'KIOSK-2', '--public-key', path.join(dir, 'central-x25519.pub.pem')]);
    expect(await bad.exited).toBe(1);
    expect(bad.err()).toMatch(/holds no Ed25519 public key/);
  }, 60_000);

  it('serve receives what a kiosk syncs, answers with acks the kiosk verifies, and stops on SIGTERM', async () => {
    const p = central(['serve', '--dir', dir, '--port', '0']);
    const url = await waitForValue(() => /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1], { what: 'the receiver URL', timeoutMs: 60_000 });
    const ackKey = /sync\.receiverAckPublicKey (\S+)/.exec(p.out())?.[1];
    const pin = /sync\.pinnedSpkiSha256\s+(\S+)/.exec(p.out())?.[1];
    expect(ackKey).toBe(path.join(dir, 'receiver-ack-ed25519.pub.pem'));
    // The certificate tls init made is served as it was, names and all.
    expect(new X509Certificate(await readFile(path.join(dir, 'tls', 'cert.pem'), 'utf8')).subjectAltName).toBe('IP Address:127.0.0.1, DNS:kiosk-gw.example.vn');
    const store = await openStore(path.join(kiosk.dataDir, 'kiosk.db'));
    try {
      const centralKey = await loadCentralPublicKey(path.join(dir, 'central-x25519.pub.pem'));
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const packet = await sealedPacket(kiosk, centralKey);
        await store.commitEnrollment({ id: packet.id, trackingCode: `TC-${i}`, sealed: packet.sealed, auditDetail: {} });
        ids.push(packet.id);
      }
      const setup = await setUpSync(syncSection.parse({ url, pinnedSpkiSha256: pin, receiverAckPublicKey: ackKey, backoffInitialMs: 50 }), {
        store,
        keys: kiosk.keys,
        kioskId: kiosk.kioskId,
        log: pino({ level: 'silent' }),
        softwareVersion: 'test',
      });
      if (!setup.ok) throw new Error(setup.problem);
      await setup.loop.runOnce();
      expect((await store.outbox.list()).map((x) => x.state)).toEqual(['acked', 'acked']);
      for (const id of ids) expect((await stat(path.join(dir, 'store', 'packets', id.slice(0, 2), `${id}.json`))).isFile()).toBe(true);
    } finally {
      await store.close();
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 120_000);

  it('serve refuses bad options with exit 2 and the usage', async () => {
    const p = central(['serve', '--dir', dir, '--port', 'eighty']);
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/--port must be a whole number/);
    await waitFor(() => p.err().includes('Usage:'), { what: 'the usage' });
  }, 60_000);
});
