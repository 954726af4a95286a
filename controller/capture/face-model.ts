/**
 * Loads @vladmandic/face-api on the tfjs wasm backend from files already on disk: the wasm
 * binaries from @tensorflow/tfjs-backend-wasm/dist/ and the weights from face-api's model/.
 * Nothing is fetched at run time (the kiosk may be offline; a download would be a supply-chain
 * hole in a biometric device).
 *
 * Why the odd loading: face-api's Node/wasm build (`dist/face-api.node-wasm.js`) does
 * `require('@tensorflow/tfjs')`, the umbrella package, which we do not install (it drags in
 * layers, data and webgl for nothing). We evaluate that CommonJS file with a `require` that
 * answers '@tensorflow/tfjs' with tfjs-core (everything face-api uses lives there) plus the
 * chained tensor methods (face-tfjs-chained-ops.ts). Its other requires go to Node as usual.
 * If @tensorflow/tfjs is ever installed, this file can shrink to a plain import.
 *
 * face-api is untyped across this seam: what we use of it is described by `FaceApi` below and
 * checked at run time (`isFaceApi`), and its results are re-validated in face-detector.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installDetectorPass } from './face-detector-pass';
import { registerChainedOps } from './face-tfjs-chained-ops';

const nodeRequire = createRequire(import.meta.url);

export interface NetLoader {
  loadFromDisk(dir: string): Promise<void>;
}

/** The face detector net: boxes (FaceDetection objects) for an image tensor. */
export interface DetectorNet extends NetLoader {
  locateFaces(input: tf.Tensor3D, options: object): Promise<unknown>;
}

/** A landmark net: a FaceLandmarks68 object (positions in the input tensor's pixels) for a face tensor. */
export interface LandmarkNet extends NetLoader {
  detectLandmarks(input: tf.Tensor3D): Promise<unknown>;
}

export interface FaceApiTask {
  withFaceLandmarks(useTinyLandmarkNet?: boolean): PromiseLike<unknown>;
}

/** The slice of face-api we use. */
export interface FaceApi {
  readonly nets: { readonly tinyFaceDetector: DetectorNet; readonly faceLandmark68Net: LandmarkNet; readonly faceLandmark68TinyNet: LandmarkNet };
  readonly TinyFaceDetectorOptions: new (opts: { inputSize: number; scoreThreshold: number }) => object;
  detectAllFaces(input: tf.Tensor3D, options: object): FaceApiTask;
}

function hasFunction(o: unknown, key: string): boolean {
  return typeof o === 'object' && o !== null && typeof Reflect.get(o, key) === 'function';
}

function isFaceApi(m: unknown): m is FaceApi {
  if (typeof m !== 'object' || m === null) return false;
  const nets: unknown = Reflect.get(m, 'nets');
  const net = (name: string): unknown => Reflect.get(Object(nets), name);
  return (
    hasFunction(m, 'detectAllFaces') &&
    hasFunction(m, 'TinyFaceDetectorOptions') &&
    hasFunction(net('tinyFaceDetector'), 'loadFromDisk') &&
    hasFunction(net('tinyFaceDetector'), 'locateFaces') &&
    hasFunction(net('faceLandmark68Net'), 'loadFromDisk') &&
    hasFunction(net('faceLandmark68Net'), 'detectLandmarks') &&
    hasFunction(net('faceLandmark68TinyNet'), 'loadFromDisk') &&
    hasFunction(net('faceLandmark68TinyNet'), 'detectLandmarks')
  );
}

/** Directory holding face-api's weight files (model/*.bin and manifests). */
export function faceApiModelDir(): string {
  return join(dirname(nodeRequire.resolve('@vladmandic/face-api/package.json')), 'model');
}

function wasmDir(): string {
  return join(dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

function evaluateFaceApi(): FaceApi {
  const file = join(dirname(nodeRequire.resolve('@vladmandic/face-api/package.json')), 'dist', 'face-api.node-wasm.js');
  const source = readFileSync(file, 'utf8');
  const wrapper: unknown = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file });
  if (typeof wrapper !== 'function') throw new Error('face-api: could not compile ' + file);
  const requireForFaceApi = (id: string): unknown => (id === '@tensorflow/tfjs' ? tf : nodeRequire(id));
  const module = { exports: {} };
  Reflect.apply(wrapper, undefined, [module.exports, requireForFaceApi, module, file, dirname(file)]);
  const api: unknown = module.exports;
  if (!isFaceApi(api)) throw new Error('face-api: ' + file + ' does not export what we use (version change?)');
  return api;
}

export interface LoadedModels {
  readonly faceapi: FaceApi;
  readonly tf: typeof tf;
  readonly backend: string;
  /** The detector runs the layer-by-layer pass (false: face-api's own, its net not as expected). */
  readonly detectorPass: boolean;
}

/*
 * The tfjs engine is process-wide (it lives on globalThis), so the backend and the weights are
 * loaded once per process and shared by every detector; this memo reflects that, it is not a
 * place to keep state of our own.
 */
let loading: Promise<LoadedModels> | undefined;

export function loadFaceModels(modelDir: string = faceApiModelDir()): Promise<LoadedModels> {
  loading ??= (async () => {
    let detectorPass = false;
    registerChainedOps();
    setWasmPaths(wasmDir());
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to start');
    await tf.ready();
    const faceapi = evaluateFaceApi();
    await faceapi.nets.tinyFaceDetector.loadFromDisk(modelDir);
    // The same pass, layer by layer: the wasm heap is sized by its peak (face-detector-pass.ts).
    detectorPass = installDetectorPass(faceapi.nets.tinyFaceDetector);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
    // The tiny landmark net (~80 KB) is for preview frames, where speed buys guidance updates.
    await faceapi.nets.faceLandmark68TinyNet.loadFromDisk(modelDir);
    return { faceapi, tf, backend: tf.getBackend(), detectorPass };
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

export interface FaceModelMemory {
  /** Tensors alive in the tfjs engine: the weights, plus anything a detection forgot to dispose. */
  readonly numTensors: number;
  /**
   * Bytes of the wasm backend's linear memory. WebAssembly memory only grows: its size is the
   * largest working set any detection ever needed, held for the life of the process.
   */
  readonly wasmHeapBytes: number;
}

/** What the face model holds now (for /metrics, the memory bench and the leak tests). */
export function faceModelMemory(models: LoadedModels): FaceModelMemory {
  const backend = models.tf.backend();
  const heap: unknown = backend instanceof BackendWasm ? Reflect.get(backend.wasm, 'HEAPU8') : undefined;
  return { numTensors: models.tf.memory().numTensors, wasmHeapBytes: heap instanceof Uint8Array ? heap.buffer.byteLength : 0 };
}
