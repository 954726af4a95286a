import { pino } from 'pino';
import { syncSection } from '../../controller/config/schema';
import { loadKioskKeys } from '../../controller/packet/keys';
import { openStore } from '../../controller/store/store';
import { setUpSync } from '../../controller/sync/start';

/**
 * Child process for test/integration/sync/kill.test.ts: a kiosk's sync and nothing else, on a
 * given data dir, so the test can SIGKILL it at any moment and start it again.
 *   sync-child <data dir> <kiosk id> <sync config JSON>
 */
const [dataDir, kioskId, configJson] = process.argv.slice(2);
if (!dataDir || !kioskId || !configJson) throw new Error('usage: sync-child <data dir> <kiosk id> <sync config JSON>');
const keys = await loadKioskKeys(dataDir);
if (!keys) throw new Error(`no kiosk key in ${dataDir}`);
const store = await openStore(`${dataDir}/kiosk.db`);
const setup = await setUpSync(syncSection.parse(JSON.parse(configJson)), { store, keys, kioskId, log: pino({ level: 'info' }), softwareVersion: 'test' });
if (!setup.ok) throw new Error(setup.problem);
setup.loop.start();
process.stdout.write('ready\n');
