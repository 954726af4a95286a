import { beforeAll, describe, expect, it } from 'vitest';
import { derive, type FixtureName } from '../../../fixtures/faces/derive';
import { analyzeFace } from '../../../../controller/capture/face-analysis';
import { DEFAULT_FACE_CHECK_CONFIG, checkFaceSize, checkRoll, checkYaw, evaluateFace, type FaceAnalysis } from '../../../../controller/capture/face-checks';
import { createFaceDetector } from '../../../../controller/capture/face-detector';
import { GUIDANCE } from '../../../../controller/capture/face-guidance';
import { syntheticFace } from '../../../helpers/face-landmarks';
import { decodeToRgb } from '../../../../controller/capture/image-rgb';
import { PREVIEW_ANALYSIS } from '../../../../controller/services/face';
import { renderScenario } from '../../../../drivers/camera/sim-frames';
import { SIM_CAMERA_SIZE, defaultSceneJpeg } from '../../../../drivers/camera/sim-scene';

// The model loads once for the file; fixtures are derived from astronaut.png in test code.
const results = new Map<string, FaceAnalysis>();
const failing = (name: FixtureName): string[] => (results.get(name)?.checks ?? []).filter((c) => !c.pass).map((c) => c.name);

beforeAll(async () => {
  const detector = await createFaceDetector();
  for (const [name, make] of Object.entries(derive)) {
    results.set(name, await analyzeFace(detector, await make(), { inputSize: 416 }));
  }
}, 120_000);

describe('ICAO checks on fixtures derived from one real photo', () => {
  it('accepts the face on a plain light background: every check passes', () => {
    const a = results.get('plain');
    expect(a?.checks.map((c) => c.name)).toEqual([
      'face-count', 'face-size', 'centred', 'roll', 'yaw', 'eyes-open', 'brightness', 'contrast', 'sharpness', 'background-light', 'background-plain',
    ]);
    expect(failing('plain')).toEqual([]);
    expect(a?.ok).toBe(true);
    expect(a?.primaryGuidance).toEqual(GUIDANCE.allGood);
  });

  it('accepts the mirrored portrait too', () => {
    expect(failing('flipped')).toEqual([]);
  });

  it('rejects a tilted head on roll only', () => {
    expect(failing('rotated')).toEqual(['roll']);
    expect(results.get('rotated')?.primaryGuidance.vi).toBe('Xin giữ đầu thẳng, không nghiêng');
  });

  it('rejects an under-exposed face on brightness only, and says to find light', () => {
    expect(failing('dark')).toEqual(['brightness']);
    expect(results.get('dark')?.primaryGuidance.vi).toBe('Quá tối — xin đứng ra chỗ sáng hơn');
  });

  it('rejects a blurred photo on sharpness only', () => {
    expect(failing('blurred')).toEqual(['sharpness']);
  });

  it('rejects a face off to one side on centring only', () => {
    expect(failing('offCentre')).toEqual(['centred']);
    expect(results.get('offCentre')?.primaryGuidance).toEqual(GUIDANCE.centre);
  });

  it('asks a turned head to look straight at the camera, not to move into the oval', () => {
    // The turn also pulls the face off centre; the turn is what the citizen must fix first.
    expect(failing('turnedHead')).toContain('yaw');
    expect(results.get('turnedHead')?.primaryGuidance).toEqual(GUIDANCE.lookStraight);
  });

  it('rejects an empty frame on face count only', () => {
    expect(failing('noFace')).toEqual(['face-count']);
    expect(results.get('noFace')?.checks[0]?.value).toBe(0);
    expect(results.get('noFace')?.primaryGuidance).toEqual(GUIDANCE.noFace);
  });

  it('rejects two people on face count only', () => {
    expect(failing('twoFaces')).toEqual(['face-count']);
    expect(results.get('twoFaces')?.checks[0]?.value).toBe(2);
    expect(results.get('twoFaces')?.primaryGuidance).toEqual(GUIDANCE.manyFaces);
  });

  it('rejects the original photo for its busy background', () => {
    expect(failing('astronaut')).toContain('background-plain');
  });

  it('gives every check a measured value, its threshold and guidance in both languages', () => {
    for (const c of results.get('plain')?.checks ?? []) {
      expect(Number.isFinite(c.value)).toBe(true);
      expect(c.threshold.min !== undefined || c.threshold.max !== undefined).toBe(true);
      expect(c.guidance.vi.length).toBeGreaterThan(0);
      expect(c.guidance.en.length).toBeGreaterThan(0);
    }
  });
});

