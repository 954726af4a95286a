/**
 * Role (ESC/POS driver): the ReceiptPrinter over the serial kit. Status comes from DLE EOT 1–4,
 * which printers answer in real time even when offline or with a full buffer, so a missing
 * reply really means nobody is listening (unpowered, unplugged, wrong port or baud). Status
 * reads and print jobs take turns on the line (the kit's task queue), so every reply is matched
 * to its query.
 */
import type { DeviceStatus, Fault, PrinterStatus, PrintResult, Receipt, ReceiptPrinter } from '../../types';
import { DeviceError, faultFromThrown } from '../../errors';
import type { DeviceLog } from '../../log';
import { portPresent } from '../../serial/presence';
import { TaskQueue } from '../../serial/task-queue';
import { closeFault, failureReason, openSerial, type SerialPortOptions, type SerialTransport } from '../../serial/transport';
import { dleEot, interpretStatus, STATUS_QUERY_ORDER } from './codec';
import { encodeReceiptSegments, type EncodeOptions } from './encode';

export interface EscPosPrinterOptions {
  readonly port: SerialPortOptions;
  readonly log: DeviceLog;
  readonly driverName?: string;
  readonly encode: EncodeOptions;
  /** How long to wait for each DLE EOT reply before calling the printer offline. */
  readonly statusTimeoutMs?: number;
  /** Ask for the status again after at least this many job bytes (at a command boundary). */
  readonly statusEveryBytes?: number;
}

const PRINTABLE = new Set<PrinterStatus['kind']>(['ready', 'paper-low']);

export class EscPosPrinter implements ReceiptPrinter {
  readonly kind = 'printer' as const;
  private transport: SerialTransport | undefined;
  private current: DeviceStatus;
  private readonly listeners = new Set<(s: DeviceStatus) => void>();
  private inbox: number[] = [];
  private waiter: (() => void) | undefined;
  private readonly line = new TaskQueue();
  private readonly where: string;

  constructor(private readonly o: EscPosPrinterOptions) {
    this.current = { kind: 'printer', driver: o.driverName ?? 'escpos', state: 'disconnected' };
    this.where = `${o.port.path} at ${o.port.baudRate} baud`;
  }

  status(): DeviceStatus {
    return this.current;
  }

