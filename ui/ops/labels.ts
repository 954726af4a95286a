import type { Bilingual, Lang } from '../../domain/language';
import { labelTable } from '../common/label-table';

/**
 * Every label the hall officers' console shows (issue #14), Vietnamese first. The readers are
 * officers at a hall: plain words, what to do next; texts the kiosks send arrive as Bilingual.
 */
export const OPS_LABELS = {
  title: { vi: 'Giám sát sảnh ki-ốt', en: 'Kiosk hall console' },
  otherLanguage: { vi: 'English', en: 'Tiếng Việt' },
  logout: { vi: 'Đăng xuất', en: 'Log out' },
  officer: { vi: 'Cán bộ', en: 'Officer' },

  loginTitle: { vi: 'Đăng nhập', en: 'Log in' },
  loginHint: { vi: 'Dành cho cán bộ trực sảnh. Mọi thao tác được ghi lại trên ki-ốt.', en: 'For the hall officers. Every action is recorded on the kiosk.' },
  loginName: { vi: 'Tên đăng nhập', en: 'Login' },
  password: { vi: 'Mật khẩu', en: 'Password' },
  loginButton: { vi: 'Đăng nhập', en: 'Log in' },
  loginWrong: { vi: 'Tên đăng nhập hoặc mật khẩu không đúng.', en: 'The login or the password is wrong.' },
  loginWait: { vi: 'Đã thử quá nhiều lần. Thử lại sau (giây):', en: 'Too many tries. Try again in (seconds):' },
  loginFailed: { vi: 'Không đăng nhập được. Kiểm tra mạng rồi thử lại.', en: 'Could not log in. Check the network and try again.' },

  connecting: { vi: 'Đang kết nối…', en: 'Connecting…' },
  lostConsole: { vi: 'Mất kết nối với máy chủ sảnh. Đang thử lại…', en: 'Lost the connection to the hall server. Trying again…' },

  alerts: { vi: 'Ki-ốt không liên lạc được', en: 'Kiosks not reachable' },
  silentFor: { vi: 'không liên lạc được từ', en: 'not heard from for' },
  neverReached: { vi: 'chưa kết nối được', en: 'not reached yet' },

  helpQueue: { vi: 'Công dân cần trợ giúp', en: 'Citizens asking for help' },
  helpNone: { vi: 'Không có ai đang chờ.', en: 'Nobody is waiting.' },
  waited: { vi: 'đã chờ', en: 'waiting' },
  fromPanel: { vi: 'nút trên ki-ốt', en: 'kiosk button' },
  fromScreen: { vi: 'trên màn hình', en: 'on the screen' },
  beforeStart: { vi: 'chưa bắt đầu', en: 'before starting' },
  answer: { vi: 'Tôi đến ngay', en: 'On my way' },

  exceptions: { vi: 'Ngón tay không lấy được: cần duyệt ảnh', en: 'Fingers that cannot be taken: photo to check' },
  exceptionNone: { vi: 'Không có yêu cầu nào.', en: 'No requests.' },
  scopeHand: { vi: 'cả bàn tay', en: 'the whole hand' },
  showPhoto: { vi: 'Xem ảnh', en: 'Show the photo' },
  approve: { vi: 'Đồng ý', en: 'Approve' },
  refuse: { vi: 'Từ chối', en: 'Refuse' },
  autoIn: { vi: 'tự ghi nhận (chưa duyệt) sau', en: 'kept unchecked in' },
  photoLoading: { vi: 'Đang tải ảnh…', en: 'Loading the photo…' },

  kiosks: { vi: 'Ki-ốt trong sảnh', en: 'Kiosks in the hall' },
  inStep: { vi: 'ở bước này', en: 'on this step' },
  today: { vi: 'Hôm nay', en: 'Today' },
  completed: { vi: 'xong', en: 'done' },
  abandoned: { vi: 'bỏ dở', en: 'left' },
  outbox: { vi: 'Chờ gửi', en: 'To send' },
  oldest: { vi: 'cũ nhất', en: 'oldest' },
  devicesOk: { vi: 'Thiết bị: tốt', en: 'Devices: all good' },
  endSession: { vi: 'Kết thúc phiên', en: 'End the session' },
  confirmEnd: { vi: 'Nhấn lần nữa để kết thúc', en: 'Press again to end it' },
  outOfService: { vi: 'Ngừng phục vụ', en: 'Out of service' },
  backInService: { vi: 'Phục vụ trở lại', en: 'Back in service' },
  stoppedByOfficer: { vi: 'Cán bộ đã tạm ngừng', en: 'Taken out of service by' },
  stoppedByTechnician: { vi: 'Kỹ thuật đang bảo trì', en: 'A technician is servicing it' },
  stoppedByDevices: { vi: 'Ngừng phục vụ: thiết bị', en: 'Out of service: devices' },
  pendingStop: { vi: 'sẽ ngừng khi công dân làm xong', en: 'stops when the citizen finishes' },
  down: { vi: 'Mất liên lạc', en: 'Not reachable' },
  noAnswer: { vi: 'Ki-ốt không trả lời. Thử lại.', en: 'The kiosk did not answer. Try again.' },
} as const satisfies Record<string, Bilingual>;

