import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { loadFaceModels, type LoadedModels } from '../../../../controller/capture/face-model';
import { detectorInput } from '../../../../controller/capture/face-detector';
import { decodeToRgb } from '../../../../controller/capture/image-rgb';
import { defaultSceneJpeg } from '../../../../drivers/camera/sim-scene';

/**
 * The face detector's pass, layer by layer (docs/memory.md): the same numbers as face-api's own
 * pass, for a fraction of the tensors alive at once (the wasm heap is sized by that peak and
 * never shrinks).
 */
let models: LoadedModels;
let net: object;
/** face-api's own TinyYolov2Base.forwardInput, from the net's prototype. */
let theirs: (input: unknown, inputSize: number) => unknown;
let toNetInput: (input: tfTypes.Tensor3D) => Promise<unknown>;
/** The scene as the detector is given it (face-detector.ts detectorInput), at each input size. */
const square = new Map<number, tfTypes.Tensor3D>();

const fn = (o: unknown, key: string): ((...args: unknown[]) => unknown) => {
  const f: unknown = typeof o === 'object' && o !== null ? Reflect.get(o, key) : undefined;
  if (typeof f !== 'function') throw new Error(`face-api has no ${key}`);
  return (...args) => Reflect.apply(f, o, args);
};

beforeAll(async () => {
  models = await loadFaceModels();
  net = models.faceapi.nets.tinyFaceDetector;
  const proto: unknown = Object.getPrototypeOf(net);
  const own: unknown = typeof proto === 'object' && proto !== null ? Reflect.get(proto, 'forwardInput') : undefined;
  if (typeof own !== 'function') throw new Error('face-api’s detector has no forwardInput of its own');
  theirs = (input, inputSize) => Reflect.apply(own, net, [input, inputSize]);
  const make = fn(models.faceapi, 'toNetInput');
  toNetInput = async (input) => make(input);
  const rgb = await decodeToRgb(new Uint8Array(await sharp(await defaultSceneJpeg()).resize(640, 480, { fit: 'fill' }).jpeg().toBuffer()));
  for (const size of [224, 160]) square.set(size, models.tf.tensor3d(detectorInput(rgb, size), [size, size, 3], 'float32'));
}, 60_000);

const isTensor = (t: unknown): t is tfTypes.Tensor => t instanceof models.tf.Tensor;

async function output(forward: (input: unknown, inputSize: number) => unknown, inputSize: number): Promise<Float32Array> {
  const input = square.get(inputSize);
  if (!input) throw new Error(`no ${inputSize} px input`);
  const out = forward(await toNetInput(input), inputSize);
  if (!isTensor(out)) throw new Error('the pass gave no tensor');
  const data = await out.data();
  out.dispose();
  if (!(data instanceof Float32Array)) throw new Error('the pass gave no float32 tensor');
  return data;
}

/** The most bytes of tensors alive at once during `run`, above those alive before it. */
async function peakBytes(run: () => unknown): Promise<number> {
  const before = models.tf.memory().numBytes;
  const profile = await models.tf.profile(() => {
    const out = run();
    if (isTensor(out)) out.dispose();
    return models.tf.scalar(0);
  });
  if (isTensor(profile.result)) profile.result.dispose();
  return Math.max(...profile.kernels.map((k) => k.totalBytesSnapshot)) - before;
}

describe('the face detector’s pass, layer by layer', () => {
  it('is what the loaded detector runs', () => {
    expect(models.detectorPass).toBe(true);
    expect(Reflect.get(net, 'forwardInput')).not.toBe(Reflect.get(Object.getPrototypeOf(net), 'forwardInput'));
  });

  it('gives face-api’s own output bit for bit, at the still’s 224 px and the preview’s 160 px', async () => {
    const ours = fn(net, 'forwardInput');
    for (const inputSize of [224, 160]) {
      const a = await output(ours, inputSize);
      const b = await output(theirs, inputSize);
      expect(a.length).toBe(b.length);
      expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))).toBe(true);
    }
  });

  it('holds at most half the tensors at once that face-api’s own pass holds, and leaves none behind', async () => {
    const tensors = models.tf.memory().numTensors;
    const input = square.get(224);
    if (!input) throw new Error('no 224 px input');
    const netInput = await toNetInput(input);
    const ours = await peakBytes(() => fn(net, 'forwardInput')(netInput, 224));
    const face = await peakBytes(() => theirs(netInput, 224));
    expect(ours).toBeLessThanOrEqual(face / 2);
    expect(models.tf.memory().numTensors).toBe(tensors);
  });

});
