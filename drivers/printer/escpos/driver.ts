import type { DeviceStatus, PrinterStatus, PrintResult, Receipt, ReceiptPrinter } from '../../types';
import { dleEot } from './commands';
import { encodeReceiptSegments, type EncodeOptions } from './encode';
import { interpretStatus, STATUS_QUERY_ORDER } from './status';
import type { ByteTransport } from '../../serial/byte-transport';

export interface EscPosPrinterOptions {
  /** Opens the wire; called by open(). */
  readonly connect: () => Promise<ByteTransport>;
  /** For technicians: "/dev/ttyUSB0 at 115200 baud". */
  readonly where: string;
  readonly driverName?: string;
  readonly encode: EncodeOptions;
  /** How long to wait for each DLE EOT reply before calling the printer offline. */
  readonly statusTimeoutMs?: number;
  /** Ask for the status again after at least this many job bytes (at a command boundary). */
  readonly statusEveryBytes?: number;
}

const PRINTABLE = new Set<PrinterStatus['kind']>(['ready', 'paper-low']);

/**
 * ESC/POS receipt printer on a byte transport. Status comes from DLE EOT 1–4, which printers
 * answer in real time even when offline or with a full buffer, so a missing reply really means
 * nobody is listening (unpowered, unplugged, wrong port or baud).
 */
export class EscPosPrinter implements ReceiptPrinter {
  readonly kind = 'printer' as const;
  private transport: ByteTransport | undefined;
  private unsubscribe: Array<() => void> = [];
  private current: DeviceStatus;
  private readonly listeners = new Set<(s: DeviceStatus) => void>();
  private inbox: number[] = [];
  private waiter: (() => void) | undefined;
  /** Status reads and prints take turns: a reply must be matched to its query. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: EscPosPrinterOptions) {
    this.current = { kind: 'printer', driver: o.driverName ?? 'escpos', state: 'disconnected' };
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (s: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: DeviceStatus['state'], detail?: string): DeviceStatus {
    this.current = { kind: 'printer', driver: this.current.driver, state, ...(detail === undefined ? {} : { detail }) };
    for (const l of this.listeners) l(this.current);
    return this.current;
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    this.setState('connecting');
    try {
      const t = await this.o.connect();
      this.transport = t;
      this.unsubscribe = [
        t.onData((bytes) => {
          for (const b of bytes) this.inbox.push(b);
          this.waiter?.();
        }),
        t.onClose(() => {
          this.transport = undefined;
          this.setState('disconnected', `port closed: ${this.o.where}`);
        }),
      ];
    } catch (e) {
      return this.setState('disconnected', `cannot open ${this.o.where}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (signal?.aborted === true) return this.current;
    return this.reflect(await this.readStatus());
  }

  private reflect(s: PrinterStatus): DeviceStatus {
    if (this.transport === undefined) return this.current;
    if (PRINTABLE.has(s.kind)) return this.setState('ready', s.kind === 'paper-low' ? 'paper near end' : undefined);
    if (s.kind === 'offline') return this.setState('fault', `no status reply on ${this.o.where}`);
    return this.setState('fault', s.kind === 'fault' ? s.message : s.kind);
  }

  async close(): Promise<void> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    const t = this.transport;
    this.transport = undefined;
    await t?.close();
    this.setState('disconnected');
  }

  /** A write on a vanished port throws; the caller gets a value, as for every other failure. */
  private serial<T>(job: () => Promise<T>, onError: (message: string) => T): Promise<T> {
    const guarded = (): Promise<T> =>
      job().catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        this.setState('fault', message);
        return onError(message);
      });
    const run = this.queue.then(guarded, guarded);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private nextByte(timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const take = (): boolean => {
        const b = this.inbox.shift();
        if (b === undefined) return false;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(b);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      if (!take()) this.waiter = () => void take();
    });
  }

  private async queryStatus(t: ByteTransport): Promise<PrinterStatus> {
    const timeout = this.o.statusTimeoutMs ?? 500;
    this.inbox = []; // anything unasked-for (a late reply, Automatic Status Back) is stale now
    const replies: number[] = [];
    for (const n of STATUS_QUERY_ORDER) {
      await t.write(dleEot(n));
      const b = await this.nextByte(timeout);
      if (b === undefined) return { kind: 'offline' };
      replies.push(b);
    }
    const [printer = 0, offlineCause = 0, errorCause = 0, paperSensor = 0] = replies;
    return interpretStatus({ printer, offlineCause, errorCause, paperSensor });
  }

  readStatus(): Promise<PrinterStatus> {
    return this.serial(async () => {
      const t = this.transport;
      if (t === undefined) return { kind: 'offline' } satisfies PrinterStatus;
      const s = await this.queryStatus(t);
      this.reflect(s);
      return s;
    }, (message): PrinterStatus => ({ kind: 'fault', reason: 'unplugged', message }));
  }

  print(receipt: Receipt, opts?: { readonly signal?: AbortSignal }): Promise<PrintResult> {
    return this.serial(async () => {
      const t = this.transport;
      if (t === undefined) return { kind: 'not-printed', status: { kind: 'offline' } } satisfies PrintResult;
      const before = await this.queryStatus(t);
      if (!PRINTABLE.has(before.kind)) {
        this.reflect(before);
        return { kind: 'not-printed', status: before } satisfies PrintResult;
      }
      this.setState('busy');
      const segments = await encodeReceiptSegments(receipt, this.o.encode);
      const every = this.o.statusEveryBytes ?? 4096;
      let sinceCheck = 0;
      for (const seg of segments) {
        if (opts?.signal?.aborted === true) {
          this.reflect(before);
          return { kind: 'not-printed', status: { kind: 'fault', reason: 'aborted', message: 'print aborted' } } satisfies PrintResult;
        }
        await t.write(seg);
        sinceCheck += seg.length;
        if (sinceCheck >= every) {
          sinceCheck = 0;
          const mid = await this.queryStatus(t);
          if (!PRINTABLE.has(mid.kind)) {
            this.reflect(mid);
            return { kind: 'not-printed', status: mid } satisfies PrintResult;
          }
        }
      }
      // The last bytes may have hit the end of the roll: only a status after the cut says it printed.
      const after = await this.queryStatus(t);
      this.reflect(after);
      return PRINTABLE.has(after.kind) ? ({ kind: 'printed' } satisfies PrintResult) : ({ kind: 'not-printed', status: after } satisfies PrintResult);
    }, (message): PrintResult => ({ kind: 'not-printed', status: { kind: 'fault', reason: 'unplugged', message } }));
  }
}
