import type { Bilingual, Lang } from '../../domain/language';
import type { ServiceState, TechDevice } from '../../domain/tech-channel/types';
import { labelTable } from '../common/label-table';

/**
 * Every label the service screen shows on its own, Vietnamese first. The reader is a technician
 * who is not a programmer: plain words, and what to do next. Texts the kiosk sends (results,
 * advice) arrive as Bilingual already; when they name a button, it is one of these (checked by
 * test/unit/ui/button-names.test.ts).
 */
export const TECH_LABELS = {
  title: { vi: 'Màn hình kỹ thuật', en: 'Service screen' },
  otherLanguage: { vi: 'English', en: 'Tiếng Việt' },
  connecting: { vi: 'Đang kết nối với ki-ốt…', en: 'Connecting to the kiosk…' },
  disconnected: {
    vi: 'Mất kết nối với ki-ốt. Đang thử lại… Nếu kéo dài: kiểm tra ki-ốt còn bật và mạng còn nối.',
    en: 'Lost the connection to the kiosk. Trying again… If this lasts: check the kiosk is on and the network is connected.',
  },

  // locked
  pinTitle: { vi: 'Nhập mã PIN kỹ thuật', en: 'Type the service PIN' },
  pinHint: { vi: 'Chỉ dành cho cán bộ kỹ thuật. Mọi lần nhập đều được ghi lại.', en: 'For technicians only. Every attempt is recorded.' },
  pinDelete: { vi: 'Xoá', en: 'Delete' },
  unlock: { vi: 'Mở khoá', en: 'Unlock' },
  backToKiosk: { vi: 'Về màn hình ki-ốt', en: 'Back to the kiosk screen' },
  lockedUntil: { vi: 'Bị khoá do nhập sai nhiều lần. Thử lại lúc', en: 'Locked after too many wrong PINs. Try again at' },
  attemptsLeft: { vi: 'Số lần thử còn lại:', en: 'Tries left:' },
  noPin: {
    vi: 'Ki-ốt này chưa có mã PIN kỹ thuật. Người cài đặt đặt mã trên ki-ốt bằng lệnh: npm run kiosk -- tech set-pin',
    en: 'This kiosk has no service PIN yet. The installer sets one on the kiosk with: npm run kiosk -- tech set-pin',
  },
  idleLocked: { vi: 'Màn hình đã tự khoá vì lâu không dùng.', en: 'The screen locked itself after a while without use.' },

  // unlocked
  lock: { vi: 'Khoá', en: 'Lock' },
  kiosk: { vi: 'Ki-ốt', en: 'Kiosk' },
  version: { vi: 'Phiên bản phần mềm', en: 'Software version' },
  uptime: { vi: 'Đã chạy', en: 'Running for' },
  citizenScreen: { vi: 'Màn hình công dân đang ở', en: 'Citizen screen now on' },
  takeOutOfService: { vi: 'Ngừng phục vụ', en: 'Take out of service' },
  backInService: { vi: 'Phục vụ trở lại', en: 'Back in service' },
  testAll: { vi: 'Kiểm tra tất cả', en: 'Test all' },
  test: { vi: 'Kiểm tra', en: 'Test' },
  testing: { vi: 'Đang kiểm tra…', en: 'Testing…' },
  whyOutOfService: {
    vi: 'Chỉ kiểm tra thiết bị khi ki-ốt đã ngừng phục vụ: bài kiểm tra dùng chính các thiết bị của công dân, nên không chạy khi có người đang làm hồ sơ.',
    en: 'Devices are tested only while the kiosk is out of service: a test uses the very devices a citizen uses, so it never runs while someone is making an application.',
  },
  devices: { vi: 'Thiết bị', en: 'Devices' },
  driver: { vi: 'Trình điều khiển', en: 'Driver' },
  since: { vi: 'từ', en: 'since' },
  lastError: { vi: 'Lỗi gần nhất', en: 'Last error' },
  noError: { vi: 'Chưa có lỗi từ khi khởi động', en: 'No error since the kiosk started' },
  faults: { vi: 'Lần hỏng', en: 'Faults' },
  recoveries: { vi: 'Lần tự phục hồi', en: 'Recoveries' },
  selfTests: { vi: 'Lần kiểm tra (lỗi)', en: 'Tests (failed)' },
  resultOk: { vi: 'ĐẠT', en: 'PASS' },
  resultFailed: { vi: 'KHÔNG ĐẠT', en: 'FAIL' },
  nextStep: { vi: 'Việc cần làm tiếp:', en: 'What to check next:' },
  technical: { vi: 'Chi tiết kỹ thuật', en: 'Technical detail' },
  quality: { vi: 'Chất lượng', en: 'Quality' },
  photoChecks: { vi: 'Yêu cầu của ảnh chân dung', en: 'Portrait photo checks' },
  lights: { vi: 'Đèn', en: 'Lights' },
  inputs: { vi: 'Đầu vào', en: 'Inputs' },
  changedDuringTest: { vi: 'có thay đổi khi kiểm tra', en: 'changed during the test' },
  notTouched: { vi: 'không ai chạm khi kiểm tra', en: 'not touched during the test' },
  on: { vi: 'đang bật', en: 'on' },
  off: { vi: 'đang tắt', en: 'off' },
  printerStatus: { vi: 'Trạng thái máy in', en: 'Printer status' },
  codeRead: { vi: 'Mã đọc được', en: 'Code read' },

  system: { vi: 'Lưu trữ và gửi hồ sơ', en: 'Storage and sending' },
  storage: { vi: 'Bộ nhớ', en: 'Storage' },
  freeSpace: { vi: 'Còn trống', en: 'Free' },
  minimum: { vi: 'tối thiểu', en: 'minimum' },
  outbox: { vi: 'Hồ sơ chờ gửi', en: 'Applications waiting to be sent' },
  awaitingAck: { vi: 'Đã gửi, chờ xác nhận', en: 'Sent, waiting for the centre' },
  oldestWaiting: { vi: 'Hồ sơ chờ lâu nhất', en: 'Oldest waiting' },
  lastSync: { vi: 'Lần gửi thành công gần nhất', en: 'Last successful send' },
  syncState: { vi: 'Đồng bộ', en: 'Sync' },
  never: { vi: 'chưa có', en: 'never' },
  none: { vi: 'không có', en: 'none' },
} as const satisfies Record<string, Bilingual>;

