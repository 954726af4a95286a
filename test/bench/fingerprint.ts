/**
 * Fingerprint benchmarks for `npm run bench`:
 * - image upload time against the wire-time limit (the sim paces bytes at the baud rate over a
 *   socat pty pair; the ratio says how much the driver adds on top of the physics; goal ≤ 1.1),
 * - codec throughput, quality and match cost per image,
 * - a whole ten-print capture with a cooperative simulated citizen (realistic module timing).
 */
import { fingerprintQuality } from '../../controller/capture/fingerprint-quality';
import { SAME_FINGER_THRESHOLD, similarity } from '../../controller/capture/fingerprint-match';
import { synthFingerprint } from '../../drivers/fingerprint/fingerprint-synth';
import { R30xDecoder, encodePacket } from '../../drivers/fingerprint/r30x/codec';
import { R30xDriver } from '../../drivers/fingerprint/r30x/driver';
import { imageBytes } from '../../drivers/fingerprint/r30x/image';
import { R30X_MODELS } from '../../drivers/fingerprint/r30x/models';
import { BITS_PER_BYTE_ON_WIRE, PACKET_OVERHEAD_BYTES, PID } from '../../drivers/fingerprint/r30x/protocol';
import { R30xSim } from '../../drivers/fingerprint/r30x/sim';
import { createSimulatedR30x } from '../../drivers/fingerprint/r30x/simulated';
import { silentLog } from '../../drivers/log';
import { serveOnTty } from '../../drivers/serial/sim-tty';
import { PtyPair } from '../helpers/pty-pair';
import type { GreyImage } from '../../domain/images';

type Row = { name: string; value: string };

/** Bytes the module must send for UpImage: the ack plus every data packet with its overhead. */
function uploadWireMs(baud: number, packetSize: number, width: number, height: number): number {
  const data = imageBytes(width, height);
  const packets = Math.ceil(data / packetSize);
  const bytes = 12 + data + packets * PACKET_OVERHEAD_BYTES;
  return (bytes * BITS_PER_BYTE_ON_WIRE * 1000) / baud;
}

async function uploadRatio(baud: number, runs: number): Promise<Row> {
  const model = R30X_MODELS.R307;
  const pty = new PtyPair();
  await pty.start();
  const sim = new R30xSim({ model: 'R307', baud, packetSize: 128 });
  sim.knobs.slow = true;
  const served = await serveOnTty(sim, { path: pty.device, baudRate: baud });
  if (served.kind === 'error') throw new Error(served.message);
  const driver = new R30xDriver({ port: { path: pty.host, baudRate: baud }, log: silentLog, pollIntervalMs: 0 });
  try {
    await driver.open();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await driver.capture({ waitMs: 5000 });
      if (r.kind === 'image') times.push(r.timings['UpImage'] ?? NaN);
    }
    const limit = uploadWireMs(baud, 128, model.imageWidth, model.imageHeight);
    const mean = times.reduce((a, b) => a + b, 0) / Math.max(1, times.length);
    return {
      name: `fingerprint upload R307 @${baud} (128-byte packets, pty, ${times.length} runs)`,
      value: `${(mean / 1000).toFixed(2)} s vs wire limit ${(limit / 1000).toFixed(2)} s = ratio ${(mean / limit).toFixed(3)} (goal ≤ 1.1)`,
    };
  } finally {
    await driver.close();
    await served.close();
    await pty.dispose();
  }
}

function codecThroughput(): Row {
  const frame = encodePacket(PID.Data, new Uint8Array(128).fill(0x5a));
  const frames = 20_000;
  const stream = new Uint8Array(frame.length * frames);
  for (let i = 0; i < frames; i++) stream.set(frame, i * frame.length);
  const d = new R30xDecoder();
  const started = performance.now();
  let found = 0;
  for (let at = 0; at < stream.length; at += 4096) found += d.push(stream.subarray(at, at + 4096)).length;
  const s = (performance.now() - started) / 1000;
  return { name: 'fingerprint codec decode (128-byte data frames, 4 KiB chunks)', value: `${Math.round(found / s).toLocaleString('en')} frames/s` };
}

function perImage(images: GreyImage[]): Row[] {
  let started = performance.now();
  for (const img of images) fingerprintQuality(img);
  const q = (performance.now() - started) / images.length;
  started = performance.now();
  let n = 0;
  for (let i = 1; i < images.length; i++) {
    const a = images[i - 1];
    const b = images[i];
    if (a && b) {
      similarity(a, b);
      n++;
    }
  }
  const m = (performance.now() - started) / Math.max(1, n);
  return [
    { name: 'fingerprint quality score, R307 256×288', value: `${q.toFixed(2)} ms/image` },
    { name: 'fingerprint same-finger check (similarity), R307', value: `${m.toFixed(1)} ms/comparison` },
  ];
}

async function tenPrint(baud: number): Promise<Row> {
  const s = createSimulatedR30x({ model: 'R307', realisticTiming: true, driver: { raiseBaudTo: baud }, log: silentLog });
  const started = performance.now();
  await s.sensor.open();
  const taken: GreyImage[] = [];
  let repeats = 0;
  for (let finger = 0; finger < 10; finger++) {
    const r = await s.sensor.capture({ waitMs: 10_000 });
    if (r.kind !== 'image') throw new Error(`ten-print: ${r.kind}`);
    fingerprintQuality(r.image);
    if (taken.some((t) => similarity(t, r.image) > SAME_FINGER_THRESHOLD)) repeats++;
    taken.push(r.image);
  }
  const total = (performance.now() - started) / 1000;
  await s.sensor.close();
  return {
    name: `fingerprint ten-print, cooperative citizen, R307 @${s.sensor.info()?.baud ?? baud} (realistic sim timing)`,
    value: `${total.toFixed(1)} s (capture + quality + duplicate check; ${repeats} false repeats)`,
  };
}

export async function benchFingerprint(): Promise<Array<{ name: string; value: string }>> {
  const rows: Row[] = [];
  rows.push(await uploadRatio(57600, 2));
  rows.push(await uploadRatio(115200, 3));
  rows.push(codecThroughput());
  const images = Array.from({ length: 12 }, (_, i) => synthFingerprint(100 + (i % 6), 256, 288, { noiseSeed: i, dx: i % 5, dy: -(i % 3) }));
  rows.push(...perImage(images));
  rows.push(await tenPrint(115200));
  return rows;
}
