import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { validateConfig } from '../../../../controller/config/load';
import { createFaceDetector, type FaceDetector } from '../../../../controller/capture/face-detector';
import { createSimCamera, type SimCamera } from '../../../../drivers/camera/sim';
import { SIM_CAMERA_SIZE, defaultSceneJpeg } from '../../../../drivers/camera/sim-scene';
import type { FaceSessionEvent } from '../../../../controller/enrollment/services';
import { createFaceService, createProofPhotoService } from '../../../../controller/services/face';
import { waitFor } from '../../../helpers/wait-for';

const log = pino({ level: 'silent' });

async function greyJpeg(): Promise<Uint8Array> {
  const sharp = (await import('sharp')).default;
  return new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer());
}

const nobody: FaceDetector = { detect: async () => [] };
const faultOf = (events: readonly FaceSessionEvent[]) => events.find((e) => e.type === 'FACE_FAULT');
const steadyIndex = (events: readonly FaceSessionEvent[]) => events.filter((e) => e.type === 'FACE_GUIDANCE').findIndex((e) => e.type === 'FACE_GUIDANCE' && e.steady === true);

describe('the face step service: a camera that stops', () => {
  it('reports the camera’s own fault the moment the camera reports it, with no timer of its own', async () => {
    const camera = createSimCamera({ source: { images: [await greyJpeg()] }, scenario: 'stopped', fps: 15, width: 64, height: 48, stallMs: 200, log });
    await camera.open();
    const events: FaceSessionEvent[] = [];
    const session = createFaceService(camera, nobody, { log })({ stableFrames: 3, livenessFrames: 10 }, (e) => events.push(e));
    // Listening after the service: when the camera says "fault", has the service already told the step?
    let toldWhenCameraFailed: boolean | undefined;
    camera.onStatus((s) => {
      if (s.state === 'fault') toldWhenCameraFailed ??= faultOf(events) !== undefined;
    });
    await waitFor(() => toldWhenCameraFailed !== undefined, { what: 'the camera’s watchdog to report the stopped stream' });
    session.stop();
    await camera.close();
    expect(toldWhenCameraFailed).toBe(true);
    expect(faultOf(events)).toMatchObject({ message: expect.stringContaining('no frame') });
  });

  it('reports a camera that has already failed when the step starts', async () => {
    const camera = createSimCamera({ source: { images: [await greyJpeg()] }, scenario: 'stopped', fps: 15, width: 64, height: 48, stallMs: 100, log });
    await camera.open();
    await waitFor(() => camera.status().state === 'fault', { what: 'the camera to fault' });
    const events: FaceSessionEvent[] = [];
    const session = createFaceService(camera, nobody, { log })({ stableFrames: 3, livenessFrames: 10 }, (e) => events.push(e));
    await waitFor(() => faultOf(events) !== undefined, { what: 'the service to report the failed camera' });
    session.stop();
    await camera.close();
  });

  it('takes the photo proving a finger exception from the camera, as a copy of the frame the statechart may overwrite', async () => {
    const sharp = (await import('sharp')).default;
    const jpeg = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: '#a86' } }).jpeg().toBuffer());
    const camera = createSimCamera({ source: { images: [jpeg] }, fps: 30, width: 64, height: 48, log });
    await camera.open();
    const frames: Uint8Array[] = [];
    const stopPreview = camera.preview((f) => frames.push(f.jpeg));
    const photo = await createProofPhotoService(camera, log)({ hand: 'left' }, new AbortController().signal);
    if (photo.kind !== 'photo') throw new Error(`no photo: ${JSON.stringify(photo)}`);
    expect([photo.width, photo.height]).toEqual([64, 48]);
    expect(Array.from(photo.jpeg.subarray(0, 3))).toEqual([0xff, 0xd8, 0xff]);
    // Wiping the photo must not blank the camera's own frame (the preview keeps serving it).
    photo.jpeg.fill(0);
    await waitFor(() => frames.length >= 2, { what: 'two preview frames' });
    stopPreview();
    await camera.close();
    expect(frames.at(-1)?.subarray(0, 3)).toEqual(Uint8Array.of(0xff, 0xd8, 0xff));
  });

  it('passes a camera that gives no still on as a fault with its reason', async () => {
    const sharp = (await import('sharp')).default;
    const jpeg = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer());
    const camera = createSimCamera({ source: { images: [jpeg] }, scenario: 'stopped', fps: 15, width: 64, height: 48, stallMs: 200, log });
    await camera.open();
    const outcome = await createProofPhotoService(camera, log)({ hand: 'right' }, new AbortController().signal);
    await camera.close();
    expect(outcome).toMatchObject({ kind: 'fault', reason: 'timeout' });
  });
});

