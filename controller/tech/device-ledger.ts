import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { DeviceCounters } from '../../domain/tech-channel/messages';
import type { Bilingual } from '../../domain/language';
import type { DeviceError as LastError } from '../../domain/tech-channel/types';

/**
 * What the service screen shows of each device's history since the kiosk started: when it
 * entered its state, its last error, how often it stopped and came back, and its self-tests.
 * Fed by the kiosk's device supervisors (kiosk.ts) and by the self-tests; memory only.
 */

export interface LedgerEntry {
  readonly since?: string;
  readonly lastError?: LastError;
  readonly counters: DeviceCounters;
  readonly lastSelfTest?: { readonly at: string; readonly ok: boolean };
}

export interface DeviceLedger {
  /** A device's supervised state changed (detail: what its driver says). */
  noteState(kind: DeviceKind, state: DeviceState, detail: string | undefined): void;
  /** A self-test ran; a failed one's detail (and its words for people) becomes the device's last error. */
  noteSelfTest(kind: DeviceKind, ok: boolean, detail?: string, summary?: Bilingual): void;
  entry(kind: DeviceKind): LedgerEntry;
  onChange(listener: () => void): () => void;
}

const down = (s: DeviceState | undefined): boolean => s === 'fault' || s === 'disconnected';
const up = (s: DeviceState | undefined): boolean => s === 'ready' || s === 'busy';

export function createDeviceLedger(now: () => Date = () => new Date()): DeviceLedger {
  interface Mutable {
    state?: DeviceState;
    since?: string;
    lastError?: LastError;
    counters: { faults: number; recoveries: number; selfTests: number; selfTestsFailed: number };
    lastSelfTest?: { at: string; ok: boolean };
  }
  const entries = new Map<DeviceKind, Mutable>();
  const listeners = new Set<() => void>();
  const get = (kind: DeviceKind): Mutable => {
    let e = entries.get(kind);
    if (!e) {
      e = { counters: { faults: 0, recoveries: 0, selfTests: 0, selfTestsFailed: 0 } };
      entries.set(kind, e);
    }
    return e;
  };
  const changed = (): void => {
    for (const l of [...listeners]) l();
  };
  return {
    noteState(kind, state, detail) {
      const e = get(kind);
      const was = e.state;
      if (was === state) return;
      const at = now().toISOString();
      e.state = state;
      e.since = at;
      if (up(was) && down(state)) e.counters.faults += 1;
      // Back after a fault (the supervisor passes through connecting on the way).
      if (up(state) && e.lastError !== undefined && !up(was) && was !== undefined) e.counters.recoveries += 1;
      if (down(state)) e.lastError = { at, message: detail ?? state, state };
      changed();
    },
    noteSelfTest(kind, ok, detail, summary) {
      const e = get(kind);
      const at = now().toISOString();
      e.counters.selfTests += 1;
      if (!ok) {
        e.counters.selfTestsFailed += 1;
        e.lastError = { at, message: detail ?? 'self-test failed', ...(summary ? { summary } : {}) };
      }
      e.lastSelfTest = { at, ok };
      changed();
    },
    entry(kind) {
      const e = get(kind);
      return {
        ...(e.since ? { since: e.since } : {}),
        ...(e.lastError ? { lastError: { ...e.lastError } } : {}),
        counters: { ...e.counters },
        ...(e.lastSelfTest ? { lastSelfTest: { ...e.lastSelfTest } } : {}),
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
