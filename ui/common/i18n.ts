import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { FingerExceptionReason, FingerPosition } from '../../domain/fingers';
import type { StepName } from '../../domain/kiosk-channel/view-model';
import type { Bilingual, Lang } from '../../domain/language';
import { labelTable } from './label-table';

/**
 * Every label the kiosk page shows on its own. Texts the controller sends (errors, guidance)
 * arrive as Bilingual already. Words are plain and polite: many citizens are elderly.
 */
export const LABELS = {
  connecting: { vi: 'Đang kết nối…', en: 'Connecting…' },
  reconnecting: { vi: 'Đang kết nối lại…', en: 'Reconnecting…' },
  restarting: { vi: 'Máy đang khởi động lại, xin chờ một chút', en: 'The kiosk is restarting, please wait a moment' },
  restartingHint: {
    vi: 'Hồ sơ đã có mã hồ sơ thì đã được lưu. Hồ sơ đang làm dở có thể phải làm lại từ đầu. Nếu phải chờ lâu, xin gọi cán bộ.',
    en: 'An application that has its tracking code is saved. One still in progress may have to be started again. If this takes long, please ask a staff member.',
  },
  otherLanguage: { vi: 'English', en: 'Tiếng Việt' },
  help: { vi: 'Trợ giúp', en: 'Help' },
  back: { vi: 'Quay lại', en: 'Back' },
  cancel: { vi: 'Huỷ', en: 'Cancel' },

  attractTitle: { vi: 'Đăng ký thẻ căn cước', en: 'Citizen ID card enrolment' },
  attractLead: { vi: 'Xin chào! Bạn có thể tự làm hồ sơ tại đây.', en: 'Hello! You can make your application here yourself.' },
  start: { vi: 'Chạm vào đây để bắt đầu', en: 'Touch here to start' },
  attractNeeds: { vi: 'Xin chuẩn bị giấy tờ tuỳ thân (CCCD hoặc CMND).', en: 'Please have your ID card (CCCD or CMND) ready.' },

  languageTitle: { vi: 'Xin mời chọn ngôn ngữ', en: 'Please choose a language' },

  docTitle: { vi: 'Xin mời quét giấy tờ', en: 'Please scan your ID card' },
  docScanHow: {
    vi: 'Đặt mã QR (mặt trước) hoặc ba dòng chữ ở mặt sau thẻ dưới máy quét.',
    en: 'Hold the QR code (front) or the three lines of text on the back of the card under the scanner.',
  },
  docQrSide: { vi: 'Mặt trước: mã QR', en: 'Front: QR code' },
  docMrzSide: { vi: 'Mặt sau: 3 dòng chữ', en: 'Back: 3 lines of text' },
  docTypeNumber: { vi: 'Tôi có CMND cũ — nhập số', en: 'I have an old ID (CMND) — type the number' },
  docReading: { vi: 'Đang đọc giấy tờ… Xin giữ yên thẻ.', en: 'Reading your card… Please hold it still.' },
  docTypeTitle: { vi: 'Xin mời nhập số CMND', en: 'Please type your ID number' },
  docTypeHint: { vi: 'Số CMND có 9 hoặc 12 chữ số.', en: 'The ID number has 9 or 12 digits.' },
  docScanInstead: { vi: 'Quét thẻ thay vì nhập số', en: 'Scan the card instead' },
  keypadDelete: { vi: 'Xoá', en: 'Delete' },
  keypadOk: { vi: 'Xong', en: 'OK' },

  docConfirmTitle: { vi: 'Xin kiểm tra thông tin của bạn', en: 'Please check your details' },
  docConfirm: { vi: 'Đúng, tiếp tục', en: 'Correct, continue' },
  docRescan: { vi: 'Quét lại', en: 'Scan again' },
  docFlagsNote: { vi: 'Cán bộ sẽ xem lại:', en: 'Staff will check:' },
  fieldKind: { vi: 'Loại giấy tờ', en: 'Document' },
  fieldIdNumber: { vi: 'Số định danh', en: 'Personal ID number' },
  fieldCmndNumber: { vi: 'Số CMND', en: 'ID card (CMND) number' },
  fieldOldId: { vi: 'Số CMND cũ', en: 'Old ID number' },
  fieldName: { vi: 'Họ và tên', en: 'Full name' },
  fieldDob: { vi: 'Ngày sinh', en: 'Date of birth' },
  fieldSex: { vi: 'Giới tính', en: 'Sex' },
  fieldAddress: { vi: 'Nơi thường trú', en: 'Permanent address' },
  fieldIssueDate: { vi: 'Ngày cấp', en: 'Date of issue' },
  male: { vi: 'Nam', en: 'Male' },
  female: { vi: 'Nữ', en: 'Female' },

  mismatchTitle: { vi: 'Thông tin trên giấy tờ chưa khớp', en: 'The details on the card do not match' },
  mismatchWhat: { vi: 'Điều chưa khớp:', en: 'What does not match:' },
  mismatchTodo: { vi: 'Bạn có thể:', en: 'You can:' },
  mismatchContinue: { vi: 'Tiếp tục, cán bộ sẽ kiểm tra', en: 'Continue, staff will check' },
  mismatchCallHelp: { vi: 'Gọi cán bộ giúp', en: 'Call staff for help' },

  fingerTitle: { vi: 'Lấy vân tay', en: 'Fingerprints' },
  fingerPlace: { vi: 'Xin đặt ngón tay lên mặt kính và giữ yên.', en: 'Please place your finger on the glass and hold still.' },
  fingerUploading: { vi: 'Đã lấy được vân tay. Xin nhấc ngón tay lên, máy đang kiểm tra ảnh.', en: 'Got it. Please lift your finger now while the print is checked.' },
  fingerLowQuality: { vi: 'Vân tay chưa rõ. Xin ấn nhẹ và đặt lại.', en: 'The print is not clear. Please press gently and try again.' },
  fingerDuplicate: { vi: 'Ngón này đã được lấy rồi. Xin đặt đúng ngón.', en: 'This finger was already taken. Please use the right finger.' },
  fingerNoFinger: { vi: 'Chưa thấy ngón tay. Xin đặt ngón tay lên mặt kính.', en: 'No finger found. Please place your finger on the glass.' },
  fingerFault: { vi: 'Máy lấy vân tay đang gặp lỗi.', en: 'The fingerprint reader has a problem.' },
  fingerAccepted: { vi: 'Tốt lắm! Đã lấy xong ngón này.', en: 'Well done! This finger is done.' },
  fingerNow: { vi: 'Ngón cần đặt:', en: 'Finger to place:' },
  /** Above the finger just taken, on "well done" (the next one is named below it). */
  fingerJustTaken: { vi: 'Vừa lấy xong:', en: 'Just taken:' },
  fingerNext: { vi: 'Tiếp theo:', en: 'Next:' },
  attempt: { vi: 'Lần thử', en: 'Attempt' },
  of: { vi: 'trên', en: 'of' },
  quality: { vi: 'Chất lượng', en: 'Quality' },
  needed: { vi: 'cần đạt', en: 'needed' },
  sameAs: { vi: 'Giống với', en: 'Same as' },
  fingerRetry: { vi: 'Thử lại', en: 'Try again' },
  fingerException: { vi: 'Ngón này không lấy được', en: 'This finger cannot be taken' },
  exceptionTitle: { vi: 'Vì sao không lấy được?', en: 'Why can it not be taken?' },
  exceptionScopeTitle: { vi: 'Áp dụng cho', en: 'Applies to' },
  scopeFinger: { vi: 'Chỉ ngón này', en: 'This finger only' },
  scopeHand: { vi: 'Cả bàn tay này', en: 'The whole hand' },
  exceptionSubmit: { vi: 'Xác nhận', en: 'Confirm' },
  slotPending: { vi: 'Chưa lấy', en: 'Not yet' },
  leftHand: { vi: 'Tay trái', en: 'Left hand' },
  rightHand: { vi: 'Tay phải', en: 'Right hand' },
  fingerUnreadable: { vi: 'Chưa đọc được vân tay ngón này đủ rõ.', en: 'This print could not be read clearly enough.' },
  fingerKeep: { vi: 'Dùng bản này', en: 'Use this print' },
  fingerKeepNote: { vi: 'Cán bộ sẽ kiểm tra bản vân tay này.', en: 'Staff will check this print.' },
  fingerRedoCancel: { vi: 'Quay lại, giữ như cũ', en: 'Go back, keep as before' },
  exceptionNext: {
    vi: 'Sau đó, xin giơ bàn tay lên trước máy ảnh để chụp một ảnh cho cán bộ xác nhận.',
    en: 'Next, hold your hand up to the camera for a photo that staff will check.',
  },
  fingersWord: { vi: 'ngón', en: 'fingers' },
  proofTitleRight: { vi: 'Chụp ảnh bàn tay phải', en: 'A photo of your right hand' },
  proofTitleLeft: { vi: 'Chụp ảnh bàn tay trái', en: 'A photo of your left hand' },
  proofAsk: { vi: 'Xin giơ bàn tay lên trước máy ảnh, rồi bấm "Chụp ảnh".', en: 'Hold your hand up to the camera, then press "Take the photo".' },
  proofTake: { vi: 'Chụp ảnh', en: 'Take the photo' },
  proofTaking: { vi: 'Đang chụp ảnh… Xin giữ yên bàn tay.', en: 'Taking the photo… Please hold your hand still.' },
  proofDeclared: { vi: 'Ngón không lấy được:', en: 'Cannot be taken:' },
  officerCheck: { vi: 'Cán bộ đang xem ảnh bàn tay của bạn.', en: 'An officer is checking the photo of your hand.' },
  officerCheckTitle: { vi: 'Xin chờ cán bộ xem ảnh', en: 'Please wait while an officer checks the photo' },
  oosOfficer: { vi: 'Cán bộ đã tạm ngừng ki-ốt này. Xin đến bàn tiếp dân để được giúp.', en: 'An officer has taken this kiosk out of service. Please go to the staff desk for help.' },
  staffCheck: { vi: 'Cán bộ đã được báo và sẽ kiểm tra trước khi bạn làm tiếp.', en: 'Staff have been told and will check before you go on.' },
  slotTaken: { vi: 'Đã lấy', en: 'Taken' },
  slotToCheck: { vi: 'Cán bộ sẽ kiểm tra', en: 'Staff will check' },
  redoTitle: { vi: 'Chọn ngón cần lấy lại', en: 'Choose the fingers to take again' },
  redoHint: { vi: 'Chạm vào tên ngón tay. Các ngón khác được giữ nguyên.', en: 'Touch the name of a finger. The other fingers stay as they are.' },
  redoGo: { vi: 'Lấy lại các ngón đã chọn', en: 'Take the chosen fingers again' },
  redoAll: { vi: 'Chọn cả mười ngón', en: 'Choose all ten' },

  faceTitle: { vi: 'Chụp ảnh chân dung', en: 'Portrait photo' },
  faceLook: { vi: 'Xin nhìn thẳng vào máy ảnh, giữ khuôn mặt trong khung.', en: 'Please look straight at the camera, keep your face in the oval.' },
  faceAuto: { vi: 'Máy sẽ tự chụp khi bạn ở đúng vị trí.', en: 'The photo is taken by itself when you are in the right place.' },
  faceCapturedTitle: { vi: 'Ảnh của bạn', en: 'Your photo' },
  faceAccept: { vi: 'Dùng ảnh này', en: 'Use this photo' },
  faceRetake: { vi: 'Chụp lại', en: 'Take again' },
  faceCountdown: { vi: 'Giữ yên — máy chụp sau', en: 'Hold still — photo in' },
  faceTakingPhoto: { vi: 'Đang chụp… xin giữ yên', en: 'Taking the photo… please hold still' },
  faceLastTitle: { vi: 'Ảnh được giữ lại', en: 'The photo kept' },
  faceFault: { vi: 'Máy ảnh đang gặp lỗi. Xin bấm "Chụp lại" để thử lại, hoặc "Gọi cán bộ".', en: 'The camera has a problem. Press "Take again" to try again, or "Call staff".' },

  signatureTitle: { vi: 'Xin mời ký tên', en: 'Please sign your name' },
  signatureHint: { vi: 'Dùng ngón tay ký vào khung trắng bên dưới.', en: 'Use your finger to sign in the white box below.' },
  signatureClear: { vi: 'Xoá, ký lại', en: 'Clear, sign again' },
  signatureDone: { vi: 'Xong', en: 'Done' },
  signatureEmpty: { vi: 'Xin ký tên vào khung trước khi bấm Xong.', en: 'Please sign in the box before pressing Done.' },

  reviewTitle: { vi: 'Xin kiểm tra lại hồ sơ', en: 'Please check your application' },
  reviewDocument: { vi: 'Giấy tờ', en: 'Document' },
  reviewFingers: { vi: 'Vân tay', en: 'Fingerprints' },
  reviewFace: { vi: 'Ảnh chân dung', en: 'Photo' },
  reviewSignature: { vi: 'Chữ ký', en: 'Signature' },
  change: { vi: 'Sửa', en: 'Change' },
  reviewConfirm: { vi: 'Xác nhận và gửi', en: 'Confirm and submit' },

  submitting: { vi: 'Đang lưu hồ sơ… Xin chờ một chút.', en: 'Saving your application… Please wait a moment.' },
  submitFailedTitle: { vi: 'Chưa lưu được hồ sơ', en: 'Your application could not be saved yet' },
  submitRetry: { vi: 'Thử lại', en: 'Try again' },
  callStaff: { vi: 'Gọi cán bộ', en: 'Call staff' },

  doneTitle: { vi: 'Hoàn tất! Cảm ơn bạn.', en: 'All done! Thank you.' },
  trackingLabel: { vi: 'Mã hồ sơ của bạn', en: 'Your application code' },
  printed: { vi: 'Xin nhận biên lai ở khe máy in.', en: 'Please take your receipt from the printer.' },
  printing: { vi: 'Đang in biên lai…', en: 'Printing your receipt…' },
  notPrinted: {
    vi: 'Máy in chưa in được biên lai. Xin chụp ảnh màn hình này hoặc ghi lại mã hồ sơ.',
    en: 'The receipt could not be printed. Please take a photo of this screen or write down the code.',
  },
  finish: { vi: 'Kết thúc', en: 'Finish' },

  abandonedTitle: { vi: 'Phiên làm việc đã kết thúc', en: 'The session has ended' },
  abandonedText: { vi: 'Thông tin của bạn đã được xoá. Xin mời bắt đầu lại khi bạn sẵn sàng.', en: 'Your details have been deleted. Please start again when you are ready.' },

  oosTitle: { vi: 'Máy tạm ngừng phục vụ', en: 'Temporarily out of service' },
  oosText: { vi: 'Xin liên hệ cán bộ. Xin lỗi vì sự bất tiện.', en: 'Please contact a staff member. Sorry for the inconvenience.' },
  oosDevices: { vi: 'Thiết bị cần kiểm tra:', en: 'Devices to check:' },
  oosMaintenance: { vi: 'Cán bộ kỹ thuật đang bảo trì máy. Xin quay lại sau ít phút, hoặc liên hệ cán bộ.', en: 'A technician is servicing the kiosk. Please come back in a few minutes, or ask a staff member.' },
  oosEnclosureOpen: {
    vi: 'Vỏ máy đang mở. Cán bộ kỹ thuật: xin đóng và khoá vỏ máy, máy sẽ tự hoạt động lại.',
    en: "The kiosk's cover is open. Technician: please close and lock the cover; the kiosk will then start again by itself.",
  },

  helpTitle: { vi: 'Cán bộ sẽ đến giúp bạn', en: 'A staff member will come to help you' },
  helpText: { vi: 'Cán bộ đã được báo. Xin vui lòng chờ tại chỗ, hồ sơ của bạn vẫn được giữ.', en: 'Staff have been told. Please wait here: your application is kept.' },
  helpDone: { vi: 'Tiếp tục', en: 'Continue' },
  helpQuit: { vi: 'Kết thúc, xoá dữ liệu của tôi', en: 'End now and delete my data' },
  timeoutTitle: { vi: 'Bạn có cần thêm thời gian không?', en: 'Do you need more time?' },
  timeoutSeconds: { vi: 'Phiên sẽ kết thúc sau', en: 'The session will end in' },
  seconds: { vi: 'giây', en: 'seconds' },
  stillHere: { vi: 'Tôi cần thêm thời gian', en: 'I need more time' },
  quit: { vi: 'Kết thúc', en: 'End' },

  // ── the session as a whole (issue #11) ──
  staffCalledTitle: { vi: 'Đã gọi cán bộ', en: 'A staff member has been called' },
  staffCalledText: { vi: 'Xin vui lòng chờ tại đây, cán bộ sẽ đến giúp bạn.', en: 'Please wait here; a staff member will come to help you.' },
  printerPaperOut: { vi: 'Máy in biên nhận đã hết giấy.', en: 'The receipt printer is out of paper.' },
  printerCoverOpen: { vi: 'Nắp máy in biên nhận đang mở.', en: 'The receipt printer’s cover is open.' },
  printerNotReady: { vi: 'Máy in biên nhận đang không hoạt động.', en: 'The receipt printer is not working.' },
  printerNoReceipt: {
    vi: 'Bạn vẫn làm hồ sơ được: mã hồ sơ sẽ hiện trên màn hình để bạn ghi lại hoặc chụp ảnh. Cán bộ đã được báo.',
    en: 'You can still apply: your tracking code will be shown on the screen for you to write down or photograph. Staff have been told.',
  },
  docAskFrontTitle: { vi: 'Xin quét thêm mã QR ở mặt trước thẻ', en: 'Please also scan the QR code on the front of your card' },
  docAskFrontText: {
    vi: 'Mặt sau thẻ không có họ tên có dấu và không có địa chỉ. Nếu không quét được mặt trước, bấm "Đúng, tiếp tục": cán bộ sẽ bổ sung.',
    en: 'The back of the card does not give your name with its accents or your address. If the front cannot be read, press "Correct, continue": staff will add them.',
  },
  differentPersonTitle: { vi: 'Thẻ này của một người khác', en: 'This card belongs to another person' },
  differentPersonText: {
    vi: 'Số định danh trên thẻ này khác với thẻ đã quét lúc đầu. Nếu tiếp tục, một hồ sơ mới sẽ bắt đầu: ảnh chân dung, vân tay và chữ ký đã lấy sẽ bị xoá.',
    en: 'The ID number on this card is not the one scanned at the start. If you go on, a new application starts: the photo, fingerprints and signature taken will be deleted.',
  },
  differentPersonCard: { vi: 'Thẻ vừa quét:', en: 'The card just scanned:' },
  startOver: { vi: 'Bắt đầu hồ sơ mới với thẻ này', en: 'Start a new application with this card' },
  scanOwnCard: { vi: 'Quét lại thẻ của tôi', en: 'Scan my own card again' },
  doneReturnsIn: { vi: 'Màn hình sẽ trở về trang đầu sau', en: 'This screen goes back to the start in' },
  reprint: { vi: 'In lại', en: 'Print again' },
  printerBack: { vi: 'Máy in đã sẵn sàng. Bấm "In lại" để nhận biên nhận.', en: 'The printer is ready. Press "Print again" to get your receipt.' },

  // ── accessibility (issue #15): the buttons on every screen ──
  largeText: { vi: 'Chữ to', en: 'Larger text' },
  voiceReplay: { vi: 'Nghe lại', en: 'Listen again' },
  voiceMute: { vi: 'Tắt tiếng', en: 'Mute' },
  voiceUnmute: { vi: 'Bật tiếng', en: 'Sound on' },
  // Spoken only (ui/kiosk/voice-prompts.ts): what to do next, for a citizen who cannot read the screen.
  voiceLanguage: { vi: 'Chạm vào Tiếng Việt, hoặc English.', en: 'Touch English, or Tiếng Việt.' },
  voiceDocConfirm: { vi: 'Nếu đúng, bấm "Đúng, tiếp tục". Nếu sai, bấm "Quét lại".', en: 'If they are right, press "Correct, continue". If not, press "Scan again".' },
  voiceMismatch: { vi: 'Bạn có thể quét lại, hoặc bấm "Tiếp tục, cán bộ sẽ kiểm tra".', en: 'You can scan again, or press "Continue, staff will check".' },
  voiceFingerFault: { vi: 'Xin bấm "Thử lại". Nếu vẫn lỗi, bấm "Trợ giúp".', en: 'Please press "Try again". If it still fails, press "Help".' },
  voiceFingerUnreadable: { vi: 'Xin chọn một nút bên dưới, hoặc bấm "Trợ giúp".', en: 'Please choose one of the buttons below, or press "Help".' },
  voiceFaceCaptured: { vi: 'Nếu ảnh được, bấm "Dùng ảnh này". Muốn chụp lại, bấm "Chụp lại".', en: 'If the photo is good, press "Use this photo". To take another, press "Take again".' },
  voiceNoReceipt: {
    vi: 'Máy in biên nhận không in được. Mã hồ sơ sẽ hiện trên màn hình: xin ghi lại hoặc chụp ảnh.',
    en: 'The receipt printer cannot print. Your tracking code will be on the screen: write it down or take a photo.',
  },
  voiceReview: { vi: 'Nếu mọi thông tin đều đúng, bấm "Xác nhận và gửi".', en: 'If everything is right, press "Confirm and submit".' },
  voiceSubmitFailed: { vi: 'Xin bấm "Thử lại", hoặc "Gọi cán bộ".', en: 'Please press "Try again", or "Call staff".' },
  voiceDone: { vi: 'Xin nhận biên lai, hoặc ghi lại mã hồ sơ trên màn hình.', en: 'Please take your receipt, or write down the code on the screen.' },
  voiceTimeout: { vi: 'Nếu cần, bấm "Tôi cần thêm thời gian".', en: 'If you do, press "I need more time".' },
  voiceDifferentPerson: { vi: 'Bấm "Quét lại thẻ của tôi" nếu đây không phải thẻ của bạn.', en: 'Press "Scan my own card again" if this is not your card.' },
  // ── the application as the police take it (issue #15): the case, the invitation, the guardian ──
  caseTitle: { vi: 'Hôm nay bạn đến để làm gì?', en: 'Why have you come today?' },
  caseHint: { vi: 'Chạm vào ô đúng với bạn.', en: 'Touch the box that fits you.' },
  caseFirst: { vi: 'Làm thẻ lần đầu', en: 'My first ID card' },
  caseFirstHint: { vi: 'Chưa từng có CMND hay căn cước', en: 'I never had an ID card' },
  caseDamaged: { vi: 'Thẻ bị hỏng, mờ', en: 'My card is damaged' },
  caseDamagedHint: { vi: 'Gãy, bong, mờ chữ hoặc ảnh', en: 'Broken, peeling or hard to read' },
  caseExpired: { vi: 'Thẻ hết hạn', en: 'My card has expired' },
  caseExpiredHint: { vi: 'Hoặc sắp hết hạn', en: 'Or will expire soon' },
  caseLost: { vi: 'Bị mất thẻ', en: 'I lost my card' },
  caseLostHint: { vi: 'Mất hoặc bị lấy cắp', en: 'Lost or stolen' },
  caseChanged: { vi: 'Thay đổi thông tin', en: 'My details changed' },
  caseChangedHint: { vi: 'Họ tên, ngày sinh, nơi ở…', en: 'Name, date of birth, address…' },
  caseOther: { vi: 'Lý do khác', en: 'Something else' },
  caseOtherHint: { vi: 'Cán bộ sẽ hỏi thêm', en: 'Staff will ask you' },
  changesTitle: { vi: 'Thông tin nào đã thay đổi?', en: 'What has changed?' },
  changesHint: {
    vi: 'Chạm vào một hoặc nhiều ô, rồi bấm "Tiếp tục". Cán bộ sẽ xem giấy tờ về thay đổi này.',
    en: 'Touch one or more boxes, then press "Continue". Staff will check the papers for the change.',
  },
  changeName: { vi: 'Họ, chữ đệm, tên', en: 'Name' },
  changeBirthDate: { vi: 'Ngày sinh', en: 'Date of birth' },
  changeAddress: { vi: 'Nơi thường trú', en: 'Permanent address' },
  changeOrigin: { vi: 'Quê quán', en: 'Place of origin' },
  changeOther: { vi: 'Thông tin khác', en: 'Something else' },
  continue: { vi: 'Tiếp tục', en: 'Continue' },
  docCaseLostTitle: { vi: 'Xin nhập số căn cước của bạn', en: 'Please type your ID card number' },
  docCaseFirstTitle: { vi: 'Xin nhập số định danh cá nhân', en: 'Please type your personal ID number' },
  docCaseTypeHint: {
    vi: 'Số căn cước có 12 chữ số. Nếu bạn chỉ nhớ số CMND cũ, nhập 9 hoặc 12 chữ số của CMND.',
    en: 'The ID card number has 12 digits. If you only know your old CMND number, type its 9 or 12 digits.',
  },
  docCaseFirstHint: {
    vi: 'Số định danh cá nhân có 12 chữ số, ghi trên giấy khai sinh hoặc trong ứng dụng VNeID.',
    en: 'Your personal ID number has 12 digits. It is on your birth certificate or in the VNeID app.',
  },
  docCaseLostNote: {
    vi: 'Vì thẻ bị mất, Công an sẽ đối chiếu ảnh khuôn mặt và vân tay của bạn với hồ sơ đã lưu.',
    en: 'Because your card is lost, the police will match your face and fingerprints with their records.',
  },
  docCaseDamagedNote: {
    vi: 'Thẻ bị hỏng có thể không quét được. Nếu vậy, bấm "Nhập số thay vì quét".',
    en: 'A damaged card may not scan. If it does not, press "Type the number instead".',
  },
  docTypeInstead: { vi: 'Nhập số thay vì quét', en: 'Type the number instead' },
  docInvited: { vi: 'Giấy mời: xin quét thẻ của người được mời.', en: 'Invitation: please scan the card of the person invited.' },
  notInvitedTitle: { vi: 'Thẻ này không phải của người được mời', en: 'This card is not the one the invitation is for' },
  notInvitedText: { vi: 'Giấy mời dành cho số định danh kết thúc bằng', en: 'The invitation is for the ID number ending in' },
  notInvitedTodo: {
    vi: 'Xin quét thẻ của người được mời. Nếu bạn muốn làm hồ sơ cho chính mình, bấm "Làm hồ sơ không dùng giấy mời".',
    en: 'Please scan the card of the person invited. To apply for yourself instead, press "Apply without the invitation".',
  },
  notInvitedRescan: { vi: 'Quét thẻ của người được mời', en: 'Scan the invited person’s card' },
  notInvitedDrop: { vi: 'Làm hồ sơ không dùng giấy mời', en: 'Apply without the invitation' },
  invitationRefusedTitle: { vi: 'Không dùng được giấy mời này', en: 'This invitation cannot be used' },
  invitationMalformed: {
    vi: 'Máy không đọc được giấy mời. Xin giữ yên mã QR của giấy mời dưới máy quét và thử lại, hoặc hỏi cán bộ.',
    en: 'The kiosk could not read the invitation. Please hold its QR code still under the scanner and try again, or ask a staff member.',
  },
  invitationUnknownKey: {
    vi: 'Giấy mời này không do cơ quan Công an mà máy nhận biết cấp. Xin hỏi cán bộ, hoặc bấm "Chạm vào đây để bắt đầu" để làm hồ sơ không dùng giấy mời.',
    en: 'This invitation was not issued by a police office this kiosk knows. Please ask a staff member, or press "Touch here to start" to apply without it.',
  },
  invitationForged: {
    vi: 'Giấy mời này không hợp lệ (chữ ký điện tử không đúng). Xin hỏi cán bộ, hoặc bấm "Chạm vào đây để bắt đầu" để làm hồ sơ không dùng giấy mời.',
    en: 'This invitation is not valid (its electronic signature does not match). Please ask a staff member, or press "Touch here to start" to apply without it.',
  },
  invitationExpired: {
    vi: 'Giấy mời này đã hết hạn. Xin hỏi cán bộ để được hẹn lại, hoặc bấm "Chạm vào đây để bắt đầu" để làm hồ sơ không dùng giấy mời.',
    en: 'This invitation has expired. Please ask a staff member for a new date, or press "Touch here to start" to apply without it.',
  },
  invitationNotYetValid: {
    vi: 'Chưa đến ngày của giấy mời này. Xin quay lại vào ngày ghi trên giấy mời, hoặc bấm "Chạm vào đây để bắt đầu" để làm hồ sơ không dùng giấy mời.',
    en: 'This invitation is not valid yet. Please come back on the day it gives, or press "Touch here to start" to apply without it.',
  },
  invitationUsed: {
    vi: 'Giấy mời này đã được dùng để làm hồ sơ. Mỗi giấy mời chỉ dùng một lần. Xin hỏi cán bộ nếu bạn cần giúp.',
    en: 'This invitation has already been used for an application. Each invitation is used once. Please ask a staff member if you need help.',
  },
  attractInvitation: { vi: 'Có giấy mời? Đặt mã QR của giấy mời dưới máy quét.', en: 'Have an invitation? Hold its QR code under the scanner.' },
  guardianTitle: { vi: 'Người giám hộ quét thẻ của mình', en: 'The guardian scans their own card' },
  guardianChildIs: { vi: 'Hồ sơ của cháu', en: 'This application is for' },
  guardianAge: { vi: 'tuổi', en: 'years old' },
  guardianWhy: {
    vi: 'Trẻ em dưới 14 tuổi làm thẻ cùng cha, mẹ hoặc người giám hộ. Xin người giám hộ đặt thẻ căn cước của chính mình dưới máy quét.',
    en: 'A child under 14 applies with a parent or guardian. Please have the guardian hold their own ID card under the scanner.',
  },
  guardianNoBiometrics: {
    vi: 'Cháu dưới 6 tuổi: máy không lấy vân tay và ảnh. Người giám hộ ký tên, rồi hoàn tất hồ sơ tại cơ quan Công an.',
    en: 'The child is under 6: no fingerprints or photo are taken. The guardian signs, then finishes the application at the police office.',
  },
  guardianConfirmTitle: { vi: 'Thông tin của người giám hộ', en: "The guardian's details" },
  guardianSigns: { vi: 'Người giám hộ sẽ ký tên thay cho cháu.', en: 'The guardian will sign for the child.' },
  signatureGuardianTitle: { vi: 'Chữ ký của người giám hộ', en: "The guardian's signature" },
  signatureGuardianHint: { vi: 'Người giám hộ dùng ngón tay ký vào khung trắng bên dưới.', en: 'The guardian signs with a finger in the white box below.' },
  reviewGuardian: { vi: 'Người giám hộ', en: 'Guardian' },
  reviewCase: { vi: 'Lý do làm thẻ', en: 'Reason for the card' },
  reviewNoBiometrics: { vi: 'Cháu dưới 6 tuổi: không lấy vân tay và ảnh.', en: 'The child is under 6: no fingerprints or photo are taken.' },
  doneFinishAt: { vi: 'Việc tiếp theo:', en: 'What to do next:' },
  irisTitle: { vi: 'Chụp mống mắt', en: 'Iris photo' },
  irisHint: { vi: 'Xin nhìn thẳng vào máy chụp mống mắt và mở to mắt.', en: 'Please look straight into the iris camera and keep your eyes wide open.' },
} as const satisfies Record<string, Bilingual>;

