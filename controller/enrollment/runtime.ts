import { createActor, type Actor } from 'xstate';
import type { FlowConfig } from '../config/schema';
import type { EnrollmentEvent } from './context';
import type { EnrollmentMachine } from './machine';
import { toViewModel } from './view';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { Intent } from '../../domain/kiosk-channel/messages';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';

/**
 * The running kiosk session: the statechart actor plus the view model it projects. The server
 * talks to this and nothing else; it turns page intents into machine events and pushes every
 * new view model to the page.
 */

export interface KioskRuntime {
  view(): ViewModel;
  /** Called with every new view model (deduplicated); returns an unsubscribe function. */
  onView(listener: (view: ViewModel) => void): () => void;
  /** An intent from the page. Refused, changing nothing, when the current state can't take it. */
  send(intent: Intent): { ok: true } | { ok: false; reason: 'not-allowed-now' };
  setDevices(states: Partial<Record<DeviceKind, DeviceState>>): void;
  /** The face photo / signature of the session in progress, for the page's <img>; never on disk. */
  sessionImage(kind: 'face' | 'signature'): { bytes: Uint8Array; type: string } | undefined;
  /** Short machine state for logs and health ("session.main.flow.fingerprints.capturing"). */
  stateName(): string;
  stop(): void;
}

export interface RuntimeOptions {
  /**
   * The statechart threw: a bug. The citizen must not be left on a frozen screen, so the
   * composition root decides what happens (the kiosk logs and exits for systemd to restart it;
   * nothing acknowledged is lost, commits are durable). Tests fail loudly.
   */
  readonly onFatal: (err: unknown) => void;
  readonly now?: () => number;
}

export function createKioskRuntime(machine: EnrollmentMachine, flow: FlowConfig, opts: RuntimeOptions): KioskRuntime {
  const now = opts.now ?? Date.now;
  const actor: Actor<EnrollmentMachine> = createActor(machine, { input: { flow } });
  const listeners = new Set<(view: ViewModel) => void>();
  let seq = 0;
  let lastKey = '';
  let current: ViewModel = toViewModel(actor.getSnapshot(), seq);

  actor.subscribe({
    next: (snapshot) => {
      const candidate = toViewModel(snapshot, seq + 1);
      // Compare without seq so a context change the page can't see (e.g. a device going busy)
      // doesn't cost a push.
      const key = JSON.stringify({ ...candidate, seq: 0 });
      if (key === lastKey) return;
      lastKey = key;
      seq += 1;
      current = candidate;
      for (const l of listeners) l(current);
    },
    error: (err) => opts.onFatal(err),
  });
  actor.start();

  const toEvent = (intent: Intent): EnrollmentEvent => (intent.type === 'START' ? { type: 'START', at: now() } : intent);

  return {
    view: () => current,
    onView(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(intent) {
      const event = toEvent(intent);
      const snap = actor.getSnapshot();
      if (!snap.can(event)) return { ok: false, reason: 'not-allowed-now' };
      actor.send(event);
      return { ok: true };
    },
    setDevices(states) {
      actor.send({ type: 'DEVICES', states });
    },
    sessionImage(kind) {
      const ctx = actor.getSnapshot().context;
      if (kind === 'face') {
        const face = ctx.face.pending ?? ctx.face.accepted;
        return face ? { bytes: face.jpeg, type: 'image/jpeg' } : undefined;
      }
      const sig = ctx.signature.accepted;
      return sig ? { bytes: sig.png, type: 'image/png' } : undefined;
    },
    stateName() {
      return flatten(actor.getSnapshot().value);
    },
    stop() {
      actor.stop();
      listeners.clear();
    },
  };
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  return Object.entries(value)
    .map(([k, v]) => `${k}.${flatten(v)}`)
    .join('|');
}
