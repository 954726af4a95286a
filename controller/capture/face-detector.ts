/**
 * Face detection with 68-point landmarks: face-api's TinyFaceDetector + the full 68-point
 * landmark net on the tfjs wasm backend. TinyFaceDetector rather than SSD MobileNet v1 because
 * SSD took ~10× longer per 640×480 frame here, and guidance must update several times a second
 * on a Pi 4 (see test/bench/face.ts); at kiosk distance the face is large, so the tiny
 * detector's weakness (small faces) does not matter. Stills may ask for a larger input size.
 */
import { faceModelMemory, loadFaceModels, type FaceApi, type FaceModelMemory, type LoadedModels } from './face-model';
import type { RgbImage } from '../../domain/images';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface DetectedFace {
  readonly box: Box;
  /** The 68 iBUG points: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67. */
  readonly landmarks: readonly Point[];
  /** Detector confidence 0..1. */
  readonly score: number;
}

export interface DetectOptions {
  /** Network input size (multiple of 32). Smaller is faster; 224 suits 640×480 preview frames. */
  readonly inputSize?: number;
  /**
   * Use the tiny 68-point landmark net: about 3× faster, a little less precise. Right for live
   * preview guidance; the still that is kept is checked again with the full net.
   */
  readonly tinyLandmarks?: boolean;
  /**
   * Run the networks on a copy shrunk by 2^n (0 = full size) and map the results back. The
   * detector sees a ≤ 160 px input anyway; halving a 640×480 preview frame first cuts the cost
   * of building and resizing the input tensor. Landmarks stay in full-frame pixels.
   * Larger images are always shrunk until their longer side is at most `NETWORK_MAX_SIDE`.
   */
  readonly halvings?: number;
}

export interface FaceDetector {
  detect(rgb: RgbImage, opts?: DetectOptions): Promise<DetectedFace[]>;
  /** Tensors alive and the wasm heap's size (absent on stand-in detectors in tests). */
  memory?(): FaceModelMemory;
}

export interface FaceDetectorOptions {
  readonly inputSize?: number;
  readonly scoreThreshold?: number;
  /** Folder with face-api weight files; defaults to the package's own model/ folder. */
  readonly modelDir?: string;
}

