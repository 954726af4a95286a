import sharp from 'sharp';
import { analyzeFace } from '../../capture/face-analysis';
import { decodeToRgb } from '../../capture/image-rgb';
import { adviceFor, notWorking } from '../advice';
import { usableOr, type Outcome, type SelfTestHooks, type SelfTestKit } from '../self-test';
import type { FaceCheckResult } from '../../../domain/tech-channel/messages';

/** The photo is shown this wide at most: enough to judge focus and light, small over the network. */
const SHOWN_WIDTH = 640;

/**
 * Take one still and run the photo step's checks on it (ICAO: one face, size, centred, light,
 * sharpness…): a camera that takes pictures passes; the checks say whether its pictures would
 * pass for a citizen (a smeared lens, a lamp gone dark). The photo goes to the service screen
 * only, never to disk.
 */
export async function cameraSelfTest(kit: SelfTestKit, hooks: SelfTestHooks): Promise<Outcome> {
  const down = await usableOr('camera', kit.camera, hooks.signal);
  if (down) return down;
  hooks.prompt?.({ vi: 'Đứng trước máy ảnh, nhìn thẳng vào máy ảnh.', en: 'Stand in front of the camera and look straight at it.' });
  const still = await kit.camera.still(hooks.signal ? { signal: hooks.signal } : {});
  if (still.kind === 'fault') return { ok: false, summary: notWorking('camera', still.reason), next: adviceFor('camera', still.reason), detail: still.message };
  const frame = still.frame;
  let checks: FaceCheckResult[] = [];
  let faceFound = false;
  let checkProblem: string | undefined;
  try {
    const rgb = await decodeToRgb(frame.jpeg);
    const a = await analyzeFace(await kit.detector(), rgb);
    faceFound = a.face !== undefined;
    checks = a.checks.map((c) => (c.pass ? { name: c.name, pass: true } : { name: c.name, pass: false, advice: c.guidance }));
  } catch (err) {
    // The photo was taken: the camera works even if the checks could not run.
    checkProblem = err instanceof Error ? err.message : String(err);
  }
  const shown = await sharp(frame.jpeg).resize({ width: SHOWN_WIDTH, withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
  const failing = checks.filter((c) => !c.pass).length;
  return {
    ok: true,
    summary: !faceFound
      ? { vi: `Máy ảnh chụp được ảnh ${frame.width}×${frame.height}, nhưng không thấy khuôn mặt nào.`, en: `The camera took a ${frame.width}×${frame.height} photo, but no face was found in it.` }
      : failing === 0
        ? { vi: `Máy ảnh chụp được ảnh ${frame.width}×${frame.height}; ảnh đạt mọi yêu cầu.`, en: `The camera took a ${frame.width}×${frame.height} photo; it passes every check.` }
        : { vi: `Máy ảnh chụp được ảnh ${frame.width}×${frame.height}; ${failing} yêu cầu chưa đạt (xem bên dưới).`, en: `The camera took a ${frame.width}×${frame.height} photo; ${failing} checks did not pass (see below).` },
    ...(faceFound && failing === 0
      ? {}
      : {
          next: {
            vi: 'Đứng trước máy ảnh rồi bấm "Kiểm tra" lại. Nếu ảnh mờ: lau ống kính. Nếu ảnh tối: kiểm tra đèn chiếu sáng.',
            en: 'Stand in front of the camera and press "Test" again. If the photo is blurred, clean the lens; if it is dark, check the light.',
          },
        }),
    ...(checkProblem ? { detail: `the photo checks could not run: ${checkProblem}` } : {}),
    photo: { image: `data:image/jpeg;base64,${shown.toString('base64')}`, width: frame.width, height: frame.height, faceFound, checks },
  };
}
