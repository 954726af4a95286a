/**
 * The real driver through a real tty: the simulator on the far end of a socat pty pair (tty I/O
 * through bindings-cpp on both sides, as with a module on a USB-serial adapter), or, with
 * TEST_FINGERPRINT_PORT set, a real module on that port (TEST_FINGERPRINT_BAUD, default 57600).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { R30X_DEFAULT_BAUD, R30xDriver, type R30xDriverOptions } from '../../../drivers/fingerprint/r30x/driver';
import { R30xSim, type R30xSimOptions } from '../../../drivers/fingerprint/r30x/sim';
import { serveOnTty, type Served } from '../../../drivers/serial/sim-tty';
import { recordingLog } from '../../helpers/device-log';
import { PtyPair, realPort } from '../../helpers/pty-pair';

const real = realPort('TEST_FINGERPRINT_PORT', R30X_DEFAULT_BAUD);

let pty: PtyPair;
let served: Served | undefined;
let driver: R30xDriver | undefined;

async function serve(sim: R30xSim): Promise<void> {
  // The cable is socat: the sim's unplug knob stops it, and both ttys hang up. The module hears
  // the host at the rate the host's end is set to: at another rate than its own, noise.
  const s = await serveOnTty(sim, { path: pty.device, baudRate: sim.baud, onUnplug: () => void pty.stop(), hostBaud: () => pty.hostBaud() });
  if (s.kind === 'error') throw new Error(s.message);
  served = s;
}

/**
 * The wait for a handshake reply here. A module answers in a few ms (the driver's 300 ms default
 * is for hardware); across a pty to a simulator in this same process, on a loaded two-core
 * machine, the reply can wait longer than that for the event loop, and the driver then moves on
 * to the next rate. The tests that are about the timeout set their own.
 */
const PTY_HANDSHAKE_MS = 1500;

async function setup(opts: R30xSimOptions, driverOpts: Partial<Omit<R30xDriverOptions, 'port' | 'log'>> = {}): Promise<{ sim: R30xSim; driver: R30xDriver }> {
  const sim = new R30xSim(opts);
  await serve(sim);
  driver = new R30xDriver({ port: { path: pty.host, baudRate: sim.baud }, log: recordingLog(), pollIntervalMs: 0, timeouts: { handshakeMs: PTY_HANDSHAKE_MS }, ...driverOpts });
  return { sim, driver };
}