  onStatus(listener: (s: DeviceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Is the printer's port there (hot-plug, issue #13)? A pulled USB cable takes its node away. */
  present(): Promise<boolean> {
    return portPresent(this.o.port);
  }

  private setState(state: DeviceStatus['state'], detail?: string): DeviceStatus {
    const was = this.current;
    this.current = { kind: 'printer', driver: was.driver, state, ...(detail === undefined ? {} : { detail }) };
    if (state !== was.state || detail !== was.detail) {
      const fields = { state, was: was.state, detail };
      if (state === 'fault') this.o.log.warn(fields, 'printer fault');
      else if (state !== 'busy' && was.state !== 'busy') this.o.log.info(fields, `printer ${state}`);
    }
    for (const l of this.listeners) l(this.current);
    return this.current;
  }

  async open(signal?: AbortSignal): Promise<DeviceStatus> {
    if (this.transport) await this.close();
    this.setState('connecting');
    const opened = await openSerial(this.o.port);
    if (opened.kind === 'error') return this.setState('disconnected', `cannot open ${this.where}: ${opened.message}`);
    const t = opened.port;
    this.transport = t;
    t.onData((bytes) => {
      for (const b of bytes) this.inbox.push(b);
      this.waiter?.();
    });
    t.onClose((closed) => {
      if (this.transport !== t) return;
      this.transport = undefined;
      this.setState('disconnected', closeFault(closed, this.where).message);
    });
    if (signal?.aborted === true) return this.current;
    return this.reflect(await this.readStatus());
  }

  private reflect(s: PrinterStatus): DeviceStatus {
    if (this.transport === undefined) return this.current;
    if (PRINTABLE.has(s.kind)) return this.setState('ready', s.kind === 'paper-low' ? 'paper near end' : undefined);
    if (s.kind === 'offline') return this.setState('fault', `no status reply on ${this.where}`);
    return this.setState('fault', s.kind === 'fault' ? s.message : s.kind);
  }

  async close(): Promise<void> {
    const t = this.transport;
    this.transport = undefined;
    await t?.close();
    this.setState('disconnected');
  }

  /**
   * One job on the line at a time. A write that fails (a vanished port) ends the job with the
   * fault it means; anything else thrown (the encoder) too, so the caller always gets a value.
   */
  private async onLine<T>(job: () => Promise<T>, onFault: (f: Fault) => T): Promise<T> {
    try {
      const q = await this.line.run(job);
      return q.kind === 'ran' ? q.value : onFault({ kind: 'fault', reason: 'aborted', message: 'cancelled' });
    } catch (e) {
      const f = faultFromThrown(e, 'protocol');
      this.setState(f.reason === 'unplugged' ? 'disconnected' : 'fault', f.message);
      return onFault(f);
    }
  }

  private async write(t: SerialTransport, bytes: Uint8Array): Promise<void> {
    const w = await t.write(bytes);
    if (w.kind === 'error') {
      // Thrown (inside the job only) to end the job at once; onLine turns it back into a fault.
      throw new DeviceError(failureReason(w), `writing to ${this.where} failed: ${w.message}`);
    }
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

  private async queryStatus(t: SerialTransport): Promise<PrinterStatus> {
    const timeout = this.o.statusTimeoutMs ?? 500;
    // Anything unasked-for (a late reply, Automatic Status Back) is stale now.
    if (this.inbox.length > 0) this.o.log.debug({ bytes: this.inbox.length }, 'printer: discarded unasked-for bytes');
    this.inbox = [];
    const replies: number[] = [];
    for (const n of STATUS_QUERY_ORDER) {
      await this.write(t, dleEot(n));
      const b = await this.nextByte(timeout);
      if (b === undefined) return { kind: 'offline' };
      replies.push(b);
    }
    const [printer = 0, offlineCause = 0, errorCause = 0, paperSensor = 0] = replies;
    return interpretStatus({ printer, offlineCause, errorCause, paperSensor });
  }

  readStatus(): Promise<PrinterStatus> {
    return this.onLine(
      async (): Promise<PrinterStatus> => {
        const t = this.transport;
        if (t === undefined) return { kind: 'offline' };
        const s = await this.queryStatus(t);
        this.reflect(s);
        return s;
      },
      (f): PrinterStatus => f,
    );
  }

  print(receipt: Receipt, opts?: { readonly signal?: AbortSignal }): Promise<PrintResult> {
    return this.onLine(
      async (): Promise<PrintResult> => {
        const t = this.transport;
        if (t === undefined) return { kind: 'not-printed', status: { kind: 'offline' } };
        const before = await this.queryStatus(t);
        if (!PRINTABLE.has(before.kind)) {
          this.reflect(before);
          return { kind: 'not-printed', status: before };
        }
        this.setState('busy');
        const segments = await encodeReceiptSegments(receipt, this.o.encode);
        const every = this.o.statusEveryBytes ?? 4096;
        let sinceCheck = 0;
        for (const seg of segments) {
          if (opts?.signal?.aborted === true) {
            this.reflect(before);
            return { kind: 'not-printed', status: { kind: 'fault', reason: 'aborted', message: 'print aborted' } };
          }
          await this.write(t, seg);
          sinceCheck += seg.length;
          if (sinceCheck >= every) {
            sinceCheck = 0;
            const mid = await this.queryStatus(t);
            if (!PRINTABLE.has(mid.kind)) {
              this.reflect(mid);
              return { kind: 'not-printed', status: mid };
            }
          }
        }
        // The last bytes may have hit the end of the roll: only a status after the cut says it printed.
        const after = await this.queryStatus(t);
        this.reflect(after);
        return PRINTABLE.has(after.kind) ? { kind: 'printed' } : { kind: 'not-printed', status: after };
      },
      (f): PrintResult => ({ kind: 'not-printed', status: f }),
    );
  }
}
