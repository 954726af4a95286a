import { describe, expect, it } from 'vitest';
import { waitFor, waitForValue } from '../../../helpers/wait-for';
import { SimLink, type DeviceSide, type SimDevice } from '../../../../drivers/serial/sim-link';
import { closeFault, openSerial, type Closed } from '../../../../drivers/serial/transport';

/** A device that answers every byte with the byte plus one. */
class Adder implements SimDevice {
  private wire: DeviceSide | undefined;
  attach(wire: DeviceSide): void {
    this.wire = wire;
  }
  detach(): void {
    this.wire = undefined;
  }
  receive(bytes: Uint8Array): void {
    this.wire?.send(bytes.map((b) => b + 1));
  }
}

async function open(link: SimLink) {
  const r = await openSerial(link.port(9600));
  if (r.kind !== 'open') throw new Error(r.message);
  return r.port;
}

describe('the serial transport over the simulated wire', () => {
  it('carries bytes both ways', async () => {
    const link = new SimLink(new Adder(), { name: 'adder' });
    const port = await open(link);
    const got: number[] = [];
    port.onData((b) => got.push(...b));
    expect(await port.write(Uint8Array.of(1, 2, 3))).toEqual({ kind: 'written' });
    await waitFor(() => got.length === 3, { what: 'the answer' });
    expect(got).toEqual([2, 3, 4]);
    await port.close();
  });

  it('gives every wire its own path', () => {
    const a = new SimLink(new Adder(), { name: 'adder' });
    const b = new SimLink(new Adder(), { name: 'adder' });
    expect(a.path).not.toBe(b.path);
  });

  it('reports a pulled cable as an unplugged close with the OS text, and the next write as unplugged', async () => {
    const link = new SimLink(new Adder(), { name: 'adder' });
    const port = await open(link);
    let closed: Closed | undefined;
    port.onClose((c) => (closed = c));
    link.unplug();
    const c = await waitForValue(() => closed, { what: 'the close' });
    expect(c).toMatchObject({ cause: 'unplugged', message: expect.stringContaining('EIO') });
    expect(closeFault(c, link.path)).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect(await port.write(Uint8Array.of(1))).toMatchObject({ kind: 'error', unplugged: true });
  });

  it('cannot open a port whose cable is out, and says it is unplugged', async () => {
    const link = new SimLink(new Adder(), { name: 'adder' });
    link.unplug();
    expect(await openSerial(link.port(9600))).toMatchObject({ kind: 'error', unplugged: true, message: expect.stringContaining('ENOENT') });
    link.replug();
    await (await open(link)).close();
  });

  it('calls its own close "closed", which a caller reads as aborted, not unplugged', async () => {
    const link = new SimLink(new Adder(), { name: 'adder' });
    const port = await open(link);
    let closed: Closed | undefined;
    port.onClose((c) => (closed = c));
    await port.close();
    expect(closed).toEqual({ cause: 'closed', message: 'closed' });
    expect(closeFault({ cause: 'closed', message: 'closed' }, link.path).reason).toBe('aborted');
  });

  it('opening a path that does not exist is unplugged, with the OS words', async () => {
    const r = await openSerial({ path: '/dev/ttyUSB-does-not-exist', baudRate: 9600 });
    expect(r).toMatchObject({ kind: 'error', unplugged: true });
  });
});