export type OpsLabel = keyof typeof OPS_LABELS;

export const opsLabel = labelTable(OPS_LABELS);

export const SCREEN_NAMES: Record<string, Bilingual> = {
  attract: { vi: 'Màn hình chờ', en: 'Start screen' },
  language: { vi: 'Chọn ngôn ngữ', en: 'Language' },
  document: { vi: 'Quét giấy tờ', en: 'Document' },
  'document-confirm': { vi: 'Xác nhận giấy tờ', en: 'Confirm document' },
  'document-mismatch': { vi: 'Giấy tờ không khớp', en: 'Document mismatch' },
  'different-person': { vi: 'Giấy tờ người khác', en: 'Another person\'s card' },
  fingerprints: { vi: 'Lấy vân tay', en: 'Fingerprints' },
  face: { vi: 'Chụp ảnh', en: 'Photo' },
  signature: { vi: 'Chữ ký', en: 'Signature' },
  review: { vi: 'Kiểm tra lại', en: 'Review' },
  submitting: { vi: 'Đang lưu', en: 'Saving' },
  'submit-failed': { vi: 'Lưu không được', en: 'Not saved' },
  done: { vi: 'Biên nhận', en: 'Receipt' },
  abandoned: { vi: 'Phiên đã kết thúc', en: 'Session ended' },
  'out-of-service': { vi: 'Ngừng phục vụ', en: 'Out of service' },
};

export const FINGER_LABELS: Record<string, Bilingual> = {
  right_thumb: { vi: 'ngón cái phải', en: 'right thumb' },
  right_index: { vi: 'ngón trỏ phải', en: 'right index' },
  right_middle: { vi: 'ngón giữa phải', en: 'right middle' },
  right_ring: { vi: 'ngón áp út phải', en: 'right ring' },
  right_little: { vi: 'ngón út phải', en: 'right little' },
  left_thumb: { vi: 'ngón cái trái', en: 'left thumb' },
  left_index: { vi: 'ngón trỏ trái', en: 'left index' },
  left_middle: { vi: 'ngón giữa trái', en: 'left middle' },
  left_ring: { vi: 'ngón áp út trái', en: 'left ring' },
  left_little: { vi: 'ngón út trái', en: 'left little' },
};

export const REASON_LABELS: Record<string, Bilingual> = {
  amputated: { vi: 'mất ngón', en: 'missing' },
  bandaged: { vi: 'đang băng bó', en: 'bandaged' },
  injured: { vi: 'bị thương', en: 'injured' },
  'cannot-capture': { vi: 'không lấy được vân', en: 'cannot give a print' },
};

export const DEVICE_LABELS: Record<string, Bilingual> = {
  fingerprint: { vi: 'Vân tay', en: 'Fingerprint' },
  document: { vi: 'Máy quét', en: 'Scanner' },
  camera: { vi: 'Máy ảnh', en: 'Camera' },
  printer: { vi: 'Máy in', en: 'Printer' },
  gpio: { vi: 'Bảng nút', en: 'Panel' },
  storage: { vi: 'Bộ nhớ', en: 'Storage' },
};

export const STATE_LABELS: Record<string, Bilingual> = {
  disconnected: { vi: 'ngắt', en: 'unplugged' },
  connecting: { vi: 'đang nối', en: 'connecting' },
  ready: { vi: 'tốt', en: 'ready' },
  busy: { vi: 'đang dùng', en: 'busy' },
  fault: { vi: 'lỗi', en: 'fault' },
};

/** Why a kiosk cannot be reached (kiosk-link.ts's codes), for the officer and whoever they call. */
export const LINK_ERRORS: Record<string, Bilingual> = {
  refused: { vi: 'ki-ốt tắt hoặc phần mềm đã dừng', en: 'the kiosk is off or its program stopped' },
  closed: { vi: 'mất kết nối', en: 'the connection dropped' },
  silent: { vi: 'không gửi tin', en: 'no news from it' },
  'bad-token': { vi: 'sai mã truy cập trong tệp ki-ốt: báo kỹ thuật', en: 'wrong token in the kiosks file: call a technician' },
  'no-token': { vi: 'ki-ốt chưa đặt mã truy cập: báo kỹ thuật', en: 'the kiosk has no console token: call a technician' },
  EHOSTUNREACH: { vi: 'không tới được ki-ốt qua mạng', en: 'the network cannot reach the kiosk' },
  ETIMEDOUT: { vi: 'mạng không trả lời', en: 'the network does not answer' },
};

export const pick = (b: Bilingual | undefined, lang: Lang, fallback = ''): string => (b ? b[lang] : fallback);

/** "3 phút 05 giây" / "3 min 05 s"; hours past an hour. */
export function duration(seconds: number, lang: Lang): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  if (lang === 'vi') return h > 0 ? `${h} giờ ${m} phút` : m > 0 ? `${m} phút ${ss} giây` : `${s} giây`;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${ss} s` : `${s} s`;
}
