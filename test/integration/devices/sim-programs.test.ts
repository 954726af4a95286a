/**
 * The simulators as programs of their own (each device's sim-cli.ts, drivers/serial/sim-program.ts)
 * on the device end of a socat pty pair: they take the bodies POST /api/sim/<device> takes, one
 * JSON line at a time, and answer each line; the scanner's code reaches the host end as a real
 * scanner sends it. test/integration/devices/wired-simulators.test.ts runs a kiosk on all of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSerial, type SerialTransport } from '../../../drivers/serial/transport';
import { PtyPair } from '../../helpers/pty-pair';
import { waitForValue } from '../../helpers/wait-for';
import { SimProcess, type Wired } from '../../helpers/wired-devices';

const running: SimProcess[] = [];
const pairs: PtyPair[] = [];
const ports: SerialTransport[] = [];
afterEach(async () => {
  for (const p of ports.splice(0)) await p.close();
  for (const s of running.splice(0)) await s.stop();
  for (const p of pairs.splice(0)) await p.dispose();
});

async function start(name: Wired): Promise<{ sim: SimProcess; pair: PtyPair }> {
  const pair = new PtyPair();
  pairs.push(pair);
  await pair.start();
  const sim = await SimProcess.start(name, pair.device, () => undefined);
  running.push(sim);
  return { sim, pair };
}

describe('the simulator programs', () => {
  it.each([
    { name: 'fingerprint', good: { next: [{ kind: 'seed', seed: 7, variant: 'smudged' }, { kind: 'blank' }] }, bad: { next: [{ kind: 'thumb' }] } },
    { name: 'document', good: { present: 'hello' }, bad: { scan: 'hello' } },
    { name: 'printer', good: { paperOut: true }, bad: { paperOut: 'yes' } },
    { name: 'panel', good: { set: 'tamper', active: true }, bad: { press: 'doorbell' } },
  ] as const)('the $name program answers a body it takes with ok, and one it does not with what it takes', async ({ name, good, bad }) => {
    const { sim } = await start(name);
    expect(await sim.send(JSON.stringify(good))).toEqual({ ok: true });
    const refused = await sim.send(JSON.stringify(bad));
    expect(refused['error']).toEqual(expect.stringMatching(/give|one of/));
    expect(await sim.send('not json')).toEqual({ error: expect.stringMatching(/JSON/) });
  });

  it('the scanner program sends a presented code and its suffix down the wire, as a serial scanner does', async () => {
    const { sim, pair } = await start('document');
    const opened = await openSerial({ path: pair.host, baudRate: 115_200 });
    if (opened.kind === 'error') throw new Error(opened.message);
    ports.push(opened.port);
    let heard = '';
    opened.port.onData((bytes) => (heard += Buffer.from(bytes).toString('utf8')));
    await sim.command({ present: 'Xin chào 079' });
    expect(await waitForValue(() => (heard.endsWith('\r') ? heard : undefined), { what: 'the code and its CR on the host end' })).toBe('Xin chào 079\r');
  });
});
