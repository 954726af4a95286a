import { createActor, type Actor, type ActorOptions, type SnapshotFrom } from 'xstate';
import type { FlowConfig } from '../config/schema';
import type { EnrollmentEvent, EnrollmentNotice, HelpSource } from './context';
import type { EnrollmentMachine } from './machine';
import { countdowns, toViewModel, type ViewClock } from './view';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { Intent } from '../../domain/kiosk-channel/messages';
import type { Dialog, PrinterProblem, Screen, ViewModel } from '../../domain/kiosk-channel/view-model';
import type { ExceptionProof } from '../../domain/enrollment-record';
import type { FingerExceptionReason, FingerExceptionScope, FingerPosition } from '../../domain/fingers';

/**
 * The running kiosk session: the statechart actor plus the view model it projects. The server
 * talks to this and nothing else; it turns page intents into machine events and pushes every
 * new view model to the page.
 */

export interface KioskRuntime {
  /** The current view model; its countdowns by the clock now (so a page loaded late shows the time really left). */
  view(): ViewModel;
  /** Called with every new view model (deduplicated); returns an unsubscribe function. */
  onView(listener: (view: ViewModel) => void): () => void;
  /**
   * An intent from the page (or, with `source: 'panel'`, the panel's help button). Refused,
   * changing nothing, when the current state can't take it.
   */
  send(intent: Intent, opts?: { readonly source?: HelpSource }): { ok: true } | { ok: false; reason: 'not-allowed-now' };
  setDevices(states: Partial<Record<DeviceKind, DeviceState>>): void;
  /** Why the receipt printer cannot print now, or undefined when it can (from the printer watch). */
  setPrinter(problem: PrinterProblem | undefined): void;
  /**
   * The technician's switch (the service screen): out of service (`true`) or back. A session in
   * progress finishes first; the view says when the kiosk is out of service.
   */
  setMaintenance(on: boolean): void;
  /** The panel's PIR: someone is in front of the kiosk, or no longer is. */
  setPresence(present: boolean): void;
  /** The panel's tamper switch: the enclosure is open (a session in progress ends, wiped), or shut. */
  setEnclosure(open: boolean): void;
  /**
   * The hall officer's console (issue #14, controller/ops/console-link.ts): an officer's command
   * as a machine event; refused, changing nothing, when the statechart cannot take it now.
   */
  officer(event: OfficerEvent): { ok: true } | { ok: false; reason: 'not-allowed-now' };
  /** An officer's console is connected (finger exceptions wait for its answer) or not. */
  setConsole(connected: boolean): void;
  /** The finger exception waiting for the officer's answer, with its photo (for the console only), or undefined. */
  exceptionRequest(): ExceptionRequest | undefined;
  /** What the statechart tells the world (a help request): for alerts, the log and the audit trail. */
  onNotice(listener: (notice: EnrollmentNotice) => void): () => void;
  /** The face photo / signature of the session in progress, for the page's <img>; never on disk. */
  sessionImage(kind: 'face' | 'signature'): { bytes: Uint8Array; type: string } | undefined;
  /** Short machine state for logs and health ("session.main.flow.fingerprints.capturing"). */
  stateName(): string;
  stop(): void;
}

/** The officer's commands the statechart takes (OPS_CONSOLE is the runtime's own: setConsole). */
export type OfficerEvent = Extract<EnrollmentEvent, { type: 'OPS_EXCEPTION_DECISION' | 'OPS_END_SESSION' | 'OPS_SERVICE' }>;

export interface ExceptionRequest {
  readonly finger: FingerPosition;
  readonly reason: FingerExceptionReason;
  readonly scope: FingerExceptionScope;
  /** The photo of the hand: the same buffer the statechart holds (never copied, never stored). */
  readonly photo: ExceptionProof;
  /** When the statechart entered the wait (the runtime's clock). */
  readonly since: number;
  /** When the wait ends without an answer. */
  readonly until: number;
}

export interface RuntimeOptions {
  /**
   * The statechart threw: a bug. The citizen must not be left on a frozen screen, so the
   * composition root decides what happens (the kiosk logs and exits for systemd to restart it;
   * nothing acknowledged is lost, commits are durable). Tests fail loudly.
   */
  readonly onFatal: (err: unknown) => void;
  readonly now?: () => number;
  /** The clock the statechart's timers and the countdowns run on (tests: XState's SimulatedClock). */
  readonly clock?: NonNullable<ActorOptions<EnrollmentMachine>['clock']> & { now(): number };
}