export type LabelKey = keyof typeof LABELS;

export const t = labelTable(LABELS);

/** Pick the citizen's language from a text the controller sent. */
export function pick(lang: Lang, text: Bilingual): string {
  return text[lang];
}

export const STEP_LABELS: Record<StepName, Bilingual> = {
  document: { vi: 'Giấy tờ', en: 'Document' },
  fingerprints: { vi: 'Vân tay', en: 'Fingerprints' },
  face: { vi: 'Ảnh chân dung', en: 'Photo' },
  signature: { vi: 'Chữ ký', en: 'Signature' },
  review: { vi: 'Kiểm tra', en: 'Review' },
};

export const FINGER_NAMES: Record<FingerPosition, Bilingual> = {
  right_thumb: { vi: 'ngón cái phải', en: 'right thumb' },
  right_index: { vi: 'ngón trỏ phải', en: 'right index finger' },
  right_middle: { vi: 'ngón giữa phải', en: 'right middle finger' },
  right_ring: { vi: 'ngón áp út phải', en: 'right ring finger' },
  right_little: { vi: 'ngón út phải', en: 'right little finger' },
  left_thumb: { vi: 'ngón cái trái', en: 'left thumb' },
  left_index: { vi: 'ngón trỏ trái', en: 'left index finger' },
  left_middle: { vi: 'ngón giữa trái', en: 'left middle finger' },
  left_ring: { vi: 'ngón áp út trái', en: 'left ring finger' },
  left_little: { vi: 'ngón út trái', en: 'left little finger' },
};

