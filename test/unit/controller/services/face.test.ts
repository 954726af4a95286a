import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSimCamera } from '../../../../drivers/camera/sim';
import type { FaceSessionEvent } from '../../../../controller/enrollment/services';
import { createFaceService, createProofPhotoService } from '../../../../controller/services/face';
import { waitFor } from '../../../helpers/wait-for';

const log = pino({ level: 'silent' });

describe('the face step service', () => {
  it('tells the step the camera stopped when no frame arrives, instead of waiting forever', async () => {
    // A tiny grey JPEG is enough: the stopped camera never serves it.
    const sharp = (await import('sharp')).default;
    const jpeg = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer());
    const camera = createSimCamera({ source: { images: [jpeg] }, scenario: 'stopped', fps: 15, width: 64, height: 48, log });
    await camera.open();
    const detector = { detect: async () => [] };
    const events: FaceSessionEvent[] = [];
    const stop = createFaceService(camera, detector, { stallMs: 300, log })({ stableFrames: 3 }, (e) => events.push(e));
    await waitFor(() => events.some((e) => e.type === 'FACE_FAULT'), { what: 'the face step to hear the camera stopped', timeoutMs: 3000 });
    stop();
    await camera.close();
    expect(events.find((e) => e.type === 'FACE_FAULT')).toMatchObject({ type: 'FACE_FAULT', message: expect.stringContaining('no camera frame') });
  });

  it('guides on every analysed frame and does not capture while a check fails', async () => {
    const sharp = (await import('sharp')).default;
    const jpeg = new Uint8Array(await sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().toBuffer());
    const camera = createSimCamera({ source: { images: [jpeg] }, fps: 30, width: 64, height: 48, log });
    await camera.open();
    const detector = { detect: async () => [] }; // nobody in front of the camera
    const events: FaceSessionEvent[] = [];
    const stop = createFaceService(camera, detector, { stallMs: 2000, log })({ stableFrames: 2 }, (e) => events.push(e));
    await waitFor(() => events.filter((e) => e.type === 'FACE_GUIDANCE').length >= 3, { what: 'three analysed frames' });
    stop();
    await camera.close();
    const guidance = events.filter((e) => e.type === 'FACE_GUIDANCE');
    expect(guidance.length).toBeGreaterThanOrEqual(3);
    expect(guidance[0]).toMatchObject({ checks: [{ name: 'face-count', pass: false }] });
    expect(events.some((e) => e.type === 'FACE_CAPTURED')).toBe(false);
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
