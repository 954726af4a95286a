import type { FingerSlotView, StepName, ViewModel } from '../../domain/kiosk-channel/view-model';

/**
 * What happened in a session, read off the stream of view models the citizen's screen gets:
 * the one account of the session that every part of the kiosk already agrees on. Metrics are
 * counted from these events (ops/metrics.ts), so they measure what the citizen saw, and no
 * statechart code is touched to count. Pure: the caller gives the time.
 */

export type SessionEvent =
  /** A step of the progress header left, and how long the citizen was on it (this visit). */
  | { readonly kind: 'step'; readonly step: StepName; readonly seconds: number }
  | { readonly kind: 'completed'; readonly seconds: number }
  /** The session ended before its receipt; `step` is where it was left ('start' before the first step). */
  | { readonly kind: 'abandoned'; readonly step: StepName | 'start'; readonly seconds: number }
  | { readonly kind: 'finger-captured'; readonly score: number; readonly attempts: number; readonly belowThreshold: boolean }
  | { readonly kind: 'finger-exception' }
  /** A face photo was taken; the checks it failed (none for a good photo). */
  | { readonly kind: 'face-photo'; readonly failed: readonly string[] }
  /** Help was shown as called, and then closed: the time staff took to come (or the citizen to give up). */
  | { readonly kind: 'help-answered'; readonly seconds: number };

export interface SessionTracker {
  observe(view: ViewModel, nowMs: number): SessionEvent[];
  /** Since when the help screen has been showing (ms, the caller's clock), or undefined. */
  helpWaitingSince(): number | undefined;
}

/** Screens outside a session: a session starts when the citizen leaves them, and ends on done/abandoned. */
const OUTSIDE = new Set(['attract', 'out-of-service']);

export function createSessionTracker(): SessionTracker {
  let sessionStart: number | undefined;
  let step: { readonly name: StepName; readonly since: number } | undefined;
  let ended = false;
  let helpSince: number | undefined;
  let slots: readonly FingerSlotView[] = [];
  let photoRev = -1;

  const closeStep = (now: number, out: SessionEvent[]) => {
    if (step) out.push({ kind: 'step', step: step.name, seconds: (now - step.since) / 1000 });
    step = undefined;
  };

  return {
    helpWaitingSince: () => helpSince,
    observe(view, now) {
      const out: SessionEvent[] = [];
      const screen = view.screen;
      // Help: open from the moment it shows until it closes, whatever screen is under it.
      const helpOpen = view.overlay?.name === 'help';
      if (helpOpen && helpSince === undefined) helpSince = now;
      if (!helpOpen && helpSince !== undefined) {
        out.push({ kind: 'help-answered', seconds: (now - helpSince) / 1000 });
        helpSince = undefined;
      }

      if (OUTSIDE.has(screen.name)) {
        // Back at the start without done/abandoned (a restart of the flow): nothing to count.
        sessionStart = undefined;
        step = undefined;
        ended = false;
        slots = [];
        photoRev = -1;
        return out;
      }
      if (sessionStart === undefined && !ended) sessionStart = now;

      if (screen.name === 'done' || screen.name === 'abandoned') {
        if (!ended && sessionStart !== undefined) {
          const left = step?.name;
          closeStep(now, out);
          const seconds = (now - sessionStart) / 1000;
          out.push(screen.name === 'done' ? { kind: 'completed', seconds } : { kind: 'abandoned', step: left ?? 'start', seconds });
        }
        ended = true;
        sessionStart = undefined;
        return out;
      }
      if (ended) {
        // "Start again" from the abandoned screen: a new session.
        ended = false;
        sessionStart = now;
      }

      if (view.step !== step?.name) {
        closeStep(now, out);
        if (view.step) step = { name: view.step, since: now };
      }

      if (screen.name === 'fingerprints') {
        const before = new Map(slots.map((s) => [s.position, s]));
        for (const s of screen.slots) {
          const was = before.get(s.position);
          if (s.status === 'captured' && (was?.status !== 'captured' || was.score !== s.score || was.attempts !== s.attempts)) {
            out.push({ kind: 'finger-captured', score: s.score, attempts: s.attempts, belowThreshold: s.belowThreshold });
          }
          if (s.status === 'exception' && was?.status !== 'exception') out.push({ kind: 'finger-exception' });
        }
        slots = screen.slots;
      }
      if (screen.name === 'face' && screen.phase === 'captured' && screen.photoRev !== photoRev) {
        photoRev = screen.photoRev;
        out.push({ kind: 'face-photo', failed: screen.checks.filter((c) => !c.pass).map((c) => c.name) });
      }
      return out;
    },
  };
}
