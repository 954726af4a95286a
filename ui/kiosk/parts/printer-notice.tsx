import type { LabelKey } from '../../common/i18n';
import { useTr } from '../context';
import { Notice } from './notice';
import type { PrinterProblem } from '../../../domain/kiosk-channel/view-model';

const PRINTER_PROBLEM: Record<PrinterProblem, LabelKey> = {
  'paper-out': 'printerPaperOut',
  'cover-open': 'printerCoverOpen',
  'not-ready': 'printerNotReady',
};

/**
 * Why the receipt printer cannot print and what the citizen gets instead of paper: on the start
 * screen before they begin, and on the review before they submit (a printer that stopped
 * mid-session), so nobody finds out only at the end.
 */
export function PrinterNotice({ problem }: { readonly problem: PrinterProblem }) {
  const tr = useTr();
  return (
    <Notice testid="printer-problem">
      {tr(PRINTER_PROBLEM[problem])} {tr('printerNoReceipt')}
    </Notice>
  );
}
