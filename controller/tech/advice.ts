import type { DeviceState, FaultReason } from '../../domain/devices';
import type { Bilingual } from '../../domain/language';
import type { TechDevice } from '../../domain/tech-channel/messages';

/**
 * What the service screen and `kiosk diag` tell a technician who is not a programmer: what
 * happened, in plain words, and the next thing to check. Vietnamese first. Buttons are named as
 * the service screen shows them (ui/tech/labels.ts; a test checks the quoted names).
 */

/** The device as the technician calls it, with its config key for the next step. */
const NAME: Readonly<Record<TechDevice, { readonly vi: string; readonly en: string; readonly key: string }>> = {
  fingerprint: { vi: 'Máy lấy vân tay', en: 'The fingerprint reader', key: 'devices.fingerprint' },
  scanner: { vi: 'Máy quét giấy tờ', en: 'The document scanner', key: 'devices.document' },
  camera: { vi: 'Máy ảnh', en: 'The camera', key: 'devices.camera' },
  printer: { vi: 'Máy in biên lai', en: 'The receipt printer', key: 'devices.printer' },
  panel: { vi: 'Bảng điều khiển (đèn, nút, cảm biến)', en: 'The front panel (lights, button, sensors)', key: 'devices.gpio' },
};

/** The cable a technician can reach for each device. */
const CABLE: Readonly<Record<TechDevice, Bilingual>> = {
  fingerprint: { vi: 'cáp USB của máy lấy vân tay', en: "the fingerprint reader's USB cable" },
  scanner: { vi: 'cáp USB của máy quét', en: "the scanner's USB cable" },
  camera: { vi: 'cáp dẹt của máy ảnh (cắm vào cổng CAMERA của Raspberry Pi)', en: "the camera's ribbon cable (in the Raspberry Pi's CAMERA port)" },
  printer: { vi: 'dây nguồn và cáp USB của máy in', en: "the printer's power lead and USB cable" },
  panel: { vi: 'cáp USB của bảng mạch điều khiển', en: "the control board's USB cable" },
};

export function deviceName(device: TechDevice): Bilingual {
  return { vi: NAME[device].vi, en: NAME[device].en };
}

/** What to check next when a device failed for this reason. */
export function adviceFor(device: TechDevice, reason: FaultReason | DeviceState | 'no-reply'): Bilingual {
  const n = NAME[device];
  const cable = CABLE[device];
  switch (reason) {
    case 'unplugged':
    case 'disconnected':
      return {
        vi: `${n.vi} bị rút cáp hoặc mất điện. Kiểm tra ${cable.vi}: cắm chặt cả hai đầu, rồi bấm "Kiểm tra" lại.`,
        en: `${n.en} is unplugged or has no power. Check ${cable.en}: push both ends in firmly, then press "Test" again.`,
      };
    case 'timeout':
    case 'no-reply':
    case 'fault':
      return {
        vi: `${n.vi} không trả lời. Rút ${cable.vi} ra, chờ 5 giây, cắm lại, rồi bấm "Kiểm tra". Nếu vẫn vậy: xem cổng ghi trong cấu hình (${n.key}).`,
        en: `${n.en} does not answer. Unplug ${cable.en}, wait 5 seconds, plug it back in, then press "Test". If it still fails: check the port in the config (${n.key}).`,
      };
    case 'protocol':
      return {
        vi: `${n.vi} trả lời nhưng không đúng cách. Kiểm tra tốc độ truyền (baud) và loại máy trong cấu hình (${n.key}).`,
        en: `${n.en} answers, but not in its language. Check the baud rate and the model in the config (${n.key}).`,
      };
    case 'device-error':
      return {
        vi: `${n.vi} báo lỗi của chính nó. Tắt nguồn máy 10 giây rồi bật lại, sau đó bấm "Kiểm tra".`,
        en: `${n.en} reports an error of its own. Switch it off for 10 seconds and on again, then press "Test".`,
      };
    case 'connecting':
      return {
        vi: `${n.vi} đang kết nối lại. Chờ vài giây rồi bấm "Kiểm tra".`,
        en: `${n.en} is reconnecting. Wait a few seconds, then press "Test".`,
      };
    case 'aborted':
    case 'ready':
    case 'busy':
      return { vi: 'Bài kiểm tra bị dừng giữa chừng. Bấm "Kiểm tra" lại.', en: 'The test was stopped half way. Press "Test" again.' };
  }
}

/** What happened, for a device that could not be tested at all. */
export function notWorking(device: TechDevice, state: DeviceState | FaultReason): Bilingual {
  const n = NAME[device];
  const how: Readonly<Record<string, Bilingual>> = {
    unplugged: { vi: 'mất kết nối', en: 'is disconnected' },
    disconnected: { vi: 'mất kết nối', en: 'is disconnected' },
    connecting: { vi: 'đang kết nối lại', en: 'is reconnecting' },
    timeout: { vi: 'không trả lời', en: 'does not answer' },
    protocol: { vi: 'trả lời sai', en: 'answers wrongly' },
    'device-error': { vi: 'báo lỗi', en: 'reports an error' },
    aborted: { vi: 'bị dừng', en: 'was stopped' },
  };
  const h = how[state] ?? { vi: 'bị lỗi', en: 'has a fault' };
  return { vi: `${n.vi} ${h.vi}.`, en: `${n.en} ${h.en}.` };
}
