/**
 * The bounded wire between the serial port and firmata.js (johnny-five's Firmata layer). On its
 * own firmata.js throws out of the serial data handler on a short firmware report and keeps an
 * unfinished sysex without limit; behind the wire it only ever sees whole, well-formed messages.
 */
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import firmataIo from 'firmata-io';
import type { Firmata, FirmataTransport } from 'firmata-io';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '../../../../../drivers/gpio/firmata/codec';
import { FIRMATA_BAUD } from '../../../../../drivers/gpio/firmata/protocol';
import { StandardFirmataSim } from '../../../../../drivers/gpio/firmata/sim';
import { BoundedFirmataWire, type WirePort } from '../../../../../drivers/gpio/firmata/wire';
import { SimLink } from '../../../../../drivers/serial/sim-link';
import { openSerial, type SerialTransport } from '../../../../../drivers/serial/transport';
import { recordingLog } from '../../../../helpers/device-log';
import { waitFor } from '../../../../helpers/wait-for';

const MB = 1024 * 1024;
const shortFirmware = [0xf0, 0x79, 0xf7];
const hugeFirmware = () => encode({ type: 'firmware', major: 2, minor: 5, name: 'x'.repeat(200_000) });
/** An analog mapping for 40 pins sent to a host that has 20. */
const longMapping = () => encode({ type: 'analog-mapping', channels: new Array(40).fill(undefined) });

/** A transport that hands firmata.js whatever bytes it is given, as serialport would. */
class RawWire extends EventEmitter implements FirmataTransport {
  write(_data: Buffer, callback?: (err?: Error | null) => void): void {
    callback?.(null);
  }
}

describe('firmata.js on a raw wire (why the bounded wire exists)', () => {
  const ready = () => {
    const wire = new RawWire();
    const board = new firmataIo.Firmata(wire, { reportVersionTimeout: 60_000 });
    wire.emit('data', Buffer.from([0xf9, 2, 5]));
    return { wire, board };
  };

  it('throws out of the data handler on a firmware report too short for its decoder', () => {
    const { wire } = ready();
    expect(() => wire.emit('data', Buffer.from(shortFirmware))).toThrow(RangeError);
  });

  it('keeps an unfinished sysex without limit', () => {
    const { wire, board } = ready();
    wire.emit('data', Buffer.from([0xf0, 0x79]));
    for (let i = 0; i < 16; i++) wire.emit('data', Buffer.alloc(64 * 1024, 0x41));
    expect(board.buffer.length).toBeGreaterThan(MB);
  });
});

