import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeFace } from '../../../../controller/capture/face-analysis';
import { createFaceDetector, type FaceDetector } from '../../../../controller/capture/face-detector';
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