describe.runIf(real === undefined)('R30x driver against the simulator over a socat pty pair', () => {
  beforeEach(async () => {
    pty = new PtyPair();
    await pty.start();
  });
  afterEach(async () => {
    await driver?.close();
    if (served?.kind === 'serving') await served.close();
    driver = undefined;
    served = undefined;
    await pty.dispose();
  });

  it('captures an R307 image at 57600 baud with 128-byte packets', async () => {
    const { driver } = await setup({ model: 'R307', packetSize: 128 });
    expect((await driver.open()).state).toBe('ready');
    expect(driver.info()).toMatchObject({ model: 'R307', baud: 57600, packetSize: 128 });
    const progress: number[] = [];
    const r = await driver.capture({ waitMs: 3000, onProgress: (f) => progress.push(f) });
    expect(r.kind).toBe('image');
    expect(r.kind === 'image' && r.image.pixels.length).toBe(256 * 288);
    expect(progress).toHaveLength(288);
  });

  it('keeps polling through no-finger replies', async () => {
    const { sim, driver } = await setup({ model: 'R503' });
    await driver.open();
    sim.knobs.noFingerPolls = 3;
    const r = await driver.capture({ waitMs: 3000 });
    expect(r.kind === 'image' && r.timings['polls']).toBe(4);
  });

  it('recovers from garbage, a bad reply checksum and a damaged data packet', async () => {
    const { sim, driver } = await setup({ model: 'R503', packetSize: 32 });
    sim.knobs.garbageReplies = 2;
    expect((await driver.open()).state).toBe('ready');
    sim.knobs.badChecksumReplies = 1;
    sim.knobs.garbageReplies = 2;
    sim.knobs.badChecksumDataPacket = 100;
    const r = await driver.capture({ waitMs: 3000 });
    expect(r.kind).toBe('image');
    expect(r.kind === 'image' && r.timings['uploadAttempts']).toBe(2);
  });

  it('raises the baud rate to 115200 and keeps working', async () => {
    const { sim, driver } = await setup({ model: 'R307' }, { raiseBaudTo: 115200 });
    await driver.open();
    expect(driver.info()?.baud).toBe(115200);
    expect(sim.baud).toBe(115200);
    expect((await driver.capture({ waitMs: 3000 })).kind).toBe('image');
  });

  it('reports unplugged when the module goes away mid-upload, and reopens once it is back', async () => {
    const { sim, driver } = await setup({ model: 'R307' });
    await driver.open();
    sim.knobs.unplugAfterDataPackets = 50;
    const r = await driver.capture({ waitMs: 3000 });
    expect(r).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect(driver.status().state).toBe('fault');
    await pty.exited();

    await pty.start();
    await serve(sim);
    expect((await driver.open()).state).toBe('ready');
    expect((await driver.capture({ waitMs: 3000 })).kind).toBe('image');
  });

  it('with the slow knob, the simulator paces an upload at the wire time of the baud rate', async () => {
    const { sim, driver } = await setup({ model: 'R503', baud: 115200, packetSize: 256 });
    await driver.open();
    sim.knobs.slow = true;
    const r = await driver.capture({ waitMs: 3000 });
    expect(r.kind).toBe('image');
    // 18,432 image bytes in 72 packets of 256 with 11 bytes of overhead each, plus the 12-byte ack.
    // No upper bound: how much the driver adds is measured in `npm run bench`, not asserted here.
    const wireMs = ((12 + 18432 + 72 * 11) * 10 * 1000) / 115200;
    const took = r.kind === 'image' ? (r.timings['UpImage'] ?? 0) : 0;
    expect(took).toBeGreaterThan(wireMs * 0.95);
  });

  it('cannot talk to the module from the wrong rate: the pty end is read for its baud, as a UART would be', async () => {
    await serve(new R30xSim({ model: 'R307', baud: 115200 }));
    const wrong = new R30xDriver({ port: { path: pty.host, baudRate: 57600 }, log: recordingLog(), baudSearch: false, timeouts: { handshakeMs: 150 } });
    driver = wrong;
    const st = await wrong.open();
    expect(st.state).toBe('fault');
    expect(wrong.fault()?.reason).toBe('timeout');
  });

  it('opens again after a close once raiseBaud has moved the module to 115200 (issue #13)', async () => {
    const { sim, driver } = await setup({ model: 'R307' }, { raiseBaudTo: 115200 });
    expect((await driver.open()).state).toBe('ready');
    expect(sim.baud).toBe(115200);
    await driver.close();
    const again = await driver.open();
    expect(again.state, again.detail).toBe('ready');
    expect(driver.info()?.baud).toBe(115200);
    expect((await driver.capture({ waitMs: 3000 })).kind).toBe('image');
  });

  it('finds the module at 115200 again after the cable was pulled and plugged back in', async () => {
    const { sim, driver } = await setup({ model: 'R503' }, { raiseBaudTo: 115200 });
    await driver.open();
    sim.knobs.unplugAfterDataPackets = 10;
    expect(await driver.capture({ waitMs: 3000 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    await pty.exited();
    // Plugged back in: the module powers up with the rate it keeps in flash.
    await pty.start();
    sim.powerCycle();
    await serve(sim);
    const again = await driver.open();
    expect(again.state, again.detail).toBe('ready');
    expect(driver.info()).toMatchObject({ model: 'R503', baud: 115200 });
    expect((await driver.capture({ waitMs: 3000 })).kind).toBe('image');
  });

  it('a restarted kiosk (a new driver configured at 57600) finds the module the last run left at 115200', async () => {
    const { driver: first } = await setup({ model: 'R307' }, { raiseBaudTo: 115200 });
    await first.open();
    await first.close();
    const restarted = new R30xDriver({ port: { path: pty.host, baudRate: R30X_DEFAULT_BAUD }, log: recordingLog(), pollIntervalMs: 0, raiseBaudTo: 115200, timeouts: { handshakeMs: PTY_HANDSHAKE_MS } });
    driver = restarted;
    const st = await restarted.open();
    expect(st.state, st.detail).toBe('ready');
    expect(restarted.info()).toMatchObject({ baud: 115200, foundAtBaud: 115200 });
    expect((await restarted.capture({ waitMs: 3000 })).kind).toBe('image');
  });

  it('times out with advice when nothing answers on the port', async () => {
    const { sim, driver } = await setup({ model: 'R307' }, { timeouts: { handshakeMs: 150 } });
    sim.knobs.mute = true;
    const st = await driver.open();
    expect(st.state).toBe('fault');
    expect(st.detail).toMatch(/cable/);
  });
});

describe.runIf(real !== undefined)('R30x driver on the real module at $TEST_FINGERPRINT_PORT', () => {
  it('handshakes, reads the parameters of an R30x and polls for a finger', async () => {
    if (real === undefined) return;
    const d = new R30xDriver({ port: real, log: recordingLog() });
    try {
      const st = await d.open();
      expect(st.state, st.detail).toBe('ready');
      expect(d.info()).toMatchObject({ baud: real.baudRate, packetSize: expect.any(Number), libraryCapacity: expect.any(Number) });
      // Nobody need touch it: an image if someone does, no-finger if not, never a fault.
      expect(['image', 'no-finger']).toContain((await d.capture({ waitMs: 1500 })).kind);
    } finally {
      await d.close();
    }
  });
});