function num(o: unknown, key: string): number | undefined {
  if (typeof o !== 'object' || o === null) return undefined;
  const v: unknown = Reflect.get(o, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function toPoint(p: unknown): Point | undefined {
  const x = num(p, 'x'), y = num(p, 'y');
  return x === undefined || y === undefined ? undefined : { x, y };
}

/** A face-api FaceDetection: its score and its box relative to the image it was given. */
function parseDetection(d: unknown): { readonly score: number; readonly relative: Box } | undefined {
  const score = num(d, 'score');
  const rel: unknown = typeof d === 'object' && d !== null ? Reflect.get(d, 'relativeBox') : undefined;
  const x = num(rel, 'x'), y = num(rel, 'y'), width = num(rel, 'width'), height = num(rel, 'height');
  if (score === undefined || x === undefined || y === undefined || width === undefined || height === undefined) return undefined;
  return { score, relative: { x, y, width, height } };
}

/**
 * The detector's input as face-api would make it from the whole image (padded at the right or
 * bottom with black to a square, then resized bilinearly to `size`, TensorFlow's legacy way:
 * source = destination × scale, no half-pixel centres), made here in float32 so the networks'
 * wasm heap only ever holds a `size` × `size` input, whatever the camera's resolution.
 */
export function detectorInput(img: RgbImage, size: number): Float32Array {
  const side = Math.max(img.width, img.height);
  const scale = Math.fround(side / size);
  const out = new Float32Array(size * size * 3);
  const src = img.data, w = img.width, h = img.height;
  const at = (y: number, x: number, c: number): number => (y < h && x < w ? (src[(y * w + x) * 3 + c] ?? 0) : 0);
  for (let y = 0; y < size; y++) {
    const sy = Math.fround(y * scale);
    const y0 = Math.floor(sy), y1 = Math.min(y0 + 1, side - 1), dy = Math.fround(sy - y0);
    for (let x = 0; x < size; x++) {
      const sx = Math.fround(x * scale);
      const x0 = Math.floor(sx), x1 = Math.min(x0 + 1, side - 1), dx = Math.fround(sx - x0);
      for (let c = 0; c < 3; c++) {
        const top = Math.fround(at(y0, x0, c) + Math.fround((at(y0, x1, c) - at(y0, x0, c)) * dx));
        const bottom = Math.fround(at(y1, x0, c) + Math.fround((at(y1, x1, c) - at(y1, x0, c)) * dx));
        out[(y * size + x) * 3 + c] = top + Math.fround((bottom - top) * dy);
      }
    }
  }
  return out;
}

/**
 * The pixels of `box` (clipped to the image, then floored, as face-api clips a face before its
 * landmark net sees it), as 8-bit RGB.
 */
export function faceCrop(img: RgbImage, box: Box): RgbImage | undefined {
  const x = Math.max(box.x, 0), y = Math.max(box.y, 0);
  const width = Math.floor(Math.min(box.x + box.width - x, img.width - x));
  const height = Math.floor(Math.min(box.y + box.height - y, img.height - y));
  const x0 = Math.floor(x), y0 = Math.floor(y);
  if (!(width > 0 && height > 0)) return undefined;
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row++) data.set(img.data.subarray(((y0 + row) * img.width + x0) * 3, ((y0 + row) * img.width + x0 + width) * 3), row * width * 3);
  return { width, height, data };
}

/**
 * face-api's `detectAllFaces(image).withFaceLandmarks()`, in its two steps so that neither
 * network is handed the whole image as a tensor: the detector gets `detectorInput` (the square
 * face-api would make of it, `inputSize` on a side), and each landmark net gets only the face's
 * crop. Same boxes, same crops, same landmarks; the full image stays in JavaScript.
 */
async function runDetection(models: LoadedModels, rgb: RgbImage, inputSize: number, scoreThreshold: number, tinyLandmarks: boolean): Promise<DetectedFace[]> {
  const { tf } = models;
  const faceapi: FaceApi = models.faceapi;
  if (rgb.data.length !== rgb.width * rgb.height * 3) throw new Error('detect: image data is not width × height × 3 bytes');
  const side = Math.max(rgb.width, rgb.height);
  // face-api maps boxes back through the image's size in the network input, rounded to whole
  // pixels (its computeReshapedDimensions): the same factors, so the boxes are the same.
  const toImageX = (inputSize / Math.round(rgb.width * (inputSize / side))) * rgb.width;
  const toImageY = (inputSize / Math.round(rgb.height * (inputSize / side))) * rgb.height;
  const input = tf.tensor3d(detectorInput(rgb, inputSize), [inputSize, inputSize, 3], 'float32');
  let raw: unknown;
  try {
    raw = await faceapi.nets.tinyFaceDetector.locateFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }));
  } finally {
    input.dispose();
  }
  if (!Array.isArray(raw)) throw new Error('face-api returned ' + typeof raw + ', expected an array of detections');
  const net = tinyLandmarks ? faceapi.nets.faceLandmark68TinyNet : faceapi.nets.faceLandmark68Net;
  const faces: DetectedFace[] = [];
  for (const r of raw) {
    const d = parseDetection(r);
    if (!d) throw new Error('face-api returned a detection of an unexpected shape');
    const box = { x: d.relative.x * toImageX, y: d.relative.y * toImageY, width: d.relative.width * toImageX, height: d.relative.height * toImageY };
    const crop = faceCrop(rgb, box);
    if (!crop) continue;
    const face = tf.tensor3d(crop.data, [crop.height, crop.width, 3], 'int32');
    let landmarks: unknown;
    try {
      landmarks = await net.detectLandmarks(face);
    } finally {
      face.dispose();
    }
    const positions: unknown = typeof landmarks === 'object' && landmarks !== null ? Reflect.get(landmarks, 'positions') : undefined;
    if (!Array.isArray(positions) || positions.length !== 68) throw new Error('face-api returned landmarks of an unexpected shape');
    const points: Point[] = [];
    for (const p of positions) {
      const pt = toPoint(p);
      if (!pt) throw new Error('face-api returned a landmark of an unexpected shape');
      // face-api shifts a face's landmarks by its detection box, not by the clipped crop.
      points.push({ x: pt.x + box.x, y: pt.y + box.y });
    }
    faces.push({ box, landmarks: points, score: d.score });
  }
  return faces;
}

