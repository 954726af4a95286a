import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../../../drivers/types';
import { recordingLog } from '../../../../helpers/device-log';
import { waitFor } from '../../../../helpers/wait-for';
import { R30xDriver } from '../../../../../drivers/fingerprint/r30x/driver';
import { encodeAck } from '../../../../../drivers/fingerprint/r30x/codec';
import { MAX_QUEUED_READS } from '../../../../../drivers/fingerprint/r30x/link';
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

  it('cannot talk to a module at the wrong baud rate when told not to look elsewhere (the link scrambles bytes as a UART would)', async () => {
    const s = simulated({ model: 'R307', baud: 115200 });
    const wrong = new R30xDriver({ port: s.link.port(57600), log: recordingLog(), baudSearch: false, timeouts: { handshakeMs: 100 } });
    const st = await wrong.open();
    expect(st.state).toBe('fault');
    expect(wrong.fault()?.reason).toBe('timeout');
    expect((await s.sensor.open()).state).toBe('ready');
  });

  it('the simulator keeps only the newest commands it served (it lives for days in the kiosk under npm start)', async () => {
    const s = simulated({ model: 'R307', keptCommands: 4 });
    await s.sensor.open();
    expect((await s.sensor.capture({ waitMs: 2000 })).kind).toBe('image');
    // The capture's last exchanges, the image upload last; the handshake is long gone.
    expect(s.sim.served).toHaveLength(4);
    expect(s.sim.served.at(-1)).toBe('UpImage');
    expect(s.sim.served).not.toContain('VfyPwd');
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

/**
 * Issue #13: `raiseBaud` moves the module to 115,200 baud, which it keeps in flash (the
 * simulator keeps it across close/open and across a replug, as a module does). Every later open
 * must find it there, and at whatever other rate it was left at.
 */
describe('R30x driver: finding the module at whatever rate it is at', () => {
  const detailsWhile = (s: SimulatedR30x) => {
    const seen: string[] = [];
    s.sensor.onStatus((st) => {
      if (st.state === 'connecting' && st.detail) seen.push(st.detail);
    });
    return seen;
  };

  it('opens again after a close once raiseBaud has moved the module to 115200', async () => {
    const s = simulated({ model: 'R307', driver: { raiseBaudTo: 115200 } });
    expect((await s.sensor.open()).state).toBe('ready');
    expect(s.sim.baud).toBe(115200);
    await s.sensor.close();
    const again = await s.sensor.open();
    expect(again.state, again.detail).toBe('ready');
    expect(s.sensor.info()?.baud).toBe(115200);
    expect((await s.sensor.capture({ waitMs: 2000 })).kind).toBe('image');
  });

  it('opens again after the cable was pulled and plugged back in (the rate survives the power cycle)', async () => {
    const s = simulated({ model: 'R503', driver: { raiseBaudTo: 115200 } });
    await s.sensor.open();
    s.link.unplug();
    await waitFor(() => s.sensor.status().state === 'fault', { what: 'the driver to hear of the unplug' });
    s.link.replug();
    expect(s.sim.baud).toBe(115200);
    const again = await s.sensor.open();
    expect(again.state, again.detail).toBe('ready');
    expect(s.sensor.info()).toMatchObject({ model: 'R503', baud: 115200 });
  });

  it('a restarted kiosk (a new driver configured at 57600) finds a module left at 115200, and says so', async () => {
    const s = simulated({ model: 'R307', baud: 115200 });
    const log = recordingLog();
    const restarted = new R30xDriver({ port: s.link.port(57600), log, raiseBaudTo: 115200, pollIntervalMs: 0 });
    try {
      const st = await restarted.open();
      expect(st.state, st.detail).toBe('ready');
      expect(restarted.info()).toMatchObject({ baud: 115200, foundAtBaud: 115200 });
      expect(st.detail).toMatch(/115200/);
      expect(log.entries.some((e) => e.fields['foundAt'] === 115200 && e.fields['configured'] === 57600)).toBe(true);
      expect((await restarted.capture({ waitMs: 2000 })).kind).toBe('image');
    } finally {
      await restarted.close();
    }
  });

  it('finds an R307 left at any of its twelve rates (9600 × N)', async () => {
    // The twelve modules are looked for side by side: each search is timed by its own silences.
    const found = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map(async (n) => {
        const s = simulated({ model: 'R307', baud: 9600 * n });
        const d = new R30xDriver({ port: s.link.port(57600), log: recordingLog(), pollIntervalMs: 0, timeouts: { handshakeMs: 60 } });
        try {
          const st = await d.open();
          return { n, state: st.state, baud: d.info()?.baud, foundAtBaud: d.info()?.foundAtBaud };
        } finally {
          await d.close();
        }
      }),
    );
    expect(found).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => ({ n, state: 'ready', baud: 9600 * n, foundAtBaud: 9600 * n })));
  });

  it.each([9600, 19200, 38400, 115200])('finds an R503 left at %i baud and raises it to 115200', async (baud) => {
    const s = simulated({ model: 'R503', baud });
    const d = new R30xDriver({ port: s.link.port(57600), log: recordingLog(), pollIntervalMs: 0, raiseBaudTo: 115200, timeouts: { handshakeMs: 60 } });
    try {
      expect((await d.open()).state).toBe('ready');
      expect(d.info()).toMatchObject({ baud: 115200, foundAtBaud: baud });
      expect(s.sim.baud).toBe(115200);
    } finally {
      await d.close();
    }
  });

  it('with a module that applies a new rate only at its next power-up: stays at the old rate, and finds the new one after a replug', async () => {
    const s = simulated({ model: 'R307', baudTakesEffect: 'after-power-cycle', driver: { raiseBaudTo: 115200 } });
    expect((await s.sensor.open()).state).toBe('ready');
    expect(s.sensor.info()?.baud).toBe(57600);
    expect(s.sim.baud).toBe(57600);
    s.link.unplug();
    await waitFor(() => s.sensor.status().state === 'fault', { what: 'the driver to hear of the unplug' });
    s.link.replug();
    expect(s.sim.baud).toBe(115200);
    expect((await s.sensor.open()).state).toBe('ready');
    expect(s.sensor.info()?.baud).toBe(115200);
  });

  it('stops looking at the first rate that answers with a refusal (a wrong password is not a wrong rate)', async () => {
    const s = simulated({ model: 'R307', password: 0x1234 });
    const st = await s.sensor.open();
    expect(st.state).toBe('fault');
    expect(s.driver.fault()?.reason).toBe('device-error');
    expect(s.sim.served.filter((c) => c === 'VfyPwd')).toHaveLength(1);
  });

  it('stops looking at once when the port is gone (unplugged), without trying the other rates', async () => {
    const s = simulated({ model: 'R307' });
    const tried = detailsWhile(s);
    s.link.unplug();
    const st = await s.sensor.open();
    expect(st.state).toBe('fault');
    expect(s.driver.fault()?.reason).toBe('unplugged');
    expect(tried.filter((d) => /baud/.test(d))).toHaveLength(1);
  });

  it('tries the configured rate first, then the likeliest, and names every rate it tried when none answers', async () => {
    const s = simulated({ model: 'R307', driver: { raiseBaudTo: 115200, timeouts: { handshakeMs: 30 } } });
    const tried = detailsWhile(s);
    s.sim.knobs.mute = true;
    const st = await s.sensor.open();
    expect(st.state).toBe('fault');
    expect(s.driver.fault()?.reason).toBe('timeout');
    const rates = tried.flatMap((d) => /at (\d+) baud/.exec(d)?.[1] ?? []).map(Number);
    expect(rates.slice(0, 3)).toEqual([57600, 115200, 9600]);
    expect([...rates].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((n) => n * 9600));
    expect(st.detail).toMatch(/cable/);
    for (const r of rates) expect(st.detail).toContain(String(r));
  });
});

