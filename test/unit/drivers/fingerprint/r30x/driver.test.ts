import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../../../drivers/types';
import { recordingLog } from '../../../../helpers/device-log';
import { waitFor } from '../../../../helpers/wait-for';
import { R30xDriver } from '../../../../../drivers/fingerprint/r30x/driver';
import { createSimulatedR30x, type SimulatedR30x, type SimulatedR30xOptions } from '../../../../../drivers/fingerprint/r30x/simulated';

const opened: SimulatedR30x[] = [];
function simulated(opts: Omit<SimulatedR30xOptions, 'log'> = {}): SimulatedR30x {
  const s = createSimulatedR30x({ log: recordingLog(), ...opts });
  opened.push(s);
  return s;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.sensor.close();
});

describe('R30x driver against the simulator over the simulated wire', () => {
  it('opens, reads the parameters and captures an R307 image with progress', async () => {
    const s = simulated({ model: 'R307', packetSize: 128 });
    const status = await s.sensor.open();
    expect(status.state).toBe('ready');
    expect(s.sensor.info()).toMatchObject({ model: 'R307', imageWidth: 256, imageHeight: 288, baud: 57600, packetSize: 128, libraryCapacity: 1000, securityLevel: 3 });
    const progress: number[] = [];
    const r = await s.sensor.capture({ waitMs: 2000, onProgress: (f) => progress.push(f) });
    expect(r.kind).toBe('image');
    if (r.kind !== 'image') return;
    expect(r.image.width * r.image.height).toBe(r.image.pixels.length);
    expect(progress).toHaveLength(Math.ceil(36864 / 128));
    expect(progress.at(-1)).toBe(1);
    expect(r.timings['UpImage']).toBeGreaterThan(0);
  });

  it('knows an R503 by its product information and uses its image size', async () => {
    const s = simulated({ model: 'R503', packetSize: 64 });
    await s.sensor.open();
    expect(s.sensor.info()).toMatchObject({ model: 'R503', imageWidth: 192, imageHeight: 192, packetSize: 64 });
    const r = await s.sensor.capture({ waitMs: 2000 });
    expect(r.kind === 'image' && r.image.pixels.length).toBe(192 * 192);
  });

  it.each([32, 64, 128, 256] as const)('uploads with %i-byte data packets', async (packetSize) => {
    const s = simulated({ model: 'R503', packetSize });
    await s.sensor.open();
    const r = await s.sensor.capture({ waitMs: 2000 });
    expect(r.kind).toBe('image');
    expect(s.sensor.info()?.packetSize).toBe(packetSize);
  });

  it('keeps polling while no finger is on the window, then captures', async () => {
    const s = simulated({ model: 'R503' });
    await s.sensor.open();
    s.sim.knobs.noFingerPolls = 5;
    const r = await s.sensor.capture({ waitMs: 5000 });
    expect(r.kind).toBe('image');
    expect(r.kind === 'image' && r.timings['polls']).toBe(6);
  });

  it('says no-finger when nobody touches the sensor before the deadline', async () => {
    const s = simulated({ model: 'R503' });
    await s.sensor.open();
    s.present({ kind: 'none' });
    const r = await s.sensor.capture({ waitMs: 150 });
    expect(r).toEqual({ kind: 'no-finger' });
    expect(s.sensor.status().state).toBe('ready');
  });

  it('stops waiting when the capture is aborted', async () => {
    const s = simulated({ model: 'R503', citizen: 'absent' });
    await s.sensor.open();
    const ac = new AbortController();
    const capturing = s.sensor.capture({ waitMs: 10_000, signal: ac.signal });
    // Abort once the driver is polling an empty window.
    await waitFor(() => s.sim.served.filter((c) => c === 'GenImg').length >= 2, { what: 'the driver to poll GenImg' });
    ac.abort();
    const r = await capturing;
    expect(r).toMatchObject({ kind: 'fault', reason: 'aborted' });
    expect(s.sensor.status().state).toBe('ready');
  });

  it('leaves the sensor ready for the very next capture after one is aborted mid-upload (help pressed, exception declared)', async () => {
    const s = simulated({ model: 'R307', packetSize: 128 });
    await s.sensor.open();
    for (let round = 0; round < 3; round++) {
      const ac = new AbortController();
      let packets = 0;
      let next: ReturnType<typeof s.sensor.capture> | undefined;
      const first = s.sensor.capture({
        waitMs: 2000,
        signal: ac.signal,
        onProgress: () => {
          // Twenty packets into the upload the citizen presses help: the flow aborts this capture
          // and starts the next one at once, while the module is still streaming the image.
          if (++packets !== 20) return;
          ac.abort();
          next = s.sensor.capture({ waitMs: 2000 });
        },
      });
      expect(await first).toMatchObject({ kind: 'fault', reason: 'aborted' });
      if (!next) throw new Error('the upload never reached 20 packets');
      const r = await next;
      expect({ round, kind: r.kind }).toEqual({ round, kind: 'image' });
      expect(s.sensor.status().state).toBe('ready');
    }
  });

  it('recovers from junk bytes before replies and in the middle of an upload', async () => {
    const s = simulated({ model: 'R503' });
    s.sim.knobs.garbageReplies = 3;
    expect((await s.sensor.open()).state).toBe('ready');
    s.sim.knobs.garbageReplies = 4;
    const r = await s.sensor.capture({ waitMs: 2000 });
    expect(r.kind).toBe('image');
  });

  it('retries a command whose reply had a bad checksum', async () => {
    const s = simulated({ model: 'R503' });
    await s.sensor.open();
    s.sim.knobs.badChecksumReplies = 1;
    const r = await s.sensor.capture({ waitMs: 2000 });
    expect(r.kind).toBe('image');
    expect(s.sim.served.filter((c) => c === 'GenImg').length).toBeGreaterThanOrEqual(2);
  });

  it('asks for the image again when a data packet arrives damaged', async () => {
    const s = simulated({ model: 'R503', packetSize: 128 });
    await s.sensor.open();
    s.sim.knobs.badChecksumDataPacket = 17;
    const r = await s.sensor.capture({ waitMs: 2000 });
    expect(r.kind).toBe('image');
    expect(r.kind === 'image' && r.timings['uploadAttempts']).toBe(2);
    expect(s.sim.served.filter((c) => c === 'UpImage')).toHaveLength(2);
  });

  it('reports unplugged when the cable is pulled mid-upload, and reopens after replug', async () => {
    const s = simulated({ model: 'R307' });
    const states: DeviceStatus['state'][] = [];
    s.sensor.onStatus((st) => states.push(st.state));
    await s.sensor.open();
    s.sim.knobs.unplugAfterDataPackets = 40;
    const progress: number[] = [];
    const r = await s.sensor.capture({ waitMs: 2000, onProgress: (f) => progress.push(f) });
    expect(r).toMatchObject({ kind: 'fault', reason: 'unplugged' });
    expect(progress).toHaveLength(40);
    expect(s.sensor.status().state).toBe('fault');
    expect(await s.sensor.capture({ waitMs: 100 })).toMatchObject({ kind: 'fault', reason: 'unplugged' });

    expect((await s.sensor.open()).state).toBe('fault'); // still unplugged: the path is gone
    s.link.replug();
    expect((await s.sensor.open()).state).toBe('ready');
    expect((await s.sensor.capture({ waitMs: 2000 })).kind).toBe('image');
    expect(states).toEqual(['connecting', 'ready', 'busy', 'fault', 'connecting', 'fault', 'connecting', 'ready', 'busy', 'ready']);
  });

  it('reports a module that does not answer as a timeout with what to check', async () => {
    const s = simulated({ model: 'R307', driver: { timeouts: { handshakeMs: 100 } } });
    s.sim.knobs.mute = true;
    const st = await s.sensor.open();
    expect(st.state).toBe('fault');
    expect(st.detail).toMatch(/cable.*port.*baud/);
    expect(s.driver.fault()?.reason).toBe('timeout');
  });

  it('raises the baud rate to 115200 and confirms it with a handshake', async () => {
    const s = simulated({ model: 'R307', driver: { raiseBaudTo: 115200 } });
    await s.sensor.open();
    expect(s.sensor.info()?.baud).toBe(115200);
    expect(s.sim.baud).toBe(115200);
    expect(s.sim.served).toContain('SetSysPara');
    expect((await s.sensor.capture({ waitMs: 2000 })).kind).toBe('image');
  });

  it('cannot talk to a module at the wrong baud rate (the link scrambles bytes as a UART would)', async () => {
    const s = simulated({ model: 'R307', baud: 115200 });
    const wrong = new R30xDriver({ port: s.link.port(57600), log: recordingLog(), timeouts: { handshakeMs: 100 } });
    const st = await wrong.open();
    expect(st.state).toBe('fault');
    expect(wrong.fault()?.reason).toBe('timeout');
    expect((await s.sensor.open()).state).toBe('ready');
  });

  it('drives the R503 ring LED and ignores the LED on an R307', async () => {
    const r503 = simulated({ model: 'R503' });
    await r503.sensor.open();
    await r503.sensor.setLed?.('breathing', 'blue');
    expect(r503.sim.served).toContain('AuraLedConfig');
    const r307 = simulated({ model: 'R307' });
    await r307.sensor.open();
    await r307.sensor.setLed?.('on', 'red');
    expect(r307.sim.served).not.toContain('AuraLedConfig');
  });

  it('lets Img2Tz judge the image: smudged is too messy, blank has no features', async () => {
    const s = simulated({ model: 'R503' });
    await s.sensor.open();
    s.present({ kind: 'seed', seed: 5, variant: 'smudged' });
    await s.sensor.capture({ waitMs: 1000 });
    expect(await s.driver.extractFeatures()).toEqual({ kind: 'poor-image', code: 'ImageMess' });
    s.present({ kind: 'blank' });
    await s.sensor.capture({ waitMs: 1000 });
    expect(await s.driver.extractFeatures()).toEqual({ kind: 'poor-image', code: 'FeatureFail' });
    s.present({ kind: 'seed', seed: 5 });
    await s.sensor.capture({ waitMs: 1000 });
    expect(await s.driver.extractFeatures()).toEqual({ kind: 'features' });
  });

  it('queues a second capture behind the first instead of mixing their commands on the line', async () => {
    const s = simulated({ model: 'R503' });
    await s.sensor.open();
    const [a, b] = await Promise.all([s.sensor.capture({ waitMs: 2000 }), s.sensor.capture({ waitMs: 2000 })]);
    expect([a.kind, b.kind]).toEqual(['image', 'image']);
    expect(s.sim.served.filter((c) => c === 'UpImage')).toHaveLength(2);
  });

  it('logs the junk it discarded, and its faults', async () => {
    const log = recordingLog();
    const s = createSimulatedR30x({ model: 'R503', log });
    opened.push(s);
    s.sim.knobs.garbageReplies = 1;
    expect((await s.sensor.open()).state).toBe('ready');
    expect(log.entries.some((e) => e.level === 'debug' && e.message === 'r30x: discarded bytes' && e.fields['reason'] === 'junk')).toBe(true);
    s.link.unplug();
    await s.sensor.capture({ waitMs: 500 });
    expect(log.entries.some((e) => e.level === 'warn' && e.fields['reason'] === 'unplugged')).toBe(true);
  });
});