export const EXCEPTION_REASON_NAMES: Record<FingerExceptionReason, Bilingual> = {
  amputated: { vi: 'Mất ngón tay', en: 'Finger missing' },
  bandaged: { vi: 'Đang băng bó', en: 'Bandaged' },
  injured: { vi: 'Bị thương', en: 'Injured' },
  'cannot-capture': { vi: 'Đã thử nhưng không lấy được', en: 'Tried, but it cannot be read' },
};

/** A finger slot's exception, in words. */
export function exceptionText(lang: Lang, reason: FingerExceptionReason): string {
  return EXCEPTION_REASON_NAMES[reason][lang];
}

export const DEVICE_NAMES: Record<DeviceKind, Bilingual> = {
  fingerprint: { vi: 'Máy lấy vân tay', en: 'Fingerprint reader' },
  document: { vi: 'Máy quét giấy tờ', en: 'Document scanner' },
  camera: { vi: 'Máy ảnh', en: 'Camera' },
  printer: { vi: 'Máy in biên lai', en: 'Receipt printer' },
  gpio: { vi: 'Bảng điều khiển', en: 'Control panel' },
  storage: { vi: 'Bộ nhớ lưu hồ sơ', en: 'Record storage' },
};

export const DEVICE_STATE_NAMES: Record<DeviceState, Bilingual> = {
  disconnected: { vi: 'mất kết nối', en: 'disconnected' },
  connecting: { vi: 'đang kết nối', en: 'connecting' },
  ready: { vi: 'sẵn sàng', en: 'ready' },
  busy: { vi: 'đang bận', en: 'busy' },
  fault: { vi: 'bị lỗi', en: 'fault' },
};

