import type { FaceCheckName } from './face-checks';
import type { Bilingual } from '../../domain/language';

/**
 * What the citizen is told, in Vietnamese first and English second. Plain words, one action per
 * line, no jargon ("eye distance", "yaw") — these are read aloud and shown in large type.
 */

export const GUIDANCE = {
  noFace: { vi: 'Xin đứng trước máy ảnh, nhìn vào khung hình', en: 'Please stand in front of the camera and look at the frame' },
  manyFaces: { vi: 'Mỗi lần chỉ chụp một người — xin người khác đứng ra ngoài', en: 'One person at a time — others please step out of the picture' },
  closer: { vi: 'Xin tiến lại gần hơn', en: 'Please move closer' },
  back: { vi: 'Xin lùi lại một chút', en: 'Please move back a little' },
  centre: { vi: 'Xin đứng vào giữa, để khuôn mặt nằm trong khung hình bầu dục', en: 'Please move so your face is inside the oval' },
  straightHead: { vi: 'Xin giữ đầu thẳng, không nghiêng', en: 'Please hold your head straight, not tilted' },
  lookStraight: { vi: 'Xin nhìn thẳng vào máy ảnh', en: 'Please look straight at the camera' },
  openEyes: { vi: 'Xin mở mắt và nhìn vào máy ảnh', en: 'Please open your eyes and look at the camera' },
  tooDark: { vi: 'Quá tối — xin đứng ra chỗ sáng hơn', en: 'Too dark — please step into the light' },
  tooBright: { vi: 'Quá chói — xin tránh ánh nắng chiếu thẳng vào mặt', en: 'Too bright — please move out of direct light' },
  lowContrast: { vi: 'Ảnh bị nhạt — xin đứng ra chỗ có ánh sáng đều hơn', en: 'The picture is washed out — please move to even light' },
  blurred: { vi: 'Ảnh bị nhòe — xin đứng yên một chút', en: 'The picture is blurred — please hold still for a moment' },
  darkBackground: { vi: 'Phía sau quá tối — xin đứng trước tấm phông sáng màu', en: 'The background is too dark — please stand in front of the light backdrop' },
  busyBackground: { vi: 'Phía sau có đồ vật hoặc người — xin đứng trước tấm phông trơn', en: 'There is something behind you — please stand in front of the plain backdrop' },
  allGood: { vi: 'Tốt lắm — xin giữ yên', en: 'Good — please hold still' },
} as const satisfies Record<string, Bilingual>;

/**
 * Which failing check the citizen is told about first: one thing at a time, the one to fix
 * first. This is not the order the checks are measured and reported in. One face at a usable
 * size comes first, since nothing else is measured well without it. Then the head's pose before
 * its position: a turned or tilted head also moves the face's measured centre (the landmarks
 * follow the nose and the near cheek), so "move into the oval" would send a citizen sideways
 * who only needs to look straight at the camera; once the head is straight, the centre is
 * measured true. Then the eyes, then the light, the focus and what is behind the citizen.
 */
export const GUIDANCE_PRIORITY: readonly FaceCheckName[] = [
  'face-count',
  'face-size',
  'yaw',
  'roll',
  'centred',
  'eyes-open',
  'brightness',
  'contrast',
  'sharpness',
  'background-light',
  'background-plain',
];

/** The failing check to tell the citizen about now, by `GUIDANCE_PRIORITY`; none when all pass. */
export function mostUrgent<C extends { readonly name: FaceCheckName; readonly pass: boolean }>(checks: readonly C[]): C | undefined {
  const rank = (c: C): number => {
    const i = GUIDANCE_PRIORITY.indexOf(c.name);
    return i < 0 ? GUIDANCE_PRIORITY.length : i;
  };
  return checks.filter((c) => !c.pass).sort((a, b) => rank(a) - rank(b))[0];
}
