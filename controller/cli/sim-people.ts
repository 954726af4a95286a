/**
 * Made-up citizens for the simulator and the `simulate` command: real formats (the chip CCCD's
 * 7-field QR, docs/facts/cccd-qr.md), invented people. The ID number's century/sex digit and birth
 * year agree with the date of birth and sex, as on a real card.
 */
import type { Sex } from '../../domain/documents';

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE_M = ['Văn', 'Đức', 'Minh', 'Quốc', 'Hữu', 'Thành'];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Hồng'];
const GIVEN_M = ['An', 'Bình', 'Cường', 'Dũng', 'Hưởng', 'Khoa', 'Long', 'Nam', 'Phúc', 'Quang'];
const GIVEN_F = ['Ánh', 'Chi', 'Dung', 'Hà', 'Lan', 'Mai', 'Ngân', 'Tuyết', 'Vy', 'Yến'];
/** Province codes (Thông tư 59/2021): Hà Nội, Hải Phòng, Nam Định, Quảng Trị, Đà Nẵng, TP.HCM, Cần Thơ. */
const PROVINCES: ReadonlyArray<{ code: string; place: string }> = [
  { code: '001', place: 'Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội' },
  { code: '031', place: 'Phường Máy Tơ, Quận Ngô Quyền, Hải Phòng' },
  { code: '036', place: 'Xã Hải Anh, Huyện Hải Hậu, Nam Định' },
  { code: '045', place: 'Phường 1, Thành phố Đông Hà, Quảng Trị' },
  { code: '048', place: 'Phường Hải Châu I, Quận Hải Châu, Đà Nẵng' },
  { code: '079', place: 'Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh' },
  { code: '092', place: 'Phường An Hòa, Quận Ninh Kiều, Cần Thơ' },
];

export interface SimPerson {
  readonly idNumber: string;
  readonly oldIdNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: Date;
  readonly sex: Sex;
  readonly address: string;
  readonly issueDate: Date;
}


const pick = <T>(rnd: () => number, list: readonly T[]): T => {
  const v = list[Math.floor(rnd() * list.length)];
  if (v === undefined) throw new Error('pick from an empty list');
  return v;
};
const digits = (rnd: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rnd() * 10)).join('');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const ddmmyyyy = (d: Date) => `${pad(d.getUTCDate())}${pad(d.getUTCMonth() + 1)}${d.getUTCFullYear()}`;

export function makePerson(rnd: () => number, today = new Date()): SimPerson {
  const sex = rnd() < 0.5 ? 'male' : 'female';
  const year = 1940 + Math.floor(rnd() * (today.getUTCFullYear() - 14 - 1940));
  const dateOfBirth = new Date(Date.UTC(year, Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28)));
  const province = pick(rnd, PROVINCES);
  const century = year >= 2000 ? 2 : 0;
  const genderDigit = century + (sex === 'female' ? 1 : 0);
  const idNumber = `${province.code}${genderDigit}${pad(year % 100)}${digits(rnd, 6)}`;
  const fullName = `${pick(rnd, SURNAMES)} ${pick(rnd, sex === 'male' ? MIDDLE_M : MIDDLE_F)} ${pick(rnd, sex === 'male' ? GIVEN_M : GIVEN_F)}`;
  const issueDate = new Date(Date.UTC(2021 + Math.floor(rnd() * 3), Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28)));
  const oldIdNumber = rnd() < 0.6 ? digits(rnd, 9) : '';
  return { idNumber, oldIdNumber, fullName, dateOfBirth, sex, address: province.place, issueDate };
}

/** The chip CCCD's front QR text: ID|old CMND|name|dob ddmmyyyy|Nam/Nữ|address|issue ddmmyyyy. */
export function qrPayload(p: SimPerson): string {
  return [p.idNumber, p.oldIdNumber, p.fullName, ddmmyyyy(p.dateOfBirth), p.sex === 'male' ? 'Nam' : 'Nữ', p.address, ddmmyyyy(p.issueDate)].join('|');
}
