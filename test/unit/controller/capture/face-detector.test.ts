import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFace } from '../../../../controller/capture/face-analysis';
import { createFaceDetector, detectorInput, halve, type FaceDetector } from '../../../../controller/capture/face-detector';
import { loadFaceModels } from '../../../../controller/capture/face-model';
import { derive } from '../../../fixtures/faces/derive';
import { decodeToRgb } from '../../../../controller/capture/image-rgb';
import { PREVIEW_ANALYSIS } from '../../../../controller/services/face';
import { defaultSceneJpeg } from '../../../../drivers/camera/sim-scene';
import type { RgbImage } from '../../../../domain/images';

/**
 * The face model's memory on a Pi (issue #14): tensors are counted, not weighed, and the wasm
 * heap, which only ever grows, must not be sized by the largest still the camera can deliver.
 */
let detector: FaceDetector;
let scene: Uint8Array;
beforeAll(async () => {
  detector = await createFaceDetector();
  scene = await defaultSceneJpeg();
}, 60_000);

/** The simulated citizen on the wall, as a camera set to width × height would deliver it. */
async function sceneAt(width: number, height: number): Promise<RgbImage> {
  return decodeToRgb(new Uint8Array(await sharp(scene).resize(width, height, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer()));
}

function memory(): { numTensors: number; wasmHeapBytes: number } {
  const m = detector.memory?.();
  if (!m) throw new Error('the real detector reports its memory');
  return { ...m };
}

describe('the face detector’s memory', () => {
  it('reports the tensors alive and the wasm heap of the loaded model', () => {
    const m = memory();
    // The three nets' weights, and a heap that holds them.
    expect(m.numTensors).toBeGreaterThan(50);
    expect(m.wasmHeapBytes).toBeGreaterThan(1_000_000);
  });

  // Before any still: a still's detector (224) grows the heap further than previews do.
  it('checks preview frames of the real camera (1280×960) without growing the wasm heap beyond what 640×480 frames need', async () => {
    const preview = async (img: RgbImage) => {
      for (let i = 0; i < 3; i++) expect((await analyzeFace(detector, img, { ...PREVIEW_ANALYSIS, eyeDistanceScale: 0.5 })).face).toBeDefined();
    };
    await preview(await sceneAt(640, 480));
    const heap = memory().wasmHeapBytes;
    await preview(await sceneAt(1280, 960));
    expect(memory().wasmHeapBytes / 1e6).toBe(heap / 1e6);
  }, 60_000);

  it('leaves no tensor behind after a still or a preview frame, with or without a face', async () => {
    const base = memory().numTensors;
    const face = await sceneAt(960, 720);
    const empty: RgbImage = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3).fill(200) };
    for (const img of [face, empty, face]) {
      await analyzeFace(detector, img, { eyeDistanceScale: 0.5 });
      expect(memory().numTensors).toBe(base);
      await analyzeFace(detector, img, { ...PREVIEW_ANALYSIS, eyeDistanceScale: 0.5 });
      expect(memory().numTensors).toBe(base);
    }
  });

  it('checks a large still without growing the wasm heap beyond what a 640×480 still needs, and still finds the face', async () => {
    const small = await analyzeFace(detector, await sceneAt(640, 480), { eyeDistanceScale: 0.5 });
    expect(small.face).toBeDefined();
    const heap = memory().wasmHeapBytes;
    // The camera's default still (1280×960), the Pi camera v1's full frame, and the config's largest.
    for (const [w, h] of [
      [1280, 960],
      [2592, 1944],
      [4608, 3456],
    ] as const) {
      const a = await analyzeFace(detector, await sceneAt(w, h), {});
      expect({ size: `${w}×${h}`, found: a.face !== undefined, heapMB: memory().wasmHeapBytes / 1e6 }).toEqual({ size: `${w}×${h}`, found: true, heapMB: heap / 1e6 });
      // Landmarks come back in the still's own pixels.
      const box = a.face?.box;
      expect(box && box.x + box.width / 2).toBeGreaterThan(w * 0.35);
      expect(box && box.x + box.width / 2).toBeLessThan(w * 0.65);
    }
  }, 60_000);
});

describe('the detector in two steps (the networks never see the whole image)', () => {
  it('gives the detector the square face-api would make: padded with black at the right or bottom, resized bilinearly', async () => {
    const { tf } = await loadFaceModels();
    for (const [w, h] of [
      [37, 50],
      [64, 48],
      [33, 33],
    ] as const) {
      const data = new Uint8Array(w * h * 3).map((_, i) => (i * 97 + (i >> 3) * 13) & 0xff);
      const side = Math.max(w, h);
      const expected = tf.tidy(() => {
        const img = tf.cast(tf.tensor3d(data, [h, w, 3], 'int32'), 'float32');
        const padded = tf.pad(img, [[0, side - h], [0, side - w], [0, 0]]);
        return tf.image.resizeBilinear(padded, [24, 24], false, false);
      });
      const want = await expected.data();
      expected.dispose();
      const got = detectorInput({ width: w, height: h, data }, 24);
      expect(got.length).toBe(want.length);
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? 0) - (want[i] ?? 0)));
      expect(worst).toBeLessThan(1e-3);
    }
  });

  it('finds the same faces, boxes and landmarks as face-api’s own detectAllFaces().withFaceLandmarks() on the whole image', async () => {
    const { tf, faceapi } = await loadFaceModels();
    // Images the detector does not shrink first: a portrait-shaped photo (280×350: its boxes
    // scaled through face-api's rounding) and the camera's 4:3 scene.
    for (const img of [halve(await derive.plain(), 1), await sceneAt(640, 480)]) {
      for (const [inputSize, tiny] of [
        [224, false],
        [160, true],
      ] as const) {
        const ours = await detector.detect(img, { inputSize, tinyLandmarks: tiny });
        const whole = tf.tensor3d(img.data, [img.height, img.width, 3], 'int32');
        const raw: unknown = await faceapi.detectAllFaces(whole, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: 0.5 })).withFaceLandmarks(tiny);
        whole.dispose();
        if (!Array.isArray(raw)) throw new Error('face-api returned no array');
        expect(ours.length).toBe(raw.length);
        expect(ours.length).toBeGreaterThan(0);
        ours.forEach((face, i) => {
          const theirs: unknown = raw[i];
          const box = Reflect.get(Object(Reflect.get(Object(theirs), 'detection')), 'box');
          const positions: unknown = Reflect.get(Object(Reflect.get(Object(theirs), 'landmarks')), 'positions');
          if (!Array.isArray(positions)) throw new Error('face-api returned no landmarks');
          for (const k of ['x', 'y', 'width', 'height'] as const) expect(face.box[k]).toBeCloseTo(Number(Reflect.get(Object(box), k)), 3);
          face.landmarks.forEach((p, j) => {
            expect(p.x).toBeCloseTo(Number(Reflect.get(Object(positions[j]), 'x')), 3);
            expect(p.y).toBeCloseTo(Number(Reflect.get(Object(positions[j]), 'y')), 3);
          });
        });
      }
    }
  }, 60_000);
});
