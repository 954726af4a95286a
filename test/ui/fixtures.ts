import type { Page } from 'playwright-core';
import type { FingerPosition } from '../../domain/fingers';
import type { DocumentSummary, FingerSlotView, ViewModel } from '../../domain/kiosk-channel/view-model';
import { CAMERA_FAULT, FACE_LAST_PHOTO } from '../../controller/enrollment/view';

/** One screen to look at: the view the fake controller pushes, and what to do on the page first. */
export interface PreviewFixture {
  readonly id: string;
  readonly view: Omit<ViewModel, 'seq' | 'lang'>;
  readonly prepare?: (page: Page) => Promise<void>;
}

const ORDER: readonly FingerPosition[] = [
  'right_thumb', 'right_index', 'right_middle', 'right_ring', 'right_little',
  'left_thumb', 'left_index', 'left_middle', 'left_ring', 'left_little',
];

/** The first `taken` fingers captured (one weak, one exception), the rest pending. */
function slots(taken: number): FingerSlotView[] {
  return ORDER.map((position, i): FingerSlotView => {
    if (i >= taken) return { position, status: 'pending' };
    if (i === 2) return { position, status: 'exception', reason: 'bandaged' };
    if (i === 6) return { position, status: 'captured', score: 38, attempts: 3, belowThreshold: true };
    return { position, status: 'captured', score: 62 + ((i * 7) % 30), attempts: 1 + (i % 2), belowThreshold: false };
  });
}

const DOC: DocumentSummary = {
  kind: 'cccd-qr',
  idNumber: '036185001234',
  oldIdNumber: '163123456',
  fullName: 'Nguyễn Thị Ngọc Ánh',
  dateOfBirth: '1985-03-14',
  sex: 'female',
  address: 'Số 12, đường Trần Hưng Đạo, phường Bà Triệu, thành phố Nam Định, tỉnh Nam Định',
  issueDate: '2021-07-20',
  flags: [],
};

const fingerBase = {
  name: 'fingerprints',
  finger: 'right_ring',
  index: 3,
  attempt: 1,
  maxAttempts: 3,
  progress: 0,
  threshold: 40,
  slots: slots(3),
  choices: ['exception'],
} as const;

/** The right thumb kept below the threshold, the right index bandaged, the rest taken. */
const reviewSlots: FingerSlotView[] = slots(10).map((s, i): FingerSlotView =>
  i === 0 ? { position: s.position, status: 'captured', score: 31, attempts: 6, belowThreshold: true } : i === 6 ? { position: s.position, status: 'captured', score: 71, attempts: 2, belowThreshold: false } : s,
);

async function typeDigits(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.getByTestId(`keypad-${d}`).click();
}

async function drawSignature(page: Page): Promise<void> {
  const box = await page.getByTestId('signature-canvas').boundingBox();
  if (!box) throw new Error('no signature canvas');
  const strokes: [number, number][][] = [
    [[0.1, 0.6], [0.15, 0.3], [0.2, 0.65], [0.26, 0.35], [0.3, 0.6]],
    [[0.36, 0.55], [0.42, 0.4], [0.5, 0.62], [0.58, 0.38], [0.66, 0.6], [0.74, 0.45], [0.85, 0.58]],
  ];
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    await page.mouse.move(box.x + first[0] * box.width, box.y + first[1] * box.height);
    await page.mouse.down();
    for (const [x, y] of rest) await page.mouse.move(box.x + x * box.width, box.y + y * box.height, { steps: 6 });
    await page.mouse.up();
  }
}

