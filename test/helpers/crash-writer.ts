import { randomBytes, randomUUID } from 'node:crypto';
import { openStore } from '../../controller/store/store';

/**
 * Child process for test/integration/controller/store/crash.test.ts: commits enrollments as fast as it can, a few at a time, and
 * prints each id only after its commitEnrollment resolved. The test SIGKILLs it mid-stream and
 * then checks that every printed id survived.
 */
const file = process.argv[2];
if (!file) throw new Error('usage: crash-writer <db file>');
const store = await openStore(file);
process.stdout.write('ready\n');

let n = 0;
async function writer(): Promise<never> {
  for (;;) {
    const id = randomUUID();
    n += 1;
    await store.commitEnrollment({ id, trackingCode: `CRASH-${n}-${id.slice(0, 8)}`, sealed: randomBytes(150_000), auditDetail: { n } });
    process.stdout.write(`committed ${id}\n`);
  }
}
await Promise.all([writer(), writer(), writer(), writer()]);
