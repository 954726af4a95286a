import type { Receipt, ReceiptLine } from '../../drivers/types';
import type { Bilingual, Lang } from '../../domain/language';
import type { ApplicationCase } from '../../domain/application';

export interface ReceiptInput {
  readonly trackingCode: string;
  readonly at: Date;
  readonly kioskId: string;
  readonly fullName: string;
  /** 12-digit personal ID (or a 9-digit old CMND). */
  readonly idNumber: string;
  /**
   * The language the citizen used. The paper is always Vietnamese first, then English (staff
   * at the office read the Vietnamese); 'en' only moves the English "what next" text first so
   * the citizen who chose English finds it at once.
   */
  readonly language: Lang;
  /** Why the citizen applied (issue #15); absent on receipts made before it existed. */
  readonly case?: ApplicationCase | undefined;
  /** The invitation (giấy mời) the application came with. */
  readonly invitationId?: string | undefined;
  /** A child's application: the guardian who applied with the child. */
  readonly guardianName?: string | undefined;
  readonly guardianIdNumber?: string | undefined;
  /** Under 6 (no biometrics taken here): where the application is finished. */
  readonly finishAt?: Bilingual | undefined;
}

/** The case in a few words each language, for a narrow paper line. */
export const CASE_ON_RECEIPT: Readonly<Record<ApplicationCase, Bilingual>> = {
  first: { vi: 'Cấp thẻ lần đầu', en: 'First card' },
  damaged: { vi: 'Thẻ bị hỏng', en: 'Card damaged' },
  expired: { vi: 'Thẻ hết hạn', en: 'Card expired' },
  lost: { vi: 'Mất thẻ', en: 'Card lost' },
  changed: { vi: 'Thay đổi thông tin', en: 'Details changed' },
  other: { vi: 'Lý do khác', en: 'Other' },
};

export const RECEIPT_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Fits a 58 mm line in either printing mode. */
const RULE = '------------------------';

/** dd/MM/yyyy HH:mm in Vietnam time, whatever the kiosk's system zone. */
export function formatVietnamTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: RECEIPT_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const p = (t: Intl.DateTimeFormatPartTypes): string => parts.find((x) => x.type === t)?.value ?? '';
  return `${p('day')}/${p('month')}/${p('year')} ${p('hour')}:${p('minute')}`;
}

/** Only the last digits stay readable: enough for the citizen to recognise their own card. */
export function maskIdNumber(id: string): string {
  const digits = id.replace(/\D/g, '');
  const keep = digits.length >= 12 ? 4 : 3;
  return '*'.repeat(Math.max(0, digits.length - keep)) + digits.slice(-keep);
}

// Only what is true when the paper comes out: the sealed application is committed on this kiosk
// and waits in its outbox; it reaches the police later (online, or on a mobile team's media).
const SAVED_VI = 'Tiếp theo: hồ sơ của bạn đã được lưu tại máy này và sẽ được gửi đến cơ quan Công an để xét duyệt.';
const SAVED_EN = 'Next: your application is saved on this kiosk and will be sent to the police for review.';
/**
 * What to keep: the paper, when there is one; when the printer failed, the citizen has only the
 * screen's copy (no paper, no QR code to scan), so they keep the code itself.
 */
const KEEP: Readonly<Record<ReceiptCopy, { readonly vi: string; readonly en: string }>> = {
  paper: {
    vi: 'Hãy giữ giấy này. Dùng mã hồ sơ hoặc quét mã QR để tra cứu tình trạng và khi đến nhận thẻ.',
    en: 'Keep this receipt. Use the tracking code or scan the QR code to check the status and when you collect your card.',
  },
  screen: {
    vi: 'Hãy ghi lại hoặc chụp ảnh mã hồ sơ này. Dùng mã để tra cứu tình trạng và khi đến nhận thẻ.',
    en: 'Write down or take a photo of this tracking code. Use it to check the status and when you collect your card.',
  },
};

/** `paper`: the receipt as printed. `screen`: the copy shown when nothing could be printed. */
export type ReceiptCopy = 'paper' | 'screen';

export function buildReceipt(input: ReceiptInput, copy: ReceiptCopy = 'paper'): Receipt {
  const nfc = (s: string): string => s.normalize('NFC');
  const vi = [SAVED_VI, KEEP[copy].vi];
  const en = [SAVED_EN, KEEP[copy].en];
  const next = input.language === 'en' ? [...en, ...vi] : [...vi, ...en];
  const lines: ReceiptLine[] = [
    { text: 'GIẤY BIÊN NHẬN HỒ SƠ', align: 'center', bold: true, size: 'large' },
    { text: 'Application receipt', align: 'center' },
    { text: RULE, align: 'center' },
    { text: 'Mã hồ sơ / Tracking code', align: 'center' },
    { text: input.trackingCode, align: 'center', bold: true, size: 'large' },
    { text: RULE, align: 'center' },
    { text: `Thời gian / Time: ${formatVietnamTime(input.at)}` },
    { text: `Máy / Kiosk: ${input.kioskId}` },
    { text: `Họ tên / Name: ${input.fullName.trim()}` },
    { text: `Số định danh / ID: ${maskIdNumber(input.idNumber)}` },
    ...(input.case ? [{ text: `Lý do / Reason: ${CASE_ON_RECEIPT[input.case].vi} / ${CASE_ON_RECEIPT[input.case].en}` }] : []),
    ...(input.invitationId ? [{ text: `Giấy mời / Invitation: ${input.invitationId}` }] : []),
    ...(input.guardianName !== undefined || input.guardianIdNumber !== undefined
      ? [{ text: `Người giám hộ / Guardian: ${(input.guardianName ?? '').trim()}${input.guardianIdNumber ? ` (${maskIdNumber(input.guardianIdNumber)})` : ''}` }]
      : []),
    { text: RULE, align: 'center' },
    // Under 6 nothing biometric was taken here: where the application is finished comes first.
    ...(input.finishAt ? [{ text: 'Hoàn tất hồ sơ / To finish the application:', bold: true }, { text: input.finishAt.vi }, { text: input.finishAt.en }, { text: RULE, align: 'center' as const }] : []),
    ...next.map((text): ReceiptLine => ({ text })),
  ];
  return { lines: lines.map((l) => ({ ...l, text: nfc(l.text) })), qr: input.trackingCode };
}
