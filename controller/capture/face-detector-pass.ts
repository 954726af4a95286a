/**
 * The face detector's forward pass, layer by layer (docs/memory.md). face-api's TinyFaceDetector
 * runs its whole pass (TinyYolov2Base.forwardInput → runMobilenet) inside one `tf.tidy`, so every
 * layer's output, and the first layer's leaky-ReLU temporaries at full resolution, stay alive
 * until the pass ends: ~20 MB of tensors at a still's 224 px input. The tfjs wasm heap is sized by
 * that peak and never shrinks (WebAssembly memory cannot), and it grew to 42 MB for the life of
 * the kiosk.
 *
 * This is the same pass, the same tfjs ops on the same weights in the same order (so the same
 * numbers, bit for bit: test/unit/controller/capture/face-detector-pass.test.ts compares the two),
 * with each tensor disposed as soon as the next op has what it needs. It replaces the detector
 * net's `forwardInput`, which face-api's own `detect()` calls; boxes, scores and non-maximum
 * suppression stay face-api's. If face-api's net ever stops looking like what is written here,
 * nothing is replaced and face-api runs as shipped.
 */
import * as tf from '@tensorflow/tfjs-core';

interface ConvParams {
  readonly filters: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

interface SeparableConvParams {
  readonly depthwise_filter: tf.Tensor4D;
  readonly pointwise_filter: tf.Tensor4D;
  readonly bias: tf.Tensor1D;
}

/** The TinyFaceDetector's weights (face-api's MobilenetParams with a plain first conv). */
export interface DetectorParams {
  readonly conv0: ConvParams;
  readonly separable: readonly SeparableConvParams[];
  readonly conv8: ConvParams;
}

/** face-api's NetInput, as far as the pass uses it. */
interface NetInputLike {
  toBatchTensor(inputSize: number, isCenterInputs: boolean): tf.Tensor4D;
}

const isTensor4D = (t: unknown): t is tf.Tensor4D => t instanceof tf.Tensor && t.rank === 4;
const isTensor1D = (t: unknown): t is tf.Tensor1D => t instanceof tf.Tensor && t.rank === 1;
const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null ? Reflect.get(o, key) : undefined);

function convParams(p: unknown): ConvParams | undefined {
  const filters = field(p, 'filters'), bias = field(p, 'bias');
  return isTensor4D(filters) && isTensor1D(bias) ? { filters, bias } : undefined;
}

function separableParams(p: unknown): SeparableConvParams | undefined {
  const d = field(p, 'depthwise_filter'), pw = field(p, 'pointwise_filter'), bias = field(p, 'bias');
  return isTensor4D(d) && isTensor4D(pw) && isTensor1D(bias) ? { depthwise_filter: d, pointwise_filter: pw, bias } : undefined;
}

/** The detector net's weights and config, if it is the TinyFaceDetector this pass was written for. */
export function detectorParams(net: unknown): { readonly params: DetectorParams; readonly meanRgb: readonly [number, number, number] } | undefined {
  const config = field(net, 'config');
  const meanRgb = field(config, 'meanRgb');
  if (field(config, 'withSeparableConvs') !== true || field(config, 'isFirstLayerConv2d') !== true) return undefined;
  if (!Array.isArray(meanRgb) || meanRgb.length !== 3 || !meanRgb.every((v) => typeof v === 'number')) return undefined;
  const [r, g, b] = meanRgb;
  if (typeof r !== 'number' || typeof g !== 'number' || typeof b !== 'number') return undefined;
  const params = field(net, 'params');
  const conv0 = convParams(field(params, 'conv0'));
  const conv8 = convParams(field(params, 'conv8'));
  const separable: SeparableConvParams[] = [];
  for (const name of ['conv1', 'conv2', 'conv3', 'conv4', 'conv5', 'conv6', 'conv7']) {
    const raw = field(params, name);
    // conv6 and conv7 are optional in face-api's MobilenetParams.
    if (raw === undefined && (name === 'conv6' || name === 'conv7')) continue;
    const p = separableParams(raw);
    if (!p) return undefined;
    separable.push(p);
  }
  if (!conv0 || !conv8 || separable.length < 5) return undefined;
  return { params: { conv0, separable, conv8 }, meanRgb: [r, g, b] };
}

