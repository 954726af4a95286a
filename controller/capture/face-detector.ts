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

/** Turn one face-api result into our plain shape, or undefined if it is not what we expect. */
export function parseFaceApiResult(r: unknown): DetectedFace | undefined {
  if (typeof r !== 'object' || r === null) return undefined;
  const detection: unknown = Reflect.get(r, 'detection');
  const box: unknown = typeof detection === 'object' && detection !== null ? Reflect.get(detection, 'box') : undefined;
  const landmarks: unknown = Reflect.get(r, 'landmarks');
  const positions: unknown = typeof landmarks === 'object' && landmarks !== null ? Reflect.get(landmarks, 'positions') : undefined;
  const score = num(detection, 'score');
  const x = num(box, 'x'), y = num(box, 'y'), width = num(box, 'width'), height = num(box, 'height');
  if (score === undefined || x === undefined || y === undefined || width === undefined || height === undefined) return undefined;
  if (!Array.isArray(positions) || positions.length !== 68) return undefined;
  const points: Point[] = [];
  for (const p of positions) {
    const pt = toPoint(p);
    if (!pt) return undefined;
    points.push(pt);
  }
  return { box: { x, y, width, height }, landmarks: points, score };
}

async function runDetection(models: LoadedModels, rgb: RgbImage, inputSize: number, scoreThreshold: number, tinyLandmarks: boolean): Promise<DetectedFace[]> {
  const { tf } = models;
  const faceapi: FaceApi = models.faceapi;
  if (rgb.data.length !== rgb.width * rgb.height * 3) throw new Error('detect: image data is not width × height × 3 bytes');
  const input = tf.tensor3d(rgb.data, [rgb.height, rgb.width, 3], 'int32');
  try {
    const options = new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold });
    const raw: unknown = await faceapi.detectAllFaces(input, options).withFaceLandmarks(tinyLandmarks);
    if (!Array.isArray(raw)) throw new Error('face-api returned ' + typeof raw + ', expected an array');
    const faces: DetectedFace[] = [];
    for (const r of raw) {
      const face = parseFaceApiResult(r);
      if (!face) throw new Error('face-api returned a result of an unexpected shape');
      faces.push(face);
    }
    return faces;
  } finally {
    input.dispose();
  }
}

/**
 * The longest side the networks are ever given. The tfjs wasm heap grows to the largest working
 * set a detection needed and never shrinks (WebAssembly memory cannot), and that working set is
 * a few float copies of the input (the int32 tensor, its float cast, the square padding): a
 * 1280×960 still cost ~50 MB of heap more than a 640×480 one, for the life of the process. The
 * detector looks at ≤ 416 px anyway and the landmark nets at a 112 px crop of the face, which
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
