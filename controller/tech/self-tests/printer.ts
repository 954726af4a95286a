import type { PrinterStatus, Receipt } from '../../../drivers/types';
import { adviceFor, notWorking } from '../advice';
import { usableOr, type Outcome, type SelfTestHooks, type SelfTestKit } from '../self-test';
import type { Bilingual } from '../../../domain/language';

/** Vietnamese in every diacritic the receipt uses, so a wrong code page shows at once. */
export function testPage(kioskId: string, at: Date): Receipt {
  return {
    lines: [
      { text: 'TRANG IN THỬ / TEST PAGE', align: 'center', bold: true, size: 'large' },
      { text: `Ki-ốt / Kiosk: ${kioskId}` },
      { text: 'Tiếng Việt: Nguyễn Thị Ánh Tuyết, Trần Đức Hưởng, ĐỖ VĂN HẢI' },
      { text: 'ăâđêôơư ÀẢÃÁẠ ẰẲẴẮẶ ẦẨẪẤẬ ỲỶỸÝỴ' },
      { text: at.toISOString() },
    ],
    qr: `TEST-PAGE ${kioskId}`,
  };
}

const WHY: Readonly<Record<'paper-out' | 'cover-open' | 'paper-low', { readonly summary: Bilingual; readonly next: Bilingual }>> = {
  'paper-out': {
    summary: { vi: 'Máy in hết giấy.', en: 'The printer is out of paper.' },
    next: { vi: 'Lắp cuộn giấy mới (mặt in hướng lên), đóng nắp, rồi bấm "Kiểm tra".', en: 'Put in a new roll (printing side up), close the cover, then press "Test".' },
  },
  'cover-open': {
    summary: { vi: 'Nắp máy in đang mở.', en: "The printer's cover is open." },
    next: { vi: 'Đóng nắp máy in cho đến khi nghe tiếng tách, rồi bấm "Kiểm tra".', en: 'Close the cover until it clicks, then press "Test".' },
  },
  'paper-low': {
    summary: { vi: 'Trang thử đã in, nhưng giấy sắp hết.', en: 'The test page printed, but the paper is running low.' },
    next: { vi: 'Chuẩn bị thay cuộn giấy mới.', en: 'Have a new roll ready.' },
  },
};

/** Print a test page and read the printer's status after it. */
export async function printerSelfTest(kit: SelfTestKit, hooks: SelfTestHooks): Promise<Outcome> {
  const down = await usableOr('printer', kit.printer, hooks.signal);
  if (down) return { ...down, printer: { status: kit.printer.status().state } };
  hooks.prompt?.({ vi: 'Máy in sẽ in một trang thử.', en: 'The printer will print a test page.' });
  const r = await kit.printer.print(testPage(kit.kioskId, new Date()), hooks.signal ? { signal: hooks.signal } : {});
  const status: PrinterStatus = r.kind === 'printed' ? await kit.printer.readStatus() : r.status;
  if (r.kind === 'printed') {
    if (status.kind === 'paper-low') return { ok: true, ...WHY['paper-low'], printer: { status: status.kind } };
    return { ok: true, summary: { vi: 'Đã in trang thử. Xem trang in: chữ có dấu phải rõ ràng.', en: 'The test page printed. Look at it: the Vietnamese letters must be clear.' }, printer: { status: status.kind } };
  }
  switch (status.kind) {
    case 'paper-out':
    case 'cover-open':
      return { ok: false, ...WHY[status.kind], printer: { status: status.kind } };
    case 'fault':
      return { ok: false, summary: notWorking('printer', status.reason), next: adviceFor('printer', status.reason), detail: status.message, printer: { status: status.kind } };
    default:
      return { ok: false, summary: notWorking('printer', 'timeout'), next: adviceFor('printer', 'no-reply'), detail: `not printed: printer ${status.kind}`, printer: { status: status.kind } };
  }
}
