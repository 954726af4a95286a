/**
 * Role (Firmata codec): Firmata bytes ⇄ messages, pure. One parser serves both ends of the wire
 * (the driver reads the board, the simulator reads the host); `from` says whose bytes they are,
 * because REPORT_VERSION is a bare query from the host but carries two data bytes from the board.
 * Junk never vanishes silently: it comes out as a `discarded` message the caller can log. The
 * parser holds at most MAX_SYSEX_BYTES of an unfinished message, never a run of junk.
 */
import {
  ANALOG_MAPPING_QUERY,
  ANALOG_MAPPING_RESPONSE,
  ANALOG_MESSAGE,
  CAPABILITY_QUERY,
  CAPABILITY_RESPONSE,
  DIGITAL_MESSAGE,
  END_SYSEX,
  PIN_LIST_END,
  REPORT_ANALOG,
  REPORT_DIGITAL,
  REPORT_FIRMWARE,
  REPORT_VERSION,
  SET_DIGITAL_PIN_VALUE,
  SET_PIN_MODE,
  START_SYSEX,
  SYSTEM_RESET,
} from './protocol';

/**
 * The longest sysex we wait for. The biggest a panel meets is CAPABILITY_RESPONSE: on a Mega
 * (70 pins, a handful of modes each) well under 1 KB. A sysex that runs on past this lost its
 * END_SYSEX on the wire (or the board is sending garbage): the rest of it is skipped, counted,
 * never kept.
 */
export const MAX_SYSEX_BYTES = 2048;
/** A `discarded` message keeps at most this many of its bytes (enough to recognise what it was). */
export const DISCARD_PREVIEW_BYTES = 16;

export type Sender = 'board' | 'host';

export interface PinCapability {
  readonly mode: number;
  readonly resolution: number;
}

export type FirmataMessage =
  | { readonly type: 'version'; readonly major: number; readonly minor: number }
  | { readonly type: 'version-query' }
  | { readonly type: 'firmware'; readonly major: number; readonly minor: number; readonly name: string }
  | { readonly type: 'firmware-query' }
  | { readonly type: 'capability-query' }
  | { readonly type: 'capabilities'; readonly pins: readonly (readonly PinCapability[])[] }
  | { readonly type: 'analog-mapping-query' }
  /** Per pin: its analog channel, undefined where it has none. */
  | { readonly type: 'analog-mapping'; readonly channels: readonly (number | undefined)[] }
  /** 8 pin levels of one port, bit n = pin port*8+n. */
  | { readonly type: 'digital'; readonly port: number; readonly levels: number }
  | { readonly type: 'analog'; readonly channel: number; readonly value: number }
  | { readonly type: 'report-digital'; readonly port: number; readonly enable: boolean }
  | { readonly type: 'report-analog'; readonly pin: number; readonly enable: boolean }
  | { readonly type: 'set-pin-mode'; readonly pin: number; readonly mode: number }
  | { readonly type: 'set-digital-pin-value'; readonly pin: number; readonly value: 0 | 1 }
  | { readonly type: 'system-reset' }
  /** A well-formed sysex we have no decoder for (string data, I2C replies, …). */
  | { readonly type: 'sysex'; readonly command: number; readonly data: readonly number[] }
  /**
   * Bytes that were no message: `bytes` are the first DISCARD_PREVIEW_BYTES of them, `length`
   * how many there were (a run of junk or an over-long sysex is reported once, however long).
   */
  | { readonly type: 'discarded'; readonly bytes: readonly number[]; readonly length: number; readonly why: string };

/** Data bytes that follow a status byte, by sender; undefined = not a status byte we know. */
function dataLength(status: number, from: Sender): number | undefined {
  if (status === REPORT_VERSION) return from === 'board' ? 2 : 0;
  if (status === SYSTEM_RESET) return 0;
  if (status === SET_PIN_MODE || status === SET_DIGITAL_PIN_VALUE) return 2;
  const command = status & 0xf0;
  if (command === DIGITAL_MESSAGE || command === ANALOG_MESSAGE) return 2;
  if (command === REPORT_ANALOG || command === REPORT_DIGITAL) return 1;
  return undefined;
}

const isData = (b: number): boolean => b < 0x80;

/** Bytes being thrown away: a preview and a count, so a run of any length costs the same. */
class DiscardRun {
  private head: number[] = [];
  private count = 0;
  constructor(private readonly why: string) {}
  add(b: number): void {
    if (this.head.length < DISCARD_PREVIEW_BYTES) this.head.push(b);
    this.count += 1;
  }
  addAll(bytes: readonly number[]): void {
    for (const b of bytes) this.add(b);
  }
  get length(): number {
    return this.count;
  }
  /** The run as one message, or nothing if it is empty; the run starts over. */
  take(why = this.why): FirmataMessage | undefined {
    if (this.count === 0) return undefined;
    const m: FirmataMessage = { type: 'discarded', bytes: this.head, length: this.count, why };
    this.head = [];
    this.count = 0;
    return m;
  }
}