describe('firmata.js behind the bounded wire, on the simulated board', () => {
  const ports: SerialTransport[] = [];
  afterEach(async () => {
    await Promise.all(ports.splice(0).map((p) => p.close()));
  });

  const rig = async () => {
    const sim = new StandardFirmataSim();
    const link = new SimLink(sim, { name: 'firmata-wire' });
    const opened = await openSerial(link.port(FIRMATA_BAUD));
    if (opened.kind !== 'open') throw new Error(opened.message);
    ports.push(opened.port);
    const log = recordingLog();
    const wire = new BoundedFirmataWire(opened.port, log);
    const board: Firmata = new firmataIo.Firmata(wire, { reportVersionTimeout: 60_000 });
    wire.send({ type: 'version-query' });
    await new Promise<void>((resolve) => board.once('ready', () => resolve()));
    const levels: number[] = [];
    board.pinMode(9, board.MODES.INPUT);
    board.digitalRead(9, (v) => levels.push(v));
    await waitFor(() => levels.length > 0, { what: 'the first report of pin 9' });
    return { sim, wire, board, levels, log };
  };

  it('passes the handshake on, so firmata.js reads the firmware and the pins', async () => {
    const { board } = await rig();
    expect(board.firmware.name).toBe('StandardFirmata.ino');
    expect(board.pins.length).toBe(20);
  });

  it('drops a short firmware report, a 400 KB one and an analog mapping longer than the pins, without a throw, and the next report is read', async () => {
    const { sim, wire, board, levels } = await rig();
    const before = levels.length;
    sim.send(Uint8Array.from(shortFirmware));
    sim.send(hugeFirmware());
    sim.send(longMapping());
    sim.drive(9, 1);
    await waitFor(() => levels.length > before && levels.at(-1) === 1, { what: 'the report after the bad ones to reach firmata.js' });
    expect(wire.counters.handlerErrors).toBe(0);
    expect(board.buffer.length).toBe(0);
    expect(board.firmware.name).toBe('StandardFirmata.ino'); // not replaced by the 400 KB one
  });

  it('keeps nothing of a 10 MB sysex that never ends, and reads the next report', async () => {
    const { sim, wire, board, levels } = await rig();
    const before = levels.length;
    sim.send(Uint8Array.from([0xf0, 0x79, 2, 5]));
    for (let i = 0; i < 160; i++) {
      sim.send(new Uint8Array(64 * 1024).fill(0x41));
      // firmata.js never holds more than the one whole message it is reading.
      expect(board.buffer.length).toBe(0);
    }
    await waitFor(() => wire.counters.bytesIn >= 10 * MB, { what: 'the 10 MB to be read' });
    expect(board.buffer.length).toBe(0);
    sim.drive(9, 1);
    await waitFor(() => levels.length > before && levels.at(-1) === 1, { what: 'the report after the endless sysex to reach firmata.js' });
    expect(wire.counters.discardedBytes).toBeGreaterThanOrEqual(10 * MB);
  });

  it('passes nothing that is not a whole message: 10 MB of random bytes leave firmata.js empty-handed and unharmed', async () => {
    const { sim, wire, board, levels } = await rig();
    let seed = 13;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let i = 0; i < 160; i++) sim.send(Uint8Array.from({ length: 64 * 1024 }, rand));
    await waitFor(() => wire.counters.bytesIn >= 10 * MB, { what: 'the 10 MB to be read' });
    expect(wire.counters.handlerErrors).toBe(0);
    expect(board.buffer.length).toBe(0);
    const before = levels.length;
    sim.drive(9, 0);
    sim.drive(9, 1);
    await waitFor(() => levels.length > before && levels.at(-1) === 1, { what: 'a good report after the noise' });
  });
});

describe('firmata.js behind the bounded wire, fuzzed', () => {
  /** A port whose reads the test makes: the wire hears exactly these chunks. */
  const fakePort = () => {
    let listener: (bytes: Uint8Array) => void = () => undefined;
    const port: WirePort = {
      onData: (l) => {
        listener = l;
        return () => undefined;
      },
      onClose: () => () => undefined,
      write: () => Promise.resolve({ kind: 'written' }),
    };
    return { port, read: (bytes: Uint8Array) => listener(bytes) };
  };
  const boardMessages = [
    encode({ type: 'version', major: 2, minor: 5 }),
    encode({ type: 'firmware', major: 2, minor: 5, name: 'StandardFirmata.ino' }),
    encode({ type: 'capabilities', pins: Array.from({ length: 20 }, () => [{ mode: 0, resolution: 1 }, { mode: 1, resolution: 1 }]) }),
    encode({ type: 'analog-mapping', channels: Array.from({ length: 20 }, (_, p) => (p >= 14 ? p - 14 : undefined)) }),
  ];

  it('nothing the board sends makes firmata.js throw or keep bytes, handshake or not, in any chunking', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...boardMessages), fc.constant(Uint8Array.from(shortFirmware)), fc.constant(longMapping())), { maxLength: 12 }),
        (handshakeFirst, chunks) => {
          const { port, read } = fakePort();
          const wire = new BoundedFirmataWire(port, recordingLog());
          const board = new firmataIo.Firmata(wire, { reportVersionTimeout: 60_000 });
          if (handshakeFirst) for (const m of boardMessages) read(m);
          for (const c of chunks) read(c);
          expect(wire.counters.handlerErrors).toBe(0);
          // What firmata.js holds between reads: never more than the one message it was handed.
          expect(board.buffer.length).toBe(0);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
