import type { Logger } from 'pino';
import type { KioskRuntime } from '../enrollment/runtime';
import type { JsonValue } from '../store/audit-chain';
import { AUDIT_KINDS } from '../store/audit-kinds';
import { createSessionTracker } from './session-events';
import type { DeviceKind, DeviceState } from '../../domain/devices';
import type { ViewModel } from '../../domain/kiosk-channel/view-model';
import type { Bilingual } from '../../domain/language';
import type { OpsCommand, OpsHelpCall, OpsKioskStatus, OpsRefusal, OpsServiceReason } from '../../domain/ops-channel/types';

/**
 * The kiosk's side of the hall officer's console (issue #14): what the ops channel pushes (a
 * small status: screen, time in step, devices, today's sessions, outbox, service, the help call
 * waiting and the finger exception waiting) and what it does with an officer's commands. Every
 * command is audited here, with the officer's name and the outcome. Transport-free: the ops
 * channel (server/ops-channel.ts) carries it, the fleet simulation runs one per simulated kiosk.
 */

export interface ConsoleLinkDeps {
  readonly kioskId: string;
  readonly version: string;
  readonly runtime: KioskRuntime;
  /** How often the channel sends the status even when nothing changed. */
  readonly heartbeatMs: number;
  readonly devices: () => Partial<Record<DeviceKind, DeviceState>>;
  readonly outbox: () => Promise<{ readonly pending: number; readonly oldestPendingAgeS: number | null }>;
  /** A technician has the kiosk out of service (the service screen), which the officer cannot undo. */
  readonly technicianOut?: () => boolean;
  /** How long a help call on the start screen (the panel's button) stays in the queue unanswered. */
  readonly helpWaitMs: number;
  readonly audit: (kind: string, detail: JsonValue) => void;
  readonly log: Logger;
  readonly now?: () => number;
}

export type CommandAnswer =
  | { readonly ok: true; readonly photo?: { readonly jpeg: Uint8Array; readonly width: number; readonly height: number; readonly exceptionId: string } }
  | { readonly ok: false; readonly code: OpsRefusal; readonly message: Bilingual };

export interface ConsoleLink {
  status(): Promise<OpsKioskStatus>;
  /** Something on the status changed (pushed soon, once per burst). */
  onChange(listener: () => void): () => void;
  command(command: OpsCommand, officer: string): CommandAnswer;
  /** How many officers' consoles are connected now (the statechart hears whether any is). */
  consoles(count: number): void;
  readonly heartbeatMs: number;
  stop(): void;
}

const NOT_FOUND: Record<'help' | 'exception', Bilingual> = {
  help: { vi: 'Lượt gọi trợ giúp này không còn chờ (đã được trả lời hoặc công dân đã rời đi).', en: 'This help call is no longer waiting (answered, or the citizen left).' },
  exception: { vi: 'Yêu cầu này không còn chờ (công dân đã huỷ, hoặc đã hết thời gian chờ).', en: 'This request is no longer waiting (the citizen cancelled, or the wait ran out).' },
};
const NO_SESSION: Bilingual = { vi: 'Ki-ốt không có phiên nào đang làm.', en: 'There is no session in progress on this kiosk.' };
const COMMITTING: Bilingual = { vi: 'Hồ sơ đang được lưu; chờ vài giây rồi thử lại.', en: 'The application is being saved; wait a few seconds and try again.' };