/** Issue #13: whatever comes down the line, the driver stays up, holds a bounded amount, and reads the next good frame. */
describe('R30x driver: bounded memory on a bad line', () => {
  it('does not pile up a babbling module’s unasked-for replies while idle', async () => {
    const s = simulated({ model: 'R503' });
    await s.sensor.open();
    const ack = encodeAck(0x00);
    const count = 3 * MAX_QUEUED_READS;
    const babble = new Uint8Array(ack.length * count);
    for (let i = 0; i < count; i++) babble.set(ack, i * ack.length);
    await s.sim.sendRaw(babble);
    await waitFor(() => s.driver.lineStats().bytesIn >= babble.length, { what: 'the babble to arrive' });
    const stats = s.driver.lineStats();
    expect(stats.peakQueuedReplies).toBeLessThanOrEqual(MAX_QUEUED_READS);
    expect(stats.droppedReplies).toBeGreaterThan(0);
    expect((await s.sensor.capture({ waitMs: 2000 })).kind).toBe('image');
  });

  it('a module that streams on past the end of the image: stops collecting at the image size, asks again, and gets the image', async () => {
    const s = simulated({ model: 'R503', packetSize: 256 });
    await s.sensor.open();
    s.sim.knobs.extraDataPackets = 3000;
    let reports = 0;
    const r = await s.sensor.capture({ waitMs: 5000, onProgress: () => reports++ });
    expect(r.kind).toBe('image');
    expect(r.kind === 'image' && r.timings['uploadAttempts']).toBe(2);
    // 72 packets make the image: progress never counts the runaway packets beyond it.
    expect(reports).toBeLessThanOrEqual(2 * 73 + 4);
  });
});