export type TechLabel = keyof typeof TECH_LABELS;

export const tl = labelTable(TECH_LABELS);

export const SERVICE_STATES: Readonly<Record<ServiceState, { readonly label: Bilingual; readonly hint: Bilingual }>> = {
  'in-service': {
    label: { vi: 'Đang phục vụ công dân', en: 'Serving citizens' },
    hint: { vi: 'Bấm "Ngừng phục vụ" để kiểm tra thiết bị.', en: 'Press "Take out of service" to test the devices.' },
  },
  maintenance: {
    label: { vi: 'Đã ngừng phục vụ để bảo trì', en: 'Out of service for maintenance' },
    hint: { vi: 'Màn hình ki-ốt báo đang bảo trì. Xong việc, bấm "Phục vụ trở lại".', en: 'The kiosk screen says it is being serviced. When done, press "Back in service".' },
  },
  'maintenance-pending': {
    label: { vi: 'Sẽ ngừng phục vụ khi công dân làm xong', en: 'Going out of service when the citizen finishes' },
    hint: { vi: 'Một công dân đang làm hồ sơ; không ai bị ngắt giữa chừng.', en: 'A citizen is making an application; nobody is cut off half way.' },
  },
  'out-of-service': {
    label: { vi: 'Ngừng phục vụ do thiết bị', en: 'Out of service because of a device' },
    hint: { vi: 'Xem thiết bị bị lỗi bên dưới. Bấm "Ngừng phục vụ" để kiểm tra thiết bị.', en: 'See the device with a fault below. Press "Take out of service" to test the devices.' },
  },
};

export const TECH_DEVICE_NAMES: Readonly<Record<TechDevice, Bilingual>> = {
  fingerprint: { vi: 'Máy lấy vân tay', en: 'Fingerprint reader' },
  scanner: { vi: 'Máy quét giấy tờ', en: 'Document scanner' },
  camera: { vi: 'Máy ảnh', en: 'Camera' },
  printer: { vi: 'Máy in biên lai', en: 'Receipt printer' },
  panel: { vi: 'Bảng điều khiển', en: 'Front panel' },
};

export const LED_NAMES: Readonly<Record<string, Bilingual>> = {
  status: { vi: 'Đèn trạng thái', en: 'Status light' },
  help: { vi: 'Đèn trợ giúp', en: 'Help light' },
  fingerprint: { vi: 'Đèn máy vân tay', en: 'Fingerprint light' },
  'camera-light': { vi: 'Đèn chiếu sáng máy ảnh', en: 'Camera light' },
};