/** The kiosk's local date, YYYY-MM-DD. */
function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function createConsoleLink(deps: ConsoleLinkDeps): ConsoleLink {
  const now = deps.now ?? Date.now;
  const { runtime } = deps;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of [...listeners]) l();
  };
  const tracker = createSessionTracker();
  let today = { date: localDate(now()), completed: 0, abandoned: 0 };
  let officerOut: string | undefined;
  let nextId = 1;
  const newId = (what: string): string => `${what}-${now().toString(36)}-${nextId++}`;

  /** The help call waiting; `seen`: its help screen has shown (closing it means it was answered at the kiosk, or the session ended). */
  let help: (OpsHelpCall & { seen: boolean; sinceMs: number }) | undefined;
  /** Ids of exception waits, by the photo buffer the statechart holds (a new photo is a new request). */
  const exceptionIds = new WeakMap<Uint8Array, string>();

  const where = (view: ViewModel): { key: string } => ({ key: view.step ?? view.screen.name });
  let last = runtime.view();
  let stepSince = now();
  let lastKey = `${where(last).key}|${screenOf(last)}|${last.overlay?.name ?? ''}`;
  const offView = runtime.onView((view) => {
    const at = now();
    for (const e of tracker.observe(view, at)) {
      if (e.kind !== 'completed' && e.kind !== 'abandoned') continue;
      const date = localDate(at);
      if (date !== today.date) today = { date, completed: 0, abandoned: 0 };
      today = { ...today, [e.kind]: today[e.kind] + 1 };
    }
    if (where(view).key !== where(last).key) stepSince = at;
    // The help call: its screen shown, then closed (the session ended, or staff answered at the kiosk).
    const helpShown = view.overlay?.name === 'help';
    if (help && helpShown) help.seen = true;
    if (help && help.inSession && help.seen && !helpShown) closeHelp('closed-at-kiosk');
    last = view;
    const key = `${where(view).key}|${screenOf(view)}|${view.overlay?.name ?? ''}|${exceptionKey()}`;
    if (key !== lastKey) {
      lastKey = key;
      changed();
    }
  });
  const offNotice = runtime.onNotice((n) => {
    if (n.type !== 'help-requested') return;
    const at = now();
    // One call per kiosk: asked again while waiting, it keeps its place in the queue.
    help = help
      ? { ...help, inSession: help.inSession || n.inSession, seen: help.seen }
      : { id: newId('help'), since: new Date(at).toISOString(), sinceMs: at, source: n.source, inSession: n.inSession, screen: runtime.view().screen.name, seen: false };
    changed();
  });
  const closeHelp = (why: string): void => {
    if (!help) return;
    deps.log.info({ ops: 'help', why, waitedS: Math.round((now() - help.sinceMs) / 1000) }, 'help call closed');
    help = undefined;
    changed();
  };
  const exceptionKey = (): string => {
    const r = runtime.exceptionRequest();
    return r ? exceptionId(r.photo.jpeg) : '';
  };
  const exceptionId = (photo: Uint8Array): string => {
    const known = exceptionIds.get(photo);
    if (known) return known;
    const made = newId('exception');
    exceptionIds.set(photo, made);
    return made;
  };

  const serviceNow = (view: ViewModel): OpsKioskStatus['service'] => {
    if (view.screen.name !== 'out-of-service') return { inService: true, ...(officerOut ? { reason: 'officer' as const, officer: officerOut } : {}) };
    const reason: OpsServiceReason = deps.technicianOut?.() ? 'technician' : officerOut ? 'officer' : 'devices';
    return { inService: false, reason, ...(officerOut ? { officer: officerOut } : {}) };
  };

  const audit = (command: OpsCommand, officer: string, answer: CommandAnswer, extra: Record<string, JsonValue> = {}): CommandAnswer => {
    const { kind, ...args } = command;
    deps.audit(AUDIT_KINDS.opsCommand, { command: kind, ...args, officer, ok: answer.ok, ...(answer.ok ? {} : { code: answer.code }), ...extra });
    deps.log.info({ ops: kind, officer, ok: answer.ok, ...extra }, 'an officer command from the ops console');
    changed();
    return answer;
  };

  return {
    heartbeatMs: deps.heartbeatMs,
    async status() {
      const at = now();
      // A call on the start screen nobody answered: gone from the queue after the help wait.
      if (help && !help.inSession && at - help.sinceMs > deps.helpWaitMs) closeHelp('expired');
      const view = runtime.view();
      const date = localDate(at);
      if (date !== today.date) today = { date, completed: 0, abandoned: 0 };
      const request = runtime.exceptionRequest();
      const outbox = await deps.outbox();
      const screen = view.screen;
      return {
        kioskId: deps.kioskId,
        version: deps.version,
        at: new Date(at).toISOString(),
        screen: screen.name,
        ...('phase' in screen ? { phase: screen.phase } : {}),
        ...(view.step ? { step: view.step } : {}),
        stepSince: new Date(stepSince).toISOString(),
        inSession: !['attract', 'out-of-service', 'abandoned'].includes(screen.name),
        devices: deps.devices(),
        today,
        outbox: { pending: outbox.pending, oldestPendingAgeS: outbox.oldestPendingAgeS },
        service: serviceNow(view),
        ...(help ? { help: { id: help.id, since: help.since, source: help.source, inSession: help.inSession, screen: help.screen } } : {}),
        ...(request
          ? {
              exception: {
                id: exceptionId(request.photo.jpeg),
                since: new Date(request.since).toISOString(),
                finger: request.finger,
                reason: request.reason,
                scope: request.scope,
                photo: { width: request.photo.width, height: request.photo.height },
                until: new Date(request.until).toISOString(),
              },
            }
          : {}),
        heartbeatS: deps.heartbeatMs / 1000,
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    command(command, officer) {
      switch (command.kind) {
        case 'answer-help': {
          if (!help || help.id !== command.helpId) return audit(command, officer, { ok: false, code: 'not-found', message: NOT_FOUND.help });
          const waitedS = Math.round((now() - help.sinceMs) / 1000);
          // The citizen's help screen closes: back to where they were (an officer is on the way).
          if (runtime.view().overlay?.name === 'help') runtime.send({ type: 'HELP_DONE' });
          help = undefined;
          return audit(command, officer, { ok: true }, { waitedS });
        }
        case 'decide-exception':
        case 'show-photo': {
          const request = runtime.exceptionRequest();
          if (!request || exceptionId(request.photo.jpeg) !== command.exceptionId) return audit(command, officer, { ok: false, code: 'not-found', message: NOT_FOUND.exception });
          const about = { finger: request.finger, reason: request.reason, scope: request.scope };
          if (command.kind === 'show-photo') {
            return audit(command, officer, { ok: true, photo: { jpeg: request.photo.jpeg, width: request.photo.width, height: request.photo.height, exceptionId: command.exceptionId } }, about);
          }
          const r = runtime.officer({ type: 'OPS_EXCEPTION_DECISION', approve: command.approve, officer });
          return audit(command, officer, r.ok ? { ok: true } : { ok: false, code: 'not-allowed-now', message: NOT_FOUND.exception }, about);
        }
        case 'end-session': {
          const screen = runtime.view().screen.name;
          const r = runtime.officer({ type: 'OPS_END_SESSION', officer });
          if (r.ok) return audit(command, officer, { ok: true }, { screen });
          return audit(command, officer, { ok: false, code: 'not-allowed-now', message: screen === 'submitting' ? COMMITTING : NO_SESSION }, { screen });
        }
        case 'service': {
          officerOut = command.on ? officer : undefined;
          runtime.officer({ type: 'OPS_SERVICE', on: command.on, officer });
          return audit(command, officer, { ok: true });
        }
      }
    },
    consoles(count) {
      runtime.setConsole(count > 0);
    },
    stop() {
      offView();
      offNotice();
      listeners.clear();
    },
  };
}

function screenOf(view: ViewModel): string {
  return 'phase' in view.screen ? `${view.screen.name}:${view.screen.phase}` : view.screen.name;
}
