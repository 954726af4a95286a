/**
 * Role (Firmata codec): Firmata bytes ⇄ messages, pure. One parser serves both ends of the wire
 * (the driver reads the board, the simulator reads the host); `from` says whose bytes they are,
 * because REPORT_VERSION is a bare query from the host but carries two data bytes from the board.
 * Junk never vanishes silently: it comes out as a `discarded` message the caller can log. The
 * parser holds at most MAX_SYSEX_BYTES of an unfinished message.
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
 * END_SYSEX on the wire.
 */
export const MAX_SYSEX_BYTES = 2048;
/** Junk is reported in runs of at most this many bytes. */
const MAX_JUNK_RUN = 256;

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
  | { readonly type: 'discarded'; readonly bytes: readonly number[]; readonly why: string };

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

/** Streaming parser: feed chunks as they arrive, get whole messages back. */
export class FirmataParser {
  private pending: number[] = [];
  private junk: number[] = [];

  constructor(private readonly from: Sender) {}

  push(chunk: Uint8Array): FirmataMessage[] {
    const out: FirmataMessage[] = [];
    for (const b of chunk) this.byte(b, out);
    this.flushJunk(out);
    return out;
  }

  private byte(b: number, out: FirmataMessage[]): void {
    const first = this.pending[0];
    if (first === undefined) {
      if (isData(b) || (b !== START_SYSEX && dataLength(b, this.from) === undefined)) {
        this.junk.push(b);
        if (this.junk.length >= MAX_JUNK_RUN) this.flushJunk(out);
        return;
      }
      this.flushJunk(out);
      this.pending.push(b);
    } else if (first === START_SYSEX) {
      if (b === END_SYSEX) {
        const body = this.pending.slice(1);
        this.pending = [];
        out.push(decodeSysex(body, this.from));
        return;
      }
      if (!isData(b)) {
        // A status byte inside a sysex: the rest of that sysex was lost on the wire.
        out.push({ type: 'discarded', bytes: this.pending, why: 'sysex cut short by a status byte' });
        this.pending = [];
        this.byte(b, out);
        return;
      }
      this.pending.push(b);
      if (this.pending.length > MAX_SYSEX_BYTES) {
        out.push({ type: 'discarded', bytes: this.pending.slice(0, 16), why: `sysex longer than ${MAX_SYSEX_BYTES} bytes (END_SYSEX lost?)` });
        this.pending = [];
      }
    } else {
      if (!isData(b)) {
        out.push({ type: 'discarded', bytes: this.pending, why: 'message cut short by a status byte' });
        this.pending = [];
        this.byte(b, out);
        return;
      }
      this.pending.push(b);
    }
    const head = this.pending[0];
    if (head !== undefined && head !== START_SYSEX && this.pending.length - 1 === dataLength(head, this.from)) {
      out.push(decodeMidi(this.pending, this.from));
      this.pending = [];
    }
  }

  private flushJunk(out: FirmataMessage[]): void {
    if (this.junk.length === 0) return;
    out.push({ type: 'discarded', bytes: this.junk, why: 'bytes outside any message' });
    this.junk = [];
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
  if (command === undefined) return { type: 'discarded', bytes: [START_SYSEX, END_SYSEX], why: 'empty sysex' };
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