/** Document kinds the controller may name; unknown kinds are shown as sent. */
const DOCUMENT_KINDS: Readonly<Record<string, Bilingual>> = {
  'cccd-qr': { vi: 'Căn cước công dân (mã QR)', en: 'Citizen ID card (QR code)' },
  'cccd-mrz': { vi: 'Căn cước công dân (mặt sau)', en: 'Citizen ID card (back side)' },
  cccd: { vi: 'Căn cước công dân', en: 'Citizen ID card' },
  mrz: { vi: 'Căn cước công dân (mặt sau)', en: 'Citizen ID card (back side)' },
  qr: { vi: 'Căn cước công dân (mã QR)', en: 'Citizen ID card (QR code)' },
  cmnd: { vi: 'Chứng minh nhân dân', en: 'Old ID card (CMND)' },
  'cmnd-9': { vi: 'Chứng minh nhân dân 9 số (nhập số)', en: 'Old 9-digit ID card (CMND, typed)' },
  'cmnd-12': { vi: 'Chứng minh nhân dân 12 số (nhập số)', en: 'Old 12-digit ID card (CMND, typed)' },
  'cccd-typed': { vi: 'Căn cước công dân (số định danh)', en: 'Citizen ID card (ID number only)' },
  'cmnd-typed': { vi: 'Chứng minh nhân dân (nhập số)', en: 'Old ID card (CMND, typed)' },
  typed: { vi: 'Chứng minh nhân dân (nhập số)', en: 'Old ID card (CMND, typed)' },
};