export function createKioskRuntime(machine: EnrollmentMachine, flow: FlowConfig, opts: RuntimeOptions): KioskRuntime {
  const clock = opts.clock;
  const now = opts.now ?? (clock ? () => clock.now() : Date.now);
  const actor: Actor<EnrollmentMachine> = createActor(machine, { input: { flow }, ...(clock ? { clock } : {}) });
  const listeners = new Set<(view: ViewModel) => void>();
  const noticeListeners = new Set<(notice: EnrollmentNotice) => void>();
  actor.on('*', (notice) => {
    for (const l of noticeListeners) l(notice);
  });
  /** When each state that counts down (the prompt, the receipt screen) was entered, by the clock. */
  const entered = new Map<string, number>();
  const viewClock = (): ViewClock => ({ now: now(), enteredAt: (id) => entered.get(id) });
  const noteCountdowns = (snapshot: SnapshotFrom<EnrollmentMachine>): void => {
    const running = countdowns(snapshot);
    for (const id of entered.keys()) if (!running.has(id)) entered.delete(id);
    for (const id of running.keys()) if (!entered.has(id)) entered.set(id, now());
  };
  let seq = 0;
  let lastKey = '';
  /** The dialog open over the screen (the page's, kept here so a reload shows it again). */
  let dialog: { readonly dialog: Dialog; readonly on: string } | undefined;
  /** The view with the dialog, if it still belongs to what is on screen (a new screen or finger closes it). */
  const project = (snapshot: SnapshotFrom<EnrollmentMachine>, at: number): ViewModel => {
    const view = toViewModel(snapshot, at, viewClock());
    if (dialog && dialog.on !== dialogHost(view.screen, dialog.dialog)) dialog = undefined;
    return dialog ? { ...view, dialog: dialog.dialog } : view;
  };
  const publish = (snapshot: SnapshotFrom<EnrollmentMachine>): void => {
    noteCountdowns(snapshot);
    const candidate = project(snapshot, seq + 1);
    // Compare without seq so a context change the page can't see (e.g. a device going busy)
    // doesn't cost a push.
    const key = JSON.stringify({ ...candidate, seq: 0 });
    if (key === lastKey) return;
    lastKey = key;
    seq += 1;
    current = candidate;
    for (const l of listeners) l(current);
  };
  noteCountdowns(actor.getSnapshot());
  let current: ViewModel = project(actor.getSnapshot(), seq);

  /** When the wait for the officer's answer began (the held photo names the wait; help in between starts it again, as the statechart's timer does). */
  let officerWait: { readonly photo: Uint8Array; readonly since: number } | undefined;
  actor.subscribe({ next: publish, error: (err) => opts.onFatal(err) });
  actor.start();

  const toEvent = (intent: Exclude<Intent, { type: 'DIALOG' }>, source: HelpSource | undefined): EnrollmentEvent => {
    if (intent.type === 'START') return { type: 'START', at: now() };
    if (intent.type === 'HELP' && source) return { type: 'HELP', source };
    return intent;
  };

  return {
    // The snapshot is the one `current` was made from; only the countdowns move with the clock.
    view: () => ({ ...project(actor.getSnapshot(), current.seq), seq: current.seq }),
    onView(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    send(intent, sendOpts) {
      if (intent.type === 'DIALOG') {
        // A dialog is the page's, not the statechart's: kept here, refused where the screen has none.
        const host = intent.dialog ? dialogHost(current.screen, intent.dialog) : undefined;
        if (intent.dialog && host === undefined) return { ok: false, reason: 'not-allowed-now' };
        dialog = intent.dialog && host !== undefined ? { dialog: intent.dialog, on: host } : undefined;
        publish(actor.getSnapshot());
        return { ok: true };
      }
      const event = toEvent(intent, sendOpts?.source);
      const snap = actor.getSnapshot();
      if (!snap.can(event)) return { ok: false, reason: 'not-allowed-now' };
      actor.send(event);
      return { ok: true };
    },
    setDevices(states) {
      actor.send({ type: 'DEVICES', states });
    },
    setPrinter(problem) {
      actor.send(problem ? { type: 'PRINTER', problem } : { type: 'PRINTER' });
    },
    setMaintenance(on) {
      actor.send({ type: 'MAINTENANCE', on });
    },
    setPresence(present) {
      actor.send({ type: 'PRESENCE', present });
    },
    setEnclosure(open) {
      actor.send({ type: 'ENCLOSURE', open });
    },
    officer(event) {
      if (!actor.getSnapshot().can(event)) return { ok: false, reason: 'not-allowed-now' };
      actor.send(event);
      return { ok: true };
    },
    setConsole(connected) {
      actor.send({ type: 'OPS_CONSOLE', connected });
    },
    exceptionRequest() {
      const snap = actor.getSnapshot();
      const held = snap.context.fingerExceptionPending;
      const finger = snap.context.fingers[snap.context.fingerIndex]?.position;
      if (!snap.matches({ session: { main: { flow: { fingerprints: { proof: 'officerCheck' } } } } }) || !held?.proof || !finger) {
        officerWait = undefined;
        return undefined;
      }
      if (officerWait?.photo !== held.proof.jpeg) officerWait = { photo: held.proof.jpeg, since: now() };
      return { finger, reason: held.reason, scope: held.scope, photo: held.proof, since: officerWait.since, until: officerWait.since + flow.fingerExceptionApprovalWaitMs };
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
      noticeListeners.clear();
    },
  };
}

/**
 * Where a dialog may be open, as a key that changes when its reason to be open goes: the
 * question why a finger cannot be taken belongs to that finger while it is offered; the choice
 * of fingers to redo belongs to the review screen. Undefined: not on this screen.
 */
function dialogHost(screen: Screen, d: Dialog): string | undefined {
  if (d.name === 'finger-exception') return screen.name === 'fingerprints' && screen.choices.includes('exception') ? `fingerprints:${screen.finger}` : undefined;
  return screen.name === 'review' ? 'review' : undefined;
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return '';
  return Object.entries(value)
    .map(([k, v]) => `${k}.${flatten(v)}`)
    .join('|');
}
