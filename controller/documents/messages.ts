import type { Bilingual } from '../../domain/language';

/**
 * Citizen-facing texts for document errors and checks, in one place so wording stays
 * consistent and translators see every sentence together. Errors (the card could not be read)
 * say what to do next. Soft checks (the card was read but something disagrees) are one short
 * statement each: the mismatch screen says once what the citizen can do about all of them.
 * Words a citizen knows: "the three lines on the back of the card", never "MRZ".
 */

/** The TD1 machine-readable zone, as a citizen sees it (docs/facts/mrz-td1.md). */
const BACK_LINES_VI = 'ba dòng chữ ở mặt sau thẻ';
const BACK_LINES_EN = 'the three lines of text on the back of the card';

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
  documentNumber: { vi: 'số thẻ ở mặt sau thẻ', en: 'card number on the back of the card' },
  composite: { vi: `số kiểm tra cuối cùng trong ${BACK_LINES_VI}`, en: `last check digit in ${BACK_LINES_EN}` },
};

function label(field: string): Bilingual {
  return FIELD_LABEL[field] ?? { vi: field, en: field };
}

export const msg = {
  empty: (): Bilingual => ({
    vi: `Không đọc được dữ liệu nào. ${RESCAN_VI}`,
    en: `Nothing was read. ${RESCAN_EN}`,
  }),
  unreadableScan: (): Bilingual => ({
    vi: 'Chưa đọc được thẻ. Xin giữ thẻ yên và phẳng dưới máy quét, hoặc quét mã QR ở mặt trước thẻ.',
    en: 'The card could not be read. Hold it still and flat under the scanner, or scan the QR code on the front.',
  }),
  unrecognised: (): Bilingual => ({
    vi: `Mã vừa quét không phải mã QR ở mặt trước hay ${BACK_LINES_VI} căn cước công dân. ${RESCAN_VI}`,
    en: `What was scanned is not the QR code on the front or ${BACK_LINES_EN} of a citizen ID card. ${RESCAN_EN}`,
  }),
  unknownLayout: (): Bilingual => ({
    vi: `Mã QR này có định dạng máy chưa hỗ trợ (có thể là thẻ căn cước mẫu 2024). Vui lòng quét ${BACK_LINES_VI}, hoặc nhập số định danh bằng bàn phím.`,
    en: `This QR code has a layout the kiosk does not support yet (perhaps a 2024 identity card). Please scan ${BACK_LINES_EN}, or type the ID number with the keypad.`,
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
    vi: `Chưa đọc đủ ${BACK_LINES_VI}. Đặt mặt sau thẻ phẳng dưới máy quét, giữ yên và quét lại.`,
    en: `Not all of ${BACK_LINES_EN} could be read. Lay the back of the card flat under the scanner, hold it still and scan again.`,
  }),
  notVietnamese: (): Bilingual => ({
    vi: 'Đây không phải thẻ căn cước công dân Việt Nam. Vui lòng dùng thẻ căn cước công dân hoặc chứng minh nhân dân của bạn.',
    en: 'This is not a Vietnamese citizen ID card. Please use your citizen ID card or old ID card (CMND).',
  }),
  mrzIdMismatch: (): Bilingual => ({
    vi: `Hai số trong ${BACK_LINES_VI} không khớp nhau. Quét lại, hoặc nhập số bằng bàn phím.`,
    en: `The two numbers in ${BACK_LINES_EN} do not match each other. Scan again, or type the number with the keypad.`,
  }),
  typedLength: (): Bilingual => ({
    vi: 'Số vừa nhập phải có 12 chữ số (căn cước công dân) hoặc 9 chữ số (CMND cũ). Kiểm tra lại và nhập lại.',
    en: 'The number must have 12 digits (citizen ID) or 9 digits (old CMND). Check it and type it again.',
  }),
  typedDigits: (): Bilingual => ({
    vi: 'Chỉ nhập chữ số 0–9. Kiểm tra lại và nhập lại.',
    en: 'Type digits 0–9 only. Check the number and type it again.',
  }),
  typedImpossible: (): Bilingual => ({
    vi: 'Số này không đúng: chữ số thứ 4 đến thứ 6 cho năm sinh chưa tới. Kiểm tra lại số trên thẻ hoặc giấy tờ và nhập lại.',
    en: 'This number cannot be right: its 4th to 6th digits give a year of birth still to come. Check the number on your card or papers and type it again.',
  }),
  // ── soft checks: the document is read, the step asks the citizen or staff to confirm ──
  idBirthYear: (fromId: number, fromDoc: string): Bilingual => ({
    vi: `Năm sinh theo số định danh (${fromId}) khác năm sinh trên thẻ (${fromDoc}).`,
    en: `The birth year in the ID number (${fromId}) differs from the card (${fromDoc}).`,
  }),
  idSex: (): Bilingual => ({
    vi: 'Giới tính theo số định danh khác giới tính ghi trên thẻ.',
    en: 'The sex in the ID number differs from the sex on the card.',
  }),
  idCentury: (): Bilingual => ({
    vi: 'Chữ số thế kỷ trong số định danh không hợp lệ.',
    en: 'The century digit in the ID number is not valid.',
  }),
  province: (code: string): Bilingual => ({
    vi: `Mã tỉnh ${code} trong số định danh không có trong danh mục.`,
    en: `Province code ${code} in the ID number is not in the list.`,
  }),
  birthInFuture: (): Bilingual => ({
    vi: 'Ngày sinh nằm trong tương lai.',
    en: 'The date of birth is in the future.',
  }),
  issueBeforeBirth: (): Bilingual => ({
    vi: 'Ngày cấp thẻ sớm hơn ngày sinh.',
    en: 'The issue date is before the date of birth.',
  }),
  expired: (): Bilingual => ({
    vi: 'Thẻ đã hết hạn (cán bộ sẽ được báo).',
    en: 'The card has expired (staff will be told).',
  }),
  crossMismatch: (field: string): Bilingual => ({
    vi: `${capitalise(label(field).vi)}: mặt trước và mặt sau thẻ khác nhau.`,
    en: `${capitalise(label(field).en)}: the front and the back of the card differ.`,
  }),
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
