/**
 * Role (camera driver core, shared by the Pi and simulated cameras): a still is the next frame
 * of the running stream.
 */
import type { CameraFrame, StillResult } from '../types';

/**
 * A still from a running preview stream: the next complete frame after the call, so the photo
 * shows the citizen as they are now (one long-lived stream, no 5 s one-shot capture; see
 * docs/facts/camera.md). A stalled stream times out; an abort cancels.
 */
export function nextFrameAsStill(
  subscribe: (onFrame: (frame: CameraFrame) => void) => () => void,
  stallMs: number,
  signal?: AbortSignal,
): Promise<StillResult> {
  return new Promise((resolve) => {
    const timeout = setTimeout(() => finish({ kind: 'fault', reason: 'timeout', message: 'no frame arrived for the still' }), stallMs);
    const onAbort = (): void => finish({ kind: 'fault', reason: 'aborted', message: 'still cancelled' });
    const unsubscribe = subscribe((frame) => finish({ kind: 'still', frame }));
    function finish(r: StillResult): void {
      clearTimeout(timeout);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    }
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