describe('the face step service: guidance and the still', () => {
  let detector: FaceDetector;
  let scene: Uint8Array;
  beforeAll(async () => {
    detector = await createFaceDetector();
    scene = await defaultSceneJpeg();
  }, 120_000);

  /** The simulated camera showing the citizen on a plain wall: the same frame over and over. */
  async function sceneCamera(): Promise<SimCamera> {
    const camera = createSimCamera({ source: { images: [scene] }, fps: 30, ...SIM_CAMERA_SIZE, log });
    await camera.open();
    return camera;
  }

  it('guides on every analysed frame and is never steady while a check fails', async () => {
    const camera = createSimCamera({ source: { images: [await greyJpeg()] }, fps: 30, width: 64, height: 48, log });
    await camera.open();
    const events: FaceSessionEvent[] = [];
    const session = createFaceService(camera, nobody, { log })({ stableFrames: 2, livenessFrames: 2 }, (e) => events.push(e));
    await waitFor(() => events.filter((e) => e.type === 'FACE_GUIDANCE').length >= 3, { what: 'three analysed frames' });
    session.takeStill();
    session.stop();
    await camera.close();
    const guidance = events.filter((e) => e.type === 'FACE_GUIDANCE');
    expect(guidance[0]).toMatchObject({ checks: [{ name: 'face-count', pass: false }], steady: false });
    expect(guidance.every((e) => e.type === 'FACE_GUIDANCE' && e.steady === false)).toBe(true);
    expect(events.some((e) => e.type === 'FACE_CAPTURED')).toBe(false);
  });

  it('is not steady before the liveness tracker has the frames it needs, and takes no still before then', async () => {
    const camera = await sceneCamera();
    const events: FaceSessionEvent[] = [];
    const session = createFaceService(camera, detector, { log })({ stableFrames: 2, livenessFrames: 6 }, (e) => {
      events.push(e);
      // Asked too early (a statechart out of step): refused, with the guidance said again, not steady.
      if (events.length === 2) session.takeStill();
    });
    await waitFor(() => steadyIndex(events) >= 0 || events.some((e) => e.type === 'FACE_CAPTURED'), { what: 'a steady face', timeoutMs: 30_000 });
    session.stop();
    await camera.close();
    const guidance = events.filter((e) => e.type === 'FACE_GUIDANCE');
    // The face was good from the first frame; steadiness still waited for six frames.
    expect(guidance[0]).toMatchObject({ steady: false, checks: expect.arrayContaining([{ name: 'yaw', pass: true }]) });
    expect(events[2]).toMatchObject({ type: 'FACE_GUIDANCE', steady: false });
    // Frames analysed, not counting the refusal's repeat: the sixth was the first steady one.
    expect(steadyIndex(events.filter((_, i) => i !== 2))).toBe(5);
    expect(events.some((e) => e.type === 'FACE_CAPTURED')).toBe(false);
  });

  it('with the shipped defaults, flags a photo held up to the camera (frames that never change) for the reviewer', async () => {
    const r = validateConfig(JSON.parse(readFileSync(new URL('../../../../config/default.json', import.meta.url), 'utf8')));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const { flow } = r.config;
    const camera = await sceneCamera();
    const events: FaceSessionEvent[] = [];
    // What the statechart does: once the service says the face is steady (and the countdown has
    // run), it asks for the still.
    const session = createFaceService(camera, detector, { log })({ stableFrames: flow.faceStableFrames, livenessFrames: flow.faceLivenessFrames }, (e) => {
      events.push(e);
      if (e.type === 'FACE_GUIDANCE' && e.steady) session.takeStill();
    });
    await waitFor(() => events.some((e) => e.type === 'FACE_CAPTURED'), { what: 'the photo', timeoutMs: 60_000 });
    session.stop();
    await camera.close();
    const captured = events.find((e) => e.type === 'FACE_CAPTURED');
    if (captured?.type !== 'FACE_CAPTURED') throw new Error('no photo');
    expect(captured.face.measurements['liveness-frames']).toBeGreaterThanOrEqual(flow.faceLivenessFrames);
    expect(captured.face.measurements['liveness-flat-photo-hint']).toBe(true);
    expect(captured.face.score).toBeGreaterThan(0);
  }, 90_000);
});
