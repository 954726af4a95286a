/**
 * Role (Firmata transport): the wire firmata.js (johnny-five's Firmata layer, firmata-io) reads
 * and writes, between it and the serial kit's transport. firmata.js parses bytes itself and
 * trusts them: it keeps an unfinished sysex in an array without limit (an endless sysex grows
 * it by ~30 bytes of heap per byte on the wire), and its handlers throw out of the serial data
 * handler on a short firmware report (`Buffer.alloc(-1)`) or an analog mapping longer than the
 * pin list. So nothing from the board reaches it as it came: our codec reads the bytes (bounded,
 * never throws), and only the messages a panel needs are passed on, re-encoded whole and
 * well-formed; everything else is logged as discarded. A handler that throws all the same is
 * caught here and logged, never thrown into the serial port's event.
 */
import { EventEmitter } from 'node:events';
import type { FirmataTransport } from 'firmata-io';
import type { Closed, SerialTransport } from '../../serial/transport';
import { hexPreview, type DeviceLog } from '../../log';
import { encode, FirmataParser, type FirmataMessage } from './codec';

/** More pins than any board StandardFirmata runs on (a Mega has 70): a longer list is junk. */
export const MAX_PINS = 128;

export interface WireCounters {
  /** Bytes read from the board. */
  bytesIn: number;
  /** Messages passed on to firmata.js. */
  passed: number;
  /** Bytes not passed on (junk, over-long or unwanted messages). */
  discardedBytes: number;
  /** A firmata.js handler threw on what we passed (caught; should stay 0). */
  handlerErrors: number;
}

/** What the wire needs of the serial port (the serial kit's SerialTransport is one). */
export type WirePort = Pick<SerialTransport, 'onData' | 'onClose' | 'write'>;

export class BoundedFirmataWire extends EventEmitter implements FirmataTransport {
  private readonly parser = new FirmataParser('board');
  /**
   * firmata.js reads no sysex until it has had a version (its `versionReceived`), and keeps the
   * first capability list it reads then: the wire passes on the same, so it knows the pin list
   * firmata.js indexes by.
   */
  private versionPassed = false;
  /** Pins in the capability list firmata.js kept. */
  private pinCount: number | undefined;
  private readonly writes = new Set<Promise<unknown>>();
  readonly counters: WireCounters = { bytesIn: 0, passed: 0, discardedBytes: 0, handlerErrors: 0 };
  /** Every message the board sent, before filtering (for the link's wait and its error messages). */
  private readonly seen = new Set<(m: FirmataMessage) => void>();

  constructor(
    private readonly port: WirePort,
    private readonly log: DeviceLog,
  ) {
    super();
    port.onData((bytes) => this.fromBoard(bytes));
    port.onClose((closed: Closed) => this.emit('close', { disconnect: closed.cause === 'unplugged', disconnected: closed.cause === 'unplugged', message: closed.message }));
  }

  /** Host → board, as firmata.js writes: the callback once the bytes are written (or failed). */
  write(data: Buffer, callback?: (err?: Error | null) => void): void {
    const p = this.port.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).then((r) => {
      callback?.(r.kind === 'error' ? new Error(r.message) : null);
    });
    this.writes.add(p);
    void p.finally(() => this.writes.delete(p));
  }

  /** Raw bytes to the board, bypassing firmata.js (the link's own version queries). */
  send(m: Parameters<typeof encode>[0]): void {
    this.write(Buffer.from(encode(m)));
  }

  /** Resolves when every write so far has been handed to the port. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  /** Listen to the board's messages as read (before filtering); returns an unsubscribe function. */
  onMessage(listener: (m: FirmataMessage) => void): () => void {
    this.seen.add(listener);
    return () => this.seen.delete(listener);
  }

  private fromBoard(bytes: Uint8Array): void {
    this.counters.bytesIn += bytes.length;
    this.parser.feed(bytes, (m) => {
      for (const l of this.seen) l(m);
      const out = this.admit(m);
      if (out === undefined) return;
      this.counters.passed += 1;
      try {
        this.emit('data', Buffer.from(out));
      } catch (err) {
        // Not expected with whole, well-formed messages; if firmata.js throws all the same, the
        // kiosk keeps running and the log says what it choked on.
        this.counters.handlerErrors += 1;
        this.log.warn({ err, message: m.type }, 'firmata: the Firmata layer threw on a message; it was dropped');
      }
    });
  }

  /** The bytes firmata.js gets for this message, or undefined when it gets nothing. */
  private admit(m: FirmataMessage): Uint8Array | undefined {
    switch (m.type) {
      case 'version':
        this.versionPassed = true;
        return encode(m);
      case 'digital':
      case 'analog':
        return encode(m);
      case 'firmware':
        if (!this.versionPassed) return this.drop(m, 'a firmware report before the version (firmata.js would ignore it)');
        // Always re-encoded with its major and minor: firmata.js's decoder needs both.
        return encode(m);
      case 'capabilities':
        if (!this.versionPassed) return this.drop(m, 'a capability list before the version (firmata.js would ignore it)');
        if (this.pinCount !== undefined) return this.drop(m, 'a second capability list (firmata.js keeps the first)');
        if (m.pins.length === 0 || m.pins.length > MAX_PINS) return this.drop(m, `a capability list of ${m.pins.length} pins`);
        this.pinCount = m.pins.length;
        return encode(m);
      case 'analog-mapping':
        // firmata.js writes one entry per pin into the pin list: never more than it has.
        if (this.pinCount === undefined) return this.drop(m, 'an analog mapping before any capability list');
        return encode({ type: 'analog-mapping', channels: m.channels.slice(0, this.pinCount) });
      case 'discarded':
        this.counters.discardedBytes += m.length;
        this.log.debug({ bytes: m.length, head: hexPreview(m.bytes), why: m.why }, 'firmata: discarded bytes');
        return undefined;
      default:
        return this.drop(m, 'not a message the panel uses');
    }
  }

  private drop(m: FirmataMessage, why: string): undefined {
    const bytes = m.type === 'discarded' ? m.length : encode(m).length;
    this.counters.discardedBytes += bytes;
    this.log.debug({ message: m.type, bytes, why }, 'firmata: message not passed on');
    return undefined;
  }
}
