import type { Logger } from 'pino';
import type { PrinterStatus, ReceiptPrinter } from '../../drivers/types';
import type { PrinterProblem } from '../../domain/kiosk-channel/view-model';

/**
 * Finds printer trouble before a citizen needs the printer (issue #11: paper out was found at
 * the end of a session). While the printer is idle its status is asked every `checkEveryMs`; the
 * answer, and the answer to every print, says why it cannot print (paper out, cover open). While
 * it is down for a reason nobody heard (unplugged at start, not answering), it is `not-ready`.
 *
 * The receipt service prints through `printer` (this watch's face on the driver), so every
 * print's outcome is seen here too. `onChange` is told each time the problem changes; the change
 * is reported once the driver has settled (a failed status read first reports the device down,
 * then returns the reason), so one event makes one report.
 */

export interface PrinterWatch {
  /** The printer to print through: the driver, with every status it answers noted here. */
  readonly printer: ReceiptPrinter;
  /** Why the printer cannot print now, or undefined when it can. */
  problem(): PrinterProblem | undefined;
  stop(): void;
}

export interface PrinterWatchOptions {
  readonly checkEveryMs: number;
  readonly log: Logger;
  readonly onChange: (problem: PrinterProblem | undefined) => void;
}

/** Why this status means no receipt, or undefined when the printer can print. */
export function problemOf(status: PrinterStatus): PrinterProblem | undefined {
  switch (status.kind) {
    case 'ready':
    case 'paper-low':
      return undefined;
    case 'paper-out':
    case 'cover-open':
      return status.kind;
    case 'offline':
    case 'fault':
      return 'not-ready';
  }
}

export function watchPrinter(driver: ReceiptPrinter, opts: PrinterWatchOptions): PrinterWatch {
  /** The last status the printer answered: why it is down, if it is. */
  let heard: PrinterStatus | undefined;
  let reported: PrinterProblem | undefined;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const current = (): PrinterProblem | undefined => {
    const state = driver.status().state;
    if (state === 'ready' || state === 'busy') return undefined;
    // Reconnecting: nothing new is known yet.
    if (state === 'connecting') return reported;
    return (heard && problemOf(heard)) ?? 'not-ready';
  };
  const settle = (): void => {
    if (pending !== undefined || stopped) return;
    pending = setTimeout(() => {
      pending = undefined;
      const now = current();
      if (now === reported) return;
      reported = now;
      if (now === undefined) heard = undefined;
      opts.onChange(now);
    }, 0);
  };
  /** A reason heard earlier that still stands while the printer is closed (its supervisor reopens it). */
  const standing = (): PrinterStatus | undefined => (heard && (heard.kind === 'paper-out' || heard.kind === 'cover-open') && driver.status().state !== 'ready' ? heard : undefined);
  const note = (status: PrinterStatus): void => {
    // "Offline" from a printer that is closed is not its answer (nothing was asked): keep the
    // reason it gave before it was closed.
    if (status.kind === 'offline' && standing()) return settle();
    heard = status;
    settle();
  };

  const offStatus = driver.onStatus(() => settle());
  const check = async (): Promise<void> => {
    // Only an idle printer that says it is fine is asked: a busy one is printing (and reports at
    // the end), a down one is being reopened by its supervisor (which reads the status itself).
    if (driver.status().state !== 'ready') return;
    try {
      note(await driver.readStatus());
    } catch (err) {
      opts.log.warn({ err }, 'printer status check failed');
    }
  };
  const timer = setInterval(() => void check(), opts.checkEveryMs);
  settle();

  const printer: ReceiptPrinter = {
    kind: 'printer',
    open: (signal) => driver.open(signal),
    close: () => driver.close(),
    status: () => driver.status(),
    onStatus: (listener) => driver.onStatus(listener),
    async readStatus() {
      const s = await driver.readStatus();
      note(s);
      return s;
    },
    async print(receipt, printOpts) {
      const r = await driver.print(receipt, printOpts);
      // Aborted is ours, not the printer's: it says nothing about paper or cover.
      if (r.kind === 'printed') note({ kind: 'ready' });
      else if (!(r.status.kind === 'fault' && r.status.reason === 'aborted')) note(r.status);
      // Not printed because the printer is closed while its supervisor waits to reopen it: the
      // reason is the one it gave before (out of paper), not "not responding".
      const still = standing();
      if (r.kind === 'not-printed' && r.status.kind === 'offline' && still) return { kind: 'not-printed', status: still };
      return r;
    },
  };

  return {
    printer,
    // What was last reported (the same as onChange said), not a fresher reading not yet announced.
    problem: () => reported,
    stop() {
      stopped = true;
      clearInterval(timer);
      if (pending !== undefined) clearTimeout(pending);
      offStatus();
    },
  };
}
