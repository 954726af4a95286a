/**
 * face-api calls tensor methods in "chained" style (`t.as3D(…)`, `t.toFloat()`, `t.sub(…)`).
 * Those methods are not part of `@tensorflow/tfjs-core`'s Node bundle: the `@tensorflow/tfjs`
 * umbrella package adds them, and it is not installed (we ship core + wasm backend only, to keep
 * the Pi image small and free of tfjs-node's native addon). This file adds the methods face-api
 * needs to the one global Tensor class, each forwarding to the core op of the same name.
 *
 * It only fills gaps: a method that already exists (because someone installed @tensorflow/tfjs)
 * is left alone.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Chained ops whose body is `op(this, ...args)` in tfjs-core's public/chained_ops/. */
const FORWARDED = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2',
  'atanh', 'avgPool', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue',
  'conv1d', 'conv2d', 'conv2dTranspose', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace',
  'depthwiseConv2d', 'dilation2d', 'div', 'divNoNan', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm',
  'exp', 'expandDims', 'expm1', 'fft', 'floor', 'floorDiv', 'gather', 'greater', 'greaterEqual',
  'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN', 'leakyRelu', 'less', 'lessEqual',
  'localResponseNormalization', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp',
  'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maxPool', 'maximum',
  'mean', 'min', 'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot',
  'onesLike', 'pad', 'pool', 'pow', 'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape',
  'reverse', 'rfft', 'round', 'rsqrt', 'selu', 'separableConv2d', 'sigmoid', 'sign', 'sin', 'sinh',
  'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square', 'squaredDifference',
  'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile', 'topk', 'transpose',
  'unique', 'unsortedSegmentSum', 'unstack', 'zerosLike',
] as const;

type Method = (this: tf.Tensor, ...args: readonly unknown[]) => unknown;

function define(name: string, method: Method): void {
  const proto: object = tf.Tensor.prototype;
  if (Reflect.has(proto, name)) return;
  Object.defineProperty(proto, name, { value: method, writable: true, configurable: true });
}

function tensorList(x: unknown): tf.Tensor[] {
  if (x instanceof tf.Tensor) return [x];
  if (Array.isArray(x)) return x.filter((t): t is tf.Tensor => t instanceof tf.Tensor);
  throw new TypeError('expected a tensor or a list of tensors');
}

function shapeArgs(args: readonly unknown[]): number[] {
  return args.filter((a): a is number => typeof a === 'number');
}

let registered = false;

export function registerChainedOps(): void {
  if (registered) return;
  registered = true;
  for (const name of FORWARDED) {
    const op: unknown = Reflect.get(tf, name);
    if (typeof op !== 'function') continue;
    define(name, function (...args) {
      const result: unknown = Reflect.apply(op, undefined, [this, ...args]);
      return result;
    });
  }
  for (const name of ['as1D', 'flatten']) define(name, function () { return tf.reshape(this, [this.size]); });
  for (const name of ['as2D', 'as3D', 'as4D', 'as5D']) define(name, function (...args) { return tf.reshape(this, shapeArgs(args)); });
  define('asScalar', function () { return tf.reshape(this, []); });
  define('asType', function (dtype) { return tf.cast(this, dtype === 'int32' || dtype === 'bool' ? dtype : 'float32'); });
  define('toFloat', function () { return tf.cast(this, 'float32'); });
  define('toInt', function () { return tf.cast(this, 'int32'); });
  define('toBool', function () { return tf.cast(this, 'bool'); });
  define('reshapeAs', function (other) { return tf.reshape(this, other instanceof tf.Tensor ? other.shape : [this.size]); });
  define('concat', function (x, axis) { return tf.concat([this, ...tensorList(x)], typeof axis === 'number' ? axis : 0); });
  define('stack', function (x, axis) { return tf.stack([this, ...tensorList(x)], typeof axis === 'number' ? axis : 0); });
  define('resizeBilinear', function (size, alignCorners, halfPixel) {
    if (!(this instanceof tf.Tensor) || this.rank < 3) throw new TypeError('resizeBilinear needs a 3D or 4D tensor');
    const [h, w] = Array.isArray(size) ? size : [];
    if (typeof h !== 'number' || typeof w !== 'number') throw new TypeError('resizeBilinear needs [height, width]');
    const [a = 0, b = 0, c = 0, d = 0] = this.shape;
    const img = this.rank === 3 ? tf.reshape<tf.Rank.R3>(this, [a, b, c]) : tf.reshape<tf.Rank.R4>(this, [a, b, c, d]);
    return tf.image.resizeBilinear(img, [h, w], alignCorners === true, halfPixel === true);
  });
}