/**
 * Streaming parser: feed chunks as they arrive, get whole messages back. Whatever the bytes,
 * it never throws and holds at most MAX_SYSEX_BYTES of an unfinished message plus a few bytes
 * of preview: junk and over-long sysex are counted, not kept. `feed` hands each message to a
 * callback as it completes (memory independent of the chunk size); `push` collects them.
 */
export class FirmataParser {
  private pending: number[] = [];
  private readonly junk = new DiscardRun('bytes outside any message');
  /** Skipping the rest of a sysex that grew past MAX_SYSEX_BYTES, until its END_SYSEX. */
  private readonly overlong = new DiscardRun('the rest of an over-long sysex');
  private skipping = false;
  private emit: (m: FirmataMessage) => void = () => undefined;

  constructor(private readonly from: Sender) {}

  push(chunk: Uint8Array): FirmataMessage[] {
    const out: FirmataMessage[] = [];
    this.feed(chunk, (m) => out.push(m));
    return out;
  }

  /** Bytes held of an unfinished message: never more than MAX_SYSEX_BYTES + 1 (with START_SYSEX). */
  buffered(): number {
    return this.pending.length;
  }

  feed(chunk: Uint8Array, onMessage: (m: FirmataMessage) => void): void {
    this.emit = onMessage;
    try {
      for (const b of chunk) this.byte(b);
      this.flushJunk();
    } finally {
      this.emit = () => undefined;
    }
  }

  private out(m: FirmataMessage | undefined): void {
    if (m) this.emit(m);
  }

  private byte(b: number): void {
    if (this.skipping) {
      if (isData(b)) return this.overlong.add(b);
      this.skipping = false;
      if (b === END_SYSEX) {
        this.overlong.add(b);
        return this.out(this.overlong.take());
      }
      this.out(this.overlong.take('the rest of an over-long sysex, cut short by a status byte'));
      // fall through: b starts whatever comes next
    }
    const first = this.pending[0];
    if (first === undefined) {
      if (isData(b) || (b !== START_SYSEX && dataLength(b, this.from) === undefined)) return this.junk.add(b);
      this.flushJunk();
      this.pending.push(b);
    } else if (first === START_SYSEX) {
      if (b === END_SYSEX) {
        const body = this.pending.slice(1);
        this.pending = [];
        return this.out(decodeSysex(body, this.from));
      }
      if (!isData(b)) {
        // A status byte inside a sysex: the rest of that sysex was lost on the wire.
        this.out(this.cut('sysex cut short by a status byte'));
        return this.byte(b);
      }
      this.pending.push(b);
      // pending[0] is START_SYSEX: the sysex's own bytes (command and data) are the rest.
      if (this.pending.length - 1 > MAX_SYSEX_BYTES) {
        this.out(this.cut(`sysex longer than ${MAX_SYSEX_BYTES} bytes (END_SYSEX lost?)`));
        this.skipping = true;
      }
      return;
    } else {
      if (!isData(b)) {
        this.out(this.cut('message cut short by a status byte'));
        return this.byte(b);
      }
      this.pending.push(b);
    }
    const head = this.pending[0];
    if (head !== undefined && head !== START_SYSEX && this.pending.length - 1 === dataLength(head, this.from)) {
      const m = decodeMidi(this.pending, this.from);
      this.pending = [];
      this.out(m);
    }
  }

  /** The unfinished message as discarded bytes; nothing is pending afterwards. */
  private cut(why: string): FirmataMessage | undefined {
    const run = new DiscardRun(why);
    run.addAll(this.pending);
    this.pending = [];
    return run.take();
  }

  private flushJunk(): void {
    this.out(this.junk.take());
  }
}

function decodeMidi(m: readonly number[], from: Sender): FirmataMessage {
  const [status = 0, a = 0, b = 0] = m;
  if (status === REPORT_VERSION) return from === 'board' ? { type: 'version', major: a, minor: b } : { type: 'version-query' };
  if (status === SYSTEM_RESET) return { type: 'system-reset' };
  if (status === SET_PIN_MODE) return { type: 'set-pin-mode', pin: a, mode: b };
  if (status === SET_DIGITAL_PIN_VALUE) return { type: 'set-digital-pin-value', pin: a, value: b === 0 ? 0 : 1 };
  const channel = status & 0x0f;
  switch (status & 0xf0) {
    case DIGITAL_MESSAGE:
      return { type: 'digital', port: channel, levels: (a | (b << 7)) & 0xff };
    case ANALOG_MESSAGE:
      return { type: 'analog', channel, value: a | (b << 7) };
    case REPORT_DIGITAL:
      return { type: 'report-digital', port: channel, enable: a !== 0 };
    default:
      return { type: 'report-analog', pin: channel, enable: a !== 0 };
  }
}

