/**
 * Role (camera driver core, shared by the Pi and simulated cameras): the two things every
 * camera driver shares: a status cell that tells listeners about changes, and a frame watchdog.
 * A camera that silently stops sending frames is the classic "capture stuck until restart"
 * failure (docs/facts/quality-and-exceptions.md, lessons from MOSIP); the watchdog turns silence
 * into a `fault` the device actor and the photo step can act on, and back to `ready` when frames
 * resume.
 */
import type { DeviceStatus } from '../types';
import type { DeviceState } from '../../domain/devices';
import type { DeviceLog } from '../log';

export interface StatusCell {
  get(): DeviceStatus;
  set(state: DeviceState, detail?: string): void;
  onStatus(listener: (s: DeviceStatus) => void): () => void;
}

export function createStatusCell(driver: string, log: DeviceLog): StatusCell {
  let status: DeviceStatus = { kind: 'camera', driver, state: 'disconnected' };
  const listeners = new Set<(s: DeviceStatus) => void>();
  return {
    get: () => status,
    set(state, detail) {
      if (status.state === state && status.detail === detail) return;
      const fields = { state, was: status.state, detail };
      if (state === 'fault') log.warn(fields, 'camera fault');
      else log.info(fields, `camera ${state}`);
      status = detail === undefined ? { kind: 'camera', driver, state } : { kind: 'camera', driver, state, detail };
      for (const l of [...listeners]) l(status);
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface FrameWatchdog {
  /** Call on every frame. */
  frame(at: number): void;
  lastFrameAt(): number | undefined;
  start(): void;
  stop(): void;
}

export interface WatchdogOptions {
  readonly stallMs: number;
  readonly now: () => number;
  readonly onStall: (silentMs: number) => void;
  readonly onResume: () => void;
}

export function createFrameWatchdog(o: WatchdogOptions): FrameWatchdog {
  let last: number | undefined;
  let startedAt = 0;
  let stalled = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = (): void => {
    const silent = o.now() - (last ?? startedAt);
    if (!stalled && silent > o.stallMs) {
      stalled = true;
      o.onStall(silent);
    }
  };
  return {
    frame(at) {
      last = at;
      if (stalled) {
        stalled = false;
        o.onResume();
      }
    },
    lastFrameAt: () => last,
    start() {
      if (timer) return;
      startedAt = o.now();
      stalled = false;
      timer = setInterval(tick, Math.max(20, Math.min(250, o.stallMs / 4)));
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
