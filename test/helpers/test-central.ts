import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateCentralKeys, type CentralKeys } from '../../controller/central/keys';

/**
 * A central receiver's key pair in its own temp dir, as a province would make one: tests give
 * the kiosk its public key (`sealing.centralPublicKey`) and open packets with the private one.
 * Never in the kiosk's data dir: a kiosk holds no central private key.
 */
export interface TestCentral extends CentralKeys {
  readonly dir: string;
  dispose(): Promise<void>;
}

export async function makeTestCentral(): Promise<TestCentral> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-central-'));
  const keys = await loadOrCreateCentralKeys(dir);
  return { ...keys, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