function decodeSysex(body: readonly number[], from: Sender): FirmataMessage {
  const [command, ...data] = body;
  if (command === undefined) return { type: 'discarded', bytes: [START_SYSEX, END_SYSEX], length: 2, why: 'empty sysex' };
  if (from === 'host') {
    if (command === REPORT_FIRMWARE && data.length === 0) return { type: 'firmware-query' };
    if (command === CAPABILITY_QUERY) return { type: 'capability-query' };
    if (command === ANALOG_MAPPING_QUERY) return { type: 'analog-mapping-query' };
    return { type: 'sysex', command, data };
  }
  if (command === REPORT_FIRMWARE && data.length >= 2) {
    const [major = 0, minor = 0, ...name] = data;
    return { type: 'firmware', major, minor, name: String.fromCharCode(...join7bit(name)) };
  }
  if (command === CAPABILITY_RESPONSE) return { type: 'capabilities', pins: splitCapabilities(data) };
  if (command === ANALOG_MAPPING_RESPONSE) return { type: 'analog-mapping', channels: data.map((c) => (c === PIN_LIST_END ? undefined : c)) };
  return { type: 'sysex', command, data };
}

function splitCapabilities(data: readonly number[]): PinCapability[][] {
  const pins: PinCapability[][] = [];
  let pin: PinCapability[] = [];
  for (let i = 0; i < data.length; ) {
    const mode = data[i];
    if (mode === PIN_LIST_END) {
      pins.push(pin);
      pin = [];
      i += 1;
    } else {
      pin.push({ mode: mode ?? 0, resolution: data[i + 1] ?? 0 });
      i += 2;
    }
  }
  return pins;
}

/** Firmata sends 8-bit bytes as LSB-7, MSB-1 pairs inside sysex. */
function join7bit(pairs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) out.push(((pairs[i] ?? 0) & 0x7f) | (((pairs[i + 1] ?? 0) & 0x01) << 7));
  return out;
}

function split7bit(bytes: readonly number[]): number[] {
  return bytes.flatMap((b) => [b & 0x7f, (b >> 7) & 0x01]);
}

const sysex = (command: number, data: readonly number[] = []): Uint8Array => Uint8Array.from([START_SYSEX, command, ...data, END_SYSEX]);
const data7 = (n: number): number => n & 0x7f;

/** Message → bytes. The inverse of FirmataParser for every message a sender can send. */
export function encode(m: Exclude<FirmataMessage, { type: 'discarded' }>): Uint8Array {
  switch (m.type) {
    case 'version':
      return Uint8Array.from([REPORT_VERSION, data7(m.major), data7(m.minor)]);
    case 'version-query':
      return Uint8Array.from([REPORT_VERSION]);
    case 'firmware':
      return sysex(REPORT_FIRMWARE, [data7(m.major), data7(m.minor), ...split7bit(Array.from(m.name, (c) => c.charCodeAt(0) & 0xff))]);
    case 'firmware-query':
      return sysex(REPORT_FIRMWARE);
    case 'capability-query':
      return sysex(CAPABILITY_QUERY);
    case 'capabilities':
      return sysex(CAPABILITY_RESPONSE, m.pins.flatMap((p) => [...p.flatMap((c) => [data7(c.mode), data7(c.resolution)]), PIN_LIST_END]));
    case 'analog-mapping-query':
      return sysex(ANALOG_MAPPING_QUERY);
    case 'analog-mapping':
      return sysex(ANALOG_MAPPING_RESPONSE, m.channels.map((c) => (c === undefined ? PIN_LIST_END : data7(c))));
    case 'digital':
      return Uint8Array.from([DIGITAL_MESSAGE | (m.port & 0x0f), m.levels & 0x7f, (m.levels >> 7) & 0x01]);
    case 'analog':
      return Uint8Array.from([ANALOG_MESSAGE | (m.channel & 0x0f), m.value & 0x7f, (m.value >> 7) & 0x7f]);
    case 'report-digital':
      return Uint8Array.from([REPORT_DIGITAL | (m.port & 0x0f), m.enable ? 1 : 0]);
    case 'report-analog':
      return Uint8Array.from([REPORT_ANALOG | (m.pin & 0x0f), m.enable ? 1 : 0]);
    case 'set-pin-mode':
      return Uint8Array.from([SET_PIN_MODE, data7(m.pin), data7(m.mode)]);
    case 'set-digital-pin-value':
      return Uint8Array.from([SET_DIGITAL_PIN_VALUE, data7(m.pin), m.value]);
    case 'system-reset':
      return Uint8Array.from([SYSTEM_RESET]);
    case 'sysex':
      return sysex(data7(m.command), m.data.map(data7));
  }
}
