import type { Logger } from 'pino';
import type { PrinterStatus, ReceiptPrinter } from '../../drivers/types';
import type { PrintOutcome } from '../enrollment/context';
import type { PrintInput } from '../enrollment/machine';
import { buildReceipt } from '../receipt/receipt';
import type { StaffAlert } from '../ops/alerts';
import type { Bilingual } from '../../domain/language';

const STATUS_TEXT: Record<PrinterStatus['kind'], Bilingual> = {
  ready: { vi: '', en: '' },
  'paper-low': { vi: '', en: '' },
  'paper-out': { vi: 'Máy in đã hết giấy.', en: 'The printer is out of paper.' },
  'cover-open': { vi: 'Nắp máy in đang mở.', en: 'The printer cover is open.' },
  offline: { vi: 'Máy in không phản hồi.', en: 'The printer is not responding.' },
  fault: { vi: 'Máy in gặp sự cố.', en: 'The printer has a fault.' },
};

const PHOTOGRAPH: Bilingual = {
  vi: 'Xin chụp ảnh màn hình này để giữ mã hồ sơ. Cán bộ đã được báo.',
  en: 'Please take a photo of this screen to keep your tracking code. Staff have been told.',
};

/**
 * Print the receipt. A printer problem never fails the enrollment (it is already committed):
 * the receipt stays on screen, the citizen is told to photograph it, and staff are alerted
 * through the log (and, later, ops metrics).
 */
export function createReceiptService(printer: ReceiptPrinter, kioskId: string, log: Logger, onAlert?: (a: StaffAlert) => void, now: () => Date = () => new Date()) {
  // The signal is deliberately not passed on: a citizen who taps "Finish" while the receipt is
  // printing should still get the whole receipt, not half of one and a confused printer.
  return async (input: PrintInput, _signal: AbortSignal): Promise<PrintOutcome> => {
    const details = {
      trackingCode: input.trackingCode,
      at: now(),
      kioskId,
      fullName: input.fullName,
      idNumber: input.idNumber,
      language: input.lang,
      case: input.case,
      invitationId: input.invitationId,
      guardianName: input.guardianName,
      guardianIdNumber: input.guardianIdNumber,
      finishAt: input.finishAt,
    };
    const receipt = buildReceipt(details, 'paper');
    const result = await printer.print(receipt);
    if (result.kind === 'printed') return { printed: true, receiptLines: receipt.lines.map((l) => l.text) };
    // No paper: the screen's copy is all the citizen takes home, and says so.
    const receiptLines = buildReceipt(details, 'screen').lines.map((l) => l.text);
    const why = STATUS_TEXT[result.status.kind];
    // A driver fault keeps its typed reason in the log (unplugged vs timeout vs the printer's own
    // error). No tracking code in the log: it stays on the citizen's screen and receipt.
    const reason = result.status.kind === 'fault' ? result.status.reason : undefined;
    log.warn({ alert: 'printer', status: result.status, ...(reason ? { reason } : {}) }, 'receipt not printed: staff attention needed');
    onAlert?.({ at: now().toISOString(), device: 'printer', status: result.status.kind, trackingCode: input.trackingCode });
    return { printed: false, receiptLines, message: { vi: `${why.vi} ${PHOTOGRAPH.vi}`.trim(), en: `${why.en} ${PHOTOGRAPH.en}`.trim() } };
  };
}
