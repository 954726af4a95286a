import { EventEmitter } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import firmataIo from 'firmata-io';
import type { FirmataTransport } from 'firmata-io';
import { createSimulatedPanel } from '../../drivers/gpio/firmata/simulated';
import { silentLog } from '../../drivers/log';
import type { Row } from './stats';

/**
 * The front panel (issue #13): what a faulty board costs in memory, through the kiosk's stack
 * (johnny-five, firmata.js behind the bounded wire, the serial kit's simulated wire) and, for
 * comparison, through firmata.js on a raw wire; and how long the panel takes to be ready again
 * after its cable is plugged back in.
 */

const MB = 1024 * 1024;

setFlagsFromString('--expose_gc');
const gcFn: unknown = runInNewContext('gc');
const gc = (): void => {
  if (typeof gcFn === 'function') gcFn();
};
const heapMB = (): number => {
  gc();
  return process.memoryUsage().heapUsed / MB;
};
const signedMB = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)} MB`;
const until = async (done: () => boolean): Promise<void> => {
  while (!done()) await new Promise((r) => setTimeout(r, 5));
};

class RawWire extends EventEmitter implements FirmataTransport {
  write(_data: Buffer, callback?: (err?: Error | null) => void): void {
    callback?.(null);
  }
}

export async function benchPanel(): Promise<Row[]> {
  const rows: Row[] = [];

  // firmata.js on its own, fed an endless sysex (what the bounded wire is there for).
  {
    const wire = new RawWire();
    const board = new firmataIo.Firmata(wire, { reportVersionTimeout: 60_000 });
    wire.emit('data', Buffer.from([0xf9, 2, 5]));
    const before = heapMB();
    wire.emit('data', Buffer.from([0xf0, 0x79]));
    for (let i = 0; i < 160; i++) wire.emit('data', Buffer.alloc(64 * 1024, 0x41));
    rows.push({ name: 'firmata.js alone: heap growth after a 10 MB endless sysex', value: `${signedMB(heapMB() - before)} (it keeps ${(board.buffer.length / MB).toFixed(1)} M bytes)` });
  }

  // The kiosk's panel stack on the simulated board.
  const s = createSimulatedPanel({ log: silentLog, link: { openTimeoutMs: 2000, queryIntervalMs: 50 } });
  await s.panel.open();
  for (const [what, chunk] of [
    ['a 10 MB endless sysex', () => new Uint8Array(64 * 1024).fill(0x41)],
    ['10 MB of random bytes', () => Uint8Array.from({ length: 64 * 1024 }, () => Math.floor(Math.random() * 256))],
  ] as const) {
    const before = heapMB();
    const read0 = s.firmata.counters()?.bytesIn ?? 0;
    if (what.includes('sysex')) s.board.send(Uint8Array.from([0xf0, 0x79]));
    for (let i = 0; i < 160; i++) s.board.send(chunk());
    const t0 = performance.now();
    await until(() => (s.firmata.counters()?.bytesIn ?? 0) - read0 >= 10 * MB);
    const ms = performance.now() - t0;
    s.board.send(Uint8Array.from([0xf7]));
    rows.push({ name: `panel stack: heap growth after ${what}`, value: `${signedMB(heapMB() - before)} (read at ${(10 / (ms / 1000)).toFixed(0)} MB/s; a board at 57600 baud sends 0.006 MB/s)` });
  }

  // Replug → ready, as the supervisor's reopen does it.
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    s.link.unplug();
    await until(() => s.panel.status().state === 'fault');
    s.link.replug();
    const t0 = performance.now();
    const st = await s.panel.open();
    if (st.state !== 'ready') throw new Error(`panel did not reopen: ${st.detail ?? st.state}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  rows.push({ name: 'panel reopen after replug, to ready (median of 10)', value: `${(times[5] ?? Number.NaN).toFixed(0)} ms` });
  await s.panel.close();
  return rows;
}
