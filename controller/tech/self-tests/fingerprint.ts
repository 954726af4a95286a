import { faultFromThrown, isDeviceError } from '../../../drivers/errors';
import type { FingerCaptureResult } from '../../../drivers/types';
import { fingerprintQuality } from '../../capture/fingerprint-quality';
import { greyPng } from '../../services/fingerprint';
import { adviceFor, notWorking } from '../advice';
import { usableOr, type Outcome, type SelfTestHooks, type SelfTestKit } from '../self-test';

/** A finger the simulated reader shows when it is tested (any seed is a good finger). */
const SIM_FINGER = { kind: 'seed', seed: 7301 } as const;

/**
 * Capture one finger and score it: the image and the score are shown, so a dirty window or a
 * worn sensor is seen as well as a dead one. The image is the technician's own finger: it goes
 * to the service screen and nowhere else (never to disk), and its pixels are overwritten here.
 */
export async function fingerprintSelfTest(kit: SelfTestKit, hooks: SelfTestHooks): Promise<Outcome> {
  const down = await usableOr('fingerprint', kit.fingerprint, hooks.signal);
  if (down) return down;
  hooks.prompt?.({ vi: 'Đặt một ngón tay phẳng lên mặt kính của máy lấy vân tay.', en: 'Place one finger flat on the glass of the fingerprint reader.' });
  await kit.sim?.fingerprint?.({ next: [SIM_FINGER] });
  let shot: FingerCaptureResult;
  try {
    shot = await kit.fingerprint.capture({ waitMs: kit.waits.fingerMs, ...(hooks.signal ? { signal: hooks.signal } : {}) });
  } catch (err) {
    if (!isDeviceError(err)) throw err;
    shot = faultFromThrown(err, 'protocol');
  }
  if (shot.kind === 'no-finger') {
    return {
      ok: false,
      summary: { vi: `Không thấy ngón tay nào trong ${Math.round(kit.waits.fingerMs / 1000)} giây.`, en: `No finger was seen within ${Math.round(kit.waits.fingerMs / 1000)} seconds.` },
      next: {
        vi: 'Bấm "Kiểm tra" rồi đặt ngón tay lên mặt kính ngay. Nếu đã đặt mà máy không thấy: lau mặt kính, rồi rút và cắm lại cáp USB của máy.',
        en: 'Press "Test" and put a finger on the glass at once. If it was there and not seen: clean the glass, then unplug and plug back the reader\'s USB cable.',
      },
    };
  }
  if (shot.kind === 'fault') return { ok: false, summary: notWorking('fingerprint', shot.reason), next: adviceFor('fingerprint', shot.reason), detail: shot.message };
  const image = shot.image;
  try {
    const score = Math.round(fingerprintQuality(image).score);
    const png = await greyPng(image);
    const ok = score >= kit.fingerThreshold;
    return {
      ok,
      summary: ok
        ? { vi: `Đã lấy được vân tay, chất lượng ${score}/100 (cần ${kit.fingerThreshold}).`, en: `A fingerprint was taken, quality ${score}/100 (needed ${kit.fingerThreshold}).` }
        : { vi: `Vân tay lấy được chưa rõ: chất lượng ${score}/100 (cần ${kit.fingerThreshold}).`, en: `The fingerprint is not clear: quality ${score}/100 (needed ${kit.fingerThreshold}).` },
      ...(ok
        ? {}
        : {
            next: {
              vi: 'Lau mặt kính bằng khăn mềm khô, đặt ngón tay phẳng và ấn nhẹ, rồi bấm "Kiểm tra" lại. Nếu ảnh vẫn mờ hoặc có vệt: mặt kính bị trầy, cần thay máy.',
              en: 'Wipe the glass with a soft dry cloth, place the finger flat and press gently, then press "Test" again. If the image stays faint or streaked, the glass is scratched: the reader needs replacing.',
            },
          }),
      fingerprint: { image: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, width: image.width, height: image.height, score, threshold: kit.fingerThreshold },
    };
  } finally {
    image.pixels.fill(0);
  }
}
