import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../controller/config/schema';
import { resolveSealingKey } from '../../../controller/kiosk';
import { makeTestCentral, type TestCentral } from '../../helpers/test-central';

let central: TestCentral;
beforeAll(async () => {
  central = await makeTestCentral();
});
afterAll(async () => {
  await central.dispose();
});

describe('which central key a kiosk seals to', () => {
  it("uses the configured centre's public key, in and out of development mode", async () => {
    const config = configSchema.parse({ sealing: { centralPublicKey: '/etc/cccd-kiosk/central.pem' } });
    for (const dev of [false, true]) {
      expect(await resolveSealingKey(config, { dev, devCentralDir: central.dir })).toEqual({ ok: true, path: '/etc/cccd-kiosk/central.pem', dev: false });
    }
  });

  it('refuses without a configured key outside development mode, saying what to set', async () => {
    const r = await resolveSealingKey(configSchema.parse({}), { dev: false, devCentralDir: central.dir });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/sealing\.centralPublicKey.*will not take biometrics/);
  });

  it("in development mode seals to the dev receiver's public key, and says how to make it when it is missing", async () => {
    expect(await resolveSealingKey(configSchema.parse({}), { dev: true, devCentralDir: central.dir })).toEqual({ ok: true, path: central.publicKeyPath, dev: true });
    const missing = await resolveSealingKey(configSchema.parse({}), { dev: true, devCentralDir: `${central.dir}/nope` });
    expect(!missing.ok && missing.message).toMatch(/npm run central -- keys init/);
  });
});