/** `next = f(x)`, then `x` is disposed: a layer's input lives only until its output exists. */
function step<T extends tf.Tensor>(x: tf.Tensor, f: (x: tf.Tensor4D) => T): T {
  if (!isTensor4D(x)) throw new Error('face detector pass: expected a 4D tensor');
  const next = f(x);
  x.dispose();
  return next;
}

/** face-api's `leaky` (tinyYolov2/leaky.ts): relu(x − 0.1·x) + 0.1·x, its temporaries let go in turn. */
function leaky(x: tf.Tensor4D): tf.Tensor4D {
  const scale = tf.scalar(0.10000000149011612);
  const min = tf.mul(x, scale);
  scale.dispose();
  const diff = tf.sub(x, min);
  x.dispose();
  const relu = tf.relu(diff);
  diff.dispose();
  const out = tf.add(relu, min);
  relu.dispose();
  min.dispose();
  if (!isTensor4D(out)) throw new Error('face detector pass: leaky gave no 4D tensor');
  return out;
}

/** face-api's convLayer(x, p, 'valid', false): conv2d then bias. */
function conv(x: tf.Tensor4D, p: ConvParams): tf.Tensor4D {
  const c = tf.conv2d(x, p.filters, [1, 1], 'valid');
  return step(c, (t) => tf.add(t, p.bias));
}

/** face-api's tinyYolov2 depthwiseSeparableConv: pad 1, separable conv, bias, leaky. */
function separable(x: tf.Tensor4D, p: SeparableConvParams): tf.Tensor4D {
  const padded = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const c = step(padded, (t) => tf.separableConv2d(t, p.depthwise_filter, p.pointwise_filter, [1, 1], 'valid'));
  return leaky(step(c, (t) => tf.add(t, p.bias)));
}

/** face-api's normalize(x, meanRgb): subtract the mean colour. */
function normalize(x: tf.Tensor4D, meanRgb: readonly [number, number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const shape: [number, number, number, number] = [x.shape[0], x.shape[1], x.shape[2], 1];
    const avg = tf.concat(meanRgb.map((v) => tf.fill(shape, v, 'float32')), 3);
    return tf.sub(x, avg);
  });
}

const maxPool = (x: tf.Tensor4D, stride: 1 | 2): tf.Tensor4D => tf.maxPool(x, [2, 2], [stride, stride], 'same');

/**
 * TinyYolov2Base.forwardInput for the TinyFaceDetector (runMobilenet), layer by layer. The tidy
 * around it only cleans up after an op that throws: every tensor is disposed as soon as it has
 * been used, well before the tidy ends.
 */
export function detectorForward(input: NetInputLike, inputSize: number, params: DetectorParams, meanRgb: readonly [number, number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const batch = step(input.toBatchTensor(inputSize, false), (t) => tf.cast(t, 'float32'));
    const normalised = step(batch, (t) => normalize(t, meanRgb));
    let x: tf.Tensor4D = step(normalised, (t) => tf.div(t, 255));
    x = leaky(step(x, (t) => conv(t, params.conv0)));
    x = step(x, (t) => maxPool(t, 2));
    const [conv1, conv2, conv3, conv4, conv5, ...rest] = params.separable;
    for (const [p, stride] of [
      [conv1, 2],
      [conv2, 2],
      [conv3, 2],
      [conv4, 2],
      [conv5, 1],
    ] as const) {
      if (!p) throw new Error('face detector pass: missing a layer');
      x = step(x, (t) => separable(t, p));
      x = step(x, (t) => maxPool(t, stride));
    }
    for (const p of rest) x = step(x, (t) => separable(t, p));
    return step(x, (t) => conv(t, params.conv8));
  });
}

/**
 * Puts the layer-by-layer pass in place of the detector net's own `forwardInput`. Returns false
 * (and leaves face-api as it is) when the net is not the TinyFaceDetector this was written for.
 */
export function installDetectorPass(net: unknown): boolean {
  const found = detectorParams(net);
  if (!found || typeof net !== 'object' || net === null || typeof Reflect.get(net, 'forwardInput') !== 'function') return false;
  const forwardInput = (input: NetInputLike, inputSize: number): tf.Tensor4D => {
    // Read the weights at each call: a reload of the net replaces them.
    const now = detectorParams(net);
    if (!now) throw new Error('face detector pass: the detector net lost its weights');
    return detectorForward(input, inputSize, now.params, now.meanRgb);
  };
  Reflect.set(net, 'forwardInput', forwardInput);
  return true;
}