/**
 * The longest side of the image the networks work from. The tfjs wasm heap grows to the largest
 * working set a detection needed and never shrinks (WebAssembly memory cannot). When the whole
 * image went in as a tensor, that working set was a few float copies of it (the int32 tensor, its
 * float cast, the square padding): a 1280×960 still cost ~50 MB of heap more than a 640×480 one,
 * for the life of the process. Now only the detector's square input and the face's crop go in
 * (runDetection), and this bounds the crop: the landmark nets see a 112 px copy of the face, which
 * at kiosk distance is ≥ 150 px wide in a 640 px frame, so nothing is lost by shrinking first;
 * the checks still measure the full-size image.
 */
export const NETWORK_MAX_SIDE = 640;
const MAX_HALVINGS = 4;

/** How many halvings bring the image's longer side to NETWORK_MAX_SIDE or below. */
export function halvingsToFit(img: { readonly width: number; readonly height: number }): number {
  let n = 0;
  while (n < MAX_HALVINGS && Math.max(img.width, img.height) >> n > NETWORK_MAX_SIDE) n++;
  return n;
}

export async function createFaceDetector(opts: FaceDetectorOptions = {}): Promise<FaceDetector> {
  const models = await loadFaceModels(opts.modelDir);
  const defaultSize = opts.inputSize ?? 224;
  const scoreThreshold = opts.scoreThreshold ?? 0.5;
  // One inference at a time: the wasm backend is single-threaded anyway, and queueing keeps
  // memory flat when preview frames arrive faster than they can be analysed.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    detect(rgb, detectOpts) {
      const halvings = Math.min(MAX_HALVINGS, Math.max(Math.floor(detectOpts?.halvings ?? 0), halvingsToFit(rgb)));
      const small = halve(rgb, halvings);
      const run = queue
        .then(() => runDetection(models, small, detectOpts?.inputSize ?? defaultSize, scoreThreshold, detectOpts?.tinyLandmarks ?? false))
        .then((faces) => (halvings === 0 ? faces : faces.map((f) => scaleFace(f, 2 ** halvings))));
      queue = run.catch(() => undefined);
      return run;
    },
    memory: () => faceModelMemory(models),
  };
}

/** 2×2 box-filter downscale, `times` times (cheap, and smooth enough for the detector). */
export function halve(img: RgbImage, times: number): RgbImage {
  let cur = img;
  for (let n = 0; n < times; n++) {
    const w = cur.width >> 1, h = cur.height >> 1;
    const out = new Uint8Array(w * h * 3);
    const src = cur.data, sw = cur.width;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const a = ((2 * y) * sw + 2 * x) * 3, b = a + sw * 3, o = (y * w + x) * 3;
        for (let c = 0; c < 3; c++) out[o + c] = ((src[a + c] ?? 0) + (src[a + 3 + c] ?? 0) + (src[b + c] ?? 0) + (src[b + 3 + c] ?? 0) + 2) >> 2;
      }
    }
    cur = { width: w, height: h, data: out };
  }
  return cur;
}

function scaleFace(f: DetectedFace, k: number): DetectedFace {
  return {
    box: { x: f.box.x * k, y: f.box.y * k, width: f.box.width * k, height: f.box.height * k },
    landmarks: f.landmarks.map((p) => ({ x: p.x * k, y: p.y * k })),
    score: f.score,
  };
}