export const FIXTURES: readonly PreviewFixture[] = [
  { id: 'attract', view: { screen: { name: 'attract' }, fromReview: false } },
  { id: 'attract-asleep', view: { screen: { name: 'attract', asleep: true }, fromReview: false } },
  { id: 'language', view: { screen: { name: 'language' }, fromReview: false } },
  { id: 'document-scan', view: { screen: { name: 'document', phase: 'scan' }, step: 'document', fromReview: false } },
  {
    id: 'document-scan-error',
    view: {
      screen: {
        name: 'document',
        phase: 'scan',
        error: {
          vi: 'Không đọc được mã trên thẻ. Xin lau sạch mặt thẻ và quét lại.',
          en: 'The code on the card could not be read. Please wipe the card and scan again.',
        },
      },
      step: 'document',
      fromReview: false,
    },
  },
  { id: 'document-reading', view: { screen: { name: 'document', phase: 'reading' }, step: 'document', fromReview: false } },
  {
    id: 'document-typing',
    view: { screen: { name: 'document', phase: 'typing' }, step: 'document', fromReview: false },
    prepare: (page) => typeDigits(page, '1631234'),
  },
  {
    id: 'document-typing-error',
    view: {
      screen: {
        name: 'document',
        phase: 'typing',
        error: { vi: 'Số CMND phải có 9 hoặc 12 chữ số. Xin nhập lại.', en: 'The ID number must have 9 or 12 digits. Please type it again.' },
      },
      step: 'document',
      fromReview: false,
    },
    prepare: (page) => typeDigits(page, '163123456'),
  },
  {
    id: 'document-confirm',
    view: { screen: { name: 'document-confirm', document: DOC, checks: [{ name: 'id-structure', ok: true }] }, step: 'document', fromReview: false },
  },
  {
    id: 'document-mismatch',
    view: {
      screen: {
        name: 'document-mismatch',
        document: { ...DOC, sex: 'male' },
        checks: [
          { name: 'id-structure', ok: true },
          {
            name: 'id-sex',
            ok: false,
            message: { vi: 'Số định danh cho biết giới tính Nữ, nhưng thẻ ghi Nam.', en: 'The ID number says female, but the card says male.' },
          },
        ],
      },
      step: 'document',
      fromReview: false,
    },
  },
  { id: 'fingerprints-place', view: { screen: { ...fingerBase, phase: 'place' }, step: 'fingerprints', fromReview: false } },
  { id: 'fingerprints-uploading', view: { screen: { ...fingerBase, phase: 'uploading', progress: 0.62, choices: [] }, step: 'fingerprints', fromReview: false } },
  {
    id: 'fingerprints-low-quality',
    view: { screen: { ...fingerBase, phase: 'low-quality', attempt: 2, progress: 1, lastScore: 27, choices: ['retry', 'exception'] }, step: 'fingerprints', fromReview: false },
  },
  {
    id: 'fingerprints-duplicate',
    view: {
      screen: { ...fingerBase, finger: 'left_middle', index: 7, slots: slots(7), phase: 'duplicate', progress: 1, duplicateOf: 'left_index', choices: ['retry', 'exception'] },
      step: 'fingerprints',
      fromReview: false,
    },
  },
  {
    id: 'fingerprints-exception-dialog',
    view: { screen: { ...fingerBase, phase: 'no-finger', choices: ['retry', 'exception'] }, step: 'fingerprints', fromReview: false },
    prepare: async (page) => {
      await page.getByTestId('finger-exception').click();
      await page.getByTestId('exception-reason-bandaged').click();
    },
  },
  {
    id: 'fingerprints-unreadable',
    view: {
      screen: {
        ...fingerBase,
        phase: 'unreadable',
        attempt: 3,
        progress: 1,
        lastScore: 0,
        choices: ['retry', 'exception'],
        message: {
          vi: 'Chưa đọc được vân tay ngón này đủ rõ. Xin lau khô ngón tay, đặt phẳng và ấn nhẹ, rồi bấm "Thử lại". Nếu ngón này không thể lấy vân tay, bấm "Ngón này không lấy được".',
          en: 'This fingerprint could not be read clearly enough. Dry your finger, lay it flat and press gently, then press "Try again". If this finger cannot give a print, press "This finger cannot be taken".',
        },
      },
      step: 'fingerprints',
      fromReview: false,
    },
  },
  {
    id: 'fingerprints-unreadable-last-round',
    view: {
      screen: {
        ...fingerBase,
        phase: 'unreadable',
        attempt: 3,
        progress: 1,
        lastScore: 22,
        choices: ['keep', 'exception'],
        message: {
          vi: 'Sau nhiều lần thử, vân tay ngón này vẫn chưa đủ rõ. Bấm "Dùng bản này" để giữ bản rõ nhất (cán bộ sẽ kiểm tra), hoặc bấm "Ngón này không lấy được".',
          en: 'After several tries this print could not be read clearly enough. Press "Use this print" to keep the clearest one (staff will check it), or press "This finger cannot be taken".',
        },
      },
      step: 'fingerprints',
      fromReview: false,
    },
  },
  {
    id: 'fingerprints-proof-photo',
    view: {
      screen: {
        ...fingerBase,
        phase: 'proof-photo',
        choices: ['take-photo', 'cancel-exception'],
        exception: { reason: 'amputated', scope: 'hand', hand: 'right' },
        message: {
          vi: 'Xin giơ bàn tay phải lên trước máy ảnh, lòng bàn tay hướng về máy ảnh, rồi bấm "Chụp ảnh". Cán bộ sẽ xem ảnh này.',
          en: 'Hold your right hand up to the camera, palm towards it, then press "Take the photo". Staff will look at this photo.',
        },
      },
      step: 'fingerprints',
      fromReview: false,
    },
  },
  {
    id: 'fingerprints-staff-check',
    view: {
      screen: {
        ...fingerBase,
        finger: 'right_thumb',
        index: 0,
        slots: ORDER.map((position, i): FingerSlotView => (i < 5 ? { position, status: 'exception', reason: 'amputated' } : { position, status: 'pending' })),
        phase: 'staff-check',
        choices: [],
        message: {
          vi: 'Có nhiều ngón tay không lấy được vân tay. Cán bộ đã được báo và sẽ kiểm tra trước khi bạn làm tiếp.',
          en: 'Several fingers cannot be taken. Staff have been told and will check before you go on.',
        },
      },
      step: 'fingerprints',
      fromReview: false,
      overlay: { name: 'help' },
    },
  },
  {
    id: 'fingerprints-kept',
    view: {
      screen: {
        ...fingerBase,
        finger: 'right_thumb',
        index: 0,
        slots: reviewSlots.map((s, i) => (i === 0 ? s : { position: s.position, status: 'pending' })),
        phase: 'accepted',
        progress: 1,
        attempt: 3,
        choices: [],
        message: { vi: 'Đã giữ bản vân tay rõ nhất của ngón này. Cán bộ sẽ kiểm tra.', en: 'The clearest print of this finger is kept. Staff will check it.' },
      },
      step: 'fingerprints',
      fromReview: false,
    },
  },
  {
    id: 'fingerprints-redo',
    view: {
      screen: { ...fingerBase, slots: reviewSlots.map((s, i) => (i === 3 ? { position: s.position, status: 'pending' } : s)), phase: 'no-finger', choices: ['retry', 'exception', 'cancel-redo'] },
      step: 'fingerprints',
      fromReview: true,
    },
  },
  {
    id: 'face-live',
    view: {
      screen: {
        name: 'face',
        phase: 'live',
        guidance: { vi: 'Xin lại gần hơn một chút', en: 'Please come a little closer' },
        checks: [{ name: 'one-face', pass: true }, { name: 'size', pass: false }],
        photoRev: 0,
        attempt: 1,
        maxAttempts: 3,
        retakesLeft: 2,
      },
      step: 'face',
      fromReview: false,
    },
  },
  {
    id: 'face-countdown',
    view: {
      screen: {
        name: 'face',
        phase: 'live',
        guidance: { vi: 'Tốt lắm — xin giữ yên', en: 'Good — please hold still' },
        checks: [{ name: 'face-count', pass: true }, { name: 'face-size', pass: true }],
        photoRev: 0,
        attempt: 2,
        maxAttempts: 3,
        retakesLeft: 1,
        countdown: 3,
      },
      step: 'face',
      fromReview: false,
    },
  },
  {
    id: 'face-captured',
    view: { screen: { name: 'face', phase: 'captured', checks: [], photoRev: 1, attempt: 1, maxAttempts: 3, retakesLeft: 2 }, step: 'face', fromReview: false },
  },
  {
    id: 'face-last-photo',
    view: {
      screen: {
        name: 'face',
        phase: 'captured',
        checks: [],
        photoRev: 3,
        attempt: 3,
        maxAttempts: 3,
        retakesLeft: 0,
        notice: FACE_LAST_PHOTO,
      },
      step: 'face',
      fromReview: false,
    },
  },
  {
    id: 'face-fault',
    view: {
      screen: {
        name: 'face',
        phase: 'fault',
        guidance: CAMERA_FAULT,
        checks: [],
        photoRev: 0,
        attempt: 1,
        maxAttempts: 3,
        retakesLeft: 2,
      },
      step: 'face',
      fromReview: false,
    },
  },
  {
    id: 'signature',
    view: { screen: { name: 'signature', signatureRev: 0 }, step: 'signature', fromReview: false },
    prepare: drawSignature,
  },
  {
    id: 'signature-error',
    view: {
      screen: {
        name: 'signature',
        signatureRev: 0,
        error: { vi: 'Chữ ký quá ngắn. Xin ký lại đầy đủ.', en: 'The signature is too short. Please sign again in full.' },
      },
      step: 'signature',
      fromReview: false,
    },
  },
  {
    id: 'review',
    view: { screen: { name: 'review', document: DOC, slots: slots(10), photoRev: 1, signatureRev: 1 }, step: 'review', fromReview: false },
  },
  {
    // The receipt printer stopped during the session (issue #13): said before the citizen submits.
    id: 'review-printer-out',
    view: { screen: { name: 'review', document: DOC, slots: slots(10), photoRev: 1, signatureRev: 1, printerProblem: 'not-ready' }, step: 'review', fromReview: false },
  },
  {
    id: 'review-redo-dialog',
    view: { screen: { name: 'review', document: DOC, slots: reviewSlots, photoRev: 1, signatureRev: 1 }, step: 'review', fromReview: false },
    prepare: async (page) => {
      await page.getByTestId('review-edit-fingerprints').click();
      await page.getByTestId('redo-finger-right_thumb').click();
      await page.getByTestId('redo-finger-left_ring').click();
    },
  },
  { id: 'submitting', view: { screen: { name: 'submitting' }, step: 'review', fromReview: false } },
  {
    id: 'submit-failed',
    view: {
      screen: {
        name: 'submit-failed',
        message: { vi: 'Bộ nhớ của máy đang bận. Xin bấm Thử lại.', en: 'The kiosk storage is busy. Please press Try again.' },
      },
      step: 'review',
      fromReview: false,
    },
  },
  {
    id: 'done-not-printed',
    view: {
      screen: {
        name: 'done',
        trackingCode: 'K7M-4QX-92P',
        printed: false,
        receiptLines: [
          'MÃ HỒ SƠ: K7M-4QX-92P',
          'Ngày: 23/11/2025 09:41',
          'Máy: KIOSK-036-001',
          'Họ tên: Nguyễn Thị Ngọc Ánh',
          'Số định danh: ********1234',
          'Thẻ sẽ được gửi về địa chỉ thường trú.',
        ],
        printerMessage: {
          vi: 'Máy in hết giấy. Xin chụp ảnh màn hình này; cán bộ đã được báo.',
          en: 'The printer is out of paper. Please take a photo of this screen; staff have been told.',
        },
      },
      fromReview: false,
    },
  },
  {
    id: 'done-printed',
    view: { screen: { name: 'done', trackingCode: 'K7M-4QX-92P', printed: true, receiptLines: [] }, fromReview: false },
  },
  { id: 'abandoned', view: { screen: { name: 'abandoned' }, fromReview: false } },
  {
    id: 'out-of-service',
    view: {
      screen: {
        name: 'out-of-service',
        devices: [
          { kind: 'fingerprint', state: 'disconnected' },
          { kind: 'printer', state: 'fault' },
        ],
      },
      fromReview: false,
    },
  },
  {
    id: 'out-of-service-enclosure-open',
    view: {
      screen: {
        name: 'out-of-service',
        devices: [
          { kind: 'fingerprint', state: 'ready' },
          { kind: 'document', state: 'ready' },
          { kind: 'camera', state: 'ready' },
          { kind: 'printer', state: 'ready' },
        ],
        enclosureOpen: true,
      },
      fromReview: false,
    },
  },
  {
    id: 'overlay-help',
    view: { screen: { ...fingerBase, phase: 'place' }, step: 'fingerprints', fromReview: false, overlay: { name: 'help' } },
  },
  {
    id: 'overlay-timeout',
    view: { screen: { name: 'signature', signatureRev: 0 }, step: 'signature', fromReview: false, overlay: { name: 'timeout-prompt', secondsLeft: 30 } },
  },
];
