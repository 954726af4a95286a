import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createSimCamera } from '../../../../drivers/camera/sim';
import type { FaceSessionEvent } from '../../../../controller/enrollment/services';
import { createFaceService } from '../../../../controller/services/face';
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
});
