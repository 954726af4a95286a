import sharp from 'sharp';

/**
 * The kiosk process's native memory on a Pi (issue #14; docs/memory.md). Called once by the
 * process (main.ts) before anything decodes an image:
 *  - libvips' operation cache off: it keeps up to 100 recent operations with their buffers for
 *    reuse, and the kiosk never repeats an operation on the same input (every frame is new);
 *  - one libvips worker thread: each thread keeps its own malloc arena and pixel buffers, and
 *    the kiosk decodes one frame at a time anyway.
 * The glibc side (MALLOC_ARENA_MAX=2) is set in the systemd unit's environment: malloc reads it
 * before any code of ours runs.
 */
export function limitNativeMemory(): void {
  sharp.cache(false);
  sharp.concurrency(1);
}