export const INPUT_NAMES: Readonly<Record<string, Bilingual>> = {
  'help-button': { vi: 'Nút trợ giúp', en: 'Help button' },
  presence: { vi: 'Cảm biến có người (PIR)', en: 'Presence sensor (PIR)' },
  tamper: { vi: 'Công tắc cửa tủ', en: 'Cabinet door switch' },
};

/** What an input's level means, by input: pressed, someone there, door open. */
export const INPUT_LEVELS: Readonly<Record<string, { readonly active: Bilingual; readonly inactive: Bilingual }>> = {
  'help-button': { active: { vi: 'đang bấm', en: 'pressed' }, inactive: { vi: 'không bấm', en: 'not pressed' } },
  presence: { active: { vi: 'có người', en: 'someone there' }, inactive: { vi: 'không có ai', en: 'nobody' } },
  tamper: { active: { vi: 'cửa đang mở', en: 'door open' }, inactive: { vi: 'cửa đóng', en: 'door closed' } },
};

export const FACE_CHECK_NAMES: Readonly<Record<string, Bilingual>> = {
  'face-count': { vi: 'Một khuôn mặt', en: 'One face' },
  'face-size': { vi: 'Cỡ khuôn mặt', en: 'Face size' },
  centred: { vi: 'Ở giữa ảnh', en: 'Centred' },
  roll: { vi: 'Đầu thẳng', en: 'Head level' },
  yaw: { vi: 'Nhìn thẳng', en: 'Looking straight' },
  'eyes-open': { vi: 'Mắt mở', en: 'Eyes open' },
  brightness: { vi: 'Độ sáng', en: 'Brightness' },
  contrast: { vi: 'Độ tương phản', en: 'Contrast' },
  sharpness: { vi: 'Độ nét', en: 'Sharpness' },
  'background-light': { vi: 'Nền sáng', en: 'Light background' },
  'background-plain': { vi: 'Nền trơn', en: 'Plain background' },
};

/** What the printer answered (PrinterStatus kinds, and the device's state when it did not answer). */
export const PRINTER_STATUS: Readonly<Record<string, Bilingual>> = {
  ready: { vi: 'sẵn sàng', en: 'ready' },
  'paper-low': { vi: 'giấy sắp hết', en: 'paper running low' },
  'paper-out': { vi: 'hết giấy', en: 'out of paper' },
  'cover-open': { vi: 'nắp đang mở', en: 'cover open' },
  offline: { vi: 'không trả lời', en: 'not answering' },
  fault: { vi: 'bị lỗi', en: 'fault' },
  disconnected: { vi: 'mất kết nối', en: 'disconnected' },
  connecting: { vi: 'đang kết nối lại', en: 'reconnecting' },
};

/** The outbox sync's state (ops/sync-health.ts) in words; an unknown one is shown as sent. */
export const SYNC_STATES: Readonly<Record<string, Bilingual>> = {
  off: { vi: 'tắt (hồ sơ gửi bằng USB)', en: 'off (applications leave on USB media)' },
  misconfigured: { vi: 'cấu hình sai, xem lỗi', en: 'misconfigured, see the error' },
  stopped: { vi: 'đã dừng', en: 'stopped' },
  idle: { vi: 'đang chờ hồ sơ mới', en: 'waiting for new applications' },
  sending: { vi: 'đang gửi', en: 'sending' },
  'backing-off': { vi: 'gửi lỗi, sẽ thử lại', en: 'failed, will try again' },
};

/** Where the citizen's side is, in words: the screen's name matters to a programmer only. */
export function citizenScreenName(screen: string): Bilingual {
  if (screen === 'attract' || screen === 'abandoned') return { vi: 'màn hình chào, chờ công dân', en: 'the start screen, waiting for a citizen' };
  if (screen === 'out-of-service') return { vi: 'màn hình ngừng phục vụ', en: 'the out-of-service screen' };
  return { vi: `một công dân đang làm hồ sơ (${screen})`, en: `a citizen is making an application (${screen})` };
}

/** "3 phút", "2 giờ 5 phút": durations as a technician reads them. */
export function duration(lang: Lang, seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const u = lang === 'vi' ? { d: 'ngày', h: 'giờ', m: 'phút', s: 'giây' } : { d: 'd', h: 'h', m: 'min', s: 's' };
  if (d > 0) return `${d} ${u.d} ${h} ${u.h}`;
  if (h > 0) return `${h} ${u.h} ${m} ${u.m}`;
  if (m > 0) return `${m} ${u.m}`;
  return `${s} ${u.s}`;
}

/** A time of day on the kiosk's clock, as the technician's watch shows it. */
export function clock(iso: string): string {
  const d = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