export function documentKindText(lang: Lang, kind: string): string {
  return DOCUMENT_KINDS[kind]?.[lang] ?? kind;
}

const DOCUMENT_FLAGS: Readonly<Record<string, Bilingual>> = {
  expired: { vi: 'Giấy tờ đã hết hạn', en: 'The document has expired' },
  damaged: { vi: 'Giấy tờ bị hỏng', en: 'The document is damaged' },
  mismatch: { vi: 'Thông tin chưa khớp', en: 'Details do not match' },
  'mismatch-accepted': { vi: 'Thông tin chưa khớp', en: 'Details do not match' },
  'mismatch-confirmed': { vi: 'Thông tin chưa khớp — cán bộ sẽ kiểm tra', en: 'Details do not match — staff will check' },
  'qr-6-field-variant': { vi: 'Mã QR dạng cũ (6 trường)', en: 'Older QR layout (6 fields)' },
  'text-repaired': { vi: 'Chữ trong mã đã được sửa bảng mã', en: 'Text encoding in the code was repaired' },
  'info-changed': { vi: 'Thông tin thay đổi: cán bộ sẽ xem giấy tờ', en: 'Details changed: staff will check the papers' },
  'card-lost': { vi: 'Thẻ bị mất: Công an sẽ đối chiếu khuôn mặt và vân tay', en: 'Card lost: the police will match the face and fingerprints' },
  'typed-not-scanned': { vi: 'Số được nhập tay, chưa quét giấy tờ', en: 'Number typed, document not scanned' },
  'front-and-back-read': { vi: 'Đã đọc cả hai mặt thẻ', en: 'Both sides of the card were read' },
  'front-not-read': { vi: 'Chưa đọc được mặt trước: cán bộ sẽ bổ sung họ tên có dấu và địa chỉ', en: 'The front was not read: staff will add the name with accents and the address' },
  'scanned-number-only': { vi: 'Chỉ đọc được số định danh', en: 'Only the ID number was read' },
  'expiry-date-not-a-real-day': { vi: 'Ngày hết hạn in trên thẻ không phải là ngày có thật', en: 'The expiry date printed on the card is not a real day' },
  'birth-date-not-a-real-day': { vi: 'Ngày sinh in trên thẻ không phải là ngày có thật', en: 'The birth date printed on the card is not a real day' },
};

/**
 * Flags that record how the card was read, for the packet, and are not something staff must
 * check: the citizen is not told about them as if they were a problem.
 */
const READING_NOTES: ReadonlySet<string> = new Set(['front-and-back-read', 'qr-6-field-variant']);

/** The flags a citizen is told staff will check. */
export function flagsForStaff(flags: readonly string[]): readonly string[] {
  return flags.filter((f) => !READING_NOTES.has(f));
}

export function documentFlagText(lang: Lang, flag: string): string {
  return DOCUMENT_FLAGS[flag]?.[lang] ?? flag;
}
