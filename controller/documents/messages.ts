import type { Bilingual } from '../../domain/language';

/**
 * Citizen-facing texts for document errors and checks, in one place so wording stays
 * consistent and translators see every sentence together. Each says what to do next.
 */

const RESCAN_VI = 'Vui lòng quét lại, hoặc nhập số trên thẻ bằng bàn phím.';
const RESCAN_EN = 'Please scan again, or type the number on the card with the keypad.';

export const FIELD_LABEL: Readonly<Record<string, Bilingual>> = {
  idNumber: { vi: 'số định danh cá nhân', en: 'personal ID number' },
  oldIdNumber: { vi: 'số CMND cũ', en: 'old ID card (CMND) number' },
  fullName: { vi: 'họ và tên', en: 'full name' },
  dateOfBirth: { vi: 'ngày sinh', en: 'date of birth' },
  sex: { vi: 'giới tính', en: 'sex' },
  address: { vi: 'nơi thường trú', en: 'permanent address' },
  issueDate: { vi: 'ngày cấp', en: 'issue date' },
  expiryDate: { vi: 'ngày hết hạn', en: 'expiry date' },
  documentNumber: { vi: 'số giấy tờ trong vùng MRZ', en: 'document number in the MRZ' },
  composite: { vi: 'số kiểm tra tổng hợp của vùng MRZ', en: 'overall MRZ check digit' },
};

function label(field: string): Bilingual {
  return FIELD_LABEL[field] ?? { vi: field, en: field };
}

export const msg = {
  empty: (): Bilingual => ({
    vi: `Không đọc được dữ liệu nào. ${RESCAN_VI}`,
    en: `Nothing was read. ${RESCAN_EN}`,
  }),
  unrecognised: (): Bilingual => ({
    vi: `Mã vừa quét không phải mã QR hay vùng MRZ của thẻ căn cước công dân. ${RESCAN_VI}`,
    en: `What was scanned is not the QR code or the MRZ of a citizen ID card. ${RESCAN_EN}`,
  }),
  unknownLayout: (): Bilingual => ({
    vi: 'Mã QR này có định dạng máy chưa hỗ trợ (có thể là thẻ căn cước mẫu 2024). Vui lòng quét vùng MRZ ở mặt sau thẻ, hoặc nhập số định danh bằng bàn phím.',
    en: 'This QR code has a layout the kiosk does not support yet (perhaps a 2024 identity card). Please scan the MRZ on the back of the card, or type the ID number with the keypad.',
  }),
  badField: (field: string): Bilingual => ({
    vi: `Không đọc được ${label(field).vi} trên thẻ. ${RESCAN_VI}`,
    en: `The ${label(field).en} on the card could not be read. ${RESCAN_EN}`,
  }),
  checkDigit: (field: string): Bilingual => ({
    vi: `Số kiểm tra của ${label(field).vi} không khớp: thẻ có thể bị đọc sai hoặc hư hỏng. Lau sạch mặt sau thẻ và quét lại, hoặc nhập số bằng bàn phím.`,
    en: `The check digit of the ${label(field).en} does not match: the card was misread or is damaged. Wipe the back of the card and scan again, or type the number with the keypad.`,
  }),
  mrzFormat: (): Bilingual => ({
    vi: 'Vùng MRZ phải có 3 dòng, mỗi dòng 30 ký tự. Đặt mặt sau thẻ phẳng dưới máy quét và quét lại.',
    en: 'The MRZ must be 3 lines of 30 characters. Lay the back of the card flat under the scanner and scan again.',
  }),
  notVietnamese: (): Bilingual => ({
    vi: 'Đây không phải thẻ căn cước công dân Việt Nam. Vui lòng dùng thẻ căn cước công dân hoặc chứng minh nhân dân của bạn.',
    en: 'This is not a Vietnamese citizen ID card. Please use your citizen ID card or old ID card (CMND).',
  }),
  mrzIdMismatch: (): Bilingual => ({
    vi: 'Số giấy tờ và số định danh trong vùng MRZ không khớp nhau. Quét lại, hoặc nhập số bằng bàn phím.',
    en: 'The document number and the ID number in the MRZ do not match each other. Scan again, or type the number with the keypad.',
  }),
  typedLength: (): Bilingual => ({
    vi: 'Số vừa nhập phải có 12 chữ số (căn cước công dân) hoặc 9 chữ số (CMND cũ). Kiểm tra lại và nhập lại.',
    en: 'The number must have 12 digits (citizen ID) or 9 digits (old CMND). Check it and type it again.',
  }),
  typedDigits: (): Bilingual => ({
    vi: 'Chỉ nhập chữ số 0–9. Kiểm tra lại và nhập lại.',
    en: 'Type digits 0–9 only. Check the number and type it again.',
  }),
  // ── soft checks: the document is read, the step asks the citizen or staff to confirm ──
  idBirthYear: (fromId: number, fromDoc: string): Bilingual => ({
    vi: `Số định danh cho biết năm sinh ${fromId}, nhưng ngày sinh trên thẻ là ${fromDoc}. Nếu thông tin đúng, hãy xác nhận để cán bộ kiểm tra; nếu không, hãy quét lại.`,
    en: `The ID number implies birth year ${fromId}, but the card says ${fromDoc}. If the details are right, confirm and staff will check; otherwise scan again.`,
  }),
  idSex: (): Bilingual => ({
    vi: 'Giới tính theo số định danh khác với giới tính ghi trên thẻ. Nếu thông tin đúng, hãy xác nhận để cán bộ kiểm tra; nếu không, hãy quét lại.',
    en: 'The sex encoded in the ID number differs from the sex on the card. If the details are right, confirm and staff will check; otherwise scan again.',
  }),
  idCentury: (): Bilingual => ({
    vi: 'Chữ số thế kỷ trong số định danh không hợp lệ. Kiểm tra lại số; nếu đúng như trên thẻ, hãy xác nhận để cán bộ kiểm tra.',
    en: 'The century digit in the ID number is not valid. Check the number; if it matches the card, confirm and staff will check.',
  }),
  province: (code: string): Bilingual => ({
    vi: `Mã tỉnh ${code} trong số định danh không có trong danh mục. Kiểm tra lại số; nếu đúng như trên thẻ, hãy xác nhận để cán bộ kiểm tra.`,
    en: `Province code ${code} in the ID number is not in the list. Check the number; if it matches the card, confirm and staff will check.`,
  }),
  birthInFuture: (): Bilingual => ({
    vi: 'Ngày sinh nằm trong tương lai. Quét lại thẻ hoặc nhờ cán bộ hỗ trợ.',
    en: 'The date of birth is in the future. Scan the card again or ask staff for help.',
  }),
  issueBeforeBirth: (): Bilingual => ({
    vi: 'Ngày cấp thẻ sớm hơn ngày sinh. Quét lại thẻ hoặc nhờ cán bộ hỗ trợ.',
    en: 'The issue date is before the date of birth. Scan the card again or ask staff for help.',
  }),
  expired: (): Bilingual => ({
    vi: 'Thẻ đã hết hạn. Bạn vẫn có thể tiếp tục; cán bộ sẽ được thông báo.',
    en: 'The card has expired. You can still continue; staff will be told.',
  }),
  crossMismatch: (field: string): Bilingual => ({
    vi: `${capitalise(label(field).vi)} trong mã QR và vùng MRZ không khớp. Hãy chắc chắn bạn quét cùng một thẻ, rồi quét lại.`,
    en: `The ${label(field).en} in the QR code and in the MRZ differ. Make sure both come from the same card, then scan again.`,
  }),
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