describe('the simulated camera’s turned-head scenario', () => {
  it('is told to look straight at the camera, on the live preview and on the still', async () => {
    const detector = await createFaceDetector();
    const frame = await renderScenario(await defaultSceneJpeg(), 'turned-head', SIM_CAMERA_SIZE);
    if (!frame) throw new Error('no turned-head frame');
    const rgb = await decodeToRgb(frame);
    const still = await analyzeFace(detector, rgb);
    const preview = await analyzeFace(detector, rgb, { ...PREVIEW_ANALYSIS, eyeDistanceScale: 0.5 });
    for (const a of [still, preview]) {
      expect(a.checks.find((c) => c.name === 'yaw')?.pass).toBe(false);
      expect(a.primaryGuidance).toEqual(GUIDANCE.lookStraight);
    }
  }, 60_000);
});

describe('checks as pure functions', () => {
  const cfg = DEFAULT_FACE_CHECK_CONFIG;

  it('asks a face that is too small to come closer and one too large to step back', () => {
    const small = checkFaceSize(syntheticFace({ eyes: 60 }), 640, cfg);
    expect(small.pass).toBe(false);
    expect(small.guidance).toEqual(GUIDANCE.closer);
    const big = checkFaceSize(syntheticFace({ eyes: 300 }), 640, cfg);
    expect(big.pass).toBe(false);
    expect(big.guidance).toEqual(GUIDANCE.back);
  });

  it('scales the eye-distance minimum for smaller preview frames', () => {
    expect(checkFaceSize(syntheticFace({ eyes: 60 }), 640, cfg, 0.5).pass).toBe(true);
  });

  it('holds roll and yaw to their limits', () => {
    expect(checkRoll(syntheticFace({ rollDeg: cfg.maxRollDeg - 1 }), cfg).pass).toBe(true);
    expect(checkRoll(syntheticFace({ rollDeg: cfg.maxRollDeg + 1 }), cfg).pass).toBe(false);
    expect(checkYaw(syntheticFace({ yawDeg: cfg.maxYawDeg + 3 }), cfg).pass).toBe(false);
    expect(checkYaw(syntheticFace({ yawDeg: -(cfg.maxYawDeg + 3) }), cfg).guidance).toEqual(GUIDANCE.lookStraight);
  });

  it('asks for the head pose before the position: a turned or tilted head also reads as off centre', () => {
    const img = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3) };
    const failingOf = (a: ReturnType<typeof evaluateFace>) => a.checks.filter((c) => !c.pass).map((c) => c.name);
    const turned = evaluateFace(img, [syntheticFace({ cx: 420, yawDeg: 25 })]);
    expect(failingOf(turned)).toEqual(expect.arrayContaining(['centred', 'yaw']));
    expect(turned.primaryGuidance).toEqual(GUIDANCE.lookStraight);
    const tilted = evaluateFace(img, [syntheticFace({ cx: 420, rollDeg: 15 })]);
    expect(failingOf(tilted)).toEqual(expect.arrayContaining(['centred', 'roll']));
    expect(tilted.primaryGuidance).toEqual(GUIDANCE.straightHead);
    const aside = evaluateFace(img, [syntheticFace({ cx: 420 })]);
    expect(failingOf(aside)).toContain('centred');
    expect(failingOf(aside)).not.toContain('yaw');
    expect(aside.primaryGuidance).toEqual(GUIDANCE.centre);
  });

  it('still asks a face that is too small to come closer before anything about its pose', () => {
    const img = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3) };
    expect(evaluateFace(img, [syntheticFace({ eyes: 40, yawDeg: 25 })]).primaryGuidance).toEqual(GUIDANCE.closer);
  });

  it('reports only the face count when there is no single face to measure', () => {
    const img = { width: 4, height: 4, data: new Uint8Array(48) };
    const a = evaluateFace(img, [syntheticFace(), syntheticFace({ cx: 100 })]);
    expect(a.ok).toBe(false);
    expect(a.checks.map((c) => c.name)).toEqual(['face-count']);
  });
});
